//! Satisfaction (满意度, seed 001 §16 绩效考核; seed 000 §9, §10.2): the callbacks answered in
//! the period on the cases an agent owns (首接负责制: the first-contact owner answers for the
//! case), how many were satisfied or better, and the average of the 1–5 answers. Counted when
//! the customer answered, so a case opened last month and called back this month counts now.

use crate::figures::period::Period;
use crate::kinds::case::Case;
use crate::kinds::case::callback::Satisfaction;
use std::borrow::Borrow;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SatisfactionFigure {
    pub answered: usize,
    /// Answered 满意 or 非常满意.
    pub satisfied: usize,
    /// The answers' average, 1–5, to one decimal.
    pub average: f64,
}

impl SatisfactionFigure {
    /// Satisfied of answered, in percent, to one decimal.
    pub fn percent(self) -> f64 {
        (self.satisfied as f64 * 1000.0 / self.answered as f64).round() / 10.0
    }
}

/// `agent`'s satisfaction over `period`; `None` when no callback on their cases was answered in
/// it.
pub fn satisfaction(
    cases: &[impl Borrow<Case>],
    agent: &str,
    period: &Period,
) -> Option<SatisfactionFigure> {
    satisfaction_of(
        cases
            .iter()
            .map(Borrow::<Case>::borrow)
            .filter(|case| case.owner == agent),
        period,
    )
}

/// The satisfaction of the callbacks answered in `period` on `cases`, whoever owns them: a
/// team's, for the daily report.
pub fn satisfaction_of<'a>(
    cases: impl Iterator<Item = &'a Case>,
    period: &Period,
) -> Option<SatisfactionFigure> {
    let scores: Vec<u8> = cases
        .flat_map(|case| &case.callbacks)
        .filter_map(|callback| {
            let made = callback.made.as_ref()?;
            period.contains(made.at).then_some(made.satisfaction)
        })
        .collect();
    if scores.is_empty() {
        return None;
    }
    let satisfied = scores
        .iter()
        .filter(|score| **score >= Satisfaction::Satisfied.score())
        .count();
    let total: u32 = scores.iter().map(|score| u32::from(*score)).sum();
    Some(SatisfactionFigure {
        answered: scores.len(),
        satisfied,
        average: (f64::from(total) * 10.0 / scores.len() as f64).round() / 10.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::{case, december, made_at};
    use crate::kinds::case::CaseKind;

    #[test]
    fn satisfaction_table() {
        let mut first = case(1, "demo", CaseKind::Complaint, "2026-11-20T02:00:00Z");
        // Answered in December though opened in November; one answered in January.
        first.callbacks = vec![
            made_at(5, "2026-12-01T02:00:00Z"),
            made_at(2, "2027-01-02T02:00:00Z"),
        ];
        let mut second = case(2, "demo", CaseKind::Return, "2026-12-03T02:00:00Z");
        second.callbacks = vec![
            made_at(4, "2026-12-31T15:59:59Z"),
            made_at(1, "2026-12-05T02:00:00Z"),
        ];
        let mut colleague = case(3, "agent2", CaseKind::Inquiry, "2026-12-03T02:00:00Z");
        colleague.callbacks = vec![made_at(3, "2026-12-04T02:00:00Z")];
        let cases = [first, second, colleague];
        let demo = satisfaction(&cases, "demo", &december()).unwrap();
        assert_eq!((demo.answered, demo.satisfied, demo.average), (3, 2, 3.3));
        assert_eq!(demo.percent(), 66.7);
        let agent2 = satisfaction(&cases, "agent2", &december()).unwrap();
        assert_eq!((agent2.answered, agent2.satisfied), (1, 0));
        assert_eq!(
            satisfaction(&cases, "west", &december()),
            None,
            "no callbacks answered"
        );
        assert_eq!(
            satisfaction(&[] as &[Case], "demo", &december()),
            None,
            "an empty month"
        );
    }
}
