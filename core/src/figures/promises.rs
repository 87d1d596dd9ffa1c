//! Overdue reply promises (seed 000 §5.7(5); seed 001 §16): the cases an agent owns whose
//! promised reply time fell in the period and passed with the reply still owed at `now`. A
//! promise kept clears the case's `reply_due`, so what is left owed past its time is what was
//! broken.

use crate::figures::period::Period;
use crate::kinds::case::{Case, CaseStatus};
use chrono::{DateTime, Utc};
use std::borrow::Borrow;

/// How many of `agent`'s promises due in `period` are overdue at `now`.
pub fn overdue_promises(
    cases: &[impl Borrow<Case>],
    agent: &str,
    period: &Period,
    now: DateTime<Utc>,
) -> usize {
    cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| case.owner == agent)
        .filter(|case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending))
        .filter_map(|case| case.reply_due)
        .filter(|due| period.contains(*due) && *due < now)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::{at, case, december};
    use crate::kinds::case::CaseKind;

    #[test]
    fn overdue_promises_table() {
        let owed = |n: u128, owner: &str, status: CaseStatus, due: &str| {
            let mut case = case(n, owner, CaseKind::Inquiry, "2026-12-01T02:00:00Z");
            case.status = status;
            case.reply_due = Some(at(due));
            case
        };
        let cases = [
            owed(1, "demo", CaseStatus::Open, "2026-12-02T02:00:00Z"),
            owed(2, "demo", CaseStatus::Pending, "2026-12-31T15:59:59Z"),
            owed(3, "demo", CaseStatus::Resolved, "2026-12-02T02:00:00Z"),
            owed(4, "demo", CaseStatus::Open, "2026-11-30T15:59:59Z"),
            owed(5, "demo", CaseStatus::Open, "2026-12-20T02:00:00Z"),
            owed(6, "agent2", CaseStatus::Open, "2026-12-02T02:00:00Z"),
        ];
        let now = at("2026-12-15T02:00:00Z");
        // Case 2 and 5 are not due yet at `now`; 3 was answered; 4 fell in November.
        assert_eq!(overdue_promises(&cases, "demo", &december(), now), 1);
        let later = at("2027-01-05T02:00:00Z");
        assert_eq!(overdue_promises(&cases, "demo", &december(), later), 3);
        assert_eq!(overdue_promises(&cases, "agent2", &december(), now), 1);
        assert_eq!(overdue_promises(&cases, "west", &december(), later), 0);
    }
}
