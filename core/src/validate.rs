//! Whether a change may be applied to the stored record: it creates only what does not exist
//! and edits only what does, of its own record type, its kind finds its fields, events and
//! values valid (`kinds`), and no text in it is over the limit every field keeps (`limits`).
//! Checked on the device before saving and again by the server.

use crate::input::InputError;
use crate::kinds::{RecordKind, with_kind};
use crate::limits::check_texts;
use crate::record::Record;
use crate::sync::{Change, Op};

/// Whether `change` may be applied to `existing` (the record as stored, `None` if unknown):
/// it names a field or event its record type has, with a valid value, and creates only what
/// does not exist and edits only what does.
pub fn check_change(existing: Option<&Record>, change: &Change) -> Result<(), InputError> {
    let created = existing.filter(|record| record.created.is_some());
    match (&change.op, created) {
        (Op::Create { .. }, Some(_)) => return Err(InputError::RecordExists),
        (Op::Create { .. }, None) => {}
        (_, None) => return Err(InputError::RecordMissing),
        (_, Some(record)) if record.record_type != change.record_type => {
            return Err(InputError::WrongRecordType);
        }
        (_, Some(record)) if record.deleted.is_some() => return Err(InputError::RecordDeleted),
        (_, Some(_)) => {}
    }
    with_kind!(change.record_type, |kind| kind.check_op(&change.op))?;
    check_texts(&change.op)
}

#[cfg(test)]
mod tests;
