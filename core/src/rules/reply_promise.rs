//! Reply promises (seed 000 §5.7(5)): 不能马上答复的，记下联系方式并约定答复时间. Whether a
//! promised reply is on time, due soon or overdue, in working time; the deadline itself comes
//! from `working_hours`, and which cases owe one from the inquiry log (`kinds::case::inquiry`).

use crate::rules::working_hours::{PromiseStatus, WorkingClock};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::rules::test_clock::local;

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
}
