//! The sync protocol: what a device pushes (its outbox), what it pulls, and the pure planning
//! of a sync round, so the client's I/O loop only carries out what these functions decide.

use crate::case::{Case, Note};
use crate::lang::Bilingual;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use uuid::Uuid;

/// Most changes sent in one push request; keeps requests small on weak Wi-Fi.
pub const PUSH_BATCH_SIZE: usize = 50;
/// Most rows of each kind returned by one pull; the client pulls again while `more` is set.
pub const PULL_PAGE_SIZE: usize = 200;

/// One write made on a device. Its `change_id` (UUIDv7, made on the device) is what makes
/// pushes idempotent: the server stores a change id once, however often it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub change_id: Uuid,
    #[serde(flatten)]
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Create or edit a case (the whole record; merged last-writer-wins by revision).
    PutCase { case: Case },
    /// Append a note to a case's timeline.
    AddNote { note: Note },
}

/// A change waiting on the device to be sent. A change the server rejected stays here, with
/// its reason, until the user fixes or discards it: nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub change: Change,
    pub queued_at: DateTime<Utc>,
    pub rejection: Option<Bilingual>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored now.
    Applied,
    /// Already stored by an earlier push of the same change id; nothing was written.
    Duplicate,
    /// Refused for a reason the user must see and act on.
    Rejected { reason: Bilingual },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeOutcome {
    pub change_id: Uuid,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub outcomes: Vec<ChangeOutcome>,
}

/// Everything that changed on the server after `cursor`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    pub cases: Vec<Case>,
    pub notes: Vec<Note>,
    /// Pass this back as `since` on the next pull.
    pub cursor: i64,
    /// More rows are waiting beyond this page.
    pub more: bool,
}

/// The next changes to push: oldest first, skipping those the server already rejected
/// (re-sending them would only be rejected again).
pub fn next_push_batch(outbox: &[OutboxEntry], max: usize) -> Vec<Change> {
    let mut pending: Vec<&OutboxEntry> = outbox
        .iter()
        .filter(|entry| entry.rejection.is_none())
        .collect();
    // UUIDv7 ids sort by creation time, so this is the order the user made the writes in.
    pending.sort_by_key(|entry| entry.change.change_id);
    pending
        .into_iter()
        .take(max)
        .map(|entry| entry.change.clone())
        .collect()
}

/// What to do with the outbox after the server answered a push.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settlement {
    /// Stored on the server (now or earlier): remove from the outbox.
    pub done: Vec<Uuid>,
    /// Refused: keep in the outbox, marked with the reason.
    pub rejected: Vec<(Uuid, Bilingual)>,
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
    use crate::case::Note;
    use chrono::TimeZone;

    fn note_change(n: u128) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            op: Op::AddNote {
                note: Note {
                    id: Uuid::from_u128(1000 + n),
                    case_id: Uuid::from_u128(7),
                    author: "demo".into(),
                    body: format!("note {n}"),
                    created_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
                },
            },
        }
    }

    fn entry(n: u128, rejected: bool) -> OutboxEntry {
        OutboxEntry {
            change: note_change(n),
            queued_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
            rejection: rejected.then(|| Bilingual::new("拒绝", "rejected")),
        }
    }

    #[test]
    fn batch_is_oldest_first_without_rejected_and_bounded() {
        let outbox = vec![
            entry(3, false),
            entry(1, false),
            entry(2, true),
            entry(4, false),
        ];
        let ids: Vec<u128> = next_push_batch(&outbox, 2)
            .iter()
            .map(|c| c.change_id.as_u128())
            .collect();
        assert_eq!(ids, [1, 3]);
        assert!(next_push_batch(&[], 10).is_empty());
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
            ],
        };
        let settlement = settle_push(&sent, &response);
        assert_eq!(settlement.done, [Uuid::from_u128(1)]);
        assert_eq!(settlement.rejected, [(Uuid::from_u128(2), reason)]);
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
        assert_eq!(json["op"], "add_note");
        assert_eq!(json["change_id"], Uuid::from_u128(1).to_string());
        let back: Change = serde_json::from_value(json).unwrap();
        assert_eq!(back, note_change(1));
    }
}
