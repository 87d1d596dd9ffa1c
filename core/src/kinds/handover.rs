//! Shift handovers (交接班, seed 002): the outgoing agent or lead writes a note for the next
//! shift, with the open pins and the replies owed listed for them as they stood; the next
//! shift's people read it first and acknowledge it, and the lead sees who has. Stored as
//! records of type `handover`, the team's; a handover is never edited, only acknowledged.

use crate::account::{Denied, Role, UserInfo, roles};
use crate::input::{InputError, NOTE_MAX_CHARS, check_note_body};
use crate::kinds::case::pin::pinned_first;
use crate::kinds::case::{Case, CaseStatus};
use crate::kinds::{RecordKind, check_write_once};
use crate::record::{Record, RecordType};
use crate::sync::Op;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How long a handover waits for the next shift: one not acknowledged within a day is for a
/// shift that has come and gone, and no longer opens first.
pub const HANDOVER_HOURS: i64 = 24;

/// A handover's fields, all set when it is written.
pub mod field {
    /// What the outgoing shift tells the next: free text.
    pub const NOTE: &str = "note";
    /// The policy's id of the shift it is for (`working_hours.shifts`), empty without shifts.
    pub const SHIFT: &str = "shift";
    /// The open pins as they stood: [`super::HandedCase`]s, overdue first.
    pub const PINS: &str = "pins";
    /// The replies owed as they stood: [`super::HandedCase`]s, the earliest due first.
    pub const REPLIES_OWED: &str = "replies_owed";
    pub const ALL: [&str; 4] = [NOTE, SHIFT, PINS, REPLIES_OWED];
}

/// A handover's timeline entry.
pub mod event {
    /// Someone of the next shift read it: `{}`, who and when stamped by the server.
    pub const ACKNOWLEDGED: &str = "acknowledged";
}

/// A case as a handover lists it: which, its title, and when it is due (a pin's agreed time, a
/// reply's promised time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandedCase {
    pub case: Uuid,
    pub title: String,
    pub due: DateTime<Utc>,
}

/// A handover as it is written on a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHandover {
    pub note: String,
    pub shift: String,
    pub pins: Vec<HandedCase>,
    pub replies_owed: Vec<HandedCase>,
}

impl NewHandover {
    /// A handover of `note` for `shift`, listing the open pins and the replies owed among
    /// `cases` at `now`.
    pub fn from_cases(
        note: &str,
        shift: &str,
        cases: &[impl Borrow<Case>],
        now: DateTime<Utc>,
    ) -> NewHandover {
        let pins = pinned_first(cases, now)
            .into_iter()
            .map(|(case, pin)| HandedCase {
                case: case.id,
                title: case.title.clone(),
                due: pin.plan.resolve_by,
            })
            .collect();
        let mut replies_owed: Vec<HandedCase> = cases
            .iter()
            .map(Borrow::<Case>::borrow)
            .filter(|case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending))
            .filter_map(|case| {
                Some(HandedCase {
                    case: case.id,
                    title: case.title.clone(),
                    due: case.reply_due?,
                })
            })
            .collect();
        replies_owed.sort_by_key(|handed| (handed.due, handed.case));
        NewHandover {
            note: note.trim().to_owned(),
            shift: shift.to_owned(),
            pins,
            replies_owed,
        }
    }

    pub fn fields(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (field::NOTE.to_owned(), json!(self.note)),
            (field::SHIFT.to_owned(), json!(self.shift)),
            (field::PINS.to_owned(), json!(self.pins)),
            (field::REPLIES_OWED.to_owned(), json!(self.replies_owed)),
        ])
    }
}

/// The handover record kind: the desk writes and acknowledges; nobody edits one.
pub struct Handovers;

impl RecordKind for Handovers {
    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        match (user.role, op) {
            (Role::Admin, Op::Delete) => Ok(()),
            (_, Op::Delete) => Err(Denied::AdminOnly),
            (role, _) if roles::DESK.contains(&role) => Ok(()),
            (Role::Packer, _) => Err(Denied::StationOnly),
            _ => Err(Denied::ReadOnlyRole),
        }
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        check_write_once(op, &field::ALL, check_handover_field, |kind, data| {
            kind == event::ACKNOWLEDGED && data.is_object()
        })
    }
}

/// One field of a new handover, as the server checks it.
pub fn check_handover_field(name: &str, value: &Value) -> Result<(), InputError> {
    match name {
        field::NOTE => check_note_body(value.as_str().unwrap_or_default()),
        field::SHIFT if value.as_str().is_some_and(|id| id.chars().count() <= 64) => Ok(()),
        field::PINS | field::REPLIES_OWED => {
            match serde_json::from_value::<Vec<HandedCase>>(value.clone()) {
                Ok(cases)
                    if cases
                        .iter()
                        .all(|case| case.title.chars().count() <= NOTE_MAX_CHARS) =>
                {
                    Ok(())
                }
                _ => Err(InputError::HandoverInvalid),
            }
        }
        _ => Err(InputError::HandoverInvalid),
    }
}

/// A handover as the shift page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub id: Uuid,
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
    pub shift: String,
    pub pins: Vec<HandedCase>,
    pub replies_owed: Vec<HandedCase>,
    /// Who read it and when, the first time each did, in that order.
    pub acknowledged: Vec<(String, DateTime<Utc>)>,
}

impl Handover {
    /// `None` for another type of record, or one not created yet or deleted.
    pub fn from_record(record: &Record) -> Option<Handover> {
        if record.record_type != RecordType::Handover || !record.is_live() {
            return None;
        }
        let created = record.created.as_ref()?;
        let cases = |name: &str| {
            record
                .value(name)
                .and_then(|value| serde_json::from_value(value.clone()).ok())
                .unwrap_or_default()
        };
        let mut acknowledged: Vec<(String, DateTime<Utc>)> = Vec::new();
        for event in record
            .events
            .iter()
            .filter(|event| event.kind == event::ACKNOWLEDGED)
        {
            if !acknowledged.iter().any(|(by, _)| *by == event.origin.by) {
                acknowledged.push((event.origin.by.clone(), event.origin.at));
            }
        }
        Some(Handover {
            id: record.id,
            by: created.by.clone(),
            at: created.at,
            note: record.text(field::NOTE),
            shift: record.text(field::SHIFT),
            pins: cases(field::PINS),
            replies_owed: cases(field::REPLIES_OWED),
            acknowledged,
        })
    }

    pub fn is_acknowledged_by(&self, username: &str) -> bool {
        self.acknowledged.iter().any(|(by, _)| by == username)
    }

    /// Whether it waits for `username` at `now`: someone else wrote it within
    /// [`HANDOVER_HOURS`], and they have not acknowledged it.
    pub fn waits_for(&self, username: &str, now: DateTime<Utc>) -> bool {
        self.by != username
            && now - self.at < Duration::hours(HANDOVER_HOURS)
            && !self.is_acknowledged_by(username)
    }
}

/// The handovers among `records`, newest first.
pub fn handovers(records: &[impl Borrow<Record>]) -> Vec<Handover> {
    let mut found: Vec<Handover> = records
        .iter()
        .filter_map(|record| Handover::from_record(record.borrow()))
        .collect();
    found.sort_by_key(|handover| std::cmp::Reverse((handover.at, handover.id)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::kinds::case::pin::{Pin, PinPlan};
    use crate::kinds::case::{CaseKind, NewCase};
    use crate::record::{Receipt, apply};
    use crate::sync::Change;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
    }

    fn change(n: u128, op: Op) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(9),
            stamp: Hlc::new(n as i64, 0),
            record_type: RecordType::Handover,
            record_id: Uuid::from_u128(77),
            op,
        }
    }

    fn case(n: u128, status: CaseStatus, pin_due: Option<i64>, reply_due: Option<i64>) -> Case {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: format!("工单 {n}"),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let receipt = Receipt::on_server(
            Change {
                record_type: RecordType::Case,
                record_id: Uuid::from_u128(n),
                ..change(n, Op::Create { fields })
            },
            "agent",
            "east",
            now(),
        );
        let mut case = Case::from_record(&apply(None, &receipt)).unwrap();
        case.status = status;
        case.pin = pin_due.map(|hours| Pin {
            id: Uuid::from_u128(100 + n),
            plan: PinPlan {
                resolve_by: now() + Duration::hours(hours),
                method: "回电".into(),
            },
            by: "agent".into(),
            at: now(),
        });
        case.reply_due = reply_due.map(|hours| now() + Duration::hours(hours));
        case
    }

    #[test]
    fn a_handover_lists_the_open_pins_and_the_replies_owed_as_they_stood() {
        let cases = [
            case(1, CaseStatus::Open, Some(3), None),
            case(2, CaseStatus::Open, Some(-2), Some(1)),
            case(3, CaseStatus::Pending, None, Some(-1)),
            case(4, CaseStatus::Resolved, None, Some(2)),
            case(5, CaseStatus::Open, None, None),
        ];
        let handover = NewHandover::from_cases("  赠品已催仓库  ", "evening", &cases, now());
        let ids = |handed: &[HandedCase]| -> Vec<u128> {
            handed.iter().map(|handed| handed.case.as_u128()).collect()
        };
        assert_eq!(ids(&handover.pins), [2, 1], "overdue pin first");
        assert_eq!(ids(&handover.replies_owed), [3, 2], "resolved owe nothing");
        assert_eq!(handover.note, "赠品已催仓库");
        assert_eq!(
            Handovers.check_op(&Op::Create {
                fields: handover.fields()
            }),
            Ok(())
        );
    }

    #[test]
    fn a_handover_is_written_acknowledged_and_never_edited() {
        let new = NewHandover::from_cases("交接：无特殊情况", "day", &[] as &[Case], now());
        let mut empty = new.fields();
        empty.insert(field::NOTE.into(), json!(" "));
        let set = Op::Set {
            field: field::NOTE.into(),
            value: json!("改"),
            supersedes: vec![],
        };
        let ack = |data: Value| Op::Append {
            event: Uuid::from_u128(5),
            kind: event::ACKNOWLEDGED.into(),
            data,
        };
        let table = [
            (
                Op::Create {
                    fields: new.fields(),
                },
                Ok(()),
            ),
            (Op::Create { fields: empty }, Err(InputError::NoteEmpty)),
            (
                set,
                Err(InputError::FieldFixed {
                    field: field::NOTE.into(),
                }),
            ),
            (ack(json!({})), Ok(())),
            (
                ack(json!("read")),
                Err(InputError::UnknownEvent {
                    kind: event::ACKNOWLEDGED.into(),
                }),
            ),
        ];
        for (op, expected) in table {
            assert_eq!(Handovers.check_op(&op), expected, "{op:?}");
        }
    }

    #[test]
    fn who_writes_and_acknowledges_a_handover() {
        let user = |role: Role| UserInfo {
            username: role.as_str().into(),
            display_name: String::new(),
            role,
            team: "east".into(),
        };
        let create = Op::Create {
            fields: NewHandover::from_cases("交接", "day", &[] as &[Case], now()).fields(),
        };
        let table = [
            (Role::Agent, Op::Delete, Err(Denied::AdminOnly)),
            (Role::Admin, Op::Delete, Ok(())),
            (Role::Agent, create.clone(), Ok(())),
            (Role::TeamLead, create.clone(), Ok(())),
            (Role::Qa, create.clone(), Err(Denied::ReadOnlyRole)),
            (Role::Packer, create, Err(Denied::StationOnly)),
        ];
        for (role, op, expected) in table {
            assert_eq!(
                Handovers.may_change(&user(role), None, &op),
                expected,
                "{role:?}"
            );
        }
    }

    #[test]
    fn a_handover_waits_for_the_next_shift_until_each_acknowledges_it() {
        let written = |by: &str, at: DateTime<Utc>| {
            let fields = NewHandover::from_cases("交接", "day", &[] as &[Case], at).fields();
            apply(
                None,
                &Receipt::on_server(change(1, Op::Create { fields }), by, "east", at),
            )
        };
        let acknowledged = |record: Record, n: u128, by: &str, at: DateTime<Utc>| {
            let op = Op::Append {
                event: Uuid::from_u128(200 + n),
                kind: event::ACKNOWLEDGED.into(),
                data: json!({}),
            };
            apply(
                Some(record),
                &Receipt::on_server(change(n, op), by, "east", at),
            )
        };
        let hour = Duration::hours(1);
        let record = written("demo", now() - hour);
        let record = acknowledged(record, 2, "agent2", now());
        let record = acknowledged(record, 3, "agent2", now() + hour);
        let handover = Handover::from_record(&record).unwrap();
        assert_eq!(
            handover.acknowledged,
            [("agent2".to_owned(), now())],
            "the first time"
        );
        let table = [
            ("demo", now(), false, "its writer"),
            ("agent2", now(), false, "acknowledged"),
            ("lead", now(), true, "not yet acknowledged"),
            (
                "lead",
                now() + Duration::hours(22),
                true,
                "still within the day",
            ),
            (
                "lead",
                now() + Duration::hours(HANDOVER_HOURS - 1),
                false,
                "a day old",
            ),
        ];
        for (username, at, waits, why) in table {
            assert_eq!(handover.waits_for(username, at), waits, "{username}: {why}");
        }
    }
}
