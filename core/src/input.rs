//! Input errors and limits: what a field or event value may be, the reasons a change cannot
//! be saved (in both languages), and the basic checks of text, phone and order numbers that
//! every record kind uses. Ground level: it knows no record kind.

use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use thiserror::Error;

pub const TITLE_MAX_CHARS: usize = 200;
pub const NAME_MAX_CHARS: usize = 100;
pub const ORDER_NUMBER_MAX_CHARS: usize = 64;
/// ¥1,000,000: far above any order the shop takes; above it is a typing slip.
pub const ORDER_AMOUNT_MAX_FEN: i64 = 100_000_000;
pub const NOTE_MAX_CHARS: usize = 10_000;
pub const ACCOUNT_MAX_CHARS: usize = 100;
pub const ADDRESS_MAX_CHARS: usize = 300;
pub const GROUP_MAX_CHARS: usize = 50;
const PHONE_MIN_DIGITS: usize = 5;
const PHONE_MAX_DIGITS: usize = 20;

/// Why a change cannot be saved. Serializable so the server can send it back as the reason a
/// change was rejected, and the client can show it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum InputError {
    #[error("title is empty")]
    TitleEmpty,
    #[error("title is longer than {max} characters")]
    TitleTooLong { max: usize },
    #[error("customer name is longer than {max} characters")]
    NameTooLong { max: usize },
    #[error("phone number is not valid")]
    PhoneInvalid,
    #[error("order number is not valid")]
    OrderNumberInvalid,
    #[error("unknown case kind")]
    KindInvalid,
    #[error("unknown case status")]
    StatusInvalid,
    #[error("note is empty")]
    NoteEmpty,
    #[error("note is longer than {max} characters")]
    NoteTooLong { max: usize },
    #[error("record type has no field {field}")]
    UnknownField { field: String },
    #[error("a new record lacks field {field}")]
    MissingField { field: String },
    #[error("record type has no event {kind}")]
    UnknownEvent { kind: String },
    #[error("record does not exist")]
    RecordMissing,
    #[error("record exists already")]
    RecordExists,
    #[error("record was deleted")]
    RecordDeleted,
    #[error("change names another record type than the record")]
    WrongRecordType,
    #[error("policy field `{field}` is invalid")]
    PolicyInvalid { field: String, reason: Bilingual },
    #[error("customer name is empty")]
    CustomerNameEmpty,
    #[error("account is longer than {max} characters")]
    AccountTooLong { max: usize },
    #[error("address is longer than {max} characters")]
    AddressTooLong { max: usize },
    #[error("text is empty")]
    BodyEmpty,
    #[error("text is longer than {max} characters")]
    BodyTooLong { max: usize },
    #[error("unknown knowledge kind")]
    KnowledgeKindInvalid,
    #[error("group is empty or longer than {max} characters")]
    GroupInvalid { max: usize },
    #[error("{field} is fixed when the record is made")]
    FieldFixed { field: String },
    #[error("the linked case id is not valid")]
    LinkInvalid,
    #[error("a banned-phrase incident must name its change and what it found")]
    IncidentInvalid,
    #[error("unknown inquiry outcome")]
    OutcomeInvalid,
    #[error("the promised reply time is not a valid time")]
    ReplyDueInvalid,
    #[error("policy version is not an id")]
    PolicyVersionInvalid,
    #[error("{field} is not one of the policy's list")]
    ListIdInvalid { field: String },
    #[error("the customer's question is empty")]
    QuestionEmpty,
    #[error("no inquiry category chosen")]
    CategoryMissing,
    #[error("no channel chosen")]
    ChannelMissing,
    #[error("the order step does not read as one")]
    OrderStepInvalid,
    #[error("{field} must be true or false")]
    FlagInvalid { field: String },
    #[error("unknown sales stage")]
    SalesStageInvalid,
    #[error("no return reason chosen")]
    ReturnReasonMissing,
    #[error("no item class chosen")]
    ItemClassMissing,
    #[error("unknown after-sales request type")]
    RequestTypeInvalid,
    #[error("the tracking number is not valid")]
    TrackingInvalid { max: usize },
    #[error("the order lines are not valid")]
    ItemsInvalid { max: u32 },
    #[error("the date is not valid")]
    DateInvalid,
    #[error("the inspection does not read as one")]
    InspectionInvalid,
    #[error("the compensation entry does not read as one")]
    CompensationInvalid,
    #[error("the photo list does not read as one")]
    PhotosInvalid,
    #[error("the return step does not read as one")]
    ReturnStepInvalid,
    #[error("the script step does not read as one")]
    ScriptStepInvalid,
    #[error("the escalation does not read as one")]
    EscalationInvalid,
    #[error("the callback does not read as one")]
    CallbackInvalid,
    #[error("the pin does not read as one")]
    PinInvalid,
    #[error("the handover does not read as one")]
    HandoverInvalid,
    #[error("the QA review does not read as one")]
    ReviewInvalid,
    #[error("the call log does not read as one")]
    CallLogInvalid,
    #[error("a sent daily report must name its day, period and lines")]
    DailyReportInvalid,
    #[error("the after-sales situation does not read as one")]
    SituationInvalid,
    #[error("an order amount is a whole number of fen from 0 to {max}")]
    OrderAmountInvalid { max: i64 },
    /// A text in any field longer than every field allows (`crate::limits`).
    #[error("a text in {field} is longer than {max} characters")]
    TextTooLong { field: String, max: usize },
}

impl InputError {
    pub fn message(&self) -> Bilingual {
        match self {
            InputError::TitleEmpty => Bilingual::new("请填写标题", "Please enter a title"),
            InputError::TitleTooLong { max } => Bilingual::new(
                format!("标题不能超过 {max} 个字"),
                format!("The title can be at most {max} characters"),
            ),
            InputError::NameTooLong { max } => Bilingual::new(
                format!("客户姓名不能超过 {max} 个字"),
                format!("The customer name can be at most {max} characters"),
            ),
            InputError::PhoneInvalid => Bilingual::new(
                "电话号码格式不对：只能包含数字、空格、+ 和 -，5 到 20 位数字",
                "The phone number is not valid: digits, spaces, + and - only, 5 to 20 digits",
            ),
            InputError::OrderNumberInvalid => Bilingual::new(
                format!("订单号只能包含字母、数字和 -，最多 {ORDER_NUMBER_MAX_CHARS} 个字符"),
                format!(
                    "The order number may contain letters, digits and - only, at most {ORDER_NUMBER_MAX_CHARS} characters"
                ),
            ),
            InputError::KindInvalid => Bilingual::new("案件类型不对", "Unknown case type"),
            InputError::StatusInvalid => Bilingual::new("案件状态不对", "Unknown case status"),
            InputError::NoteEmpty => Bilingual::new("备注不能为空", "The note is empty"),
            InputError::NoteTooLong { max } => Bilingual::new(
                format!("备注不能超过 {max} 个字"),
                format!("The note can be at most {max} characters"),
            ),
            InputError::UnknownField { field } => Bilingual::new(
                format!("没有“{field}”这一项，可能需要更新应用"),
                format!("There is no field “{field}”; the app may need an update"),
            ),
            InputError::MissingField { field } => Bilingual::new(
                format!("新建时缺少“{field}”"),
                format!("A new record needs “{field}”"),
            ),
            InputError::UnknownEvent { kind } => Bilingual::new(
                format!("没有“{kind}”这种记录，可能需要更新应用"),
                format!("There is no entry of kind “{kind}”; the app may need an update"),
            ),
            InputError::RecordMissing => Bilingual::new(
                "这个案件在服务器上不存在",
                "This record does not exist on the server",
            ),
            InputError::RecordExists => Bilingual::new(
                "这个编号的记录已经存在",
                "A record with this id exists already",
            ),
            InputError::RecordDeleted => {
                Bilingual::new("这条记录已被删除", "This record was deleted")
            }
            InputError::WrongRecordType => Bilingual::new(
                "更改的记录类型与服务器上的不一致",
                "The change names another record type than the stored record",
            ),
            InputError::PolicyInvalid { reason, .. } => reason.clone(),
            InputError::CustomerNameEmpty => {
                Bilingual::new("请填写客户姓名", "Please enter the customer's name")
            }
            InputError::AccountTooLong { max } => Bilingual::new(
                format!("账号不能超过 {max} 个字"),
                format!("The account can be at most {max} characters"),
            ),
            InputError::AddressTooLong { max } => Bilingual::new(
                format!("地址不能超过 {max} 个字"),
                format!("The address can be at most {max} characters"),
            ),
            InputError::BodyEmpty => Bilingual::new("内容不能为空", "The text is empty"),
            InputError::TextTooLong { field, max } => Bilingual::new(
                format!("“{field}”中的文字不能超过 {max} 个字"),
                format!("A text in “{field}” can be at most {max} characters"),
            ),
            InputError::BodyTooLong { max } => Bilingual::new(
                format!("内容不能超过 {max} 个字"),
                format!("The text can be at most {max} characters"),
            ),
            InputError::KnowledgeKindInvalid => Bilingual::new(
                "只能是标准答案或快捷短语",
                "It must be a standard answer or a quick phrase",
            ),
            InputError::GroupInvalid { max } => Bilingual::new(
                format!("请选择分类（最多 {max} 个字）"),
                format!("Please choose a group (at most {max} characters)"),
            ),
            InputError::FieldFixed { field } => Bilingual::new(
                format!("“{field}”建立后不能修改"),
                format!("“{field}” cannot be changed once the record is made"),
            ),
            InputError::LinkInvalid => {
                Bilingual::new("关联的案件编号不对", "The linked case id is not valid")
            }
            InputError::IncidentInvalid => Bilingual::new(
                "服务禁语记录缺少内容，可能需要更新应用",
                "The banned-phrase record is incomplete; the app may need an update",
            ),
            InputError::OutcomeInvalid => {
                Bilingual::new("请选择处理结果", "Please choose how the inquiry ended")
            }
            InputError::PolicyVersionInvalid => {
                Bilingual::new("政策版本号无效", "The policy version is not valid")
            }
            InputError::ReplyDueInvalid => {
                Bilingual::new("承诺回复时间不对", "The promised reply time is not valid")
            }
            InputError::QuestionEmpty => {
                Bilingual::new("请填写客户的问题", "Please enter the customer's question")
            }
            InputError::CategoryMissing => {
                Bilingual::new("请选择问题分类", "Please choose a category")
            }
            InputError::ChannelMissing => {
                Bilingual::new("请选择咨询渠道", "Please choose the channel")
            }
            InputError::SalesStageInvalid => Bilingual::new("销售阶段不对", "Unknown sales stage"),
            InputError::FlagInvalid { field } => Bilingual::new(
                format!("“{field}”只能是“是”或“否”"),
                format!("“{field}” must be yes or no"),
            ),
            InputError::OrderStepInvalid => Bilingual::new(
                "订单跟进记录不完整，可能需要更新应用",
                "The order step is incomplete; the app may need an update",
            ),
            InputError::ReturnReasonMissing => {
                Bilingual::new("请选择退换货原因", "Please choose the reason")
            }
            InputError::ItemClassMissing => {
                Bilingual::new("请选择商品类别", "Please choose the item class")
            }
            InputError::RequestTypeInvalid => {
                Bilingual::new("请选择售后类型", "Please choose the request type")
            }
            InputError::TrackingInvalid { max } => Bilingual::new(
                format!("快递单号只能包含字母和数字，最多 {max} 位"),
                format!("The tracking number may contain letters and digits only, at most {max}"),
            ),
            InputError::ItemsInvalid { max } => Bilingual::new(
                format!("请至少填写一件商品：每行一个货号，数量 1 到 {max}"),
                format!("Enter at least one item: a SKU per line, quantity 1 to {max}"),
            ),
            InputError::DateInvalid => Bilingual::new("日期不对", "The date is not valid"),
            InputError::CompensationInvalid => Bilingual::new(
                "补偿记录不完整，可能需要更新应用",
                "The compensation entry is incomplete; the app may need an update",
            ),
            InputError::PhotosInvalid => Bilingual::new(
                "照片记录不完整，可能需要更新应用",
                "The photo entry is incomplete; the app may need an update",
            ),
            InputError::ScriptStepInvalid => Bilingual::new(
                "话术步骤的记录不完整，可能需要更新应用",
                "The script step is incomplete; the app may need an update",
            ),
            InputError::EscalationInvalid => Bilingual::new(
                "上报记录不完整，可能需要更新应用",
                "The escalation is incomplete; the app may need an update",
            ),
            InputError::CallbackInvalid => Bilingual::new(
                "回访记录不完整，可能需要更新应用",
                "The callback is incomplete; the app may need an update",
            ),
            InputError::PinInvalid => Bilingual::new(
                "置顶记录不完整，可能需要更新应用",
                "The pin is incomplete; the app may need an update",
            ),
            InputError::HandoverInvalid => Bilingual::new(
                "交接班记录不完整，可能需要更新应用",
                "The handover is incomplete; the app may need an update",
            ),
            InputError::ReviewInvalid => Bilingual::new(
                "质检记录不完整，可能需要更新应用",
                "The QA review is incomplete; the app may need an update",
            ),
            InputError::DailyReportInvalid => Bilingual::new(
                "日报内容不完整：需要日期、统计范围和各项数据，可能需要更新应用",
                "The daily report is incomplete: it needs its day, period and figures; the app may need an update",
            ),
            InputError::CallLogInvalid => Bilingual::new(
                "通话记录不完整：至少一条、最多五万条通话，可能需要更新应用",
                "The call log is incomplete: one to 50,000 calls; the app may need an update",
            ),
            InputError::ReturnStepInvalid => Bilingual::new(
                "退换货步骤不完整，可能需要更新应用",
                "The return step is incomplete; the app may need an update",
            ),
            InputError::OrderAmountInvalid { max } => Bilingual::new(
                format!("订单金额须在 ¥0 至 {} 之间", crate::money::Fen(*max)),
                format!(
                    "The order amount must be between ¥0 and {}",
                    crate::money::Fen(*max)
                ),
            ),
            InputError::SituationInvalid => Bilingual::new(
                "售后情况记录不完整，可能需要更新应用",
                "The after-sales situation is incomplete; the app may need an update",
            ),
            InputError::InspectionInvalid => Bilingual::new(
                "验货记录不完整，可能需要更新应用",
                "The inspection is incomplete; the app may need an update",
            ),
            InputError::ListIdInvalid { field } => Bilingual::new(
                format!("“{field}”不在可选范围内"),
                format!("“{field}” is not one of the choices"),
            ),
        }
    }
}

/// A phone number may be left empty (chat customers often give none); if given it must look
/// like one, so a callback is possible.
pub fn check_phone(phone: &str) -> Result<(), InputError> {
    let phone = phone.trim();
    if phone.is_empty() {
        return Ok(());
    }
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if allowed && (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(InputError::PhoneInvalid)
    }
}

pub fn check_order_number(order_number: Option<&str>) -> Result<(), InputError> {
    let Some(order_number) = order_number else {
        return Ok(());
    };
    let valid = !order_number.is_empty()
        && order_number.chars().count() <= ORDER_NUMBER_MAX_CHARS
        && order_number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if valid {
        Ok(())
    } else {
        Err(InputError::OrderNumberInvalid)
    }
}

pub fn check_title(title: &str) -> Result<(), InputError> {
    let chars = title.trim().chars().count();
    if chars == 0 {
        return Err(InputError::TitleEmpty);
    }
    if chars > TITLE_MAX_CHARS {
        return Err(InputError::TitleTooLong {
            max: TITLE_MAX_CHARS,
        });
    }
    Ok(())
}

pub fn check_customer_name(name: &str) -> Result<(), InputError> {
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(InputError::NameTooLong {
            max: NAME_MAX_CHARS,
        });
    }
    Ok(())
}

/// A note beside an entry or on a record (a situation's, a sales stage's, a parcel's): text,
/// possibly empty, of at most [`NOTE_MAX_CHARS`].
pub fn check_side_note(value: &Value) -> Result<(), InputError> {
    text_within(
        value,
        NOTE_MAX_CHARS,
        InputError::NoteTooLong {
            max: NOTE_MAX_CHARS,
        },
    )
    .map(drop)
}

pub fn check_note_body(body: &str) -> Result<(), InputError> {
    let chars = body.trim().chars().count();
    if chars == 0 {
        return Err(InputError::NoteEmpty);
    }
    if chars > NOTE_MAX_CHARS {
        return Err(InputError::NoteTooLong {
            max: NOTE_MAX_CHARS,
        });
    }
    Ok(())
}

/// A policy list's id (a channel, a category): short text, or null when not chosen.
pub fn check_list_id(name: &str, value: &Value) -> Result<(), InputError> {
    match value {
        Value::Null => Ok(()),
        Value::String(id) if !id.is_empty() && id.chars().count() <= GROUP_MAX_CHARS => Ok(()),
        _ => Err(InputError::ListIdInvalid {
            field: name.to_owned(),
        }),
    }
}

pub fn text_within(value: &Value, max: usize, too_long: InputError) -> Result<&str, InputError> {
    let text = value.as_str().ok_or_else(|| too_long.clone())?;
    if text.chars().count() > max {
        return Err(too_long);
    }
    Ok(text)
}

/// A new record's first values: every field `all` names present and valid (by `check`), and
/// no other.
pub fn check_new_fields(
    fields: &BTreeMap<String, Value>,
    all: &[&str],
    check: impl Fn(&str, &Value) -> Result<(), InputError>,
) -> Result<(), InputError> {
    for name in all {
        let value = fields.get(*name).ok_or_else(|| InputError::MissingField {
            field: (*name).to_owned(),
        })?;
        check(name, value)?;
    }
    match fields.keys().find(|name| !all.contains(&name.as_str())) {
        Some(unknown) => Err(InputError::UnknownField {
            field: unknown.clone(),
        }),
        None => Ok(()),
    }
}
