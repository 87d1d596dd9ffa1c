//! The refund/return rate (退单率, seed 001 §16 绩效考核): of the cases an agent received in
//! the period (opened, 首接负责制), the share that were returns or refunds. Counted when the
//! case was opened, in the shop's time zone.

use crate::figures::period::Period;
use crate::kinds::case::{Case, CaseKind};
use std::borrow::Borrow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnRate {
    pub cases: usize,
    pub returns: usize,
}

impl ReturnRate {
    /// Returns of cases, in percent, to one decimal.
    pub fn percent(self) -> f64 {
        (self.returns as f64 * 1000.0 / self.cases as f64).round() / 10.0
    }
}

/// `agent`'s refund/return rate over `period`; `None` when they received no case in it.
pub fn return_rate(
    cases: &[impl Borrow<Case>],
    agent: &str,
    period: &Period,
) -> Option<ReturnRate> {
    let (received, returns) = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| case.owner == agent && period.contains(case.created_at))
        .fold((0, 0), |(received, returns), case| {
            (
                received + 1,
                returns + usize::from(case.kind == CaseKind::Return),
            )
        });
    (received > 0).then_some(ReturnRate {
        cases: received,
        returns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::{case, december};

    #[test]
    fn return_rate_table() {
        let cases = [
            case(1, "demo", CaseKind::Return, "2026-11-30T16:00:00Z"),
            case(2, "demo", CaseKind::Inquiry, "2026-12-10T02:00:00Z"),
            case(3, "demo", CaseKind::Complaint, "2026-12-11T02:00:00Z"),
            case(4, "demo", CaseKind::Return, "2026-11-30T15:59:59Z"),
            case(5, "demo", CaseKind::Return, "2026-12-31T16:00:00Z"),
            case(6, "agent2", CaseKind::Inquiry, "2026-12-10T02:00:00Z"),
        ];
        let table = [
            ("demo", Some((3, 1, 33.3))),
            ("agent2", Some((1, 0, 0.0))),
            ("west", None),
        ];
        for (agent, expected) in table {
            let found = return_rate(&cases, agent, &december())
                .map(|rate| (rate.cases, rate.returns, rate.percent()));
            assert_eq!(found, expected, "{agent}");
        }
    }
}
