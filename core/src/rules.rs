//! The manuals' rules as pure functions over a validated [`crate::policy::Policy`], one file per rule with its table tests beside it.
//!
//! See `core/RULES.md` for which manual section each file implements. Shared here: how a
//! decision carries its reasons, and the error every flow (state machine) returns.

pub mod after_sales_guide;
pub mod compensation;
pub mod courier;
pub mod idle_lock;
pub mod order_flow;
pub mod order_merge;
pub mod reply_promise;
pub mod return_eligibility;
pub mod return_flow;
pub mod script;
pub mod shift;
pub mod working_hours;

use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A decision and, in words for the screen, why it was taken; agents must be able to tell the
/// customer the reason, not just "no".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explained<T> {
    pub value: T,
    pub reasons: Vec<Bilingual>,
}

/// A field a step or transition must have filled in, named for the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Field {
    pub fn name(&self) -> Bilingual {
        Bilingual::new(self.zh, self.en)
    }
}

/// Why a flow refused to move. Serializable so the server can return it as a rejection.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FlowError {
    #[error("cannot {action:?} while {from:?}")]
    IllegalTransition { from: Bilingual, action: Bilingual },
    #[error("required field `{field}` is missing")]
    MissingField { field: String, name: Bilingual },
    #[error("{action:?} is allowed only from {allowed_from}")]
    TooEarly {
        action: Bilingual,
        allowed_from: chrono::DateTime<chrono::Utc>,
    },
}

impl FlowError {
    pub fn message(&self) -> Bilingual {
        match self {
            FlowError::IllegalTransition { from, action } => Bilingual::new(
                format!("当前为“{}”，不能执行“{}”", from.zh, action.zh),
                format!("Cannot {} while {}", action.en, from.en),
            ),
            FlowError::MissingField { name, .. } => Bilingual::new(
                format!("请填写“{}”", name.zh),
                format!("Please fill in \"{}\"", name.en),
            ),
            FlowError::TooEarly {
                action,
                allowed_from,
            } => Bilingual::new(
                format!(
                    "“{}”要到 {} (UTC) 之后才可以执行",
                    action.zh,
                    allowed_from.format("%Y-%m-%d %H:%M")
                ),
                format!(
                    "\"{}\" is allowed only from {} (UTC)",
                    action.en,
                    allowed_from.format("%Y-%m-%d %H:%M")
                ),
            ),
        }
    }

    pub(crate) fn missing(field: &Field) -> FlowError {
        FlowError::MissingField {
            field: field.id.into(),
            name: field.name(),
        }
    }
}

/// Text an agent must have written (whitespace alone does not count).
pub(crate) fn require_text(field: &Field, value: &str) -> Result<(), FlowError> {
    if value.trim().is_empty() {
        Err(FlowError::missing(field))
    } else {
        Ok(())
    }
}

/// A box the agent must have ticked, e.g. "thanked the customer".
pub(crate) fn require_done(field: &Field, done: bool) -> Result<(), FlowError> {
    if done {
        Ok(())
    } else {
        Err(FlowError::missing(field))
    }
}

pub(crate) fn require_some<'a, T>(field: &Field, value: &'a Option<T>) -> Result<&'a T, FlowError> {
    value.as_ref().ok_or_else(|| FlowError::missing(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: Field = Field {
        id: "note",
        zh: "备注",
        en: "Note",
    };

    #[test]
    fn requirement_helpers_table() {
        assert_eq!(require_text(&NOTE, "已回电"), Ok(()));
        assert_eq!(require_text(&NOTE, " \n"), Err(FlowError::missing(&NOTE)));
        assert_eq!(require_done(&NOTE, true), Ok(()));
        assert_eq!(require_done(&NOTE, false), Err(FlowError::missing(&NOTE)));
        assert_eq!(require_some(&NOTE, &Some(3)), Ok(&3));
        assert_eq!(
            require_some::<u8>(&NOTE, &None),
            Err(FlowError::missing(&NOTE))
        );
    }

    #[test]
    fn every_flow_error_has_both_languages() {
        let name = Bilingual::new("已发货", "shipped");
        let all = [
            FlowError::IllegalTransition {
                from: name.clone(),
                action: Bilingual::new("审核", "review"),
            },
            FlowError::missing(&NOTE),
            FlowError::TooEarly {
                action: name,
                allowed_from: chrono::DateTime::UNIX_EPOCH,
            },
        ];
        for error in all {
            let message = error.message();
            assert!(
                !message.zh.is_empty() && !message.en.is_empty(),
                "{error:?}"
            );
            assert_ne!(message.zh, message.en);
        }
    }
}

/// Helpers for the rules' tests.
#[cfg(test)]
pub(crate) mod test_clock {
    use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

    /// An instant written in the shop's local time (+08:00), as the manuals' examples are.
    pub fn local(text: &str) -> DateTime<Utc> {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .from_local_datetime(&NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }
}
