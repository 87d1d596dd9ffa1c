//! The team's figures (运营日报, 绩效考核月报; seed 001 §16, seed 002): pure functions over the
//! synced records, so a lead's device (offline) and the server (for its CSV and API) count
//! the same numbers. Every figure is counted over a [`period::Period`], which says the dates
//! and the time zone it covers; a figure without data says so (`None`) rather than show 0.
//! One figure per file, each with its table test.

pub mod calls;
pub mod conduct;
pub mod daily;
pub mod kpi;
pub mod monthly;
pub mod period;
pub mod promises;
pub mod readers;
pub mod return_rate;
pub mod satisfaction;
pub mod table;
pub mod weekly;

/// What the figures' tests share: December 2026 in Shanghai, and case rows made to order.
#[cfg(test)]
pub(crate) mod tests {
    use crate::figures::period::Period;
    use crate::hlc::Hlc;
    use crate::kinds::call_log::{Call, call_log_fields};
    use crate::kinds::case::callback::event::{CALLBACK_MADE, CALLBACK_PLANNED};
    use crate::kinds::case::callback::{Callback, CallbackAnswer, CallbackPlan};
    use crate::kinds::case::{Case, CaseKind, CaseStatus, NewCase};
    use crate::record::{Receipt, Record, RecordType, apply};
    use crate::sync::Op;
    use crate::test_fixtures::change_to;
    use chrono::{DateTime, FixedOffset, Utc};
    use serde_json::{Value, json};
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

    /// A timeline entry `kind` with `data`, for [`case_record`].
    pub fn entry(kind: &str, data: Value) -> Op {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Op::Append {
            event: Uuid::from_u128(1 << 64 | u128::from(n)),
            kind: kind.into(),
            data,
        }
    }

    /// Case `n`, opened by `owner` in `team` at `when`, then changed by `(op, by, when)` in
    /// order, each stamped at its time, as the server receives it.
    pub fn case_record(
        n: u128,
        (owner, team): (&str, &str),
        kind: CaseKind,
        when: &str,
        changes: &[(Op, &str, &str)],
    ) -> Record {
        let id = Uuid::from_u128(n);
        let fields = NewCase {
            kind,
            title: format!("工单 {n}"),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let received = |index: u128, op: Op, by: &str, when: &str| {
            let mut change = change_to(RecordType::Case, id, n * 100 + index, op);
            change.stamp = Hlc::new(at(when).timestamp_millis(), 0);
            Receipt::on_server(change, by, team, at(when))
        };
        let created = apply(None, &received(0, Op::Create { fields }, owner, when));
        changes
            .iter()
            .enumerate()
            .fold(created, |record, (index, (op, by, when))| {
                apply(
                    Some(record),
                    &received(index as u128 + 1, op.clone(), by, when),
                )
            })
    }

    /// A complaint opened on 2 December whose callback was answered `satisfaction` at `when`.
    pub fn with_callback(
        n: u128,
        owner_team: (&str, &str),
        satisfaction: u8,
        when: &str,
    ) -> Record {
        let plan = Uuid::from_u128(n * 1000);
        let planned = Op::Append {
            event: plan,
            kind: CALLBACK_PLANNED.into(),
            data: json!({"due": when, "note": ""}),
        };
        let made = entry(
            CALLBACK_MADE,
            json!({"callback": plan, "satisfaction": satisfaction, "comment": ""}),
        );
        case_record(
            n,
            owner_team,
            CaseKind::Complaint,
            "2026-12-02T02:00:00Z",
            &[(planned, "lead", when), (made, "lead", when)],
        )
    }

    /// A call log of `team` holding `calls`, imported by its lead.
    pub fn call_log(n: u128, team: &str, calls: Value) -> Record {
        let calls: Vec<Call> = serde_json::from_value(calls).unwrap();
        let fields = call_log_fields("calls.csv", &calls);
        let create = change_to(
            RecordType::CallLog,
            Uuid::from_u128(n),
            n * 100,
            Op::Create { fields },
        );
        apply(
            None,
            &Receipt::on_server(create, "lead", team, at("2027-01-01T01:00:00Z")),
        )
    }

    /// A banned-phrase incident's data.
    pub fn incident() -> Value {
        json!({"change": Uuid::from_u128(7), "text": "我不知道", "matches": [{"phrase": "我不知道"}]})
    }
}
