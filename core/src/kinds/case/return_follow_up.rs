//! A return's progress on its case (seed 000 §5.7(6) 退换货审核跟进, seed 002 退货处理, SPEC §3):
//! `rules::return_flow` driven by the case's timeline. The agent's review, settlement and
//! closing are `return_step` events; the packing station's inspections move it too (the parcel
//! received, then accepted, sent back or escalated). The device checks each before saving it
//! and the server checks it again against the record it holds, so a return cannot be refunded
//! before its parcel passed inspection, nor inspected before it was approved.

use crate::account::{Denied, UserInfo, decides_as_supervisor, roles};
use crate::input::InputError;
use crate::kinds::case::returns::event::INSPECTION;
use crate::kinds::case::returns::{Inspection, InspectionDecision, InspectionProblem, ReturnFacts};
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::policy::RequestType;
use crate::record::Record;
use crate::rules::FlowError;
use crate::rules::return_eligibility::ReturnDecision;
use crate::rules::return_flow::{ReturnEvent, ReturnState, apply};
use crate::sync::Op;
use serde_json::Value;

/// The return flow's timeline entries (the station's inspection is named in `returns`).
pub mod event {
    /// An agent's step of a return: a `rules::return_flow::ReturnEvent` (approve, reject,
    /// settle, withdraw, close).
    pub const RETURN_STEP: &str = "return_step";
    pub use crate::kinds::case::returns::event::INSPECTION;
}

/// A return's flow as a workflow on a case: the agent's steps and the station's inspections.
pub struct ReturnFollowUp;

impl CaseWorkflow for ReturnFollowUp {
    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::RETURN_STEP,
                roles: roles::DESK,
            },
            EventRule {
                kind: INSPECTION,
                roles: roles::DESK_AND_STATION,
            },
        ]
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        if kind == event::RETURN_STEP {
            return serde_json::from_value::<ReturnEvent>(data.clone())
                .ok()
                .filter(is_agent_step)
                .map(drop)
                .ok_or(InputError::ReturnStepInvalid);
        }
        serde_json::from_value::<Inspection>(data.clone())
            .map(drop)
            .map_err(|_| InputError::InspectionInvalid)
    }

    /// Seed 002/003: what the station cannot decide goes to the supervisor (主管).
    fn may_append(
        &self,
        user: &UserInfo,
        existing: Option<&Record>,
        kind: &str,
    ) -> Result<(), Denied> {
        let escalated =
            existing.is_some_and(|record| return_state(record) == ReturnState::Escalated);
        if kind == INSPECTION && escalated && !decides_as_supervisor(user.role) {
            Err(Denied::SupervisorDecides)
        } else {
            Ok(())
        }
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_return_flow(context.existing, context.op)
    }
}

/// The steps an agent records as `return_step` events. The station's steps (the parcel
/// received, accepted, sent back, escalated) come from inspections only.
pub fn is_agent_step(step: &ReturnEvent) -> bool {
    matches!(
        step,
        ReturnEvent::Approve { .. }
            | ReturnEvent::Reject { .. }
            | ReturnEvent::Settle { .. }
            | ReturnEvent::Withdraw
            | ReturnEvent::Close
    )
}

/// The flow's events an inspection stands for, from `state`: a parcel awaited is received
/// first, then the packer's decision. `inspector` is who recorded it.
pub fn inspection_steps(
    state: ReturnState,
    inspection: &Inspection,
    inspector: &str,
) -> Vec<ReturnEvent> {
    let mut steps = Vec::with_capacity(2);
    if state == ReturnState::AwaitingParcel {
        steps.push(ReturnEvent::ReceiveParcel {
            tracking_number: inspection.tracking.clone(),
        });
    }
    steps.push(match inspection.decision {
        InspectionDecision::AcceptRefund | InspectionDecision::AcceptReship => {
            ReturnEvent::AcceptParcel {
                inspector: inspector.to_owned(),
                // The packer accepted: what differed is in the note.
                checklist_passed: true,
                photo_count: u32::try_from(inspection.photos.len()).unwrap_or(u32::MAX),
            }
        }
        InspectionDecision::RejectSendBack => ReturnEvent::RejectParcel {
            inspector: inspector.to_owned(),
            reason: inspection.note.clone(),
        },
        InspectionDecision::Escalate => ReturnEvent::Escalate {
            reason: inspection.note.clone(),
        },
    });
    steps
}

/// The flow's events one timeline entry stands for, from `state`; none for other entries.
fn entry_steps(state: ReturnState, kind: &str, data: &Value, by: &str) -> Vec<ReturnEvent> {
    match kind {
        event::RETURN_STEP => serde_json::from_value::<ReturnEvent>(data.clone())
            .ok()
            .filter(is_agent_step)
            .into_iter()
            .collect(),
        INSPECTION => serde_json::from_value::<Inspection>(data.clone())
            .map(|inspection| inspection_steps(state, &inspection, by))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Applies `steps` in turn; the state after them, or why one may not be taken.
fn apply_all(state: ReturnState, steps: &[ReturnEvent]) -> Result<ReturnState, FlowError> {
    steps.iter().try_fold(state, apply)
}

/// Where the return stands: requested, moved by each step and inspection in time order (one
/// that does not apply, e.g. one of two made offline at once, leaves it where it was).
pub fn return_state(record: &Record) -> ReturnState {
    record
        .events
        .iter()
        .fold(ReturnState::Requested, |state, entry| {
            let steps = entry_steps(state, &entry.kind, &entry.data, &entry.origin.by);
            apply_all(state, &steps).unwrap_or(state)
        })
}

/// Approving a request, with the review's reasons: the parcel is awaited when goods come back
/// (a return or an exchange, or whenever the review says who pays the return shipping).
pub fn approval_step(
    request_type: RequestType,
    decision: &ReturnDecision,
    reviewer: &str,
) -> ReturnEvent {
    ReturnEvent::Approve {
        reviewer: reviewer.to_owned(),
        review_note: decision
            .reasons
            .iter()
            .map(|reason| reason.zh.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        parcel_expected: decision.return_shipping_paid_by.is_some()
            || matches!(
                request_type,
                RequestType::ReturnRefund | RequestType::Exchange
            ),
    }
}

/// The step that records the agent's review when the return is opened: approved if eligible;
/// `None` when it is not and someone must decide.
pub fn review_step(
    request_type: RequestType,
    decision: &ReturnDecision,
    reviewer: &str,
) -> Option<ReturnEvent> {
    decision
        .eligible
        .then(|| approval_step(request_type, decision, reviewer))
}

/// The data of a `return_step` event.
pub fn return_step_data(step: &ReturnEvent) -> Value {
    serde_json::to_value(step).unwrap_or(Value::Null)
}

/// Whether `op` may be applied to the return `existing` by the return flow: a step or an
/// inspection must follow from where the return stands. Other changes, and changes to cases
/// that are not returns, pass.
pub fn check_return_flow(existing: Option<&Record>, op: &Op) -> Result<(), Bilingual> {
    let (Op::Append { kind, data, .. }, Some(record)) = (op, existing) else {
        return Ok(());
    };
    if kind != event::RETURN_STEP && kind != INSPECTION {
        return Ok(());
    }
    if ReturnFacts::from_record(record).is_none() {
        // An inspection of a case that is not a return is refused by its own check.
        return match kind.as_str() {
            event::RETURN_STEP => Err(InspectionProblem::NotAReturn.message()),
            _ => Ok(()),
        };
    }
    let state = return_state(record);
    // Who inspected does not change whether the step may be taken.
    let steps = entry_steps(state, kind, data, "station");
    apply_all(state, &steps)
        .map(drop)
        .map_err(|error| error.message())
}

#[cfg(test)]
mod tests;
