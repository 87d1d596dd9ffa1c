//! Complaint script (seed 000 §6.1–§6.6, categories §8.2): the six steps an agent follows live on the call, each with its required fields.
//!
//! The stage is plain data, so a script paused on one device resumes on another from the
//! stored stage and records.

use super::{Field, FlowError, require_done, require_option, require_some, require_text};
use crate::lang::Bilingual;
use crate::policy::Policy;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStage {
    Listen,
    Guide,
    Clarify,
    ResolveAndThank,
    Register,
    ReportBack,
    Done,
}

impl ComplaintStage {
    pub const ALL: [ComplaintStage; 7] = [
        ComplaintStage::Listen,
        ComplaintStage::Guide,
        ComplaintStage::Clarify,
        ComplaintStage::ResolveAndThank,
        ComplaintStage::Register,
        ComplaintStage::ReportBack,
        ComplaintStage::Done,
    ];

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            ComplaintStage::Listen => ("倾听认知", "Listen"),
            ComplaintStage::Guide => ("同步引导", "Guide"),
            ComplaintStage::Clarify => ("澄清陈述", "Clarify"),
            ComplaintStage::ResolveAndThank => ("解决感谢", "Resolve and thank"),
            ComplaintStage::Register => ("投诉登记", "Register"),
            ComplaintStage::ReportBack => ("处理结果反馈", "Report the result"),
            ComplaintStage::Done => ("已完成", "Done"),
        };
        Bilingual::new(zh, en)
    }

    /// What the manual tells the agent to do at this step.
    pub fn guidance(self) -> Bilingual {
        let (zh, en) = match self {
            ComplaintStage::Listen => (
                "倾听客户的感受，判断投诉心态（求发泄、求尊重、求补偿），弄清问题的本质及事实",
                "Listen to how the customer feels, note whether they want to vent, to be respected or to be compensated, and get the facts",
            ),
            ComplaintStage::Guide => (
                "与客户保持同步，让客户发泄不满，再用引导性问题弄清客户的需求",
                "Stay in step with the customer, let them vent, then ask guiding questions to find what they need",
            ),
            ComplaintStage::Clarify => (
                "提出可能的解决方案，总结问题达成一致；问题在我方应立即道歉并尽快解决，问题在客户则讲明实质",
                "Propose solutions, summarise and agree; if we are at fault apologise and act at once, if not explain the facts",
            ),
            ComplaintStage::ResolveAndThank => (
                "再问客户还有什么要求，告诉客户有问题可随时在线或电话联系，并感谢客户的宝贵意见",
                "Ask what else the customer needs, tell them they can reach us any time, and thank them for their feedback",
            ),
            ComplaintStage::Register => (
                "认真记录投诉的问题、解决方案和处理结果（客户投诉受理表）",
                "Record the problem, the solution and the result (complaint form)",
            ),
            ComplaintStage::ReportBack => (
                "反馈给相关部门或领导，解决后以邮件或电话告知客户",
                "Pass it to the responsible department, and tell the customer the result by email or phone",
            ),
            ComplaintStage::Done => ("投诉处理完毕", "The complaint is handled"),
        };
        Bilingual::new(zh, en)
    }

    pub fn required_fields(self) -> &'static [Field] {
        match self {
            ComplaintStage::Listen => &[MINDSET, FACTS],
            ComplaintStage::Guide => &[CUSTOMER_NEED],
            ComplaintStage::Clarify => &[
                PROPOSED_SOLUTION,
                AT_FAULT,
                APOLOGY_OR_EXPLANATION,
                CUSTOMER_AGREED,
            ],
            ComplaintStage::ResolveAndThank => &[ASKED_FOR_OTHER_NEEDS, THANKED],
            ComplaintStage::Register => &[CATEGORY, PROBLEM, SOLUTION, RESULT],
            ComplaintStage::ReportBack => &[DEPARTMENT, DEPARTMENT_RESULT, CUSTOMER_TOLD_BY],
            ComplaintStage::Done => &[],
        }
    }

    fn next(self) -> ComplaintStage {
        match self {
            ComplaintStage::Listen => ComplaintStage::Guide,
            ComplaintStage::Guide => ComplaintStage::Clarify,
            ComplaintStage::Clarify => ComplaintStage::ResolveAndThank,
            ComplaintStage::ResolveAndThank => ComplaintStage::Register,
            ComplaintStage::Register => ComplaintStage::ReportBack,
            ComplaintStage::ReportBack | ComplaintStage::Done => ComplaintStage::Done,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AtFault {
    /// 问题在我方: apologise and act at once.
    Shop,
    /// 问题在客户自身: explain the facts.
    Customer,
}

/// How the customer hears the outcome (§6.6 EMAIL或者电话; §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactMethod {
    Phone,
    Email,
}

/// What the agent records to finish a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ComplaintRecord {
    Listen {
        /// One of the policy's `customer_mindsets`.
        mindset: String,
        facts: String,
    },
    Guide {
        customer_need: String,
    },
    Clarify {
        proposed_solution: String,
        at_fault: Option<AtFault>,
        /// The apology made (our fault) or the facts explained (theirs).
        apology_or_explanation: String,
        customer_agreed: bool,
    },
    ResolveAndThank {
        asked_for_other_needs: bool,
        thanked: bool,
    },
    Register {
        /// One of the policy's `complaint_categories`.
        category: String,
        /// One of the policy's `complaint_causes`, when the cause is on our side.
        cause: Option<String>,
        problem: String,
        solution: String,
        result: String,
    },
    ReportBack {
        department: String,
        result: String,
        customer_told_by: Option<ContactMethod>,
    },
}

impl ComplaintRecord {
    pub fn stage(&self) -> ComplaintStage {
        match self {
            ComplaintRecord::Listen { .. } => ComplaintStage::Listen,
            ComplaintRecord::Guide { .. } => ComplaintStage::Guide,
            ComplaintRecord::Clarify { .. } => ComplaintStage::Clarify,
            ComplaintRecord::ResolveAndThank { .. } => ComplaintStage::ResolveAndThank,
            ComplaintRecord::Register { .. } => ComplaintStage::Register,
            ComplaintRecord::ReportBack { .. } => ComplaintStage::ReportBack,
        }
    }
}

pub const MINDSET: Field = Field {
    id: "mindset",
    zh: "投诉心态",
    en: "Customer's mindset",
};
pub const FACTS: Field = Field {
    id: "facts",
    zh: "事实经过",
    en: "Facts",
};
pub const CUSTOMER_NEED: Field = Field {
    id: "customer_need",
    zh: "客户需求",
    en: "Customer's need",
};
pub const PROPOSED_SOLUTION: Field = Field {
    id: "proposed_solution",
    zh: "解决方案",
    en: "Proposed solution",
};
pub const AT_FAULT: Field = Field {
    id: "at_fault",
    zh: "责任方",
    en: "Who is at fault",
};
pub const APOLOGY_OR_EXPLANATION: Field = Field {
    id: "apology_or_explanation",
    zh: "道歉或说明",
    en: "Apology or explanation",
};
pub const CUSTOMER_AGREED: Field = Field {
    id: "customer_agreed",
    zh: "客户同意方案",
    en: "Customer agreed",
};
pub const ASKED_FOR_OTHER_NEEDS: Field = Field {
    id: "asked_for_other_needs",
    zh: "已询问其他要求",
    en: "Asked what else is needed",
};
pub const THANKED: Field = Field {
    id: "thanked",
    zh: "已感谢客户",
    en: "Thanked the customer",
};
pub const CATEGORY: Field = Field {
    id: "category",
    zh: "投诉分类",
    en: "Complaint category",
};
pub const CAUSE: Field = Field {
    id: "cause",
    zh: "投诉原因",
    en: "Cause",
};
pub const PROBLEM: Field = Field {
    id: "problem",
    zh: "投诉问题",
    en: "Problem",
};
pub const SOLUTION: Field = Field {
    id: "solution",
    zh: "解决方案",
    en: "Solution",
};
pub const RESULT: Field = Field {
    id: "result",
    zh: "处理结果",
    en: "Result",
};
pub const DEPARTMENT: Field = Field {
    id: "department",
    zh: "责任部门",
    en: "Responsible department",
};
pub const DEPARTMENT_RESULT: Field = Field {
    id: "department_result",
    zh: "部门处理结果",
    en: "Department's result",
};
pub const CUSTOMER_TOLD_BY: Field = Field {
    id: "customer_told_by",
    zh: "告知客户方式（电话或邮件）",
    en: "Customer told by (phone or email)",
};

/// Completes the current step with `record`, giving the next stage. Steps go strictly in
/// order; a record for another step, or one missing a required field, is refused.
pub fn complete(
    policy: &Policy,
    stage: ComplaintStage,
    record: &ComplaintRecord,
) -> Result<ComplaintStage, FlowError> {
    if stage == ComplaintStage::Done || record.stage() != stage {
        return Err(FlowError::IllegalTransition {
            from: stage.name(),
            action: record.stage().name(),
        });
    }
    match record {
        ComplaintRecord::Listen { mindset, facts } => {
            require_option(
                &MINDSET,
                mindset,
                policy.customer_mindsets.iter().map(|m| m.id.as_str()),
            )?;
            require_text(&FACTS, facts)?;
        }
        ComplaintRecord::Guide { customer_need } => require_text(&CUSTOMER_NEED, customer_need)?,
        ComplaintRecord::Clarify {
            proposed_solution,
            at_fault,
            apology_or_explanation,
            customer_agreed,
        } => {
            require_text(&PROPOSED_SOLUTION, proposed_solution)?;
            require_some(&AT_FAULT, at_fault)?;
            require_text(&APOLOGY_OR_EXPLANATION, apology_or_explanation)?;
            require_done(&CUSTOMER_AGREED, *customer_agreed)?;
        }
        ComplaintRecord::ResolveAndThank {
            asked_for_other_needs,
            thanked,
        } => {
            require_done(&ASKED_FOR_OTHER_NEEDS, *asked_for_other_needs)?;
            require_done(&THANKED, *thanked)?;
        }
        ComplaintRecord::Register {
            category,
            cause,
            problem,
            solution,
            result,
        } => {
            require_option(
                &CATEGORY,
                category,
                policy.complaint_categories.iter().map(|c| c.id.as_str()),
            )?;
            if let Some(cause) = cause {
                require_option(
                    &CAUSE,
                    cause,
                    policy.complaint_causes.iter().map(|c| c.id.as_str()),
                )?;
            }
            require_text(&PROBLEM, problem)?;
            require_text(&SOLUTION, solution)?;
            require_text(&RESULT, result)?;
        }
        ComplaintRecord::ReportBack {
            department,
            result,
            customer_told_by,
        } => {
            require_text(&DEPARTMENT, department)?;
            require_text(&DEPARTMENT_RESULT, result)?;
            require_some(&CUSTOMER_TOLD_BY, customer_told_by)?;
        }
    }
    Ok(stage.next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> &'static Policy {
        Policy::default_policy()
    }

    /// A complete, valid record for each step, in script order.
    fn records() -> Vec<ComplaintRecord> {
        vec![
            ComplaintRecord::Listen {
                mindset: "compensation".into(),
                facts: "收到的包包拉链坏了".into(),
            },
            ComplaintRecord::Guide {
                customer_need: "希望换一个新的".into(),
            },
            ComplaintRecord::Clarify {
                proposed_solution: "包邮换货".into(),
                at_fault: Some(AtFault::Shop),
                apology_or_explanation: "已向客户道歉".into(),
                customer_agreed: true,
            },
            ComplaintRecord::ResolveAndThank {
                asked_for_other_needs: true,
                thanked: true,
            },
            ComplaintRecord::Register {
                category: "product_quality".into(),
                cause: Some("defect".into()),
                problem: "拉链损坏".into(),
                solution: "包邮换货".into(),
                result: "客户满意".into(),
            },
            ComplaintRecord::ReportBack {
                department: "仓储部".into(),
                result: "已补发新包".into(),
                customer_told_by: Some(ContactMethod::Phone),
            },
        ]
    }

    #[test]
    fn every_stage_and_record_pair() {
        let order = &ComplaintStage::ALL[..6];
        for stage in ComplaintStage::ALL {
            for record in records() {
                let result = complete(policy(), stage, &record);
                if record.stage() == stage {
                    let position = order.iter().position(|s| *s == stage).unwrap();
                    assert_eq!(result, Ok(ComplaintStage::ALL[position + 1]), "{stage:?}");
                } else {
                    assert_eq!(
                        result,
                        Err(FlowError::IllegalTransition {
                            from: stage.name(),
                            action: record.stage().name(),
                        }),
                        "{stage:?} {record:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_six_steps_in_order_finish_the_script() {
        let stage = records()
            .iter()
            .try_fold(ComplaintStage::Listen, |stage, record| {
                complete(policy(), stage, record)
            });
        assert_eq!(stage, Ok(ComplaintStage::Done));
    }

    #[test]
    fn missing_fields_table() {
        let with = |index: usize, edit: fn(&mut ComplaintRecord)| {
            let mut record = records()[index].clone();
            edit(&mut record);
            record
        };
        let table: Vec<(ComplaintRecord, FlowError)> = vec![
            (
                with(0, |r| {
                    if let ComplaintRecord::Listen { mindset, .. } = r {
                        mindset.clear();
                    }
                }),
                FlowError::missing(&MINDSET),
            ),
            (
                with(0, |r| {
                    if let ComplaintRecord::Listen { mindset, .. } = r {
                        *mindset = "revenge".into();
                    }
                }),
                FlowError::NotAnOption {
                    field: "mindset".into(),
                    name: MINDSET.name(),
                    value: "revenge".into(),
                },
            ),
            (
                with(0, |r| {
                    if let ComplaintRecord::Listen { facts, .. } = r {
                        *facts = "  ".into();
                    }
                }),
                FlowError::missing(&FACTS),
            ),
            (
                with(1, |r| {
                    if let ComplaintRecord::Guide { customer_need } = r {
                        customer_need.clear();
                    }
                }),
                FlowError::missing(&CUSTOMER_NEED),
            ),
            (
                with(2, |r| {
                    if let ComplaintRecord::Clarify {
                        proposed_solution, ..
                    } = r
                    {
                        proposed_solution.clear();
                    }
                }),
                FlowError::missing(&PROPOSED_SOLUTION),
            ),
            (
                with(2, |r| {
                    if let ComplaintRecord::Clarify { at_fault, .. } = r {
                        *at_fault = None;
                    }
                }),
                FlowError::missing(&AT_FAULT),
            ),
            (
                with(2, |r| {
                    if let ComplaintRecord::Clarify {
                        apology_or_explanation,
                        ..
                    } = r
                    {
                        apology_or_explanation.clear();
                    }
                }),
                FlowError::missing(&APOLOGY_OR_EXPLANATION),
            ),
            (
                with(2, |r| {
                    if let ComplaintRecord::Clarify {
                        customer_agreed, ..
                    } = r
                    {
                        *customer_agreed = false;
                    }
                }),
                FlowError::missing(&CUSTOMER_AGREED),
            ),
            (
                with(3, |r| {
                    if let ComplaintRecord::ResolveAndThank {
                        asked_for_other_needs,
                        ..
                    } = r
                    {
                        *asked_for_other_needs = false;
                    }
                }),
                FlowError::missing(&ASKED_FOR_OTHER_NEEDS),
            ),
            (
                with(3, |r| {
                    if let ComplaintRecord::ResolveAndThank { thanked, .. } = r {
                        *thanked = false;
                    }
                }),
                FlowError::missing(&THANKED),
            ),
            (
                with(4, |r| {
                    if let ComplaintRecord::Register { category, .. } = r {
                        *category = "weather".into();
                    }
                }),
                FlowError::NotAnOption {
                    field: "category".into(),
                    name: CATEGORY.name(),
                    value: "weather".into(),
                },
            ),
            (
                with(4, |r| {
                    if let ComplaintRecord::Register { cause, .. } = r {
                        *cause = Some("bad_luck".into());
                    }
                }),
                FlowError::NotAnOption {
                    field: "cause".into(),
                    name: CAUSE.name(),
                    value: "bad_luck".into(),
                },
            ),
            (
                with(4, |r| {
                    if let ComplaintRecord::Register { problem, .. } = r {
                        problem.clear();
                    }
                }),
                FlowError::missing(&PROBLEM),
            ),
            (
                with(4, |r| {
                    if let ComplaintRecord::Register { solution, .. } = r {
                        solution.clear();
                    }
                }),
                FlowError::missing(&SOLUTION),
            ),
            (
                with(4, |r| {
                    if let ComplaintRecord::Register { result, .. } = r {
                        result.clear();
                    }
                }),
                FlowError::missing(&RESULT),
            ),
            (
                with(5, |r| {
                    if let ComplaintRecord::ReportBack { department, .. } = r {
                        department.clear();
                    }
                }),
                FlowError::missing(&DEPARTMENT),
            ),
            (
                with(5, |r| {
                    if let ComplaintRecord::ReportBack { result, .. } = r {
                        result.clear();
                    }
                }),
                FlowError::missing(&DEPARTMENT_RESULT),
            ),
            (
                with(5, |r| {
                    if let ComplaintRecord::ReportBack {
                        customer_told_by, ..
                    } = r
                    {
                        *customer_told_by = None;
                    }
                }),
                FlowError::missing(&CUSTOMER_TOLD_BY),
            ),
        ];
        for (record, expected) in table {
            assert_eq!(
                complete(policy(), record.stage(), &record),
                Err(expected),
                "{record:?}"
            );
        }
    }

    #[test]
    fn a_cause_is_optional_when_the_fault_is_not_ours() {
        let mut record = records()[4].clone();
        if let ComplaintRecord::Register { cause, .. } = &mut record {
            *cause = None;
        }
        assert_eq!(
            complete(policy(), ComplaintStage::Register, &record),
            Ok(ComplaintStage::ReportBack)
        );
    }

    #[test]
    fn every_step_has_guidance_and_lists_its_fields() {
        for stage in ComplaintStage::ALL {
            assert!(!stage.guidance().zh.is_empty() && !stage.guidance().en.is_empty());
            assert_eq!(
                stage.required_fields().is_empty(),
                stage == ComplaintStage::Done
            );
        }
    }
}
