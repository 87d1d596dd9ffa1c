//! Why a policy file was refused, naming the field (e.g. `item_classes[1].compensation_tiers[0]`)
//! and the problem, in both UI languages so an admin sees it in theirs.

use crate::lang::Bilingual;
use crate::money::Fen;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PolicyError {
    /// Not TOML, a value of the wrong type, a missing or unknown key. The parser's message
    /// carries the line, column and key.
    #[error("the policy file cannot be read: {message}")]
    Syntax { message: String },
    #[error("policy field `{field}`: {problem}")]
    Invalid {
        field: String,
        problem: PolicyProblem,
    },
}

impl PolicyError {
    pub(crate) fn invalid(field: impl Into<String>, problem: PolicyProblem) -> Self {
        PolicyError::Invalid {
            field: field.into(),
            problem,
        }
    }

    pub fn message(&self) -> Bilingual {
        match self {
            PolicyError::Syntax { message } => Bilingual::new(
                format!("政策文件无法读取：{message}"),
                format!("The policy file cannot be read: {message}"),
            ),
            PolicyError::Invalid { field, problem } => Bilingual::new(
                format!("政策字段 {field} 有误：{}", problem.zh()),
                format!("Policy field {field}: {problem}"),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum PolicyProblem {
    #[error("must not be empty")]
    Empty,
    #[error("\"{value}\" appears more than once")]
    Duplicate { value: String },
    #[error("\"{value}\" is not defined in the policy")]
    Unknown { value: String },
    #[error("\"{value}\" is missing")]
    Missing { value: String },
    #[error("must be greater than zero")]
    MustBePositive,
    #[error("must be at most {max}")]
    AtMost { max: u32 },
    #[error("must not be negative")]
    Negative,
    #[error("the minimum {min} is above the maximum {max}")]
    MinAboveMax { min: Fen, max: Fen },
    #[error("ends at {end}, which is not after its start {start}")]
    EndsBeforeStart { start: String, end: String },
    #[error("overlaps `{other}`")]
    Overlaps { other: String },
    #[error("no tier covers unit prices from {from}")]
    TierGap { from: Fen },
    #[error("the price range is empty: from {from} below {below}")]
    EmptyPriceRange { from: Fen, below: Fen },
    #[error("no weekday has working hours")]
    NoWorkingDays,
    #[error("{day} has no working hours")]
    NotAWorkingDay { day: String },
    #[error("{date} is both a holiday and a make-up working day")]
    HolidayAndMakeupDay { date: String },
    #[error("{date} is not in {year}")]
    OutsideYear { date: String, year: i32 },
    #[error("a province cannot be both in and out of the zone: {value}")]
    InAndOutOfZone { value: String },
    #[error("must start at {expected}")]
    MustStartAt { expected: u32 },
    #[error("must be in ascending order")]
    NotAscending,
    #[error("the polite alternative itself contains the banned phrase \"{phrase}\"")]
    AlternativeIsBanned { phrase: String },
    #[error("the phrase list is too large to match quickly: {reason}")]
    TooLarge { reason: String },
}

impl PolicyProblem {
    pub fn zh(&self) -> String {
        match self {
            PolicyProblem::Empty => "不能为空".into(),
            PolicyProblem::Duplicate { value } => format!("“{value}”重复出现"),
            PolicyProblem::Unknown { value } => format!("“{value}”未在政策中定义"),
            PolicyProblem::Missing { value } => format!("缺少“{value}”"),
            PolicyProblem::MustBePositive => "必须大于零".into(),
            PolicyProblem::AtMost { max } => format!("不能超过 {max}"),
            PolicyProblem::Negative => "不能为负数".into(),
            PolicyProblem::MinAboveMax { min, max } => format!("最小值 {min} 大于最大值 {max}"),
            PolicyProblem::EndsBeforeStart { start, end } => {
                format!("结束时间 {end} 不晚于开始时间 {start}")
            }
            PolicyProblem::Overlaps { other } => format!("与 {other} 重叠"),
            PolicyProblem::TierGap { from } => format!("单价 {from} 起没有对应的补偿档位"),
            PolicyProblem::EmptyPriceRange { from, below } => {
                format!("价格区间为空：从 {from} 到 {below} 以下")
            }
            PolicyProblem::NoWorkingDays => "一周中没有任何工作时间".into(),
            PolicyProblem::NotAWorkingDay { day } => format!("{day} 没有工作时间"),
            PolicyProblem::HolidayAndMakeupDay { date } => {
                format!("{date} 既是节假日又是调休工作日")
            }
            PolicyProblem::OutsideYear { date, year } => format!("{date} 不在 {year} 年内"),
            PolicyProblem::InAndOutOfZone { value } => {
                format!("省份不能同时在区内和超区：{value}")
            }
            PolicyProblem::MustStartAt { expected } => format!("必须从 {expected} 开始"),
            PolicyProblem::NotAscending => "必须按从小到大排列".into(),
            PolicyProblem::AlternativeIsBanned { phrase } => {
                format!("推荐用语本身包含禁语“{phrase}”")
            }
            PolicyProblem::TooLarge { reason } => format!("禁语列表过大，无法快速匹配：{reason}"),
        }
    }
}

/// A rule was asked about an id the policy does not define (an item class, a province, ...),
/// e.g. a case recorded under an older policy.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("`{id}` is not in the policy's {list}")]
pub struct UnknownEntry {
    pub list: String,
    pub id: String,
}

impl UnknownEntry {
    pub(crate) fn new(list: &str, id: &str) -> Self {
        UnknownEntry {
            list: list.into(),
            id: id.into(),
        }
    }

    pub fn message(&self) -> Bilingual {
        Bilingual::new(
            format!("当前政策的 {} 中没有“{}”", self.list, self.id),
            format!(
                "\"{}\" is not in the current policy's {}",
                self.id, self.list
            ),
        )
    }
}
