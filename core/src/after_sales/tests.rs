//! Table test of the weekly after-sales summary and its CSV.

use super::*;
use crate::case::event;
use crate::compensations::{Decision, Proposal};
use crate::hlc::Hlc;
use crate::policy::{Policy, RequestType};
use crate::record::{Receipt, RecordType, apply};
use crate::returns::{NewReturn, ReturnItem};
use crate::rules::compensation::CompensationFor;
use crate::rules::test_clock::local;
use crate::sync::{Change, Op};
use serde_json::json;
use uuid::Uuid;

fn policy() -> ReturnPolicy<'static> {
    Policy::default_policy().into()
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
        request_type: RequestType::ReturnRefund,
        reason: reason.into(),
        customer_name: String::new(),
        customer_phone: String::new(),
        order_number: None,
        items: vec![ReturnItem {
            sku: "A".into(),
            quantity: 1,
        }],
        item_class: "normal".into(),
        original_packaging: true,
        return_tracking: String::new(),
        return_courier: String::new(),
        shipping_insurance: false,
        shipped: true,
        received_on: None,
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
    })
}

#[test]
fn a_week_s_returns_by_reason_with_compensation_paid() {
    // Monday 2026-11-23 to Sunday 2026-11-29, in the shop's calendar.
    let mut defect = opened(1, "quality_defect", "2026-11-23 00:10");
    defect = with_event(defect, 1, event::COMPENSATION, compensate(8), "demo");
    defect = with_event(defect, 2, event::COMPENSATION, compensate(20), "demo");
    let approved = with_event(
        opened(2, "quality_defect", "2026-11-26 15:00"),
        1,
        event::COMPENSATION,
        compensate(15),
        "demo",
    );
    let approved = with_event(
        approved,
        2,
        event::COMPENSATION_DECISION,
        json!(Decision {
            compensation: Uuid::from_u128(2001),
            approved: true,
            note: String::new(),
        }),
        "supervisor",
    );
    let records = [
        defect,
        approved,
        opened(3, "missing_item", "2026-11-29 23:59"),
        opened(4, "parcel_lost", "2026-11-24 09:00"),
        opened(5, "parcel_lost", "2026-11-22 23:59"),
        opened(6, "changed_mind", "2026-11-30 00:00"),
    ];
    let monday = week_of(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    assert_eq!(monday, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    let summary = weekly_summary(policy(), &records, monday);
    assert_eq!(summary.returns, 4);
    assert_eq!(
        summary.by_reason,
        [
            ("quality_defect".to_owned(), 2),
            ("missing_item".to_owned(), 1),
            ("parcel_lost".to_owned(), 1)
        ]
    );
    // ¥8 final, ¥15 approved; ¥20 still waits.
    assert_eq!(summary.compensation_paid, Fen::from_yuan(23));
    assert_eq!(summary.compensations_waiting, 1);
    assert_eq!((summary.missing_items, summary.lost_parcel_claims), (1, 1));

    let csv = summary_csv(policy(), &summary, Lang::ZhHans);
    assert!(csv.starts_with("\u{feff}项目,数值\r\n"), "{csv}");
    assert!(csv.contains("原因: 质量问题,2\r\n"), "{csv}");
    assert!(csv.contains("已付补偿（元）,23.00\r\n"), "{csv}");
    let english = summary_csv(policy(), &summary, Lang::En);
    assert!(english.contains("Lost-parcel claims,1\r\n"), "{english}");
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
