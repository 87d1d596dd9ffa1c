//! Table test of the weekly after-sales summary and its CSV.

use super::*;
use crate::hlc::Hlc;
use crate::kinds::case::after_sales_situation::SituationEntry;
use crate::kinds::case::compensations::{Decision, Proposal};
use crate::kinds::case::returns::NewReturn;
use crate::policy::Policy;
use crate::record::{Receipt, RecordType, apply};
use crate::rules::after_sales_guide::Answers;
use crate::rules::compensation::CompensationFor;
use crate::rules::test_clock::local;
use crate::sync::{Change, Op};
use crate::test_fixtures::new_return;
use serde_json::json;
use uuid::Uuid;

fn policy() -> ReturnPolicy<'static> {
    Policy::default_policy().into()
}

fn guide() -> GuidePolicy<'static> {
    Policy::default_policy().into()
}

/// An `after_sales_situation` entry's data.
fn situation(situation: Situation, answers: Answers) -> serde_json::Value {
    json!(SituationEntry {
        situation,
        answers,
        supervisor_agrees: false,
    })
}

fn change(record: u128, n: u128, op: Op) -> Change {
    Change {
        change_id: Uuid::from_u128(record * 100 + n),
        device: Uuid::from_u128(9),
        stamp: Hlc::new((record * 100 + n) as i64, 0),
        record_type: RecordType::Case,
        record_id: Uuid::from_u128(record),
        op,
    }
}

fn opened(record: u128, reason: &str, at: &str) -> Record {
    let fields = NewReturn {
        title: format!("退货 {record}"),
        reason: reason.into(),
        ..new_return()
    }
    .fields();
    apply(
        None,
        &Receipt::on_server(
            change(record, 0, Op::Create { fields }),
            "demo",
            "east",
            local(at),
        ),
    )
}

fn with_event(record: Record, n: u128, kind: &str, data: serde_json::Value, by: &str) -> Record {
    let id = record.id.as_u128();
    let entry = change(
        id,
        n,
        Op::Append {
            event: Uuid::from_u128(id * 1000 + n),
            kind: kind.into(),
            data,
        },
    );
    apply(
        Some(record),
        &Receipt::on_server(entry, by, "east", local("2026-11-25 10:00")),
    )
}

fn compensate(yuan: i64) -> serde_json::Value {
    json!(Proposal {
        compensation_for: CompensationFor::QualityDefect,
        item_class: "normal".into(),
        unit_price: Fen::from_yuan(50),
        amount: Fen::from_yuan(yuan),
        note: String::new(),
        policy: None,
    })
}

#[test]
fn a_week_s_returns_by_reason_with_compensation_paid() {
    // Monday 2026-11-23 to Sunday 2026-11-29, in the shop's calendar.
    let mut defect = opened(1, "quality_defect", "2026-11-23 00:10");
    defect = with_event(
        defect,
        1,
        crate::kinds::case::compensations::event::COMPENSATION,
        compensate(8),
        "demo",
    );
    defect = with_event(
        defect,
        2,
        crate::kinds::case::compensations::event::COMPENSATION,
        compensate(20),
        "demo",
    );
    let approved = with_event(
        opened(2, "quality_defect", "2026-11-26 15:00"),
        1,
        crate::kinds::case::compensations::event::COMPENSATION,
        compensate(15),
        "demo",
    );
    let approved = with_event(
        approved,
        2,
        crate::kinds::case::compensations::event::COMPENSATION_DECISION,
        json!(Decision {
            compensation: Uuid::from_u128(2001),
            approved: true,
            note: String::new(),
        }),
        "supervisor",
    );
    // The courier confirmed the loss: a claim. Asked first, the courier had not.
    let lost = opened(4, "parcel_lost", "2026-11-24 09:00");
    let not_confirmed = Answers {
        courier_confirms_lost: Some(false),
        ..Answers::default()
    };
    let lost = with_event(
        lost,
        1,
        crate::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
        situation(Situation::LostParcel, not_confirmed.clone()),
        "demo",
    );
    let confirmed = Answers {
        courier_confirms_lost: Some(true),
        in_stock: Some(false),
        item_value: Some(Fen::from_yuan(59)),
        ..Answers::default()
    };
    let lost = with_event(
        lost,
        2,
        crate::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
        situation(Situation::LostParcel, confirmed),
        "demo",
    );
    // Lost by its reason, but the courier found it: no claim.
    let found = with_event(
        opened(7, "parcel_lost", "2026-11-25 09:00"),
        1,
        crate::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
        situation(Situation::LostParcel, not_confirmed),
        "demo",
    );
    // Opened as the agent's mistake, found to be a missing item (still being asked).
    let missing_by_situation = with_event(
        opened(8, "agent_mistake", "2026-11-25 10:00"),
        1,
        crate::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION,
        situation(Situation::MissingItem, Answers::default()),
        "demo",
    );
    let records = [
        defect,
        approved,
        opened(3, "missing_item", "2026-11-29 23:59"),
        lost,
        opened(5, "parcel_lost", "2026-11-22 23:59"),
        opened(6, "changed_mind", "2026-11-30 00:00"),
        found,
        missing_by_situation,
    ];
    let monday = week_of(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    assert_eq!(monday, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let summary = weekly_summary(policy(), guide(), &records, monday);
    assert_eq!(summary.returns, 6);
    assert_eq!(
        summary.by_reason,
        [
            ("quality_defect".to_owned(), 2),
            ("missing_item".to_owned(), 1),
            ("agent_mistake".to_owned(), 1),
            ("parcel_lost".to_owned(), 2)
        ]
    );
    // ¥8 final, ¥15 approved; ¥20 still waits.
    assert_eq!(summary.compensation_paid, Fen::from_yuan(23));
    assert_eq!(summary.compensations_waiting, 1);
    assert_eq!((summary.missing_items, summary.lost_parcel_claims), (2, 1));
    // Only the settled situation the manual reports weekly: the confirmed loss.
    assert_eq!(summary.situations, [(Situation::LostParcel, 1)]);

    let csv = summary_csv(policy(), &summary, Lang::ZhHans);
    assert!(csv.starts_with("\u{feff}项目,数值\r\n"), "{csv}");
    assert!(csv.contains("原因: 质量问题,2\r\n"), "{csv}");
    assert!(csv.contains("已付补偿（元）,23.00\r\n"), "{csv}");
    let english = summary_csv(policy(), &summary, Lang::En);
    assert!(english.contains("Lost-parcel claims,1\r\n"), "{english}");
    assert!(
        english.contains("Situation: Parcel lost by the courier,1\r\n"),
        "{english}"
    );
}

#[test]
fn csv_cells_are_quoted_when_they_must_be() {
    let table = [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
    ];
    for (text, cell) in table {
        assert_eq!(csv_cell(text), cell);
    }
}
