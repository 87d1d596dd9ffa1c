//! The after-sales situation on a return case (seed 002/003: 少件, 发错货, 质量问题, 客服失误,
//! 丢件), guided by `rules::after_sales_guide`. Each answer the agent gives is kept as an
//! `after_sales_situation` entry holding the situation and every answer so far, so nothing is
//! lost offline and the latest entry is where the case stands. The resolution is derived from
//! the answers, never stored, so the device and the server cannot disagree on it. A resolution
//! the manual leaves to a supervisor is final only once a supervisor records the same answers
//! with `supervisor_agrees`; the server refuses that flag from anyone else.

use crate::account::{Role, decides_as_supervisor, roles};
use crate::input::InputError;
use crate::kinds::case::Case;
use crate::kinds::case::order_follow_up::order_steps;
use crate::kinds::case::returns::ReturnFacts;
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::policy::province_in;
use crate::record::Record;
use crate::rules::after_sales_guide::{
    Answers, Guidance, GuidePolicy, Question, Resolution, Situation, guide,
};
use crate::rules::order_flow::OrderEvent;
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The after-sales situation's timeline entry.
pub mod event {
    /// The after-sales situation and the answers given so far: a [`super::SituationEntry`].
    pub const AFTER_SALES_SITUATION: &str = "after_sales_situation";
}

/// The after-sales situation as a workflow on a case.
pub struct AfterSalesSituations;

impl CaseWorkflow for AfterSalesSituations {
    fn events(&self) -> &'static [EventRule] {
        &[EventRule {
            kind: event::AFTER_SALES_SITUATION,
            roles: roles::DESK,
        }]
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        serde_json::from_value::<SituationEntry>(data.clone())
            .map(drop)
            .map_err(|_| InputError::SituationInvalid)
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_situation_change(
            context.policy.into(),
            context.user.role,
            context.existing,
            context.op,
        )
    }
}

/// The data of an `after_sales_situation` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationEntry {
    pub situation: Situation,
    #[serde(default)]
    pub answers: Answers,
    /// A supervisor agrees to the resolution these answers lead to.
    #[serde(default)]
    pub supervisor_agrees: bool,
}

/// Where a situation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SituationState {
    /// The guide's next question.
    Asking(Question),
    /// The manual's answer needs a supervisor, who has not agreed yet.
    AwaitingSupervisor(Resolution),
    Resolved(Resolution),
}

impl SituationState {
    pub fn as_str(&self) -> &'static str {
        match self {
            SituationState::Asking(_) => "asking",
            SituationState::AwaitingSupervisor(_) => "awaiting_supervisor",
            SituationState::Resolved(_) => "resolved",
        }
    }

    /// The resolution once nothing more is needed.
    pub fn settled(&self) -> Option<&Resolution> {
        match self {
            SituationState::Resolved(resolution) => Some(resolution),
            _ => None,
        }
    }
}

/// Where `entry` stands by the guide.
pub fn situation_state(policy: GuidePolicy<'_>, entry: &SituationEntry) -> SituationState {
    match guide(policy, entry.situation, &entry.answers) {
        Guidance::Ask(question) => SituationState::Asking(question),
        Guidance::Resolved(resolution)
            if resolution.needs_supervisor && !entry.supervisor_agrees =>
        {
            SituationState::AwaitingSupervisor(resolution)
        }
        Guidance::Resolved(resolution) => SituationState::Resolved(resolution),
    }
}

/// The case's situation: its latest entry, who recorded it and when, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSituation {
    pub entry: SituationEntry,
    pub by: String,
    pub at: DateTime<Utc>,
    pub state: SituationState,
}

/// The latest situation recorded on `record`, if any (entries are in time order).
pub fn case_situation(policy: GuidePolicy<'_>, record: &Record) -> Option<CaseSituation> {
    record
        .events
        .iter()
        .rev()
        .filter(|entry| entry.kind == event::AFTER_SALES_SITUATION)
        .find_map(|entry| {
            let situation: SituationEntry = serde_json::from_value(entry.data.clone()).ok()?;
            Some(CaseSituation {
                state: situation_state(policy, &situation),
                entry: situation,
                by: entry.origin.by.clone(),
                at: entry.origin.at,
            })
        })
}

/// What a claim to the courier names (seed 002 快递问题处理 4): the tracking number the order
/// was shipped under, the order number and the goods' price; `None` where the case does not
/// know it yet, so the agent sees what to look up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourierClaim {
    pub tracking_number: Option<String>,
    pub order_number: Option<String>,
    pub price: Option<Fen>,
}

pub fn courier_claim(record: &Record, entry: &SituationEntry) -> CourierClaim {
    let tracking_number = order_steps(record)
        .into_iter()
        .rev()
        .find_map(|step| match step.event {
            OrderEvent::Ship {
                tracking_number, ..
            } => Some(tracking_number),
            _ => None,
        });
    CourierClaim {
        tracking_number,
        order_number: Case::from_record(record).and_then(|case| case.order_number),
        price: entry.answers.item_value,
    }
}

/// Why an entry was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SituationProblem {
    NotAReturn,
    UnknownProvince { province: String },
    NegativePrice,
    NothingToAgreeTo,
    SupervisorOnly,
}

impl SituationProblem {
    pub fn message(&self) -> Bilingual {
        match self {
            SituationProblem::NotAReturn => Bilingual::new(
                "只有退换货（售后）案件可以记录售后情况",
                "Only a return (after-sales) case records an after-sales situation",
            ),
            SituationProblem::UnknownProvince { province } => Bilingual::new(
                format!("“{province}”不是可选的省份"),
                format!("\"{province}\" is not one of the provinces"),
            ),
            SituationProblem::NegativePrice => {
                Bilingual::new("价格不能为负数", "A price cannot be negative")
            }
            SituationProblem::NothingToAgreeTo => Bilingual::new(
                "这个处理方案不需要主管同意",
                "This resolution does not need a supervisor's agreement",
            ),
            SituationProblem::SupervisorOnly => Bilingual::new(
                "这个处理方案须由客服主管同意",
                "Only a supervisor can agree to this resolution",
            ),
        }
    }
}

/// Whether `change` may record a situation on `existing` by a user of `role`: only on a
/// return, with answers the policy knows, and a supervisor's agreement only from a supervisor
/// (or an admin) to a resolution that needs one. Other changes pass.
pub fn check_situation_change(
    policy: GuidePolicy<'_>,
    role: Role,
    existing: Option<&Record>,
    op: &Op,
) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    if kind != event::AFTER_SALES_SITUATION {
        return Ok(());
    }
    if existing.and_then(ReturnFacts::from_record).is_none() {
        return Err(SituationProblem::NotAReturn.message());
    }
    // Its shape was checked by `validate::check_change`.
    let Ok(entry) = serde_json::from_value::<SituationEntry>(data.clone()) else {
        return Ok(());
    };
    check_entry(policy, role, &entry).map_err(|problem| problem.message())
}

fn check_entry(
    policy: GuidePolicy<'_>,
    role: Role,
    entry: &SituationEntry,
) -> Result<(), SituationProblem> {
    if let Some(province) = &entry.answers.province
        && province_in(policy.allowance.provinces, province).is_err()
    {
        return Err(SituationProblem::UnknownProvince {
            province: province.clone(),
        });
    }
    if entry
        .answers
        .item_value
        .is_some_and(|price| price < Fen::ZERO)
    {
        return Err(SituationProblem::NegativePrice);
    }
    if !entry.supervisor_agrees {
        return Ok(());
    }
    if !decides_as_supervisor(role) {
        return Err(SituationProblem::SupervisorOnly);
    }
    match guide(policy, entry.situation, &entry.answers) {
        Guidance::Resolved(resolution) if resolution.needs_supervisor => Ok(()),
        _ => Err(SituationProblem::NothingToAgreeTo),
    }
}

#[cfg(test)]
mod tests;
