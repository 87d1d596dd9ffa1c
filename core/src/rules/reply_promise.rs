//! Reply promises (seed 000 §5.7(5)): 不能马上答复的，记下联系方式并约定答复时间. Which cases owe a
//! reply, and whether each is on time, due soon or overdue, in working time; the deadline
//! itself comes from `working_hours`.

use crate::kinds::case::{Case, CaseStatus};
use crate::rules::working_hours::{PromiseStatus, WorkingClock};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// Working time before the deadline from which a promise shows as due soon: enough to look
/// the answer up and call back.
pub const DUE_SOON_WORKING_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseState {
    Overdue,
    DueSoon,
    OnTime,
}

impl PromiseState {
    pub fn as_str(self) -> &'static str {
        match self {
            PromiseState::Overdue => "overdue",
            PromiseState::DueSoon => "due_soon",
            PromiseState::OnTime => "on_time",
        }
    }
}

/// Where a promise due at `due` stands at `now`. "Due soon" counts working time, so a promise
/// due Monday 10:00 is not due soon on Friday evening.
pub fn promise_state(clock: &WorkingClock, due: DateTime<Utc>, now: DateTime<Utc>) -> PromiseState {
    match clock.promise_status(due, now) {
        PromiseStatus::Overdue { .. } => PromiseState::Overdue,
        PromiseStatus::OnTime { .. }
            if clock.working_time_between(now, due)
                <= TimeDelta::minutes(DUE_SOON_WORKING_MINUTES) =>
        {
            PromiseState::DueSoon
        }
        PromiseStatus::OnTime { .. } => PromiseState::OnTime,
    }
}

/// One reply still owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedReply<'a> {
    pub case: &'a Case,
    pub due: DateTime<Utc>,
    pub state: PromiseState,
}

/// The replies still owed at `now`: cases with a promised time that are not resolved or
/// closed, the earliest deadline first (overdue ones lead).
pub fn owed_replies<'a>(
    cases: &'a [impl Borrow<Case>],
    clock: &WorkingClock,
    now: DateTime<Utc>,
) -> Vec<OwedReply<'a>> {
    let mut owed: Vec<OwedReply> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending))
        .filter_map(|case| {
            let due = case.reply_due?;
            Some(OwedReply {
                case,
                due,
                state: promise_state(clock, due, now),
            })
        })
        .collect();
    owed.sort_by(|a, b| a.due.cmp(&b.due).then(a.case.id.cmp(&b.case.id)));
    owed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::case::CaseKind;
    use crate::policy::Policy;
    use crate::rules::test_clock::local;
    use uuid::Uuid;

    fn clock() -> WorkingClock<'static> {
        WorkingClock::new(Policy::default_policy())
    }

    // Default policy: Mon–Fri 09:00–12:00 and 13:00–18:00; 2026-03-02 is a Monday.
    #[test]
    fn promise_state_table() {
        let table = [
            ("2026-03-02 14:00", "2026-03-02 10:00", PromiseState::OnTime),
            (
                "2026-03-02 14:00",
                "2026-03-02 12:30",
                PromiseState::DueSoon,
            ),
            (
                "2026-03-02 14:00",
                "2026-03-02 13:00",
                PromiseState::DueSoon,
            ),
            (
                "2026-03-02 14:00",
                "2026-03-02 14:00",
                PromiseState::DueSoon,
            ),
            (
                "2026-03-02 14:00",
                "2026-03-02 14:01",
                PromiseState::Overdue,
            ),
            // lunch does not count: 11:30 → 14:00 is 1.5 h of work
            ("2026-03-02 14:00", "2026-03-02 11:30", PromiseState::OnTime),
            // Friday evening, due Monday 09:30: half an hour of work left
            (
                "2026-03-09 09:30",
                "2026-03-06 19:00",
                PromiseState::DueSoon,
            ),
            ("2026-03-09 11:00", "2026-03-06 19:00", PromiseState::OnTime),
        ];
        for (due, now, expected) in table {
            assert_eq!(
                promise_state(&clock(), local(due), local(now)),
                expected,
                "due {due}, now {now}"
            );
        }
    }

    fn case(n: u128, status: CaseStatus, due: Option<&str>) -> Case {
        Case {
            id: Uuid::from_u128(n),
            kind: CaseKind::Inquiry,
            title: format!("case {n}"),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
            status,
            owner: "demo".into(),
            created_at: local("2026-03-02 09:00"),
            team: "east".into(),
            customer: None,
            reply_due: due.map(local),
            problem: false,
            return_tracking: None,
            order_amount: None,
        }
    }

    #[test]
    fn owed_replies_are_open_promises_earliest_first() {
        let cases = [
            case(1, CaseStatus::Pending, Some("2026-03-02 17:00")),
            case(2, CaseStatus::Pending, None),
            case(3, CaseStatus::Resolved, Some("2026-03-02 10:00")),
            case(4, CaseStatus::Open, Some("2026-03-02 11:00")),
            case(5, CaseStatus::Pending, Some("2026-03-02 16:30")),
            case(6, CaseStatus::Closed, Some("2026-03-02 09:30")),
        ];
        let owed = owed_replies(&cases, &clock(), local("2026-03-02 15:45"));
        let found: Vec<(u128, PromiseState)> = owed
            .iter()
            .map(|owed| (owed.case.id.as_u128(), owed.state))
            .collect();
        assert_eq!(
            found,
            [
                (4, PromiseState::Overdue),
                (5, PromiseState::DueSoon),
                (1, PromiseState::OnTime),
            ]
        );
    }
}
