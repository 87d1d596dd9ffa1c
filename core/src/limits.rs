//! The limits every change and every push keeps, whatever its kind: no text anywhere in a
//! change longer than a note may be, at most so many timeline entries for one record in one
//! push, and at most so many sync requests a second from one session. The kinds check their own
//! fields more tightly; these hold for whatever a kind does not look into (an event's extra
//! member, a policy's list), and against requests no device of ours sends.

use crate::input::{InputError, NOTE_MAX_CHARS};
use crate::lang::Bilingual;
use crate::sync::{Change, Op};
use serde_json::Value;
use std::collections::HashMap;
use std::num::NonZeroU32;
use uuid::Uuid;

/// Longest text anywhere in a change, in characters: the longest a note may be, so no screen's
/// own limit is ever the tighter one by surprise.
pub const TEXT_MAX_CHARS: usize = NOTE_MAX_CHARS;

/// Most timeline entries one push may add to one record. A device sends at most
/// [`crate::sync::PUSH_BATCH_SIZE`] changes a push, so it never meets this; a request that
/// would add thousands to one record (each rewriting it as it grows) is taken a part at a time.
pub const MAX_ENTRIES_PER_RECORD_PER_PUSH: usize = 200;

/// Sync requests (pushes and pulls) one session may make per second, once its burst is spent.
/// A device's loop makes a round (a push, a pull) every few seconds at most; the chaos harness,
/// whose time is compressed, about fifteen requests a second.
pub const SYNC_REQUESTS_PER_SECOND: NonZeroU32 = NonZeroU32::new(20).unwrap();
/// Sync requests one session may make at once: a first sync of 200,000 records in pages of
/// [`crate::sync::PULL_PAGE_SIZE`] without waiting.
pub const SYNC_BURST: NonZeroU32 = NonZeroU32::new(200).unwrap();

/// Whether every text in `op` (its fields, its value, its entry's data, at any depth) is at
/// most [`TEXT_MAX_CHARS`] long; the error names the field or entry that holds the first one
/// that is not.
pub fn check_texts(op: &Op) -> Result<(), InputError> {
    let too_long = |field: &str| InputError::TextTooLong {
        field: field.to_owned(),
        max: TEXT_MAX_CHARS,
    };
    match op {
        Op::Create { fields } => match fields.iter().find(|(_, value)| holds_long_text(value)) {
            Some((field, _)) => Err(too_long(field)),
            None => Ok(()),
        },
        Op::Set { field, value, .. } if holds_long_text(value) => Err(too_long(field)),
        Op::Append { kind, data, .. } if holds_long_text(data) => Err(too_long(kind)),
        Op::Set { .. } | Op::Append { .. } | Op::Delete => Ok(()),
    }
}

/// Whether `value` holds a text longer than [`TEXT_MAX_CHARS`], at any depth (serde_json reads
/// at most 128 levels, so the walk is bounded).
fn holds_long_text(value: &Value) -> bool {
    match value {
        // A text of at most the limit in bytes is within it in characters; count only longer.
        Value::String(text) => text.len() > TEXT_MAX_CHARS && text.chars().count() > TEXT_MAX_CHARS,
        Value::Array(items) => items.iter().any(holds_long_text),
        Value::Object(members) => members.values().any(holds_long_text),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// For each change of a push, in order, whether it is an entry beyond the first
/// [`MAX_ENTRIES_PER_RECORD_PER_PUSH`] for its record. Those wait for a later push, which
/// the device sends by itself: nothing is refused or lost.
pub fn entries_over_limit(changes: &[Change]) -> Vec<bool> {
    let mut entries: HashMap<Uuid, usize> = HashMap::new();
    changes
        .iter()
        .map(|change| match change.op {
            Op::Append { .. } => {
                let count = entries.entry(change.record_id).or_default();
                *count += 1;
                *count > MAX_ENTRIES_PER_RECORD_PER_PUSH
            }
            Op::Create { .. } | Op::Set { .. } | Op::Delete => false,
        })
        .collect()
}

/// Why an entry beyond [`MAX_ENTRIES_PER_RECORD_PER_PUSH`] waits.
pub fn entries_wait() -> Bilingual {
    Bilingual::new(
        format!(
            "同一条记录一次最多同步 {MAX_ENTRIES_PER_RECORD_PER_PUSH} 条新记录，其余的稍后自动同步"
        ),
        format!(
            "At most {MAX_ENTRIES_PER_RECORD_PER_PUSH} new entries of one record sync at a time; the rest follow by themselves"
        ),
    )
}

#[cfg(test)]
mod tests;
