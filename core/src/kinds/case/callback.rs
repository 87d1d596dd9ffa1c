//! Callbacks and satisfaction (回访 / 满意度调查, seed 000 §9, §10.2; seed 002 售后服务完成后满意度
//! 调查): closing a complaint or finishing an after-sales case plans a callback with a due
//! time; whoever makes it records the customer's satisfaction and a comment. A dissatisfied
//! answer goes to the supervisor's list. Satisfaction stays on the case, per agent and time,
//! for the monthly figures.

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

/// Callbacks' timeline entries.
pub mod event {
    /// A planned callback: a [`super::CallbackPlan`].
    pub const CALLBACK_PLANNED: &str = "callback_planned";
    /// A callback made: a [`super::CallbackMade`].
    pub const CALLBACK_MADE: &str = "callback_made";
}

/// Callbacks as a workflow on a case.
pub struct Callbacks;

impl CaseWorkflow for Callbacks {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::CALLBACK_PLANNED,
                roles: roles::DESK,
            },
            EventRule {
                kind: event::CALLBACK_MADE,
                roles: roles::DESK,
            },
        ]
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        let read = if kind == event::CALLBACK_PLANNED {
            serde_json::from_value::<CallbackPlan>(data.clone()).map(drop)
        } else {
            serde_json::from_value::<CallbackMade>(data.clone()).map(drop)
        };
        read.map_err(|_| InputError::CallbackInvalid)
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_callback_change(context.existing, context.op)
    }
}

/// A `callback_planned` entry's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackPlan {
    pub due: DateTime<Utc>,
    pub note: String,
}

/// A `callback_made` entry's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallbackMade {
    /// The plan's entry id.
    pub callback: Uuid,
    /// 1 (very dissatisfied) to 5 (very satisfied): [`Satisfaction`].
    pub satisfaction: u8,
    pub comment: String,
}

/// The customer's satisfaction in the manual's words (满意度调查).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Satisfaction {
    VeryDissatisfied = 1,
    Dissatisfied = 2,
    Neutral = 3,
    Satisfied = 4,
    VerySatisfied = 5,
}

impl Satisfaction {
    /// Best first, as the survey asks.
    pub const ALL: [Satisfaction; 5] = [
        Satisfaction::VerySatisfied,
        Satisfaction::Satisfied,
        Satisfaction::Neutral,
        Satisfaction::Dissatisfied,
        Satisfaction::VeryDissatisfied,
    ];

    pub fn from_score(score: u8) -> Option<Satisfaction> {
        Self::ALL.into_iter().find(|each| each.score() == score)
    }

    pub fn score(self) -> u8 {
        self as u8
    }

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            Satisfaction::VerySatisfied => ("非常满意", "Very satisfied"),
            Satisfaction::Satisfied => ("满意", "Satisfied"),
            Satisfaction::Neutral => ("一般", "Neutral"),
            Satisfaction::Dissatisfied => ("不满意", "Dissatisfied"),
            Satisfaction::VeryDissatisfied => ("非常不满意", "Very dissatisfied"),
        };
        Bilingual::new(zh, en)
    }

    /// Whether the answer reopens the matter for the supervisor.
    pub fn is_dissatisfied(self) -> bool {
        self <= Satisfaction::Dissatisfied
    }
}

/// One planned callback and, once made, its answer. Kept on the case's list row
/// ([`super::Case`]) for the supervisor's list and the monthly figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    pub id: Uuid,
    pub plan: CallbackPlan,
    pub planned_by: String,
    pub made: Option<CallbackAnswer>,
}

/// A callback's answer, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAnswer {
    pub satisfaction: u8,
    pub comment: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Callback {
    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.made
            .as_ref()
            .and_then(|made| Satisfaction::from_score(made.satisfaction))
    }
}

/// A case's callbacks, oldest first.
pub fn callbacks(case: &Record) -> Vec<Callback> {
    let made = case.entries_of::<CallbackMade>(event::CALLBACK_MADE);
    case.entries_of::<CallbackPlan>(event::CALLBACK_PLANNED)
        .into_iter()
        .map(|(id, plan, planned)| Callback {
            id,
            plan,
            planned_by: planned.by.clone(),
            made: made
                .iter()
                .find(|(_, answer, _)| answer.callback == id)
                .map(|(_, answer, origin)| CallbackAnswer {
                    satisfaction: answer.satisfaction,
                    comment: answer.comment.clone(),
                    by: origin.by.clone(),
                    at: origin.at,
                }),
        })
        .collect()
}

/// The cases whose latest answered callback was dissatisfied, with that callback, the most
/// recent first: they are open again for the supervisor until a later callback satisfies.
pub fn dissatisfied_callbacks(cases: &[impl Borrow<Case>]) -> Vec<(&Case, &Callback)> {
    let mut found: Vec<(&Case, &Callback)> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter_map(|case| {
            let latest = case
                .callbacks
                .iter()
                .filter(|callback| callback.made.is_some())
                .max_by_key(|callback| callback.made.as_ref().map(|made| made.at))?;
            latest
                .satisfaction()
                .is_some_and(Satisfaction::is_dissatisfied)
                .then_some((case, latest))
        })
        .collect();
    found
        .sort_by_key(|(_, callback)| std::cmp::Reverse(callback.made.as_ref().map(|made| made.at)));
    found
}

/// Why a callback entry cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackProblem {
    Unreadable,
    TooLong,
    NoSuchScore(u8),
    NothingPlanned,
}

impl CallbackProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            CallbackProblem::Unreadable => InputError::CallbackInvalid.message(),
            CallbackProblem::TooLong => InputError::NoteTooLong {
                max: NOTE_MAX_CHARS,
            }
            .message(),
            CallbackProblem::NoSuchScore(score) => Bilingual::new(
                format!("满意度须为 1 到 5，不是 {score}"),
                format!("Satisfaction is 1 to 5, not {score}"),
            ),
            CallbackProblem::NothingPlanned => Bilingual::new(
                "这次回访已经做过，或不在这个工单上",
                "This callback was already made, or is not on this case",
            ),
        }
    }
}

/// The device's and the server's check of a callback entry: a short note; an answer to a
/// callback of this case not yet made, with a score of 1 to 5.
pub fn check_callback_change(existing: Option<&Record>, op: &Op) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let problem = |problem: CallbackProblem| problem.message();
    match kind.as_str() {
        event::CALLBACK_PLANNED => {
            let plan: CallbackPlan = serde_json::from_value(data.clone())
                .map_err(|_| problem(CallbackProblem::Unreadable))?;
            if plan.note.chars().count() > NOTE_MAX_CHARS {
                return Err(problem(CallbackProblem::TooLong));
            }
            Ok(())
        }
        event::CALLBACK_MADE => {
            let made: CallbackMade = serde_json::from_value(data.clone())
                .map_err(|_| problem(CallbackProblem::Unreadable))?;
            if Satisfaction::from_score(made.satisfaction).is_none() {
                return Err(problem(CallbackProblem::NoSuchScore(made.satisfaction)));
            }
            if made.comment.chars().count() > NOTE_MAX_CHARS {
                return Err(problem(CallbackProblem::TooLong));
            }
            let open = existing.is_some_and(|case| {
                callbacks(case)
                    .iter()
                    .any(|callback| callback.id == made.callback && callback.made.is_none())
            });
            if open {
                Ok(())
            } else {
                Err(problem(CallbackProblem::NothingPlanned))
            }
        }
        _ => Ok(()),
    }
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

    fn planned() -> Record {
        let fields = NewCase {
            kind: CaseKind::Complaint,
            title: "快递慢".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let case = with(None, case_change(1, Op::Create { fields }));
        let plan = json!({"due": "2026-03-03T02:00:00Z", "note": "问处理结果是否满意"});
        with(Some(case), case_entry(2, event::CALLBACK_PLANNED, plan))
    }

    fn answer(score: u8) -> Value {
        json!({"callback": Uuid::from_u128(1002), "satisfaction": score, "comment": "还行"})
    }

    #[test]
    fn satisfaction_scores_and_words() {
        let table = [
            (5, "非常满意", false),
            (4, "满意", false),
            (3, "一般", false),
            (2, "不满意", true),
            (1, "非常不满意", true),
        ];
        for (score, zh, dissatisfied) in table {
            let satisfaction = Satisfaction::from_score(score).unwrap();
            assert_eq!(satisfaction.name().zh, zh);
            assert_eq!(satisfaction.is_dissatisfied(), dissatisfied, "{score}");
        }
        assert_eq!(Satisfaction::from_score(0), None);
        assert_eq!(Satisfaction::from_score(6), None);
    }

    #[test]
    fn a_planned_callback_is_answered_once_with_a_score() {
        let case = planned();
        let check = |case: &Record, data: Value| {
            check_callback_change(Some(case), &case_entry(9, event::CALLBACK_MADE, data).op)
        };
        assert_eq!(check(&case, answer(2)), Ok(()));
        assert_eq!(
            check(&case, answer(6)),
            Err(CallbackProblem::NoSuchScore(6).message())
        );
        let mut elsewhere = answer(4);
        elsewhere["callback"] = json!(Uuid::from_u128(5));
        assert_eq!(
            check(&case, elsewhere),
            Err(CallbackProblem::NothingPlanned.message())
        );
        let made = with(Some(case), case_entry(3, event::CALLBACK_MADE, answer(2)));
        assert_eq!(
            check(&made, answer(5)),
            Err(CallbackProblem::NothingPlanned.message())
        );
        let found = callbacks(&made);
        assert_eq!(found.len(), 1);
        // Dissatisfied: on the supervisor's list until a later callback satisfies.
        let listed = |case: &Record| {
            let row = Case::from_record(case).unwrap();
            dissatisfied_callbacks(&[row]).len()
        };
        assert_eq!(listed(&made), 1);
        let again = json!({"due": "2026-03-04T02:00:00Z", "note": "主管再次回访"});
        let replanned = with(
            Some(made.clone()),
            case_entry(4, event::CALLBACK_PLANNED, again),
        );
        assert_eq!(listed(&replanned), 1);
        let mut satisfied = answer(5);
        satisfied["callback"] = json!(Uuid::from_u128(1004));
        let settled = apply(
            Some(replanned),
            &Receipt::on_server(
                case_entry(5, event::CALLBACK_MADE, satisfied),
                "supervisor",
                "east",
                at() + chrono::TimeDelta::hours(1),
            ),
        );
        assert_eq!(listed(&settled), 0);
        assert_eq!(found[0].satisfaction(), Some(Satisfaction::Dissatisfied));
        assert_eq!(found[0].made.as_ref().unwrap().comment, "还行");
    }
}
