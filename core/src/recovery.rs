//! After a restore from backup: the server is behind what devices confirmed. Its database
//! carries an epoch that a restore changes; a device that sees a new epoch in a pull sends
//! back every change it holds (`held_receipts`), and the server takes back the ones it lost
//! (`accept_recovered`). The merge is idempotent by change id, so a change the server still
//! holds changes nothing and nothing is stored twice.
//!
//! What a device sends back is a receipt the server once stamped (who, when, which team), not
//! a new change: the user who held it may not be its author. So the server takes it only as
//! a copy of the past: received before the restore, within [`RECOVERY_WINDOW_DAYS`] of it, a
//! change its author may make and the sender may make too (so nobody puts back, in anyone's
//! name, what they could not have written themselves), valid as the kind checks a change,
//! with its stamp clamped to the server's clock.

use crate::access::{may_change, visibility};
use crate::account::UserInfo;
use crate::input::InputError;
use crate::lang::Bilingual;
use crate::limits::check_texts;
use crate::record::{Receipt, Record, apply};
use crate::sync::{Change, Op, PushResponse, settle_push};
use crate::validate::check_change;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How long after a restore the server takes changes back: long enough for every tablet of a
/// shop to come back from a holiday, short enough that an old copy cannot be replayed forever.
pub const RECOVERY_WINDOW_DAYS: i64 = 14;

/// Which copy of the server's data a device's records and cursor came from: the database's
/// epoch, and when a restore made it (`None`: never restored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Epoch {
    pub id: String,
    pub restored_at: Option<DateTime<Utc>>,
}

/// What a device sends back after a restore: receipts as it holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoverRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub receipts: Vec<Receipt>,
}

/// Whether a pull that answered `answered` means the server was restored since the device
/// last synced under `held`: a device that never saw an epoch has nothing to send back.
pub fn restored_since(held: Option<&str>, answered: &str) -> bool {
    held.is_some_and(|held| !answered.is_empty() && held != answered)
}

/// Every change `record` holds, as the receipt it was applied from: its creation (with the
/// values it set that the record still holds), each field version, each timeline entry and
/// the deletion. Applied to a replica that lost any of them, they bring back what this one
/// shows; applied to one that holds them all, they change nothing.
pub fn held_receipts(record: &Record) -> Vec<Receipt> {
    let receipt = |origin: &crate::record::Origin, op: Op| Receipt {
        change: Change {
            change_id: origin.change,
            // Which device made a change is not kept in a record, and the merge never reads it.
            device: Uuid::nil(),
            stamp: origin.stamp,
            record_type: record.record_type,
            record_id: record.id,
            op,
        },
        by: origin.by.clone(),
        team: record.team.clone(),
        at: origin.at,
    };
    let created = record.created.as_ref().map(|origin| origin.change);
    let mut receipts = Vec::new();
    if let Some(origin) = &record.created {
        let fields: BTreeMap<String, Value> = record
            .fields
            .iter()
            .flat_map(|(name, field)| {
                std::iter::once(&field.current)
                    .chain(&field.conflicts)
                    .filter(|version| Some(version.origin.change) == created)
                    .map(move |version| (name.clone(), version.value.clone()))
            })
            .collect();
        receipts.push(receipt(origin, Op::Create { fields }));
    }
    for (name, field) in &record.fields {
        for version in std::iter::once(&field.current).chain(&field.conflicts) {
            if Some(version.origin.change) == created {
                continue;
            }
            // The versions some edit was made over ride on the winner, so a replica that
            // lost that edit still never shows them as conflicts.
            let supersedes = if version.origin.change == field.current.origin.change {
                field.superseded.iter().copied().collect()
            } else {
                Vec::new()
            };
            let op = Op::Set {
                field: name.clone(),
                value: version.value.clone(),
                supersedes,
            };
            receipts.push(receipt(&version.origin, op));
        }
    }
    for event in &record.events {
        let op = Op::Append {
            event: event.id,
            kind: event.kind.clone(),
            data: event.data.clone(),
        };
        receipts.push(receipt(&event.origin, op));
    }
    if let Some(origin) = &record.deleted {
        receipts.push(receipt(origin, Op::Delete));
    }
    receipts
}

/// One request of what a device sends back: receipts of whole records where they fit (a
/// record with more than `max` receipts is spread over several), and the last record whose
/// receipts are all sent once this request is answered: where the sending resumes after an
/// interruption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendBack {
    pub receipts: Vec<Receipt>,
    pub through: Option<Uuid>,
}

/// What a device sends back, in requests of at most `max` receipts: every change `records`
/// hold, records in id order, those up to `after` (sent already) left out.
pub fn plan_send_back(records: &[Record], after: Option<Uuid>, max: usize) -> Vec<SendBack> {
    let mut records: Vec<&Record> = records
        .iter()
        .filter(|record| after.is_none_or(|after| record.id > after))
        .collect();
    records.sort_by_key(|record| record.id);
    let mut plan = Vec::new();
    let mut batch: Vec<Receipt> = Vec::new();
    let mut through = after;
    for record in records {
        for part in held_receipts(record).chunks(max.max(1)) {
            if batch.len() + part.len() > max && !batch.is_empty() {
                plan.push(SendBack {
                    receipts: std::mem::take(&mut batch),
                    through,
                });
            }
            batch.extend_from_slice(part);
        }
        through = Some(record.id);
    }
    if !batch.is_empty() {
        plan.push(SendBack {
            receipts: batch,
            through,
        });
    }
    plan
}

/// What the server said of one request of what a device sent back: the changes it refused,
/// with why, or `None` when some change got no answer (an answer cut short: the request goes
/// again). A change told to wait for a photo counts as answered: every photo the device holds
/// went up before it sent back, so it names one the device never had, and waiting for it
/// would hold the device in recovery for good.
pub fn answered_send_back(
    sent: &[Receipt],
    response: &PushResponse,
) -> Option<Vec<(Uuid, Bilingual)>> {
    let changes: Vec<Change> = sent.iter().map(|receipt| receipt.change.clone()).collect();
    let settlement = settle_push(&changes, response);
    let answered = settlement.done.len() + settlement.rejected.len() + settlement.waiting.len();
    (answered == sent.len()).then_some(settlement.rejected)
}

/// Why the server does not take a change back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryRefused {
    /// This database was never restored: there is nothing to send back.
    NotRestored,
    /// The restore is older than [`RECOVERY_WINDOW_DAYS`].
    WindowClosed,
    /// Received after the restore: such a change is pushed, never sent back.
    AfterRestore,
    /// In a team the sender cannot read, or not the team or type of the stored record.
    OtherTeam,
    /// Its author is no account of this server.
    UnknownAuthor,
    /// Its author, or the sender, may not make such a change: why, as a push would say.
    NotAllowed(Bilingual),
    /// Not a valid change (a text over the limit, a malformed photo list…): why.
    Invalid(Bilingual),
}

impl RecoveryRefused {
    pub fn message(&self) -> Bilingual {
        match self {
            RecoveryRefused::NotRestored => Bilingual::new(
                "服务器没有从备份恢复过，无需补传",
                "The server was not restored from a backup; there is nothing to send back",
            ),
            RecoveryRefused::WindowClosed => Bilingual::new(
                format!("恢复已超过 {RECOVERY_WINDOW_DAYS} 天，不再接受补传"),
                format!(
                    "The restore is more than {RECOVERY_WINDOW_DAYS} days old; changes are no longer taken back"
                ),
            ),
            RecoveryRefused::AfterRestore => Bilingual::new(
                "这条更改晚于恢复时间，不能补传",
                "This change is newer than the restore and cannot be sent back",
            ),
            RecoveryRefused::OtherTeam => Bilingual::new(
                "这条记录不属于你能查看的团队",
                "This record is not in a team you can see",
            ),
            RecoveryRefused::UnknownAuthor => Bilingual::new(
                "这条更改的作者不是本服务器的账号",
                "The author of this change has no account on this server",
            ),
            RecoveryRefused::NotAllowed(reason) | RecoveryRefused::Invalid(reason) => {
                reason.clone()
            }
        }
    }
}

/// The server's decision on one receipt a device sent back, given the record as stored: the
/// record with it merged in, or why it is refused. Closed by default: only what every rule
/// above allows is taken. `author` is the account the receipt's `by` names, if there is one.
pub fn accept_recovered(
    caller: &UserInfo,
    author: Option<&UserInfo>,
    existing: Option<&Record>,
    receipt: &Receipt,
    epoch: &Epoch,
    now: DateTime<Utc>,
) -> Result<Record, RecoveryRefused> {
    let restored_at = epoch.restored_at.ok_or(RecoveryRefused::NotRestored)?;
    if now - restored_at > Duration::days(RECOVERY_WINDOW_DAYS) {
        return Err(RecoveryRefused::WindowClosed);
    }
    if receipt.at > restored_at {
        return Err(RecoveryRefused::AfterRestore);
    }
    let change = &receipt.change;
    let same_record = existing.is_none_or(|record| {
        record.team == receipt.team && record.record_type == change.record_type
    });
    if !visibility(caller).includes(&receipt.team) || !same_record {
        return Err(RecoveryRefused::OtherTeam);
    }
    let author = author.ok_or(RecoveryRefused::UnknownAuthor)?;
    for user in [author, caller] {
        may_change(user, existing, change.record_type, &change.op)
            .map_err(|denied| RecoveryRefused::NotAllowed(denied.message()))?;
    }
    // A creation sent back holds only the values the record still shows from it (a later edit
    // replaced the others, and is sent back too), so the kind's rule for a whole new record
    // does not apply to it; it must still be new, and its texts within the limits.
    let checked = match (
        &change.op,
        existing.and_then(|record| record.created.as_ref()),
    ) {
        (Op::Create { .. }, Some(_)) => Err(InputError::RecordExists),
        (Op::Create { .. }, None) => check_texts(&change.op),
        _ => check_change(existing, change),
    };
    checked.map_err(|invalid| RecoveryRefused::Invalid(invalid.message()))?;
    change
        .op
        .photos()
        .map_err(|problem| RecoveryRefused::Invalid(problem.message()))?;
    // A stamp far ahead would win every later edit for good: clamped as a push's is.
    let mut taken = receipt.clone();
    taken.change.stamp = change.stamp.clamp(now.timestamp_millis());
    Ok(apply(existing.cloned(), &taken))
}

#[cfg(test)]
mod tests;
