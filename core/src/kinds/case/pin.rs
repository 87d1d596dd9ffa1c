//! Pinned cases (置顶, seed 002 接待): a matter that cannot be solved now is pinned with the time
//! agreed with the customer and the rough method agreed; every shift reads the pinned list
//! first, overdue pins first; whoever solves it unpins it, saying how. A case holds at most one
//! open pin; pins are the team's, so anyone of the desk may unpin.

use crate::account::roles;
use crate::input::{InputError, NOTE_MAX_CHARS};
use crate::kinds::case::Case;
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::record::Record;
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Borrow;
use uuid::Uuid;

/// Pins' timeline entries.
pub mod event {
    /// A case pinned: a [`super::PinPlan`].
    pub const PINNED: &str = "pinned";
    /// A pin solved and taken down: a [`super::Unpin`].
    pub const UNPINNED: &str = "unpinned";
}

/// Pins as a workflow on a case.
pub struct Pins;

impl CaseWorkflow for Pins {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::PINNED,
                roles: roles::DESK,
            },
            EventRule {
                kind: event::UNPINNED,
                roles: roles::DESK,
            },
        ]
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        let read = if kind == event::PINNED {
            serde_json::from_value::<PinPlan>(data.clone()).map(drop)
        } else {
            serde_json::from_value::<Unpin>(data.clone()).map(drop)
        };
        read.map_err(|_| InputError::PinInvalid)
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_pin_change(context.existing, context.op)
    }
}

/// A `pinned` entry's data: when the matter is to be solved, as agreed with the customer, and
/// the rough method agreed (约定解决问题的时间和大致的方法).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinPlan {
    pub resolve_by: DateTime<Utc>,
    pub method: String,
}

/// An `unpinned` entry's data: the pin taken down and how the matter was solved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unpin {
    pub pin: Uuid,
    pub how: String,
}

/// A case's open pin, as its list row carries it ([`Case::pin`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub id: Uuid,
    pub plan: PinPlan,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Pin {
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.plan.resolve_by < now
    }
}

/// The case's open pin: its latest `pinned` entry, unless an `unpinned` entry took it down.
pub fn open_pin(case: &Record) -> Option<Pin> {
    let unpinned = case.entries_of::<Unpin>(event::UNPINNED);
    case.entries_of::<PinPlan>(event::PINNED)
        .into_iter()
        .rev()
        .find(|(id, _, _)| !unpinned.iter().any(|(_, unpin, _)| unpin.pin == *id))
        .map(|(id, plan, origin)| Pin {
            id,
            plan,
            by: origin.by.clone(),
            at: origin.at,
        })
}

/// The pinned cases as every shift reads them: overdue first, then by the time agreed, the
/// soonest first.
pub fn pinned_first(cases: &[impl Borrow<Case>], now: DateTime<Utc>) -> Vec<(&Case, &Pin)> {
    let mut pinned: Vec<(&Case, &Pin)> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter_map(|case| Some((case, case.pin.as_ref()?)))
        .collect();
    pinned.sort_by_key(|(case, pin)| (!pin.is_overdue(now), pin.plan.resolve_by, case.id));
    pinned
}

/// Why a pin entry cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinProblem {
    Unreadable,
    NoMethod,
    NoHow,
    TooLong,
    AlreadyPinned,
    NotPinned,
}

impl PinProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            PinProblem::Unreadable => InputError::PinInvalid.message(),
            PinProblem::NoMethod => Bilingual::new(
                "请写下与客户约定的大致解决方法",
                "Write down the rough method agreed with the customer",
            ),
            PinProblem::NoHow => Bilingual::new(
                "请写下问题是怎样解决的",
                "Write down how the matter was solved",
            ),
            PinProblem::TooLong => InputError::NoteTooLong {
                max: NOTE_MAX_CHARS,
            }
            .message(),
            PinProblem::AlreadyPinned => {
                Bilingual::new("这个工单已经置顶了", "This case is already pinned")
            }
            PinProblem::NotPinned => Bilingual::new(
                "这个置顶已经取消，或不在这个工单上",
                "This pin was already taken down, or is not on this case",
            ),
        }
    }
}

fn check_text(text: &str, empty: PinProblem) -> Result<(), PinProblem> {
    match text.trim().chars().count() {
        0 => Err(empty),
        n if n > NOTE_MAX_CHARS => Err(PinProblem::TooLong),
        _ => Ok(()),
    }
}

/// The device's and the server's check of a pin entry: a method agreed, on a case not pinned
/// already; an unpin of this case's open pin, saying how it was solved.
pub fn check_pin_change(existing: Option<&Record>, op: &Op) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let open = existing.and_then(open_pin);
    let checked = match kind.as_str() {
        event::PINNED => serde_json::from_value::<PinPlan>(data.clone())
            .map_err(|_| PinProblem::Unreadable)
            .and_then(|plan| check_text(&plan.method, PinProblem::NoMethod))
            .and(match open {
                Some(_) => Err(PinProblem::AlreadyPinned),
                None => Ok(()),
            }),
        event::UNPINNED => serde_json::from_value::<Unpin>(data.clone())
            .map_err(|_| PinProblem::Unreadable)
            .and_then(|unpin| {
                check_text(&unpin.how, PinProblem::NoHow)?;
                match open {
                    Some(pin) if pin.id == unpin.pin => Ok(()),
                    _ => Err(PinProblem::NotPinned),
                }
            }),
        _ => Ok(()),
    };
    checked.map_err(|problem| problem.message())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::case::{CaseKind, NewCase};
    use crate::record::{Receipt, apply};
    use crate::sync::Change;
    use crate::test_fixtures::{case_change, case_entry};
    use chrono::TimeZone;
    use serde_json::json;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap()
    }

    fn with(case: Option<Record>, change: Change) -> Record {
        apply(case, &Receipt::on_server(change, "agent", "east", at()))
    }

    fn new_case() -> Record {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: "赠品没收到".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        with(None, case_change(1, Op::Create { fields }))
    }

    fn plan(resolve_by: &str, method: &str) -> Value {
        json!({"resolve_by": resolve_by, "method": method})
    }

    fn unpin(n: u128, how: &str) -> Value {
        json!({"pin": Uuid::from_u128(1000 + n), "how": how})
    }

    fn check(case: &Record, n: u128, kind: &str, data: Value) -> Result<(), Bilingual> {
        check_pin_change(Some(case), &case_entry(n, kind, data).op)
    }

    #[test]
    fn a_case_is_pinned_once_and_unpinned_by_its_open_pin() {
        let case = new_case();
        let soon = "2026-03-02T08:00:00Z";
        let table = [
            (event::PINNED, plan(soon, "补发赠品，明天下午回电"), Ok(())),
            (
                event::PINNED,
                plan(soon, "  "),
                Err(PinProblem::NoMethod.message()),
            ),
            (
                event::PINNED,
                json!({"method": "补发"}),
                Err(PinProblem::Unreadable.message()),
            ),
            (
                event::UNPINNED,
                unpin(2, "已补发"),
                Err(PinProblem::NotPinned.message()),
            ),
        ];
        for (kind, data, expected) in table {
            assert_eq!(check(&case, 9, kind, data.clone()), expected, "{data}");
        }

        let pinned = with(
            Some(case),
            case_entry(2, event::PINNED, plan(soon, "补发赠品")),
        );
        let pin = open_pin(&pinned).expect("pinned");
        assert_eq!((pin.id, pin.by.as_str()), (Uuid::from_u128(1002), "agent"));
        assert_eq!(
            check(&pinned, 9, event::PINNED, plan(soon, "再置顶")),
            Err(PinProblem::AlreadyPinned.message())
        );
        assert_eq!(
            check(&pinned, 9, event::UNPINNED, unpin(2, "")),
            Err(PinProblem::NoHow.message())
        );
        assert_eq!(
            check(&pinned, 9, event::UNPINNED, unpin(2, "已补发")),
            Ok(())
        );
        assert_eq!(
            check(&pinned, 9, event::UNPINNED, unpin(7, "已补发")),
            Err(PinProblem::NotPinned.message())
        );

        let solved = with(
            Some(pinned),
            case_entry(3, event::UNPINNED, unpin(2, "已补发")),
        );
        assert_eq!(open_pin(&solved), None);
        assert_eq!(
            check(&solved, 9, event::PINNED, plan(soon, "客户又来问")),
            Ok(()),
            "a solved case may be pinned again"
        );
        let again = with(
            Some(solved),
            case_entry(4, event::PINNED, plan(soon, "客户又来问")),
        );
        assert_eq!(
            open_pin(&again).map(|pin| pin.id),
            Some(Uuid::from_u128(1004))
        );
    }

    #[test]
    fn the_pinned_list_puts_overdue_pins_first_then_the_soonest() {
        let now = at();
        let case = |n: u128, resolve_by: Option<DateTime<Utc>>| {
            let mut case = Case::from_record(&new_case()).unwrap();
            case.id = Uuid::from_u128(n);
            case.pin = resolve_by.map(|resolve_by| Pin {
                id: Uuid::from_u128(100 + n),
                plan: PinPlan {
                    resolve_by,
                    method: "回电".into(),
                },
                by: "agent".into(),
                at: now,
            });
            case
        };
        let hours = |h: i64| Some(now + chrono::Duration::hours(h));
        let cases = [
            case(1, hours(5)),
            case(2, None),
            case(3, hours(-1)),
            case(4, hours(1)),
            case(5, hours(-30)),
            case(6, Some(now)),
        ];
        let order: Vec<(u128, bool)> = pinned_first(&cases, now)
            .into_iter()
            .map(|(case, pin)| (case.id.as_u128(), pin.is_overdue(now)))
            .collect();
        assert_eq!(
            order,
            [(5, true), (3, true), (6, false), (4, false), (1, false)],
            "due exactly now is not yet overdue"
        );
    }
}
