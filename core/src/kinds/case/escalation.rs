//! Escalation to the supervisor (seed 000 §10.1 客服主管处理流程; seed 002 向主管请示): an agent
//! escalates a case with a reason and a promised reply time in working hours, counted from
//! when they acted on the device (the entry's stamp), not from when it synced. The supervisor
//! answers within five minutes (seed 002), then records what was coordinated and the decision;
//! the case's owner stays its owner and reads the result on the case.

use crate::account::roles;
use crate::input::{InputError, NOTE_MAX_CHARS, check_note_body};
use crate::kinds::case::Case;
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::policy::{Label, WorkingHours};
use crate::record::{Origin, Record};
use crate::rules::working_hours::{ReplyPromise, WorkingClock};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Borrow;
use uuid::Uuid;

/// Escalation's timeline entries.
pub mod event {
    /// An agent's escalation: an [`super::Escalation`].
    pub const ESCALATION: &str = "escalation";
    /// The supervisor's first answer, due within five minutes: an [`super::FirstReply`].
    pub const ESCALATION_REPLY: &str = "escalation_reply";
    /// The supervisor's answer: an [`super::EscalationDecision`].
    pub const ESCALATION_DECISION: &str = "escalation_decision";
}

/// Seed 002: 向主管请示后五分钟内给予回复 — the supervisor answers an escalation within five
/// minutes (the decision itself may take the promised working hours).
pub const FIRST_REPLY_MINUTES: i64 = 5;

/// Escalations and the supervisor's decisions, as a workflow on a case.
pub struct Escalations;

impl CaseWorkflow for Escalations {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::ESCALATION,
                roles: roles::DESK,
            },
            EventRule {
                kind: event::ESCALATION_REPLY,
                roles: roles::SUPERVISORS,
            },
            EventRule {
                kind: event::ESCALATION_DECISION,
                roles: roles::SUPERVISORS,
            },
        ]
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        let read = match kind {
            event::ESCALATION => serde_json::from_value::<Escalation>(data.clone()).map(drop),
            event::ESCALATION_REPLY => serde_json::from_value::<FirstReply>(data.clone()).map(drop),
            _ => serde_json::from_value::<EscalationDecision>(data.clone()).map(drop),
        };
        read.map_err(|_| InputError::EscalationInvalid)
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_escalation_change(
            &context.policy.escalation_reasons,
            context.existing,
            context.op,
        )
    }
}

/// An `escalation` entry's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// One of the policy's `escalation_reasons`.
    pub reason: String,
    /// What the supervisor needs to know.
    pub note: String,
    /// Half a working day by default, never more than one (seed 000 §5.7(5)).
    pub promise: ReplyPromise,
}

/// An `escalation_decision` entry's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationDecision {
    /// The escalation's entry id.
    pub escalation: Uuid,
    /// Who was coordinated with, what was found (协调处理).
    pub coordinated: String,
    pub decision: String,
}

/// An `escalation_reply` entry's data: the supervisor's first answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstReply {
    /// The escalation's entry id.
    pub escalation: Uuid,
    pub reply: String,
}

/// One escalation of a case and, once given, the decision. Kept on the case's list row
/// ([`super::Case`]), so the supervisor's queue reads no timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalated {
    pub id: Uuid,
    pub escalation: Escalation,
    pub by: String,
    /// When the agent escalated, by the device's stamp.
    pub acted_at: DateTime<Utc>,
    /// The supervisor's first answer, by whom and when (its `coordinated` is empty).
    #[serde(default)]
    pub first_reply: Option<EscalationAnswer>,
    pub decision: Option<EscalationAnswer>,
}

/// The supervisor's decision on an escalation, by whom and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationAnswer {
    pub coordinated: String,
    pub decision: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Escalated {
    /// When the supervisor's first answer is due: five minutes after the agent escalated.
    pub fn first_reply_due(&self) -> DateTime<Utc> {
        self.acted_at + chrono::TimeDelta::minutes(FIRST_REPLY_MINUTES)
    }

    /// Whether the supervisor owes a first answer at `now` and it is late. A decision is an
    /// answer too.
    pub fn first_reply_late(&self, now: DateTime<Utc>) -> bool {
        self.first_reply.is_none() && self.decision.is_none() && now > self.first_reply_due()
    }

    /// The promised reply time: the promise counted in working hours from when the agent acted.
    pub fn deadline(&self, hours: &WorkingHours) -> DateTime<Utc> {
        WorkingClock::from_hours(hours).reply_deadline(self.acted_at, self.escalation.promise)
    }
}

/// When an entry was made on its device: its stamp's wall clock, which the server clamps to
/// its own time, so a device's clock running ahead cannot push a deadline out.
pub fn acted_at_of(origin: &Origin) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(origin.stamp.wall_ms).unwrap_or(origin.at)
}

/// A case's escalations, oldest first.
pub fn escalations(case: &Record) -> Vec<Escalated> {
    let replies = case.entries_of::<FirstReply>(event::ESCALATION_REPLY);
    let decisions = case.entries_of::<EscalationDecision>(event::ESCALATION_DECISION);
    let answer = |text: &str, coordinated: &str, origin: &Origin| EscalationAnswer {
        coordinated: coordinated.to_owned(),
        decision: text.to_owned(),
        by: origin.by.clone(),
        at: acted_at_of(origin),
    };
    case.entries_of::<Escalation>(event::ESCALATION)
        .into_iter()
        .map(|(id, escalation, origin)| Escalated {
            id,
            escalation,
            by: origin.by.clone(),
            acted_at: acted_at_of(origin),
            first_reply: replies
                .iter()
                .find(|(_, reply, _)| reply.escalation == id)
                .map(|(_, reply, origin)| answer(&reply.reply, "", origin)),
            decision: decisions
                .iter()
                .find(|(_, decision, _)| decision.escalation == id)
                .map(|(_, decision, origin)| {
                    answer(&decision.decision, &decision.coordinated, origin)
                }),
        })
        .collect()
}

/// The escalations still waiting for the supervisor, on `cases`: each with its case and its
/// deadline, the earliest first (overdue ones lead): the supervisor's queue.
pub fn waiting_escalations<'a>(
    cases: &'a [impl Borrow<Case>],
    hours: &WorkingHours,
) -> Vec<(&'a Case, &'a Escalated, DateTime<Utc>)> {
    let mut waiting: Vec<(&Case, &Escalated, DateTime<Utc>)> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .flat_map(|case| {
            case.escalations
                .iter()
                .filter(|escalated| escalated.decision.is_none())
                .map(move |escalated| (case, escalated, escalated.deadline(hours)))
        })
        .collect();
    waiting.sort_by(|a, b| a.2.cmp(&b.2).then(a.1.id.cmp(&b.1.id)));
    waiting
}

/// Why an escalation or a decision cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EscalationProblem {
    UnknownReason(String),
    TextInvalid(InputError),
    NothingOpen,
}

impl EscalationProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            EscalationProblem::UnknownReason(id) => Bilingual::new(
                format!("“{id}”不是上报原因之一"),
                format!("\"{id}\" is not one of the reasons to escalate"),
            ),
            EscalationProblem::TextInvalid(problem) => problem.message(),
            EscalationProblem::NothingOpen => Bilingual::new(
                "这次上报已有主管决定，或不在这个工单上",
                "This escalation already has a decision, or is not on this case",
            ),
        }
    }
}

/// The device's and the server's check of an escalation entry: a known reason and a note; a
/// decision answers an escalation of this case that has none yet, and says what was decided.
pub fn check_escalation_change(
    reasons: &[Label],
    existing: Option<&Record>,
    op: &Op,
) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let unreadable = || InputError::EscalationInvalid.message();
    let text = |body: &str| {
        check_note_body(body).map_err(|problem| EscalationProblem::TextInvalid(problem).message())
    };
    match kind.as_str() {
        event::ESCALATION => {
            let escalation: Escalation =
                serde_json::from_value(data.clone()).map_err(|_| unreadable())?;
            if !reasons.iter().any(|reason| reason.id == escalation.reason) {
                return Err(EscalationProblem::UnknownReason(escalation.reason).message());
            }
            text(&escalation.note)
        }
        event::ESCALATION_REPLY => {
            let reply: FirstReply =
                serde_json::from_value(data.clone()).map_err(|_| unreadable())?;
            text(&reply.reply)?;
            let waiting = existing.is_some_and(|case| {
                escalations(case).iter().any(|escalated| {
                    escalated.id == reply.escalation
                        && escalated.first_reply.is_none()
                        && escalated.decision.is_none()
                })
            });
            if waiting {
                Ok(())
            } else {
                Err(EscalationProblem::NothingOpen.message())
            }
        }
        event::ESCALATION_DECISION => {
            let decision: EscalationDecision =
                serde_json::from_value(data.clone()).map_err(|_| unreadable())?;
            text(&decision.decision)?;
            if decision.coordinated.chars().count() > NOTE_MAX_CHARS {
                return Err(EscalationProblem::TextInvalid(InputError::NoteTooLong {
                    max: NOTE_MAX_CHARS,
                })
                .message());
            }
            let open = existing.is_some_and(|case| {
                case.events
                    .iter()
                    .any(|entry| entry.id == decision.escalation && entry.kind == event::ESCALATION)
                    && !case.events.iter().any(|entry| {
                        entry.kind == event::ESCALATION_DECISION
                            && entry.data["escalation"] == decision.escalation.to_string()
                    })
            });
            if open {
                Ok(())
            } else {
                Err(EscalationProblem::NothingOpen.message())
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
