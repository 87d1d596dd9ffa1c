//! Compensation on a case (seed 002 产品质量问题处理 / 缺发少发处理; seed 003; SPEC §3): an agent
//! proposes an amount for an item; within the item's tier it is final at once, above it the
//! proposal stays pending until a supervisor approves or refuses it. Both are timeline events,
//! so the device and the server read the same state; only a supervisor (or an admin) may add
//! a decision, and only on a pending proposal (`access`, [`check_compensation_change`]).

use crate::account::roles;
use crate::input::{InputError, NOTE_MAX_CHARS};
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::record::Record;
use crate::rules::compensation::{Approval, CompensationFor, approval};
use crate::rules::return_eligibility::ReturnPolicy;
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Compensation's timeline entries.
pub mod event {
    /// An agent's compensation proposal: a [`super::Proposal`].
    pub const COMPENSATION: &str = "compensation";
    /// A supervisor's answer to a pending proposal: a [`super::Decision`].
    pub const COMPENSATION_DECISION: &str = "compensation_decision";
}

/// Compensation proposals and decisions, as a workflow on a case.
pub struct Compensations;

impl CaseWorkflow for Compensations {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::COMPENSATION,
                roles: roles::DESK,
            },
            // Seed 002: an amount above the tier goes to the supervisor (主管).
            EventRule {
                kind: event::COMPENSATION_DECISION,
                roles: roles::SUPERVISORS,
            },
        ]
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        let read = if kind == event::COMPENSATION {
            serde_json::from_value::<Proposal>(data.clone()).map(drop)
        } else {
            serde_json::from_value::<Decision>(data.clone()).map(drop)
        };
        read.map_err(|_| InputError::CompensationInvalid)
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_compensation_change(context.policy.into(), context.existing, context.op)
    }
}

/// The most one proposal may pay, whoever approves it: a typo guard, not a policy.
pub const AMOUNT_MAX: Fen = Fen::from_yuan(100_000);

/// A `compensation` event's data: what is paid for which item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    #[serde(rename = "for")]
    pub compensation_for: CompensationFor,
    pub item_class: String,
    pub unit_price: Fen,
    pub amount: Fen,
    pub note: String,
    /// The policy version (its id) whose tiers the agent proposed under: recorded by the
    /// device, so "why is this pending?" has an answer after the tiers change. Older entries
    /// lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Uuid>,
}

/// A `compensation_decision` event's data: a supervisor's answer to one pending proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The proposal's event id.
    pub compensation: Uuid,
    pub approved: bool,
    pub note: String,
}

/// Where one proposal stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CompensationState {
    /// Within the tier: the agent's offer stands.
    Final,
    /// Above the tier by this much: waiting for a supervisor.
    Pending {
        above_tier_by: Fen,
    },
    Approved {
        by: String,
    },
    Refused {
        by: String,
    },
}

impl CompensationState {
    pub fn as_str(&self) -> &'static str {
        match self {
            CompensationState::Final => "final",
            CompensationState::Pending { .. } => "pending",
            CompensationState::Approved { .. } => "approved",
            CompensationState::Refused { .. } => "refused",
        }
    }

    /// Whether the money is to be paid.
    pub fn pays(&self) -> bool {
        matches!(
            self,
            CompensationState::Final | CompensationState::Approved { .. }
        )
    }
}

/// One proposal on a case with who made it and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compensation {
    pub id: Uuid,
    pub proposal: Proposal,
    pub by: String,
    pub at: DateTime<Utc>,
    pub state: CompensationState,
}

/// Why a proposal or a decision cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompensationProblem {
    Unreadable,
    AmountInvalid,
    NoteTooLong,
    UnknownItemClass(String),
    NothingPending,
}

impl CompensationProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            CompensationProblem::Unreadable => Bilingual::new(
                "补偿记录不完整，可能需要更新应用",
                "The compensation entry is incomplete; the app may need an update",
            ),
            CompensationProblem::AmountInvalid => Bilingual::new(
                format!("补偿金额须大于 0、不超过 {AMOUNT_MAX}，单价不能为负数"),
                format!(
                    "The amount must be above 0 and at most {AMOUNT_MAX}, and the unit price not negative"
                ),
            ),
            CompensationProblem::NoteTooLong => Bilingual::new(
                format!("说明不能超过 {NOTE_MAX_CHARS} 个字"),
                format!("The note can be at most {NOTE_MAX_CHARS} characters"),
            ),
            CompensationProblem::UnknownItemClass(id) => Bilingual::new(
                format!("“{id}”不在规则的商品类别中"),
                format!("“{id}” is not one of the policy's item classes"),
            ),
            CompensationProblem::NothingPending => Bilingual::new(
                "这笔补偿不在待审批状态，无需审批",
                "This compensation is not waiting for approval",
            ),
        }
    }
}

/// Whether a proposal may be recorded: a known item class, a positive amount within reason,
/// a short note.
pub fn check_proposal(
    policy: ReturnPolicy<'_>,
    proposal: &Proposal,
) -> Result<Approval, CompensationProblem> {
    if proposal.amount <= Fen::ZERO
        || proposal.amount > AMOUNT_MAX
        || proposal.unit_price < Fen::ZERO
    {
        return Err(CompensationProblem::AmountInvalid);
    }
    if proposal.note.chars().count() > NOTE_MAX_CHARS {
        return Err(CompensationProblem::NoteTooLong);
    }
    approval(
        policy,
        &proposal.item_class,
        proposal.unit_price,
        proposal.amount,
    )
    .map(|explained| explained.value)
    .map_err(|_| CompensationProblem::UnknownItemClass(proposal.item_class.clone()))
}

/// A case's proposals, oldest first, each with its state: within the tier final; above it
/// pending until the first decision on it.
pub fn compensations(policy: ReturnPolicy<'_>, record: &Record) -> Vec<Compensation> {
    let decisions: Vec<(Decision, &str)> = record
        .events
        .iter()
        .filter(|entry| entry.kind == event::COMPENSATION_DECISION)
        .filter_map(|entry| {
            let decision = serde_json::from_value(entry.data.clone()).ok()?;
            Some((decision, entry.origin.by.as_str()))
        })
        .collect();
    record
        .events
        .iter()
        .filter(|entry| entry.kind == event::COMPENSATION)
        .filter_map(|entry| {
            let proposal: Proposal = serde_json::from_value(entry.data.clone()).ok()?;
            let approval = check_proposal(policy, &proposal).ok()?;
            let decided = decisions
                .iter()
                .find(|(decision, _)| decision.compensation == entry.id);
            let state = match (approval, decided) {
                (Approval::AgentMayOffer, _) => CompensationState::Final,
                (Approval::SupervisorMustApprove { .. }, Some((decision, by))) => {
                    if decision.approved {
                        CompensationState::Approved {
                            by: (*by).to_owned(),
                        }
                    } else {
                        CompensationState::Refused {
                            by: (*by).to_owned(),
                        }
                    }
                }
                (Approval::SupervisorMustApprove { above_tier_by }, None) => {
                    CompensationState::Pending { above_tier_by }
                }
            };
            Some(Compensation {
                id: entry.id,
                proposal,
                by: entry.origin.by.clone(),
                at: entry.origin.at,
                state,
            })
        })
        .collect()
}

/// The device's and the server's check of a compensation entry: a proposal passes
/// [`check_proposal`]; a decision answers a proposal of this case that is still pending.
pub fn check_compensation_change(
    policy: ReturnPolicy<'_>,
    existing: Option<&Record>,
    op: &Op,
) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let problem = |problem: CompensationProblem| problem.message();
    match kind.as_str() {
        event::COMPENSATION => {
            let proposal: Proposal = serde_json::from_value(data.clone())
                .map_err(|_| problem(CompensationProblem::Unreadable))?;
            check_proposal(policy, &proposal).map(drop).map_err(problem)
        }
        event::COMPENSATION_DECISION => {
            let decision: Decision = serde_json::from_value(data.clone())
                .map_err(|_| problem(CompensationProblem::Unreadable))?;
            if decision.note.chars().count() > NOTE_MAX_CHARS {
                return Err(problem(CompensationProblem::NoteTooLong));
            }
            let pending = existing.is_some_and(|record| {
                compensations(policy, record).iter().any(|compensation| {
                    compensation.id == decision.compensation
                        && matches!(compensation.state, CompensationState::Pending { .. })
                })
            });
            if pending {
                Ok(())
            } else {
                Err(problem(CompensationProblem::NothingPending))
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
