//! Sales inquiries (seed 000 §4.1–§4.5; SPEC §1): the stages a sales conversation moves
//! through, each recorded on the case as a timeline event with what the agent should do in
//! it, and the four named kinds of objection. A case's stage is its latest recorded one.

use crate::account::roles;
use crate::input::{InputError, check_side_note};
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::policy::Label;
use crate::record::Record;
use crate::sync::Op;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The sales stages' timeline entry.
pub mod event {
    /// A sales stage reached: `{"stage", "objection", "note"}`.
    pub const SALES_STAGE: &str = "sales_stage";
}

/// The sales stages as a workflow on a case.
pub struct SalesStages;

impl CaseWorkflow for SalesStages {
    fn events(&self) -> &'static [EventRule] {
        &[EventRule {
            kind: event::SALES_STAGE,
            roles: roles::DESK,
        }]
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        data["stage"]
            .as_str()
            .and_then(SalesStage::parse)
            .ok_or(InputError::SalesStageInvalid)?;
        check_side_note(&data["note"])
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_sales_change(&context.policy.objection_kinds, context.op)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesStage {
    /// 4.1 咨询受理.
    Accept,
    /// 4.2 探问和咨询.
    Probe,
    /// 4.3 解决方案和价值共识.
    Propose,
    /// 4.4 克服异议: names one of the policy's `objection_kinds`.
    Objection,
    /// 4.5 鼓舞行动.
    CallToAction,
}

impl SalesStage {
    pub const ALL: [SalesStage; 5] = [
        SalesStage::Accept,
        SalesStage::Probe,
        SalesStage::Propose,
        SalesStage::Objection,
        SalesStage::CallToAction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SalesStage::Accept => "accept",
            SalesStage::Probe => "probe",
            SalesStage::Propose => "propose",
            SalesStage::Objection => "objection",
            SalesStage::CallToAction => "call_to_action",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|stage| stage.as_str() == text)
    }

    pub fn name(self) -> Bilingual {
        match self {
            SalesStage::Accept => Bilingual::new("咨询受理", "Accept"),
            SalesStage::Probe => Bilingual::new("探问需求", "Probe needs"),
            SalesStage::Propose => Bilingual::new("方案与价值共识", "Propose and agree value"),
            SalesStage::Objection => Bilingual::new("克服异议", "Handle objections"),
            SalesStage::CallToAction => Bilingual::new("鼓舞行动", "Call to action"),
        }
    }

    /// What the manual asks of the agent at this stage, shown beside it.
    pub fn guidance(self) -> Bilingual {
        match self {
            SalesStage::Accept => Bilingual::new(
                "获得客户意图，让客户明确服务范围和方式，确定客户期望值不失真。",
                "Learn what the customer wants, make the scope and way of service clear, keep expectations true.",
            ),
            SalesStage::Probe => Bilingual::new(
                "用开放和封闭的问题了解客户真实、具体的需求。",
                "Ask open and closed questions to learn the customer's real, specific needs.",
            ),
            SalesStage::Propose => Bilingual::new(
                "沟通风险和收益、特性和优势，达成共识并尝试成交。",
                "Talk through risks and benefits, features and advantages; agree and try to close.",
            ),
            SalesStage::Objection => Bilingual::new(
                "承认，反转，感受—认同—新方案。",
                "Acknowledge, turn it around: feel, felt, found — a new proposal.",
            ),
            SalesStage::CallToAction => Bilingual::new(
                "明确购买信号，强化业务信心和专业态度，鼓舞客户行动。",
                "Confirm the buying signal, build confidence with a professional attitude, prompt the customer to act.",
            ),
        }
    }
}

/// The data of a stage event: the stage, the objection's kind (only for an objection) and a
/// note.
pub fn sales_stage_data(stage: SalesStage, objection: Option<&str>, note: &str) -> Value {
    json!({ "stage": stage.as_str(), "objection": objection, "note": note })
}

/// The case's sales stage: its latest recorded one, `None` before any.
pub fn current_stage(record: &Record) -> Option<SalesStage> {
    record
        .events
        .iter()
        .rev()
        .filter(|entry| entry.kind == event::SALES_STAGE)
        .find_map(|entry| SalesStage::parse(entry.data["stage"].as_str()?))
}

/// Whether a stage event names its objection correctly: an objection one of the policy's
/// kinds, any other stage none.
pub fn check_sales_change(objection_kinds: &[Label], op: &Op) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    if kind != event::SALES_STAGE {
        return Ok(());
    }
    let stage = data["stage"].as_str().and_then(SalesStage::parse);
    let objection = data["objection"].as_str();
    match (stage, objection) {
        (Some(SalesStage::Objection), Some(named))
            if objection_kinds.iter().any(|known| known.id == named) =>
        {
            Ok(())
        }
        (Some(SalesStage::Objection), _) => Err(Bilingual::new(
            "请选择异议类型：临时无购买力、临时无决策权、对情况尚未充分了解或价格",
            "Please choose the kind of objection: no budget now, no authority, not enough information, or price",
        )),
        (Some(_), None) => Ok(()),
        (Some(_), Some(_)) => Err(Bilingual::new(
            "只有“克服异议”阶段记录异议类型",
            "Only the objection stage records a kind of objection",
        )),
        (None, _) => Err(Bilingual::new("销售阶段不对", "Unknown sales stage")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::policy::Policy;
    use crate::record::RecordType;
    use crate::sync::Change;
    use uuid::Uuid;

    fn stage_change(data: Value) -> Change {
        Change {
            change_id: Uuid::from_u128(1),
            device: Uuid::from_u128(2),
            stamp: Hlc::new(1, 0),
            record_type: RecordType::Case,
            record_id: Uuid::from_u128(3),
            op: Op::Append {
                event: Uuid::from_u128(4),
                kind: event::SALES_STAGE.into(),
                data,
            },
        }
    }

    #[test]
    fn an_objection_names_one_of_the_four_kinds_and_only_an_objection_does() {
        let kinds = &Policy::default_policy().objection_kinds;
        let table = [
            (sales_stage_data(SalesStage::Accept, None, ""), true),
            (
                sales_stage_data(SalesStage::Objection, Some("price"), "嫌贵"),
                true,
            ),
            (
                sales_stage_data(SalesStage::Objection, Some("no_budget_now"), ""),
                true,
            ),
            (sales_stage_data(SalesStage::Objection, None, "嫌贵"), false),
            (
                sales_stage_data(SalesStage::Objection, Some("weather"), ""),
                false,
            ),
            (
                sales_stage_data(SalesStage::Probe, Some("price"), ""),
                false,
            ),
            (json!({"stage": "closing"}), false),
        ];
        for (data, allowed) in table {
            let checked = check_sales_change(kinds, &stage_change(data.clone()).op);
            assert_eq!(checked.is_ok(), allowed, "{data}: {checked:?}");
        }
    }

    #[test]
    fn every_stage_has_a_name_and_guidance_in_both_languages() {
        for stage in SalesStage::ALL {
            assert_eq!(SalesStage::parse(stage.as_str()), Some(stage));
            for text in [stage.name(), stage.guidance()] {
                assert!(!text.zh.is_empty() && !text.en.is_empty() && text.zh != text.en);
            }
        }
    }

    #[test]
    fn the_current_stage_is_the_latest_recorded() {
        use crate::record::{Receipt, apply};
        let mut record = None;
        assert_eq!(
            current_stage(&Record::empty(RecordType::Case, Uuid::nil(), "east")),
            None
        );
        for (n, stage) in [SalesStage::Accept, SalesStage::Probe, SalesStage::Objection]
            .into_iter()
            .enumerate()
        {
            let mut change = stage_change(sales_stage_data(stage, Some("price"), ""));
            change.change_id = Uuid::from_u128(10 + n as u128);
            change.stamp = Hlc::new(10 + n as i64, 0);
            if let Op::Append { event, .. } = &mut change.op {
                *event = Uuid::from_u128(20 + n as u128);
            }
            let receipt = Receipt {
                change,
                by: "demo".into(),
                team: "east".into(),
                at: chrono::DateTime::UNIX_EPOCH,
            };
            record = Some(apply(record, &receipt));
        }
        assert_eq!(current_stage(&record.unwrap()), Some(SalesStage::Objection));
    }
}
