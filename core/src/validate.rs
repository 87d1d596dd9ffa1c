//! Input rules for cases and notes, checked on the device before saving and again by the server.

use crate::case::{Case, Note};
use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub const TITLE_MAX_CHARS: usize = 200;
pub const NAME_MAX_CHARS: usize = 100;
pub const ORDER_NUMBER_MAX_CHARS: usize = 64;
pub const NOTE_MAX_CHARS: usize = 10_000;
const PHONE_MIN_DIGITS: usize = 5;
const PHONE_MAX_DIGITS: usize = 20;

/// Why a case or note cannot be saved. Serializable so the server can send it back as the
/// reason a change was rejected, and the client can show it in the user's language.
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
    #[error("note is empty")]
    NoteEmpty,
    #[error("note is longer than {max} characters")]
    NoteTooLong { max: usize },
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
            InputError::NoteEmpty => Bilingual::new("备注不能为空", "The note is empty"),
            InputError::NoteTooLong { max } => Bilingual::new(
                format!("备注不能超过 {max} 个字"),
                format!("The note can be at most {max} characters"),
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

pub fn check_case(case: &Case) -> Result<(), InputError> {
    let title_chars = case.title.trim().chars().count();
    if title_chars == 0 {
        return Err(InputError::TitleEmpty);
    }
    if title_chars > TITLE_MAX_CHARS {
        return Err(InputError::TitleTooLong {
            max: TITLE_MAX_CHARS,
        });
    }
    if case.customer_name.chars().count() > NAME_MAX_CHARS {
        return Err(InputError::NameTooLong {
            max: NAME_MAX_CHARS,
        });
    }
    check_phone(&case.customer_phone)?;
    check_order_number(case.order_number.as_deref())
}

pub fn check_note(note: &Note) -> Result<(), InputError> {
    let chars = note.body.trim().chars().count();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseKind, CaseStatus};
    use chrono::{TimeZone, Utc};
    use uuid::Uuid;

    fn case_with(title: &str, name: &str, phone: &str, order: Option<&str>) -> Case {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        Case {
            id: Uuid::nil(),
            kind: CaseKind::Inquiry,
            title: title.into(),
            customer_name: name.into(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
            status: CaseStatus::Open,
            owner: "demo".into(),
            created_at: at,
            updated_at: at,
            revision: Uuid::nil(),
        }
    }

    #[test]
    fn case_table() {
        let long_title = "退".repeat(TITLE_MAX_CHARS + 1);
        let max_title = "退".repeat(TITLE_MAX_CHARS);
        let long_name = "王".repeat(NAME_MAX_CHARS + 1);
        let table: Vec<(Case, Result<(), InputError>)> = vec![
            (
                case_with("咨询运费", "王芳", "138 0000 1111", Some("SO-1")),
                Ok(()),
            ),
            (case_with("咨询运费", "", "", None), Ok(())),
            (case_with(&max_title, "", "", None), Ok(())),
            (case_with("   ", "", "", None), Err(InputError::TitleEmpty)),
            (
                case_with(&long_title, "", "", None),
                Err(InputError::TitleTooLong { max: 200 }),
            ),
            (
                case_with("t", &long_name, "", None),
                Err(InputError::NameTooLong { max: 100 }),
            ),
            (case_with("t", "", "+86-138-0000-1111", None), Ok(())),
            (
                case_with("t", "", "1234", None),
                Err(InputError::PhoneInvalid),
            ),
            (case_with("t", "", "12345", None), Ok(())),
            (
                case_with("t", "", "138abc00001", None),
                Err(InputError::PhoneInvalid),
            ),
            (
                case_with("t", "", "123456789012345678901", None),
                Err(InputError::PhoneInvalid),
            ),
            (
                case_with("t", "", "", Some("")),
                Err(InputError::OrderNumberInvalid),
            ),
            (
                case_with("t", "", "", Some("SO 1")),
                Err(InputError::OrderNumberInvalid),
            ),
            (
                case_with("t", "", "", Some(&"9".repeat(65))),
                Err(InputError::OrderNumberInvalid),
            ),
            (case_with("t", "", "", Some(&"9".repeat(64))), Ok(())),
        ];
        for (case, expected) in table {
            assert_eq!(check_case(&case), expected, "case {case:?}");
        }
    }

    #[test]
    fn note_table() {
        let note = |body: &str| Note {
            id: Uuid::nil(),
            case_id: Uuid::nil(),
            author: "demo".into(),
            body: body.into(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        };
        let table = [
            ("已回电，客户同意换货", Ok(())),
            ("", Err(InputError::NoteEmpty)),
            (" \n\t", Err(InputError::NoteEmpty)),
        ];
        for (body, expected) in table {
            assert_eq!(check_note(&note(body)), expected, "body {body:?}");
        }
        assert_eq!(
            check_note(&note(&"字".repeat(NOTE_MAX_CHARS + 1))),
            Err(InputError::NoteTooLong {
                max: NOTE_MAX_CHARS
            })
        );
    }

    #[test]
    fn every_error_has_both_languages() {
        let all = [
            InputError::TitleEmpty,
            InputError::TitleTooLong { max: 1 },
            InputError::NameTooLong { max: 1 },
            InputError::PhoneInvalid,
            InputError::OrderNumberInvalid,
            InputError::NoteEmpty,
            InputError::NoteTooLong { max: 1 },
        ];
        for error in all {
            let message = error.message();
            assert!(
                !message.zh.is_empty() && !message.en.is_empty(),
                "{error:?}"
            );
            assert_ne!(message.zh, message.en, "{error:?}");
        }
    }
}
