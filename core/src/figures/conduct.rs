//! The figures of an agent's conduct (seed 001 §14, §16): their QA score, the average of the
//! reviews of their work made in the period (`None` without one), and their banned-phrase
//! incidents in it (0 is a real count here). Read from whole case records, as only those carry
//! the timeline; a device holds an agent's own and, for QA and leads, the team's.

use crate::figures::period::Period;
use crate::kinds::case::incident::incidents;
use crate::kinds::case::qa_review::reviews;
use crate::record::Record;
use std::borrow::Borrow;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QaScore {
    pub reviews: usize,
    /// Out of 100, to one decimal.
    pub average: f64,
}

/// `agent`'s QA score over `period`; `None` when none of their work was reviewed in it.
pub fn qa_score(records: &[impl Borrow<Record>], agent: &str, period: &Period) -> Option<QaScore> {
    let scores: Vec<u32> = records
        .iter()
        .flat_map(|record| reviews(record.borrow()))
        .filter(|shown| shown.review.agent == agent && period.contains(shown.at))
        .map(|shown| shown.review.score())
        .collect();
    if scores.is_empty() {
        return None;
    }
    let total: u32 = scores.iter().sum();
    Some(QaScore {
        reviews: scores.len(),
        average: (f64::from(total) * 10.0 / scores.len() as f64).round() / 10.0,
    })
}

/// How many banned-phrase incidents `agent` caused in `period`.
pub fn incident_count(records: &[impl Borrow<Record>], agent: &str, period: &Period) -> usize {
    records
        .iter()
        .flat_map(|record| incidents(record.borrow()))
        .filter(|incident| incident.by == agent && period.contains(incident.at))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::tests::{at, december};
    use crate::kinds::case::incident::event::BANNED_PHRASE;
    use crate::kinds::case::qa_review::event::QA_REVIEW;
    use crate::kinds::case::{CaseKind, NewCase};
    use crate::record::{Receipt, apply};
    use crate::sync::Op;
    use crate::test_fixtures::{case_change, case_entry};
    use serde_json::json;

    /// A case by demo with entries `(n, kind, data, by, when)`.
    fn case_with(entries: &[(u128, &str, serde_json::Value, &str, &str)]) -> Record {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: "物流咨询".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let created = Receipt::on_server(
            case_change(1, Op::Create { fields }),
            "demo",
            "east",
            at("2026-12-01T02:00:00Z"),
        );
        entries.iter().fold(
            apply(None, &created),
            |record, (n, kind, data, by, when)| {
                let receipt =
                    Receipt::on_server(case_entry(*n, kind, data.clone()), by, "east", at(when));
                apply(Some(record), &receipt)
            },
        )
    }

    fn review(agent: &str, mark: u8) -> serde_json::Value {
        json!({"agent": agent, "items": [{"item": "accuracy", "weight": 25, "mark": mark, "comment": ""}], "comment": ""})
    }

    fn incident() -> serde_json::Value {
        json!({"change": uuid::Uuid::from_u128(7), "text": "我不知道", "matches": [{"phrase": "我不知道"}]})
    }

    #[test]
    fn qa_score_and_incidents_table() {
        let records = [
            case_with(&[
                (
                    2,
                    QA_REVIEW,
                    review("demo", 4),
                    "qa",
                    "2026-12-02T02:00:00Z",
                ),
                (
                    3,
                    QA_REVIEW,
                    review("demo", 3),
                    "qa",
                    "2026-12-31T15:59:59Z",
                ),
                (
                    4,
                    QA_REVIEW,
                    review("demo", 0),
                    "qa",
                    "2026-11-30T15:59:59Z",
                ),
                (5, BANNED_PHRASE, incident(), "demo", "2026-12-03T02:00:00Z"),
                (6, BANNED_PHRASE, incident(), "demo", "2026-12-31T16:00:00Z"),
            ]),
            case_with(&[
                (
                    7,
                    QA_REVIEW,
                    review("agent2", 5),
                    "qa",
                    "2026-12-02T02:00:00Z",
                ),
                (
                    8,
                    BANNED_PHRASE,
                    incident(),
                    "agent2",
                    "2026-12-03T02:00:00Z",
                ),
            ]),
        ];
        let demo = qa_score(&records, "demo", &december()).unwrap();
        assert_eq!(
            (demo.reviews, demo.average),
            (2, 70.0),
            "80 and 60; November's 0 left out"
        );
        let agent2 = qa_score(&records, "agent2", &december()).unwrap();
        assert_eq!((agent2.reviews, agent2.average), (1, 100.0));
        assert_eq!(qa_score(&records, "west", &december()), None);
        assert_eq!(
            incident_count(&records, "demo", &december()),
            1,
            "January's left out"
        );
        assert_eq!(incident_count(&records, "agent2", &december()), 1);
        assert_eq!(incident_count(&records, "west", &december()), 0);
    }
}
