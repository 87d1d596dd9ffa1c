//! The month's KPI score (绩效考核, seed 001 §16): each of an agent's figures read as points out
//! of 100, weighed by the policy's `kpi_weights`. A figure without data (no call data, no
//! callback answered) is left out with its weight, never scored as 0 or 100, and the score says
//! how much of the weight it counts; without any, there is no score.

use crate::figures::calls::{AnswerRate, FIRST_RESPONSE_NORM_SECONDS, FirstResponse};
use crate::figures::conduct::QaScore;
use crate::figures::return_rate::ReturnRate;
use crate::figures::satisfaction::SatisfactionFigure;
use crate::policy::KpiWeights;

/// The points one banned-phrase incident costs of the incidents' 100.
pub const INCIDENT_POINTS: f64 = 20.0;
/// The points one broken reply promise costs of the promises' 100.
pub const OVERDUE_PROMISE_POINTS: f64 = 10.0;

/// An agent's figures over a month, each `None` without data; the counts are real zeros.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AgentFigures {
    pub answer_rate: Option<AnswerRate>,
    pub first_response: Option<FirstResponse>,
    pub satisfaction: Option<SatisfactionFigure>,
    pub return_rate: Option<ReturnRate>,
    pub qa_score: Option<QaScore>,
    pub incidents: usize,
    pub overdue_promises: usize,
}

/// The score, and how much of the policy's weight it counts (the rest had no data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiScore {
    /// Out of 100, to one decimal.
    pub score: f64,
    pub counted_weight: u32,
    pub total_weight: u32,
}

impl AgentFigures {
    /// Each figure as points out of 100, `None` without data, in [`KpiWeights::named`]'s order.
    pub fn points(&self) -> [Option<f64>; 7] {
        let first_response = self.first_response.map(|figure| {
            let norm = f64::from(FIRST_RESPONSE_NORM_SECONDS);
            if figure.average_seconds <= norm {
                100.0
            } else {
                100.0 * norm / figure.average_seconds
            }
        });
        let penalty = |count: usize, points: f64| (100.0 - count as f64 * points).max(0.0);
        [
            self.answer_rate.map(AnswerRate::percent),
            first_response,
            self.satisfaction.map(SatisfactionFigure::percent),
            self.return_rate.map(|rate| 100.0 - rate.percent()),
            self.qa_score.map(|score| score.average),
            Some(penalty(self.incidents, INCIDENT_POINTS)),
            Some(penalty(self.overdue_promises, OVERDUE_PROMISE_POINTS)),
        ]
    }

    /// The KPI score by `weights`, over the figures with data; `None` when none weighs.
    pub fn kpi_score(&self, weights: &KpiWeights) -> Option<KpiScore> {
        let named = weights.named();
        let total_weight: u32 = named.iter().map(|(_, weight)| weight).sum();
        let (counted_weight, weighed) = named.iter().zip(self.points()).fold(
            (0u32, 0.0),
            |(counted, weighed), ((_, weight), points)| match points {
                Some(points) => (counted + weight, weighed + f64::from(*weight) * points),
                None => (counted, weighed),
            },
        );
        (counted_weight > 0).then(|| KpiScore {
            score: (weighed / f64::from(counted_weight) * 10.0).round() / 10.0,
            counted_weight,
            total_weight,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> KpiWeights {
        KpiWeights::default()
    }

    fn full() -> AgentFigures {
        AgentFigures {
            answer_rate: Some(AnswerRate {
                offered: 4,
                answered: 3,
            }),
            first_response: Some(FirstResponse {
                answered: 3,
                average_seconds: 40.0,
            }),
            satisfaction: Some(SatisfactionFigure {
                answered: 4,
                satisfied: 3,
                average: 4.0,
            }),
            return_rate: Some(ReturnRate {
                cases: 10,
                returns: 2,
            }),
            qa_score: Some(QaScore {
                reviews: 2,
                average: 90.0,
            }),
            incidents: 1,
            overdue_promises: 0,
        }
    }

    #[test]
    fn points_per_figure_table() {
        let slow = AgentFigures {
            first_response: Some(FirstResponse {
                answered: 2,
                average_seconds: 100.0,
            }),
            incidents: 6,
            overdue_promises: 3,
            ..AgentFigures::default()
        };
        let table: [(&str, AgentFigures, [Option<f64>; 7]); 3] = [
            (
                "every figure",
                full(),
                [
                    Some(75.0),
                    Some(100.0),
                    Some(75.0),
                    Some(80.0),
                    Some(90.0),
                    Some(80.0),
                    Some(100.0),
                ],
            ),
            (
                "twice the norm, more incidents than points",
                slow,
                [None, Some(50.0), None, None, None, Some(0.0), Some(70.0)],
            ),
            (
                "an empty month",
                AgentFigures::default(),
                [None, None, None, None, None, Some(100.0), Some(100.0)],
            ),
        ];
        for (why, figures, expected) in table {
            assert_eq!(figures.points(), expected, "{why}");
        }
    }

    #[test]
    fn kpi_score_table() {
        let no_calls = AgentFigures {
            answer_rate: None,
            first_response: None,
            ..full()
        };
        let only_calls = KpiWeights {
            answer_rate: 1,
            first_response: 0,
            satisfaction: 0,
            return_rate: 0,
            qa_score: 0,
            incidents: 0,
            overdue_promises: 0,
        };
        let table = [
            // (20·75 + 15·100 + 20·75 + 10·80 + 20·90 + 10·80 + 5·100) / 100 = 84.0
            ("every figure", full(), weights(), Some((84.0, 100, 100))),
            // Without call data the 35 points of weight are left out:
            // (20·75 + 10·80 + 20·90 + 10·80 + 5·100) / 65 = 83.1
            ("no call data", no_calls, weights(), Some((83.1, 65, 100))),
            ("only calls weigh, none logged", no_calls, only_calls, None),
            ("only calls weigh", full(), only_calls, Some((75.0, 1, 1))),
            // The counts always have data: a month with nothing else scores on them alone.
            (
                "an empty month",
                AgentFigures::default(),
                weights(),
                Some((100.0, 15, 100)),
            ),
        ];
        for (why, figures, weights, expected) in table {
            let found = figures
                .kpi_score(&weights)
                .map(|score| (score.score, score.counted_weight, score.total_weight));
            assert_eq!(found, expected, "{why}");
        }
    }
}
