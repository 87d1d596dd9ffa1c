//! Table tests of compensation proposals and supervisors' decisions on a case.

use super::*;
use crate::kinds::case::{CaseKind, NewCase};
use crate::policy::Policy;
use crate::record::{Receipt, apply};
use crate::sync::Change;
use crate::test_fixtures::{case_change as change, case_entry as append};
use chrono::TimeZone;
use serde_json::json;

fn policy() -> ReturnPolicy<'static> {
    Policy::default_policy().into()
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap()
}

fn case() -> Record {
    let fields = NewCase {
        kind: CaseKind::Return,
        title: "少件补偿".into(),
        customer_name: String::new(),
        customer_phone: String::new(),
        order_number: None,
    }
    .fields();
    apply(
        None,
        &Receipt::on_server(change(1, Op::Create { fields }), "demo", "east", at()),
    )
}

fn proposal(class: &str, price_fen: i64, amount_fen: i64) -> Proposal {
    Proposal {
        compensation_for: CompensationFor::QualityDefect,
        item_class: class.into(),
        unit_price: Fen(price_fen),
        amount: Fen(amount_fen),
        note: "袖口开线".into(),
        policy: None,
    }
}

fn with(record: Record, entry: Change, by: &str) -> Record {
    apply(Some(record), &Receipt::on_server(entry, by, "east", at()))
}

#[test]
fn proposal_table() {
    let table = [
        (
            proposal("normal", 5_000, 1_000),
            Ok(Approval::AgentMayOffer),
        ),
        (
            proposal("normal", 5_000, 1_500),
            Ok(Approval::SupervisorMustApprove {
                above_tier_by: Fen(500),
            }),
        ),
        (
            proposal("normal", 5_000, 0),
            Err(CompensationProblem::AmountInvalid),
        ),
        (
            proposal("normal", -1, 100),
            Err(CompensationProblem::AmountInvalid),
        ),
        (
            proposal("normal", 5_000, AMOUNT_MAX.fen() + 1),
            Err(CompensationProblem::AmountInvalid),
        ),
        (
            proposal("antique", 5_000, 100),
            Err(CompensationProblem::UnknownItemClass("antique".into())),
        ),
    ];
    for (proposed, expected) in table {
        assert_eq!(
            check_proposal(policy(), &proposed),
            expected,
            "{proposed:?}"
        );
    }
}

#[test]
fn above_the_tier_a_proposal_waits_for_one_supervisor_decision() {
    let within = append(
        2,
        event::COMPENSATION,
        json!(proposal("normal", 5_000, 800)),
    );
    let above = append(
        3,
        event::COMPENSATION,
        json!(proposal("normal", 5_000, 2_000)),
    );
    let above_id = Uuid::from_u128(1003);
    let mut record = case();
    for entry in [within, above] {
        assert_eq!(
            check_compensation_change(policy(), Some(&record), &entry.op),
            Ok(())
        );
        record = with(record, entry, "demo");
    }
    let states: Vec<&str> = compensations(policy(), &record)
        .iter()
        .map(|compensation| compensation.state.as_str())
        .collect();
    assert_eq!(states, ["final", "pending"]);
    assert!(!compensations(policy(), &record)[1].state.pays());

    let decide = |n, compensation, approved| {
        append(
            n,
            event::COMPENSATION_DECISION,
            json!(Decision {
                compensation,
                approved,
                note: String::new(),
            }),
        )
    };
    // A decision on a final proposal, or on none, is refused in words.
    let on_final = decide(4, Uuid::from_u128(1002), true);
    let on_nothing = decide(5, Uuid::from_u128(4242), true);
    for entry in [on_final, on_nothing] {
        let refused = check_compensation_change(policy(), Some(&record), &entry.op).unwrap_err();
        assert!(refused.zh.contains("待审批"), "{refused:?}");
    }
    let approve = decide(6, above_id, true);
    assert_eq!(
        check_compensation_change(policy(), Some(&record), &approve.op),
        Ok(())
    );
    record = with(record, approve, "supervisor");
    let approved = &compensations(policy(), &record)[1];
    assert_eq!(
        approved.state,
        CompensationState::Approved {
            by: "supervisor".into()
        }
    );
    assert!(approved.state.pays());
    // Decided once: a second answer is refused.
    let again = decide(7, above_id, false);
    assert!(check_compensation_change(policy(), Some(&record), &again.op).is_err());
}
