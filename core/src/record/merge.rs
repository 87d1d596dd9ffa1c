//! The merge: applies one received change to a record. Every replica (the server, each
//! device) that applies the same set of changes, in any order and however often, holds the
//! same record, with the same conflicts.
//!
//! Per field, the version with the greatest `(stamp, change id)` wins. A version loses
//! silently only when some edit was made over it (it is in that edit's `supersedes`);
//! otherwise it stays beside the winner as a conflict until a user chooses. Both facts are
//! functions of the set of changes, not of their order, which is why replicas converge.

use super::{Event, Field, Origin, Record, Version};
use crate::sync::{Change, Op};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A change as the server accepted it: with the fields only the server may stamp (who made
/// it, the record's team, when it arrived) and its stamp clamped to the server's clock.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Receipt {
    pub change: Change,
    pub by: String,
    pub team: String,
    pub at: DateTime<Utc>,
}

impl Receipt {
    /// The server's receipt: `by` and `team` come from the session and the stored record,
    /// never from the payload; a stamp running ahead of `now` is clamped.
    pub fn on_server(mut change: Change, by: &str, team: &str, now: DateTime<Utc>) -> Self {
        change.stamp = change.stamp.clamp(now.timestamp_millis());
        Receipt {
            change,
            by: by.to_owned(),
            team: team.to_owned(),
            at: now,
        }
    }

    fn origin(&self) -> Origin {
        Origin {
            by: self.by.clone(),
            at: self.at,
            stamp: self.change.stamp,
            change: self.change.change_id,
        }
    }
}

/// Applies one change to a record (`None`: not seen yet) and returns the merged record.
pub fn apply(record: Option<Record>, receipt: &Receipt) -> Record {
    let change = &receipt.change;
    let mut record = record
        .unwrap_or_else(|| Record::empty(change.record_type, change.record_id, &receipt.team));
    let origin = receipt.origin();
    match &change.op {
        Op::Create { fields } => {
            record.team = receipt.team.clone();
            record.created = Some(earliest(record.created.take(), origin.clone()));
            for (name, value) in fields {
                let version = Version {
                    value: value.clone(),
                    origin: origin.clone(),
                };
                set_field(&mut record, name, version, &[]);
            }
        }
        Op::Set {
            field,
            value,
            supersedes,
        } => {
            let version = Version {
                value: value.clone(),
                origin,
            };
            set_field(&mut record, field, version, supersedes);
        }
        Op::Append { event, kind, data } => append_event(
            &mut record,
            Event {
                id: *event,
                kind: kind.clone(),
                data: data.clone(),
                origin,
            },
        ),
        Op::Delete => record.deleted = Some(earliest(record.deleted.take(), origin)),
    }
    record
}

/// Applies changes in the order given (a device's pending edits over the confirmed record).
pub fn apply_all<'a>(
    record: Option<Record>,
    receipts: impl IntoIterator<Item = &'a Receipt>,
) -> Option<Record> {
    receipts
        .into_iter()
        .fold(record, |record, receipt| Some(apply(record, receipt)))
}

/// The first of two marks (creation, deletion) by `(stamp, change id)`: order-independent.
fn earliest(current: Option<Origin>, incoming: Origin) -> Origin {
    match current {
        Some(current) if (current.stamp, current.change) <= (incoming.stamp, incoming.change) => {
            current
        }
        _ => incoming,
    }
}

fn set_field(record: &mut Record, name: &str, version: Version, supersedes: &[Uuid]) {
    let Some(field) = record.fields.get_mut(name) else {
        record.fields.insert(
            name.to_owned(),
            Field {
                current: version,
                conflicts: Vec::new(),
                superseded: supersedes.iter().copied().collect(),
            },
        );
        return;
    };
    field.superseded.extend(supersedes.iter().copied());
    let mut versions: Vec<Version> = std::mem::take(&mut field.conflicts);
    versions.push(field.current.clone());
    versions.push(version);
    versions.sort_by_key(Version::order_key);
    versions.dedup_by_key(|version| version.origin.change);
    let current = versions.pop().expect("at least the incoming version");
    field.conflicts = versions
        .into_iter()
        .filter(|version| !field.superseded.contains(&version.origin.change))
        .collect();
    field.current = current;
}

fn append_event(record: &mut Record, event: Event) {
    let key = |event: &Event| (event.origin.stamp, event.id, event.origin.change);
    match record.events.iter().position(|known| known.id == event.id) {
        // An event id names one event; should two changes ever carry the same id, every
        // replica keeps the same one.
        Some(index) if key(&record.events[index]) <= key(&event) => return,
        Some(index) => {
            record.events.remove(index);
        }
        None => {}
    }
    let at = record
        .events
        .partition_point(|known| (known.origin.stamp, known.id) < (event.origin.stamp, event.id));
    record.events.insert(at, event);
}

#[cfg(test)]
mod tests;
