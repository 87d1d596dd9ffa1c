//! Feedback flow (seed 000 §7.1–§7.5): listen, thank, explain (no promises), register, report back; each step with its required fields.

use super::complaint_script::ContactMethod;
use super::{Field, FlowError, require_done, require_some, require_text};
use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStage {
    Listen,
    Thank,
    Explain,
    Register,
    ReportBack,
    Done,
}

impl FeedbackStage {
    pub const ALL: [FeedbackStage; 6] = [
        FeedbackStage::Listen,
        FeedbackStage::Thank,
        FeedbackStage::Explain,
        FeedbackStage::Register,
        FeedbackStage::ReportBack,
        FeedbackStage::Done,
    ];

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            FeedbackStage::Listen => ("倾听理解", "Listen"),
            FeedbackStage::Thank => ("感谢客户", "Thank"),
            FeedbackStage::Explain => ("解答陈述", "Explain"),
            FeedbackStage::Register => ("反馈登记", "Register"),
            FeedbackStage::ReportBack => ("处理结果反馈", "Report the result"),
            FeedbackStage::Done => ("已完成", "Done"),
        };
        Bilingual::new(zh, en)
    }

    pub fn guidance(self) -> Bilingual {
        let (zh, en) = match self {
            FeedbackStage::Listen => (
                "客户反馈是友好的求实动机，理解潜在需求的本质",
                "Feedback is a friendly wish to improve: understand the need behind it",
            ),
            FeedbackStage::Thank => (
                "真诚感谢用户的关注和参与，引导用户更清晰地表达需求",
                "Sincerely thank the customer and help them state their need clearly",
            ),
            FeedbackStage::Explain => (
                "陈述目前的产品和服务，说明改进和优化的打算（非承诺），再次感谢客户",
                "Explain the current product and service and any improvement plan (not a promise), and thank them again",
            ),
            FeedbackStage::Register => (
                "认真记录客户反馈的问题和建议（客户反馈意见登记表）",
                "Record the problem and the suggestion (feedback form)",
            ),
            FeedbackStage::ReportBack => (
                "把问题反馈到相应部门或领导，解决完成后通知客户",
                "Pass it to the responsible department and tell the customer when it is done",
            ),
            FeedbackStage::Done => ("反馈处理完毕", "The feedback is handled"),
        };
        Bilingual::new(zh, en)
    }

    pub fn required_fields(self) -> &'static [Field] {
        match self {
            FeedbackStage::Listen => &[UNDERLYING_NEED],
            FeedbackStage::Thank => &[THANKED],
            FeedbackStage::Explain => &[CURRENT_SERVICE, THANKED_AGAIN],
            FeedbackStage::Register => &[PROBLEM, SUGGESTION],
            FeedbackStage::ReportBack => &[DEPARTMENT, CUSTOMER_TOLD_BY],
            FeedbackStage::Done => &[],
        }
    }

    fn next(self) -> FeedbackStage {
        match self {
            FeedbackStage::Listen => FeedbackStage::Thank,
            FeedbackStage::Thank => FeedbackStage::Explain,
            FeedbackStage::Explain => FeedbackStage::Register,
            FeedbackStage::Register => FeedbackStage::ReportBack,
            FeedbackStage::ReportBack | FeedbackStage::Done => FeedbackStage::Done,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum FeedbackRecord {
    Listen {
        underlying_need: String,
    },
    Thank {
        thanked: bool,
    },
    Explain {
        current_service: String,
        /// Any plan mentioned; optional because nothing may be promised (非承诺).
        improvement_plan: Option<String>,
        thanked_again: bool,
    },
    Register {
        problem: String,
        suggestion: String,
    },
    ReportBack {
        department: String,
        customer_told_by: Option<ContactMethod>,
    },
}

impl FeedbackRecord {
    pub fn stage(&self) -> FeedbackStage {
        match self {
            FeedbackRecord::Listen { .. } => FeedbackStage::Listen,
            FeedbackRecord::Thank { .. } => FeedbackStage::Thank,
            FeedbackRecord::Explain { .. } => FeedbackStage::Explain,
            FeedbackRecord::Register { .. } => FeedbackStage::Register,
            FeedbackRecord::ReportBack { .. } => FeedbackStage::ReportBack,
        }
    }
}

pub const UNDERLYING_NEED: Field = Field {
    id: "underlying_need",
    zh: "客户的潜在需求",
    en: "Underlying need",
};
pub const THANKED: Field = Field {
    id: "thanked",
    zh: "已感谢客户",
    en: "Thanked the customer",
};
pub const CURRENT_SERVICE: Field = Field {
    id: "current_service",
    zh: "目前的产品和服务",
    en: "Current product and service",
};
pub const THANKED_AGAIN: Field = Field {
    id: "thanked_again",
    zh: "已再次感谢客户",
    en: "Thanked the customer again",
};
pub const PROBLEM: Field = Field {
    id: "problem",
    zh: "反馈的问题",
    en: "Problem",
};
pub const SUGGESTION: Field = Field {
    id: "suggestion",
    zh: "客户建议",
    en: "Suggestion",
};
pub const DEPARTMENT: Field = Field {
    id: "department",
    zh: "责任部门",
    en: "Responsible department",
};
pub const CUSTOMER_TOLD_BY: Field = Field {
    id: "customer_told_by",
    zh: "通知客户方式（电话或邮件）",
    en: "Customer told by (phone or email)",
};

pub fn complete(stage: FeedbackStage, record: &FeedbackRecord) -> Result<FeedbackStage, FlowError> {
    if stage == FeedbackStage::Done || record.stage() != stage {
        return Err(FlowError::IllegalTransition {
            from: stage.name(),
            action: record.stage().name(),
        });
    }
    match record {
        FeedbackRecord::Listen { underlying_need } => {
            require_text(&UNDERLYING_NEED, underlying_need)?
        }
        FeedbackRecord::Thank { thanked } => require_done(&THANKED, *thanked)?,
        FeedbackRecord::Explain {
            current_service,
            thanked_again,
            ..
        } => {
            require_text(&CURRENT_SERVICE, current_service)?;
            require_done(&THANKED_AGAIN, *thanked_again)?;
        }
        FeedbackRecord::Register {
            problem,
            suggestion,
        } => {
            require_text(&PROBLEM, problem)?;
            require_text(&SUGGESTION, suggestion)?;
        }
        FeedbackRecord::ReportBack {
            department,
            customer_told_by,
        } => {
            require_text(&DEPARTMENT, department)?;
            require_some(&CUSTOMER_TOLD_BY, customer_told_by)?;
        }
    }
    Ok(stage.next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records() -> Vec<FeedbackRecord> {
        vec![
            FeedbackRecord::Listen {
                underlying_need: "希望包包有更多颜色".into(),
            },
            FeedbackRecord::Thank { thanked: true },
            FeedbackRecord::Explain {
                current_service: "目前每款有三种颜色".into(),
                improvement_plan: None,
                thanked_again: true,
            },
            FeedbackRecord::Register {
                problem: "颜色选择少".into(),
                suggestion: "增加浅色款".into(),
            },
            FeedbackRecord::ReportBack {
                department: "产品部".into(),
                customer_told_by: Some(ContactMethod::Email),
            },
        ]
    }

    #[test]
    fn every_stage_and_record_pair() {
        for (stage_index, stage) in FeedbackStage::ALL.into_iter().enumerate() {
            for record in records() {
                let result = complete(stage, &record);
                if record.stage() == stage {
                    assert_eq!(result, Ok(FeedbackStage::ALL[stage_index + 1]), "{stage:?}");
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
    fn the_five_steps_in_order_finish_the_flow() {
        let stage = records().iter().try_fold(FeedbackStage::Listen, complete);
        assert_eq!(stage, Ok(FeedbackStage::Done));
    }

    #[test]
    fn missing_fields_table() {
        let table = [
            (
                FeedbackRecord::Listen {
                    underlying_need: "".into(),
                },
                UNDERLYING_NEED,
            ),
            (FeedbackRecord::Thank { thanked: false }, THANKED),
            (
                FeedbackRecord::Explain {
                    current_service: " ".into(),
                    improvement_plan: Some("下季度上新".into()),
                    thanked_again: true,
                },
                CURRENT_SERVICE,
            ),
            (
                FeedbackRecord::Explain {
                    current_service: "目前每款有三种颜色".into(),
                    improvement_plan: None,
                    thanked_again: false,
                },
                THANKED_AGAIN,
            ),
            (
                FeedbackRecord::Register {
                    problem: "".into(),
                    suggestion: "增加浅色款".into(),
                },
                PROBLEM,
            ),
            (
                FeedbackRecord::Register {
                    problem: "颜色选择少".into(),
                    suggestion: "".into(),
                },
                SUGGESTION,
            ),
            (
                FeedbackRecord::ReportBack {
                    department: "".into(),
                    customer_told_by: Some(ContactMethod::Phone),
                },
                DEPARTMENT,
            ),
            (
                FeedbackRecord::ReportBack {
                    department: "产品部".into(),
                    customer_told_by: None,
                },
                CUSTOMER_TOLD_BY,
            ),
        ];
        for (record, field) in table {
            assert_eq!(
                complete(record.stage(), &record),
                Err(FlowError::missing(&field)),
                "{record:?}"
            );
        }
    }

    #[test]
    fn every_step_has_guidance_and_lists_its_fields() {
        for stage in FeedbackStage::ALL {
            assert!(!stage.guidance().zh.is_empty() && !stage.guidance().en.is_empty());
            assert_eq!(
                stage.required_fields().is_empty(),
                stage == FeedbackStage::Done
            );
        }
    }
}
