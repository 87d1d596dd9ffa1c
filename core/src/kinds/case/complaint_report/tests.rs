//! Table tests of the complaints report: counts by category and cause, open and overdue, the
//! range, and the CSV.

use super::*;
use crate::kinds::case::callback::Callback;
use crate::kinds::case::escalation::{Escalated, Escalation};
use crate::kinds::case::script_steps::ScriptSummary;
use crate::policy::Policy;
use crate::rules::working_hours::ReplyPromise;
use chrono::TimeZone;
use uuid::Uuid;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
}

fn complaint(
    n: u128,
    created: DateTime<Utc>,
    registered: Option<(&str, &str)>,
    status: CaseStatus,
) -> Case {
    Case {
        id: Uuid::from_u128(n),
        kind: CaseKind::Complaint,
        title: format!("投诉 {n}"),
        customer_name: String::new(),
        customer_phone: String::new(),
        order_number: None,
        status,
        owner: "demo".into(),
        created_at: created,
        team: "east".into(),
        customer: None,
        reply_due: None,
        problem: false,
        pin: None,
        return_tracking: None,
        order_amount: None,
        escalations: Vec::new(),
        callbacks: Vec::<Callback>::new(),
        script: registered.map(|(category, cause)| ScriptSummary {
            version: 1,
            steps_done: 5,
            category: Some(category.into()),
            cause: Some(cause.into()),
            last_at: created,
        }),
    }
}

#[test]
fn complaints_are_counted_by_category_and_cause_within_the_range() {
    let policy = Policy::default_policy();
    let mut escalated = complaint(4, at(3, 2), None, CaseStatus::Open);
    escalated.escalations.push(Escalated {
        id: Uuid::from_u128(40),
        escalation: Escalation {
            reason: "high_value".into(),
            note: "金额大".into(),
            promise: ReplyPromise::HalfWorkingDay,
        },
        by: "demo".into(),
        acted_at: at(3, 2),
        first_reply: None,
        decision: None,
    });
    let mut inquiry = complaint(6, at(3, 2), None, CaseStatus::Open);
    inquiry.kind = CaseKind::Inquiry;
    let cases = [
        complaint(1, at(2, 1), Some(("price", "defect")), CaseStatus::Resolved),
        complaint(2, at(2, 5), Some(("price", "negligence")), CaseStatus::Open),
        complaint(
            3,
            at(3, 1),
            Some(("service", "negligence")),
            CaseStatus::Closed,
        ),
        escalated,
        // Outside the range, or not a complaint: not counted.
        complaint(5, at(9, 1), Some(("price", "defect")), CaseStatus::Open),
        inquiry,
    ];
    let now = at(5, 2);
    let report = complaint_report(
        &cases,
        (at(2, 0), at(4, 0)),
        (&policy.complaint_categories, &policy.complaint_causes),
        &policy.working_hours,
        now,
    );
    let nonzero = |rows: &[(String, usize)]| -> Vec<(String, usize)> {
        rows.iter()
            .filter(|(_, count)| *count > 0)
            .cloned()
            .collect()
    };
    assert_eq!(report.total, 4);
    assert_eq!(
        nonzero(&report.by_category),
        [
            ("price".into(), 2),
            ("service".into(), 1),
            (UNREGISTERED.into(), 1)
        ]
    );
    assert_eq!(
        nonzero(&report.by_cause),
        [
            ("defect".into(), 1),
            ("negligence".into(), 2),
            (UNREGISTERED.into(), 1)
        ]
    );
    assert_eq!(
        report.by_category.len(),
        policy.complaint_categories.len() + 1
    );
    assert_eq!((report.open, report.overdue), (2, 1));

    let csv = report.to_csv(|section, id| match (section, id) {
        ("category", "price") => "价格, 及\"优惠\"".into(),
        _ => id.to_uppercase(),
    });
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "section,id,name,count");
    assert!(
        lines.contains(&"category,price,\"价格, 及\"\"优惠\"\"\",2"),
        "{csv}"
    );
    assert!(lines.contains(&"cause,negligence,NEGLIGENCE,2"), "{csv}");
    assert!(lines.contains(&"summary,overdue,OVERDUE,1"), "{csv}");
    assert!(lines.contains(&"summary,total,TOTAL,4"), "{csv}");
}
