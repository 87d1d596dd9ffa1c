//! The team's figures (运营日报, 绩效考核月报; seed 001 §16, seed 002): pure functions over the
//! synced records, so a lead's device (offline) and the server (for its CSV and API) count
//! the same numbers. Every figure is counted over a [`period::Period`], which says the dates
//! and the time zone it covers; a figure without data says so (`None`) rather than show 0.
//! One figure per file, each with its table test.

pub mod calls;
pub mod conduct;
pub mod period;
pub mod promises;
pub mod return_rate;
pub mod satisfaction;

/// What the figures' tests share: December 2026 in Shanghai, and case rows made to order.
#[cfg(test)]
pub(crate) mod tests {
    use crate::figures::period::Period;
    use crate::kinds::case::callback::{Callback, CallbackAnswer, CallbackPlan};
    use crate::kinds::case::{Case, CaseKind, CaseStatus};
    use chrono::{DateTime, FixedOffset, Utc};
    use uuid::Uuid;

    pub fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    pub fn december() -> Period {
        Period::month(2026, 12, FixedOffset::east_opt(8 * 3600).unwrap()).unwrap()
    }

    /// Case `n` of `owner`'s, of `kind`, opened at `created`.
    pub fn case(n: u128, owner: &str, kind: CaseKind, created: &str) -> Case {
        Case {
            id: Uuid::from_u128(n),
            kind,
            title: format!("工单 {n}"),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
            status: CaseStatus::Open,
            owner: owner.into(),
            created_at: at(created),
            team: "east".into(),
            customer: None,
            reply_due: None,
            problem: false,
            return_tracking: None,
            order_amount: None,
            escalations: Vec::new(),
            callbacks: Vec::new(),
            script: None,
            pin: None,
        }
    }

    /// A callback the customer answered `satisfaction` at `when`.
    pub fn made_at(satisfaction: u8, when: &str) -> Callback {
        Callback {
            id: Uuid::from_u128(u128::from(satisfaction)),
            plan: CallbackPlan {
                due: at(when),
                note: String::new(),
            },
            planned_by: "demo".into(),
            made: Some(CallbackAnswer {
                satisfaction,
                comment: String::new(),
                by: "demo".into(),
                at: at(when),
            }),
        }
    }
}
