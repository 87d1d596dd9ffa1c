//! Table tests of the return case, its review, the station's lookup and the inspection rules.

use super::*;
use crate::hlc::Hlc;
use crate::policy::Policy;
use crate::record::{Receipt, RecordType, apply};
use crate::rules::test_clock::local;
use crate::sync::Change;
use crate::test_fixtures;
use uuid::Uuid;

fn policy() -> ReturnPolicy<'static> {
    Policy::default_policy().into()
}

fn new_return(item_class: &str) -> NewReturn {
    NewReturn {
        items: vec![ReturnItem {
            sku: "TEA-GIFT-01".into(),
            quantity: 2,
        }],
        item_class: item_class.into(),
        // As a scanner or a hurried agent types it: the lookup normalises it.
        return_tracking: " sf 1234-5678 ".into(),
        ..test_fixtures::new_return()
    }
}

fn record_of(fields: BTreeMap<String, Value>, at: DateTime<Utc>) -> Record {
    let change = Change {
        change_id: Uuid::from_u128(1),
        device: Uuid::from_u128(9),
        stamp: Hlc::new(1, 0),
        record_type: RecordType::Case,
        record_id: Uuid::from_u128(7),
        op: Op::Create { fields },
    };
    apply(None, &Receipt::on_server(change, "demo", "east", at))
}

fn inspection(decision: InspectionDecision) -> Inspection {
    Inspection {
        tracking: "SF12345678".into(),
        tracking_matches: true,
        items_match: true,
        original_packaging: true,
        tags_intact: true,
        condition: ItemCondition::AsNew,
        note: String::new(),
        decision,
        supplier: "杭州茶厂".into(),
        style_code: "TG-01".into(),
        photos: vec![PhotoRef {
            hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            bytes: 120_000,
        }],
        other_checks: Default::default(),
    }
}

#[test]
fn order_lines_table() {
    let table = [
        (json!([{"sku": "A", "quantity": 1}]), true),
        (
            json!([{"sku": "A", "quantity": 999}, {"sku": "B", "quantity": 2}]),
            true,
        ),
        (json!([]), false),
        (json!([{"sku": " ", "quantity": 1}]), false),
        (json!([{"sku": "A", "quantity": 0}]), false),
        (json!([{"sku": "A", "quantity": 1000}]), false),
        (json!([{"sku": "A"}]), false),
        (json!([{"sku": "A", "quantity": 1, "price": 3}]), false),
        (json!("A x1"), false),
    ];
    for (items, valid) in table {
        assert_eq!(check_items(&items).is_ok(), valid, "{items}");
    }
}

#[test]
fn the_form_requires_a_reason_an_item_class_and_items() {
    assert_eq!(new_return("normal").check(), Ok(()));
    let mut no_reason = new_return("normal");
    no_reason.reason = String::new();
    assert_eq!(no_reason.check(), Err(InputError::ReturnReasonMissing));
    let mut no_class = new_return("normal");
    no_class.item_class = " ".into();
    assert_eq!(no_class.check(), Err(InputError::ItemClassMissing));
    let mut no_items = new_return("normal");
    no_items.items.clear();
    assert!(matches!(
        no_items.check(),
        Err(InputError::ItemsInvalid { .. })
    ));
    let mut bad_tracking = new_return("normal");
    bad_tracking.return_tracking = "顺丰123".into();
    assert!(matches!(
        bad_tracking.check(),
        Err(InputError::TrackingInvalid { .. })
    ));
}

#[test]
fn a_saved_return_reads_back_as_its_facts_and_its_row() {
    let at = local("2026-03-05 10:00");
    let record = record_of(new_return("normal").fields(), at);
    let facts = ReturnFacts::from_record(&record).unwrap();
    assert_eq!(
        facts,
        new_return("normal").facts(),
        "the form's facts are the saved ones"
    );
    assert_eq!(facts.request_type, RequestType::ReturnRefund);
    assert_eq!(facts.return_tracking.as_deref(), Some("SF12345678"));
    assert_eq!(facts.items[0].quantity, 2);
    assert_eq!(facts.received_on, NaiveDate::from_ymd_opt(2026, 3, 2));
    let case = Case::from_record(&record).unwrap();
    assert_eq!(case.kind, CaseKind::Return);
    assert_eq!(case.return_tracking.as_deref(), Some("SF12345678"));
    let inquiry = record_of(
        crate::kinds::case::NewCase {
            kind: CaseKind::Inquiry,
            title: "问运费".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields(),
        at,
    );
    assert_eq!(ReturnFacts::from_record(&inquiry), None);
}

#[test]
fn review_table() {
    // (item class, customer says packaging, insurance, requested, eligible, words in the review)
    let table = [
        (
            "normal",
            true,
            false,
            "2026-03-09 18:00",
            true,
            "在 7 天无理由退货期内",
        ),
        (
            "normal",
            true,
            false,
            "2026-03-10 09:00",
            false,
            "已超过 7 天无理由退货期",
        ),
        ("normal", true, true, "2026-03-05 09:00", true, "运费险"),
        (
            "one_off",
            false,
            false,
            "2026-03-05 09:00",
            false,
            "没有原包装",
        ),
        ("one_off", true, false, "2026-03-05 09:00", true, "有原包装"),
    ];
    for (class, packaging, insurance, requested, eligible, words) in table {
        let mut request = new_return(class);
        request.original_packaging = packaging;
        request.shipping_insurance = insurance;
        let record = record_of(request.fields(), local(requested));
        let facts = ReturnFacts::from_record(&record).unwrap();
        let decision = facts.review(policy(), local(requested)).unwrap();
        assert_eq!(decision.eligible, eligible, "{class} {requested}");
        assert!(
            decision
                .reasons
                .iter()
                .any(|reason| reason.zh.contains(words)),
            "{class} {requested}: {:?}",
            decision.reasons
        );
    }
}

#[test]
fn refund_only_says_what_happens_first() {
    let mut request = new_return("normal");
    request.request_type = RequestType::RefundOnly;
    request.shipped = false;
    let at = local("2026-03-05 09:00");
    let facts = ReturnFacts::from_record(&record_of(request.fields(), at)).unwrap();
    let decision = facts.review(policy(), at).unwrap();
    assert!(decision.reasons[0].zh.contains("库房"), "{decision:?}");
}

#[test]
fn the_station_finds_the_open_return_of_a_scanned_number() {
    let at = local("2026-03-05 10:00");
    let open = Case::from_record(&record_of(new_return("normal").fields(), at)).unwrap();
    let mut closed = open.clone();
    closed.id = Uuid::from_u128(8);
    closed.status = CaseStatus::Closed;
    let cases = [closed, open.clone()];
    let table = [
        ("SF12345678", Some(open.id)),
        ("sf 1234 5678", Some(open.id)),
        ("SF1234567", None),
        ("", None),
    ];
    for (scanned, found) in table {
        assert_eq!(
            find_open_return(&cases, scanned).map(|case| case.id),
            found,
            "{scanned:?}"
        );
    }
    assert_eq!(find_open_return(&cases[..1], "SF12345678"), None);
}

#[test]
fn an_answer_is_read_and_written_by_the_checklist_s_id() {
    let mut inspected = inspection(InspectionDecision::AcceptRefund);
    for (id, passed) in [("packaging", false), ("gift", false), ("tags", false)] {
        inspected.set_answer(id, passed);
        assert_eq!(inspected.answer(id), Some(passed), "{id}");
    }
    assert!(!inspected.original_packaging && !inspected.tags_intact);
    assert_eq!(
        inspected.other_checks,
        BTreeMap::from([("gift".to_owned(), false)])
    );
    assert_eq!(inspected.answer("tracking"), Some(true));
    assert_eq!(inspected.answer("never_asked"), None);
}

#[test]
fn inspection_table() {
    let at = local("2026-03-05 10:00");
    let normal = record_of(new_return("normal").fields(), at);
    let one_off = record_of(new_return("one_off").fields(), at);
    let unlabelled = Inspection {
        supplier: String::new(),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let defective_silent = Inspection {
        condition: ItemCondition::Defective,
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let defective_explained = Inspection {
        note: "袖口有污渍".into(),
        ..defective_silent.clone()
    };
    let without_packaging = Inspection {
        original_packaging: false,
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let rejected_silent = Inspection {
        original_packaging: false,
        ..inspection(InspectionDecision::RejectSendBack)
    };
    let rejected = Inspection {
        note: "没有原包装".into(),
        ..rejected_silent.clone()
    };
    let long_label = Inspection {
        style_code: "款".repeat(LABEL_MAX_CHARS + 1),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let without_photos = Inspection {
        photos: Vec::new(),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    // The shop's own check ("赠品齐全") failed: a problem, so it must be explained.
    let gift_missing = Inspection {
        other_checks: BTreeMap::from([("gift".to_owned(), false)]),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let gift_missing_explained = Inspection {
        note: "少了赠品茶杯".into(),
        ..gift_missing.clone()
    };
    let built_in_twice = Inspection {
        other_checks: BTreeMap::from([("packaging".to_owned(), true)]),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let too_many_checks = Inspection {
        other_checks: (0..31).map(|n| (format!("check-{n}"), true)).collect(),
        ..inspection(InspectionDecision::AcceptRefund)
    };
    let table = [
        (
            &normal,
            inspection(InspectionDecision::AcceptRefund),
            Ok(()),
        ),
        (
            &normal,
            without_photos,
            Err(InspectionProblem::PhotoMissing),
        ),
        (
            &normal,
            inspection(InspectionDecision::AcceptReship),
            Ok(()),
        ),
        (&normal, unlabelled, Err(InspectionProblem::LabelMissing)),
        (
            &normal,
            defective_silent,
            Err(InspectionProblem::NoteMissing),
        ),
        (&normal, defective_explained, Ok(())),
        (&normal, without_packaging.clone(), Ok(())),
        (
            &one_off,
            without_packaging,
            Err(InspectionProblem::OneOffWithoutPackaging),
        ),
        (
            &one_off,
            rejected_silent,
            Err(InspectionProblem::NoteMissing),
        ),
        (&one_off, rejected, Ok(())),
        (&normal, long_label, Err(InspectionProblem::LabelTooLong)),
        (
            &normal,
            inspection(InspectionDecision::Escalate),
            Err(InspectionProblem::NoteMissing),
        ),
        (&normal, gift_missing, Err(InspectionProblem::NoteMissing)),
        (&normal, gift_missing_explained, Ok(())),
        (
            &normal,
            built_in_twice,
            Err(InspectionProblem::ChecksInvalid),
        ),
        (
            &normal,
            too_many_checks,
            Err(InspectionProblem::ChecksInvalid),
        ),
    ];
    for (record, inspected, expected) in table {
        assert_eq!(
            check_inspection(policy(), record, &inspected),
            expected,
            "{inspected:?}"
        );
    }
    let inquiry = record_of(
        crate::kinds::case::NewCase {
            kind: CaseKind::Inquiry,
            title: "问运费".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields(),
        at,
    );
    assert_eq!(
        check_inspection(
            policy(),
            &inquiry,
            &inspection(InspectionDecision::AcceptRefund)
        ),
        Err(InspectionProblem::NotAReturn)
    );
}

#[test]
fn a_change_naming_an_unknown_reason_or_a_bad_inspection_is_refused_in_words() {
    let at = local("2026-03-05 10:00");
    let record = record_of(new_return("one_off").fields(), at);
    let change = |op| Change {
        change_id: Uuid::from_u128(2),
        device: Uuid::from_u128(9),
        stamp: Hlc::new(2, 0),
        record_type: RecordType::Case,
        record_id: record.id,
        op,
    };
    let mut fields = new_return("normal").fields();
    fields.insert(field::RETURN_REASON.into(), json!("bored"));
    let refused =
        check_return_change(policy(), None, &change(Op::Create { fields }).op).unwrap_err();
    assert!(refused.zh.contains("bored"), "{refused:?}");
    let accepted_one_off = Op::Append {
        event: Uuid::from_u128(3),
        kind: event::INSPECTION.into(),
        data: json!(Inspection {
            original_packaging: false,
            ..inspection(InspectionDecision::AcceptRefund)
        }),
    };
    let refused =
        check_return_change(policy(), Some(&record), &change(accepted_one_off).op).unwrap_err();
    assert!(refused.zh.contains("孤品"), "{refused:?}");
    let fine = Op::Append {
        event: Uuid::from_u128(4),
        kind: event::INSPECTION.into(),
        data: json!(inspection(InspectionDecision::AcceptRefund)),
    };
    assert_eq!(
        check_return_change(policy(), Some(&record), &change(fine).op),
        Ok(())
    );
}

#[test]
fn the_after_sales_clock_runs_five_working_days() {
    let hours = &Policy::default_policy().working_hours;
    // Opened on a Monday morning: due the next Monday at the same working minute.
    let opened = local("2026-03-02 10:00");
    let due = after_sales_due(hours, opened);
    assert_eq!(due, local("2026-03-09 10:00"));
    assert!(after_sales_left(hours, opened, local("2026-03-06 10:00")) > TimeDelta::zero());
    assert!(after_sales_left(hours, opened, local("2026-03-09 11:00")) < TimeDelta::zero());
}
