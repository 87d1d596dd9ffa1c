//! The sync protocol: one change envelope for every kind of record, what a device pushes (its
//! outbox) and pulls (records changed after an opaque cursor), and the pure planning of a sync
//! round, so the client's I/O loop only carries out what these functions decide.

use crate::hlc::Hlc;
use crate::lang::Bilingual;
use crate::photo::{PHOTOS, PhotoProblem, PhotoRef, parse_photos};
use crate::record::{Receipt, Record, RecordType, apply_all};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;
use uuid::Uuid;

/// The protocol this build speaks; sent with every sync request in [`PROTOCOL_HEADER`].
/// 3 adds record types (handovers, call logs: `RecordType::since_protocol`), which a device
/// of 2 is not sent; 4 adds the sent daily reports.
pub const PROTOCOL_VERSION: u32 = 4;
/// The oldest protocol the server still serves; older devices are told to update the app.
pub const MIN_PROTOCOL_VERSION: u32 = 2;
pub const PROTOCOL_HEADER: &str = "kefu-protocol";
/// Where the next page of a pull starts, in the answer's headers while there is `more`: the
/// device asks for that page as soon as the headers of this one arrive, so the server reads it
/// while the device receives, decodes and stores this one (the cursor in the page says the
/// same, once the whole page is read).
pub const NEXT_CURSOR_HEADER: &str = "kefu-next-cursor";
/// The server's epoch a device's records came from (`recovery`), sent with every push: a
/// server restored since answers `409 restored`, so the device sends back what it holds
/// before its pending changes meet records the restore lost.
pub const EPOCH_HEADER: &str = "kefu-epoch";

/// Most changes a device sends in one push request: about 50 KB of notes, small enough for
/// weak Wi-Fi, few enough requests that 1,000 changes made offline are sent within a second
/// on a good network (issue 15; 50 took twice as many round trips).
pub const PUSH_BATCH_SIZE: usize = 100;
/// Most changes the server takes in one push: more than devices send, so a later build may
/// send bigger batches without being refused by a server not yet upgraded.
pub const MAX_PUSH_CHANGES: usize = 500;
/// Most records returned by one pull (a page may hold a few more so that it never splits the
/// records of one commit); the client pulls again while `more` is set. About 2 MB of JSON:
/// 200 made a first sync of 10,000 cases fifty round trips and fifty device transactions
/// (issue 15).
pub const PULL_PAGE_SIZE: usize = 1000;

/// One write made on a device, for any kind of record. Its `change_id` (UUIDv7, made on the
/// device) makes pushes idempotent and names the version it creates; `stamp` orders it
/// against concurrent edits of the same field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatChange")]
pub struct Change {
    pub change_id: Uuid,
    pub device: Uuid,
    pub stamp: Hlc,
    pub record_type: RecordType,
    pub record_id: Uuid,
    #[serde(flatten)]
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A new record with its first field values. Who created it and when is stamped by the
    /// server, never sent.
    Create { fields: BTreeMap<String, Value> },
    /// One field's new value. `supersedes` names the versions (by change id) the device saw
    /// and meant to replace: the field's current version for an edit, every shown version
    /// when a user resolves a conflict. A version not named stays visible as a conflict.
    Set {
        field: String,
        value: Value,
        #[serde(default)]
        supersedes: Vec<Uuid>,
    },
    /// An immutable timeline entry: a note, a step completed, a QA review…
    Append {
        event: Uuid,
        kind: String,
        data: Value,
    },
    /// A tombstone: the record stays (so the deletion syncs) but is no longer shown.
    Delete,
}

impl Op {
    /// The photos this operation names, wherever a record keeps them: a created record's or a
    /// set `photos` field, or an event's `photos` member.
    pub fn photos(&self) -> Result<Vec<PhotoRef>, PhotoProblem> {
        match self {
            Op::Create { fields } => parse_photos(fields.get(PHOTOS)),
            Op::Set { field, value, .. } if field == PHOTOS => parse_photos(Some(value)),
            Op::Append { data, .. } => parse_photos(data.get(PHOTOS)),
            Op::Set { .. } | Op::Delete => Ok(Vec::new()),
        }
    }
}

/// A change waiting on the device to be sent, with who made it: it is sent only under that
/// user's session. A change the server rejected stays here, with its reason, until the user
/// discards it: nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub change: Change,
    pub author: String,
    pub team: String,
    pub queued_at: DateTime<Utc>,
    pub rejection: Option<Bilingual>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Stored now.
    Applied,
    /// Already stored by an earlier push of the same change id; nothing was written.
    Duplicate,
    /// Refused for a reason the user must see and act on.
    Rejected { reason: Bilingual },
    /// Not applied yet, through no fault of the change: it names a photo the server does not
    /// hold yet. It stays in the outbox, unmarked, and is sent again once the photo is up.
    Waiting { reason: Bilingual },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FlatChangeOutcome")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeOutcome {
    pub change_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A [`Change`] as it is read: the operation's tag and members sit beside the change's own
/// fields (as `flatten` writes them), named here one by one. Reading an internally tagged
/// operation through `#[serde(flatten)]` buffers the whole object first; that buffering code
/// was 17 KB of the first load on the device, for the outbox, the tabs and every push answer.
#[derive(Deserialize)]
struct FlatChange {
    change_id: Uuid,
    device: Uuid,
    stamp: Hlc,
    record_type: RecordType,
    record_id: Uuid,
    op: OpName,
    fields: Option<BTreeMap<String, Value>>,
    field: Option<String>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Value>,
    #[serde(default)]
    supersedes: Vec<Uuid>,
    event: Option<Uuid>,
    kind: Option<String>,
    #[serde(default, deserialize_with = "present")]
    data: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OpName {
    Create,
    Set,
    Append,
    Delete,
}

/// A member that is there, `null` included (`Option<Value>` alone reads `null` as absent, and
/// a field may be set to `null`).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// What a flat reader's `try_from` says of a message read without a member its tag needs: the
/// same words serde uses. The client's tab messages are read the same way and say it too.
pub fn missing_member(member: &str) -> String {
    format!("missing field `{member}`")
}

impl TryFrom<FlatChange> for Change {
    type Error = String;

    fn try_from(flat: FlatChange) -> Result<Self, Self::Error> {
        let op = match flat.op {
            OpName::Create => Op::Create {
                fields: flat.fields.ok_or_else(|| missing_member("fields"))?,
            },
            OpName::Set => Op::Set {
                field: flat.field.ok_or_else(|| missing_member("field"))?,
                value: flat.value.ok_or_else(|| missing_member("value"))?,
                supersedes: flat.supersedes,
            },
            OpName::Append => Op::Append {
                event: flat.event.ok_or_else(|| missing_member("event"))?,
                kind: flat.kind.ok_or_else(|| missing_member("kind"))?,
                data: flat.data.ok_or_else(|| missing_member("data"))?,
            },
            OpName::Delete => Op::Delete,
        };
        Ok(Change {
            change_id: flat.change_id,
            device: flat.device,
            stamp: flat.stamp,
            record_type: flat.record_type,
            record_id: flat.record_id,
            op,
        })
    }
}

/// A [`ChangeOutcome`] as it is read, its outcome's tag and reason beside the change id, for
/// the reason [`FlatChange`] gives.
#[derive(Deserialize)]
struct FlatChangeOutcome {
    change_id: Uuid,
    status: OutcomeName,
    reason: Option<Bilingual>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum OutcomeName {
    Applied,
    Duplicate,
    Rejected,
    Waiting,
}

impl TryFrom<FlatChangeOutcome> for ChangeOutcome {
    type Error = String;

    fn try_from(flat: FlatChangeOutcome) -> Result<Self, Self::Error> {
        let outcome = match (flat.status, flat.reason) {
            (OutcomeName::Applied, _) => Outcome::Applied,
            (OutcomeName::Duplicate, _) => Outcome::Duplicate,
            (OutcomeName::Rejected, Some(reason)) => Outcome::Rejected { reason },
            (OutcomeName::Waiting, Some(reason)) => Outcome::Waiting { reason },
            (OutcomeName::Rejected | OutcomeName::Waiting, None) => {
                return Err(missing_member("reason"));
            }
        };
        Ok(ChangeOutcome {
            change_id: flat.change_id,
            outcome,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub outcomes: Vec<ChangeOutcome>,
}

/// Records the caller may see that changed after the cursor, in commit order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    // Records are described as objects: their shape is the merge's (`record.rs`), and a
    // device reads them only through that code.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub records: Vec<Record>,
    /// Opaque: pass it back as `cursor` on the next pull.
    pub cursor: String,
    /// More records are waiting beyond this page.
    pub more: bool,
    /// Which copy of the server's data the page is from (`recovery`): a device that sees it
    /// change was restored behind, and sends back what it holds. Empty from a server that
    /// keeps none.
    #[serde(default)]
    pub epoch: String,
}

/// The next changes to push, oldest first: only those `author` made (another user's changes
/// wait for that user's session), not those the server already rejected (re-sending them
/// would only be rejected again), and not those naming a photo the server does not hold yet
/// (`uploaded` says which it holds): they would only be told to wait.
pub fn next_push_batch(
    outbox: &[OutboxEntry],
    author: &str,
    max: usize,
    uploaded: impl Fn(&str) -> bool,
) -> Vec<Change> {
    let photos_up = |change: &Change| {
        change
            .op
            .photos()
            .map(|photos| photos.iter().all(|photo| uploaded(&photo.hash)))
            // A malformed list is the server's to refuse, in words.
            .unwrap_or(true)
    };
    let mut pending: Vec<&OutboxEntry> = outbox
        .iter()
        .filter(|entry| {
            entry.rejection.is_none() && entry.author == author && photos_up(&entry.change)
        })
        .collect();
    // UUIDv7 ids sort by creation time, so this is the order the user made the writes in.
    pending.sort_by_key(|entry| entry.change.change_id);
    pending
        .into_iter()
        .take(max)
        .map(|entry| entry.change.clone())
        .collect()
}

/// What the device shows for one record: the version the server confirmed, with the device's
/// pending changes to it applied on top in the order they were made. Rejected changes are
/// left out, so a rejection (and a discard) rolls the shown record back to what the server
/// holds; a pull replaces only the confirmed part, so it never overwrites a pending edit.
pub fn with_pending(
    record_id: Uuid,
    confirmed: Option<Record>,
    outbox: &[OutboxEntry],
) -> Option<Record> {
    let mut pending: Vec<&OutboxEntry> = outbox
        .iter()
        .filter(|entry| entry.change.record_id == record_id && entry.rejection.is_none())
        .collect();
    pending.sort_by_key(|entry| entry.change.change_id);
    let receipts: Vec<Receipt> = pending.into_iter().map(OutboxEntry::receipt).collect();
    apply_all(confirmed, &receipts)
}

/// The device's confirmed copy once the server has acknowledged `entry`: the change applied as
/// the device expects the server applied it, so the record shown does not flicker until the
/// next pull brings the server's copy. If the confirmed copy already holds the change (it was
/// applied earlier and pulled before this acknowledgement), it is left alone: the server's
/// version of the change is the one to keep.
pub fn confirm(confirmed: Option<Record>, entry: &OutboxEntry) -> Option<Record> {
    match confirmed {
        Some(record) if record.contains_change(entry.change.change_id) => Some(record),
        confirmed => Some(crate::record::apply(confirmed, &entry.receipt())),
    }
}

impl OutboxEntry {
    /// The change as the device expects the server to receive it: by its author, in its team.
    pub fn receipt(&self) -> Receipt {
        Receipt {
            change: self.change.clone(),
            by: self.author.clone(),
            team: self.team.clone(),
            at: self.queued_at,
        }
    }
}

/// What to do with the outbox after the server answered a push.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settlement {
    /// Stored on the server (now or earlier): remove from the outbox.
    pub done: Vec<Uuid>,
    /// Refused: keep in the outbox, marked with the reason.
    pub rejected: Vec<(Uuid, Bilingual)>,
    /// Told to wait (for its photo, or for a later push): keep in the outbox as it is.
    pub waiting: Vec<Uuid>,
}

/// Turns the server's answer into outbox updates. A change the server did not answer for
/// (a truncated response) is left untouched, so it is simply sent again next round.
pub fn settle_push(sent: &[Change], response: &PushResponse) -> Settlement {
    let mut settlement = Settlement::default();
    for answer in &response.outcomes {
        if !sent
            .iter()
            .any(|change| change.change_id == answer.change_id)
        {
            continue;
        }
        match &answer.outcome {
            Outcome::Applied | Outcome::Duplicate => settlement.done.push(answer.change_id),
            Outcome::Rejected { reason } => {
                settlement.rejected.push((answer.change_id, reason.clone()))
            }
            Outcome::Waiting { .. } => settlement.waiting.push(answer.change_id),
        }
    }
    settlement
}

/// Wait before the next attempt after `failures` consecutive failed rounds: 1 s doubling to
/// a 60 s ceiling, so a device that comes back online resumes quickly but a dead server is
/// not hammered.
pub fn retry_delay(failures: u32) -> Duration {
    const CEILING_SECS: u64 = 60;
    let secs = 1u64
        .checked_shl(failures.min(16))
        .unwrap_or(CEILING_SECS)
        .min(CEILING_SECS);
    Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn note_change(n: u128) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(99),
            stamp: Hlc::new(1_000, n as u32),
            record_type: RecordType::Case,
            record_id: Uuid::from_u128(7),
            op: Op::Append {
                event: Uuid::from_u128(1000 + n),
                kind: "note".into(),
                data: json!({ "body": format!("note {n}") }),
            },
        }
    }

    fn entry(n: u128, author: &str, rejected: bool) -> OutboxEntry {
        OutboxEntry {
            change: note_change(n),
            author: author.into(),
            team: "east".into(),
            queued_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            rejection: rejected.then(|| Bilingual::new("拒绝", "rejected")),
        }
    }

    #[test]
    fn batch_is_the_authors_oldest_first_without_rejected_and_bounded() {
        let outbox = vec![
            entry(3, "demo", false),
            entry(1, "demo", false),
            entry(2, "demo", true),
            entry(5, "lead", false),
            entry(4, "demo", false),
        ];
        let ids = |batch: Vec<Change>| -> Vec<u128> {
            batch.iter().map(|c| c.change_id.as_u128()).collect()
        };
        let all = |_: &str| true;
        assert_eq!(ids(next_push_batch(&outbox, "demo", 2, all)), [1, 3]);
        assert_eq!(ids(next_push_batch(&outbox, "demo", 10, all)), [1, 3, 4]);
        assert_eq!(ids(next_push_batch(&outbox, "lead", 10, all)), [5]);
        assert!(next_push_batch(&outbox, "qa", 10, all).is_empty());
        assert!(next_push_batch(&[], "demo", 10, all).is_empty());
    }

    #[test]
    fn a_change_waits_for_its_photos_to_be_uploaded() {
        let photo = |hash: char| json!({ "hash": hash.to_string().repeat(64), "bytes": 10 });
        let with_photos = |n: u128, photos: Value| OutboxEntry {
            change: Change {
                op: Op::Append {
                    event: Uuid::from_u128(2000 + n),
                    kind: "inspection".into(),
                    data: json!({ "photos": photos }),
                },
                ..note_change(n)
            },
            ..entry(n, "demo", false)
        };
        let outbox = vec![
            entry(1, "demo", false),
            with_photos(2, json!([photo('a')])),
            with_photos(3, json!([photo('a'), photo('b')])),
            with_photos(4, json!("not a list")),
        ];
        let ids = |uploaded: &[char]| -> Vec<u128> {
            let uploaded: Vec<String> = uploaded.iter().map(|c| c.to_string().repeat(64)).collect();
            next_push_batch(&outbox, "demo", 10, |hash| {
                uploaded.iter().any(|up| up == hash)
            })
            .iter()
            .map(|c| c.change_id.as_u128())
            .collect()
        };
        assert_eq!(ids(&[]), [1, 4]);
        assert_eq!(ids(&['a']), [1, 2, 4]);
        assert_eq!(ids(&['a', 'b']), [1, 2, 3, 4]);
        assert_eq!(ids(&['b']), [1, 4]);
    }

    #[test]
    fn pending_changes_show_over_the_confirmed_record_until_rejected() {
        let create = OutboxEntry {
            change: Change {
                change_id: Uuid::from_u128(1),
                op: Op::Create {
                    fields: BTreeMap::from([("title".to_owned(), json!("新案件"))]),
                },
                ..note_change(1)
            },
            ..entry(1, "demo", false)
        };
        let outbox = vec![
            entry(3, "demo", false),
            create.clone(),
            entry(2, "demo", true),
        ];
        let shown = with_pending(Uuid::from_u128(7), None, &outbox).unwrap();
        assert_eq!(shown.text("title"), "新案件");
        assert_eq!(shown.created.as_ref().unwrap().by, "demo");
        // Only the pending note: the rejected one is rolled back.
        let ids: Vec<u128> = shown.events.iter().map(|e| e.id.as_u128()).collect();
        assert_eq!(ids, [1003]);
        // The server later confirms the creation; the pending note still shows over it.
        let confirmed = with_pending(Uuid::from_u128(7), None, &[create]);
        let shown_again = with_pending(Uuid::from_u128(7), confirmed, &outbox[..1]).unwrap();
        assert_eq!(shown_again, shown);
        assert_eq!(with_pending(Uuid::from_u128(8), None, &outbox), None);
    }

    #[test]
    fn confirming_keeps_the_servers_copy_of_a_change_it_already_holds() {
        let note = entry(3, "demo", false);
        let local = confirm(None, &note).unwrap();
        assert_eq!(local.events.len(), 1);
        // The server's copy of the same change, pulled before the acknowledgement arrived:
        // received at another time, by the server's clock.
        let mut servers = note.receipt();
        servers.at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 5, 0).unwrap();
        let pulled = crate::record::apply(None, &servers);
        assert_eq!(confirm(Some(pulled.clone()), &note), Some(pulled));
        assert!(!local.contains_change(Uuid::from_u128(4)));
    }

    #[test]
    fn settlement_sorts_outcomes_and_ignores_unknown_ids() {
        let sent = vec![note_change(1), note_change(2), note_change(3)];
        let reason = Bilingual::new("备注不能为空", "The note is empty");
        let response = PushResponse {
            outcomes: vec![
                ChangeOutcome {
                    change_id: Uuid::from_u128(1),
                    outcome: Outcome::Applied,
                },
                ChangeOutcome {
                    change_id: Uuid::from_u128(2),
                    outcome: Outcome::Rejected {
                        reason: reason.clone(),
                    },
                },
                ChangeOutcome {
                    change_id: Uuid::from_u128(9),
                    outcome: Outcome::Applied,
                },
                ChangeOutcome {
                    change_id: Uuid::from_u128(3),
                    outcome: Outcome::Waiting {
                        reason: Bilingual::new("等待照片", "Waiting for its photo"),
                    },
                },
            ],
        };
        let settlement = settle_push(&sent, &response);
        assert_eq!(settlement.done, [Uuid::from_u128(1)]);
        assert_eq!(settlement.rejected, [(Uuid::from_u128(2), reason)]);
        assert_eq!(settlement.waiting, [Uuid::from_u128(3)]);
    }

    #[test]
    fn retry_delay_doubles_to_a_ceiling() {
        let table = [
            (0, 1),
            (1, 2),
            (2, 4),
            (5, 32),
            (6, 60),
            (30, 60),
            (u32::MAX, 60),
        ];
        for (failures, secs) in table {
            assert_eq!(
                retry_delay(failures),
                Duration::from_secs(secs),
                "{failures}"
            );
        }
    }

    #[test]
    fn wire_format_is_tagged_and_flat() {
        let json = serde_json::to_value(note_change(1)).unwrap();
        assert_eq!(json["op"], "append");
        assert_eq!(json["record_type"], "case");
        assert_eq!(json["kind"], "note");
        assert_eq!(json["change_id"], Uuid::from_u128(1).to_string());
        let back: Change = serde_json::from_value(json).unwrap();
        assert_eq!(back, note_change(1));
    }

    #[test]
    fn every_op_and_outcome_reads_back_as_written_from_text_and_from_a_value() {
        let with_op = |op: Op| Change {
            op,
            ..note_change(2)
        };
        let changes = [
            with_op(Op::Create {
                fields: BTreeMap::from([("title".to_owned(), json!("茶叶破损"))]),
            }),
            with_op(Op::Set {
                field: "title".into(),
                value: json!("改过的标题"),
                supersedes: vec![Uuid::from_u128(5)],
            }),
            // A field set to null is a value, not a missing one.
            with_op(Op::Set {
                field: "due".into(),
                value: Value::Null,
                supersedes: vec![],
            }),
            with_op(Op::Append {
                event: Uuid::from_u128(9),
                kind: "note".into(),
                data: Value::Null,
            }),
            with_op(Op::Delete),
        ];
        for change in changes {
            let text = serde_json::to_string(&change).unwrap();
            assert_eq!(
                serde_json::from_str::<Change>(&text).unwrap(),
                change,
                "{text}"
            );
            let value = serde_json::to_value(&change).unwrap();
            assert_eq!(
                serde_json::from_value::<Change>(value).unwrap(),
                change,
                "{text}"
            );
        }
        let reason = Bilingual::new("不行", "no");
        let outcomes = [
            Outcome::Applied,
            Outcome::Duplicate,
            Outcome::Rejected {
                reason: reason.clone(),
            },
            Outcome::Waiting { reason },
        ];
        for outcome in outcomes {
            let read = ChangeOutcome {
                change_id: Uuid::from_u128(3),
                outcome,
            };
            let text = serde_json::to_string(&read).unwrap();
            assert_eq!(
                serde_json::from_str::<ChangeOutcome>(&text).unwrap(),
                read,
                "{text}"
            );
        }
    }

    #[test]
    fn a_change_or_outcome_without_what_its_tag_needs_does_not_decode() {
        let change = serde_json::to_value(note_change(1)).unwrap();
        let cases = [
            ("append", "data"),
            ("append", "kind"),
            ("append", "event"),
            ("set", "field"),
            ("set", "value"),
            ("create", "fields"),
        ];
        for (op, member) in cases {
            let mut json = change.clone();
            json["op"] = json!(op);
            json["field"] = json!("title");
            json["value"] = json!("x");
            json["fields"] = json!({});
            json.as_object_mut().unwrap().remove(member);
            let error = serde_json::from_value::<Change>(json)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("missing field `{member}`")),
                "{op} {member}: {error}"
            );
        }
        let mut unknown = change.clone();
        unknown["op"] = json!("merge");
        assert!(serde_json::from_value::<Change>(unknown).is_err());

        let without_reason = json!({ "change_id": Uuid::from_u128(3), "status": "rejected" });
        assert!(serde_json::from_value::<ChangeOutcome>(without_reason).is_err());
        let unknown_status = json!({ "change_id": Uuid::from_u128(3), "status": "lost" });
        assert!(serde_json::from_value::<ChangeOutcome>(unknown_status).is_err());
    }

    #[test]
    fn a_change_of_an_unknown_record_type_does_not_decode() {
        let mut json = serde_json::to_value(note_change(1)).unwrap();
        json["record_type"] = json!("parcel_photo");
        assert!(serde_json::from_value::<Change>(json).is_err());
    }

    #[test]
    fn an_op_names_its_photos_wherever_the_record_keeps_them() {
        let photos = json!([{ "hash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "bytes": 100 }]);
        let table = vec![
            (
                Op::Create {
                    fields: BTreeMap::from([(PHOTOS.to_owned(), photos.clone())]),
                },
                1,
            ),
            (
                Op::Create {
                    fields: BTreeMap::from([("title".to_owned(), json!("x"))]),
                },
                0,
            ),
            (
                Op::Set {
                    field: PHOTOS.into(),
                    value: photos.clone(),
                    supersedes: vec![],
                },
                1,
            ),
            (
                Op::Set {
                    field: "note".into(),
                    value: photos.clone(),
                    supersedes: vec![],
                },
                0,
            ),
            (
                Op::Append {
                    event: Uuid::from_u128(9),
                    kind: "inspection".into(),
                    data: json!({ "decision": "accept_refund", "photos": photos }),
                },
                1,
            ),
            (
                Op::Append {
                    event: Uuid::from_u128(9),
                    kind: "note".into(),
                    data: json!({ "body": "无照片" }),
                },
                0,
            ),
            (Op::Delete, 0),
        ];
        for (op, count) in table {
            assert_eq!(op.photos().unwrap().len(), count, "{op:?}");
        }
    }
}
