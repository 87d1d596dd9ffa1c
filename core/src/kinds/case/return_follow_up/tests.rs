//! The return's progress through its timeline: table tests of which steps and inspections
//! may follow which, and of the review step taken when a return is opened.

use super::*;
use crate::access::may_change;
use crate::account::Denied;
use crate::account::{Role, UserInfo};
use crate::kinds::case::returns::{ItemCondition, NewReturn};
use crate::kinds::case::{CaseKind, NewCase};
use crate::money::Fen;
use crate::photo::PhotoRef;
use crate::policy::{Policy, RequestType};
use crate::record::{Receipt, apply as apply_receipt};
use crate::rules::return_flow::Settlement;
use crate::rules::test_clock::local;
use crate::sync::Change;
use crate::test_fixtures::{case_change as change, case_entry as append, new_return};
use serde_json::json;

fn received(record: Option<Record>, change: Change, by: &str) -> Record {
    apply_receipt(
        record,
        &Receipt::on_server(change, by, "east", local("2026-03-05 10:00")),
    )
}

fn opened(fields: std::collections::BTreeMap<String, Value>) -> Record {
    received(None, change(1, Op::Create { fields }), "demo")
}

fn approve(parcel_expected: bool) -> Value {
    return_step_data(&ReturnEvent::Approve {
        reviewer: "demo".into(),
        review_note: "在 7 天无理由退货期内".into(),
        parcel_expected,
    })
}

fn inspection(decision: InspectionDecision, note: &str) -> Value {
    json!(Inspection {
        tracking: "SF12345678".into(),
        tracking_matches: true,
        items_match: true,
        original_packaging: true,
        tags_intact: true,
        condition: ItemCondition::AsNew,
        note: note.into(),
        decision,
        supplier: "杭州茶厂".into(),
        style_code: "TG-01".into(),
        photos: vec![PhotoRef {
            hash: "ab".repeat(32),
            bytes: 10,
        }],
        other_checks: Default::default(),
    })
}

fn settle() -> Value {
    return_step_data(&ReturnEvent::Settle {
        settlement: Some(Settlement::Refund {
            amount: Fen::from_yuan(89),
        }),
    })
}

fn close() -> Value {
    return_step_data(&ReturnEvent::Close)
}

/// A timeline entry by its kind and data.
type Entry = (&'static str, Value);

#[test]
fn the_return_moves_through_review_inspection_settlement_and_closing() {
    use ReturnState::*;
    let accept = || inspection(InspectionDecision::AcceptRefund, "");
    let escalate = || inspection(InspectionDecision::Escalate, "吊牌缺失");
    let send_back = || inspection(InspectionDecision::RejectSendBack, "不是本店商品");
    let reject = || {
        return_step_data(&ReturnEvent::Reject {
            reviewer: "supervisor".into(),
            reason: "超过七天".into(),
        })
    };
    // (steps so far, next entry, whether it may follow, state after it if it may)
    let table: Vec<(Vec<Entry>, Entry, Option<ReturnState>)> = vec![
        (vec![], (event::INSPECTION, accept()), None),
        (vec![], (event::RETURN_STEP, settle()), None),
        (
            vec![],
            (event::RETURN_STEP, approve(true)),
            Some(AwaitingParcel),
        ),
        (vec![], (event::RETURN_STEP, approve(false)), Some(Approved)),
        (vec![], (event::RETURN_STEP, reject()), Some(Rejected)),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::RETURN_STEP, settle()),
            None,
        ),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::INSPECTION, accept()),
            Some(Accepted),
        ),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::INSPECTION, send_back()),
            Some(SentBack),
        ),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::INSPECTION, escalate()),
            Some(Escalated),
        ),
        (
            vec![
                (event::RETURN_STEP, approve(true)),
                (event::INSPECTION, escalate()),
            ],
            (event::INSPECTION, accept()),
            Some(Accepted),
        ),
        (
            vec![
                (event::RETURN_STEP, approve(true)),
                (event::INSPECTION, accept()),
            ],
            (event::INSPECTION, accept()),
            None,
        ),
        (
            vec![
                (event::RETURN_STEP, approve(true)),
                (event::INSPECTION, accept()),
            ],
            (event::RETURN_STEP, settle()),
            Some(Settled),
        ),
        (
            vec![(event::RETURN_STEP, approve(false))],
            (event::RETURN_STEP, settle()),
            Some(Settled),
        ),
        (
            vec![(event::RETURN_STEP, approve(false))],
            (event::INSPECTION, accept()),
            None,
        ),
        (
            vec![
                (event::RETURN_STEP, approve(true)),
                (event::INSPECTION, send_back()),
            ],
            (event::RETURN_STEP, close()),
            Some(Closed),
        ),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::RETURN_STEP, return_step_data(&ReturnEvent::Withdraw)),
            Some(Closed),
        ),
        (
            vec![(event::RETURN_STEP, approve(true))],
            (event::RETURN_STEP, close()),
            None,
        ),
    ];
    for (earlier, (kind, data), expected) in table {
        let mut record = opened(new_return().fields());
        for (n, (kind, data)) in earlier.iter().enumerate() {
            record = received(
                Some(record),
                append(10 + n as u128, kind, data.clone()),
                "packer",
            );
        }
        let next = append(50, kind, data.clone());
        let checked = check_return_flow(Some(&record), &next.op);
        assert_eq!(
            checked.is_ok(),
            expected.is_some(),
            "{kind} {data} after {earlier:?}: {checked:?}"
        );
        if let Some(state) = expected {
            assert_eq!(
                return_state(&received(Some(record), next, "demo")),
                state,
                "{kind} {data}"
            );
        }
    }
}

#[test]
fn a_step_that_does_not_follow_leaves_the_state_as_it_was() {
    // Two settlements made offline at once: the second does not apply.
    let mut record = opened(new_return().fields());
    for (n, data) in [approve(false), settle(), settle()].into_iter().enumerate() {
        record = received(
            Some(record),
            append(10 + n as u128, event::RETURN_STEP, data),
            "demo",
        );
    }
    assert_eq!(return_state(&record), ReturnState::Settled);
}

#[test]
fn a_return_step_on_another_kind_of_case_is_refused() {
    let inquiry = opened(
        NewCase {
            kind: CaseKind::Inquiry,
            title: "问运费".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields(),
    );
    let step = append(20, event::RETURN_STEP, approve(true));
    assert!(check_return_flow(Some(&inquiry), &step.op).is_err());
    let note = append(
        21,
        crate::kinds::case::event::NOTE,
        json!({ "body": "备注" }),
    );
    assert!(check_return_flow(Some(&inquiry), &note.op).is_ok());
}

#[test]
fn opening_a_return_records_its_review_when_it_is_eligible() {
    let policy = Policy::default_policy();
    let review =
        |facts: NewReturn, at: &str| facts.facts().review(policy.into(), local(at)).unwrap();
    let eligible = review(new_return(), "2026-03-05 10:00");
    match review_step(RequestType::ReturnRefund, &eligible, "demo") {
        Some(ReturnEvent::Approve {
            reviewer,
            review_note,
            parcel_expected,
        }) => {
            assert_eq!(reviewer, "demo");
            assert!(review_note.contains("7 天"), "{review_note}");
            assert!(parcel_expected);
        }
        other => panic!("{other:?}"),
    }
    let too_late = review(new_return(), "2026-04-30 10:00");
    assert_eq!(
        review_step(RequestType::ReturnRefund, &too_late, "demo"),
        None
    );
    // Approved anyway by someone who may: the parcel still comes back.
    assert!(matches!(
        approval_step(RequestType::Exchange, &too_late, "supervisor"),
        ReturnEvent::Approve {
            parcel_expected: true,
            ..
        }
    ));
    // A reship sends nothing back: approved, it is settled at once.
    let reship = NewReturn {
        request_type: RequestType::Reship,
        ..new_return()
    };
    let reship_review = review(reship, "2026-03-05 10:00");
    assert!(matches!(
        review_step(RequestType::Reship, &reship_review, "demo"),
        Some(ReturnEvent::Approve {
            parcel_expected: false,
            ..
        })
    ));
}

#[test]
fn only_a_supervisor_decides_an_escalated_parcel() {
    let mut record = opened(new_return().fields());
    record = received(
        Some(record),
        append(10, event::RETURN_STEP, approve(true)),
        "demo",
    );
    let decide = append(
        30,
        event::INSPECTION,
        inspection(InspectionDecision::AcceptRefund, "主管同意"),
    );
    let user = |role| UserInfo {
        username: "someone".into(),
        display_name: "someone".into(),
        role,
        team: "east".into(),
    };
    // Before the escalation the packer decides.
    assert_eq!(
        may_change(
            &user(Role::Packer),
            Some(&record),
            decide.record_type,
            &decide.op
        ),
        Ok(())
    );
    record = received(
        Some(record),
        append(
            11,
            event::INSPECTION,
            inspection(InspectionDecision::Escalate, "吊牌缺失"),
        ),
        "packer",
    );
    let table = [
        (Role::Packer, Err(Denied::SupervisorDecides)),
        (Role::Agent, Err(Denied::SupervisorDecides)),
        (Role::TeamLead, Err(Denied::SupervisorDecides)),
        (Role::Supervisor, Ok(())),
        (Role::Admin, Ok(())),
    ];
    for (role, expected) in table {
        assert_eq!(
            may_change(&user(role), Some(&record), decide.record_type, &decide.op),
            expected,
            "{role:?}"
        );
    }
}
