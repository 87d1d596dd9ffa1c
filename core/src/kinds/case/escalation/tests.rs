//! Table tests of escalations: reply deadlines in working hours from the device's stamp, and
//! which escalations and decisions may be recorded.

use super::*;
use crate::hlc::Hlc;
use crate::kinds::case::{CaseKind, NewCase};
use crate::policy::Policy;
use crate::record::{Receipt, apply};
use crate::sync::Change;
use crate::test_fixtures::{case_change as change, case_entry};
use chrono::{FixedOffset, NaiveDateTime, TimeDelta, TimeZone};
use serde_json::json;

fn policy() -> &'static Policy {
    Policy::default_policy()
}

/// A Beijing-time wall clock reading.
fn local(text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

fn case() -> Record {
    let fields = NewCase {
        kind: CaseKind::Complaint,
        title: "物流太慢".into(),
        customer_name: String::new(),
        customer_phone: String::new(),
        order_number: None,
    }
    .fields();
    apply(
        None,
        &Receipt::on_server(
            change(1, Op::Create { fields }),
            "agent",
            "east",
            local("2026-03-02 08:00"),
        ),
    )
}

/// The `n`th entry, made on the device at `acted` and received by the server at `received`.
fn entry(n: u128, kind: &str, data: Value, acted: DateTime<Utc>) -> Change {
    let mut entry = case_entry(n, kind, data);
    entry.stamp = Hlc::new(acted.timestamp_millis(), 0);
    entry
}

fn with(case: Record, entry: Change, by: &str, received: DateTime<Utc>) -> Record {
    apply(Some(case), &Receipt::on_server(entry, by, "east", received))
}

fn escalation(promise: ReplyPromise) -> Value {
    json!({"reason": "customer_demands_leader", "note": "客户要求主管回电", "promise": promise})
}

/// The test's case, escalated by the agent at `at` with `promise` (entry id 1002), synced at once.
fn escalated(promise: ReplyPromise, at: DateTime<Utc>) -> Record {
    with(
        case(),
        entry(2, event::ESCALATION, escalation(promise), at),
        "agent",
        at,
    )
}

#[test]
fn the_reply_deadline_counts_working_hours_from_the_device_stamp() {
    use ReplyPromise::{HalfWorkingDay as Half, OneWorkingDay as One};
    let table = [
        // across lunch
        ("2026-03-02 11:00", Half, "2026-03-02 16:00"),
        ("2026-03-02 11:00", One, "2026-03-03 11:00"),
        // in the evening: into the next morning
        ("2026-03-02 17:00", Half, "2026-03-03 12:00"),
        ("2026-03-02 20:00", One, "2026-03-03 18:00"),
        // on Friday afternoon and on a Saturday: Monday
        ("2026-03-06 16:00", Half, "2026-03-09 11:00"),
        ("2026-03-07 10:00", One, "2026-03-09 18:00"),
        // before the National Day holidays: after them
        ("2026-09-30 16:00", Half, "2026-10-08 11:00"),
        ("2026-09-30 16:00", One, "2026-10-08 16:00"),
    ];
    for (acted, promise, deadline) in table {
        // Synced two hours late: the deadline still counts from when the agent acted.
        let received = local(acted) + TimeDelta::hours(2);
        let case = with(
            case(),
            entry(2, event::ESCALATION, escalation(promise), local(acted)),
            "agent",
            received,
        );
        let found = escalations(&case);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].acted_at, local(acted), "{acted}");
        assert_eq!(
            found[0].deadline(&policy().working_hours),
            local(deadline),
            "{acted} {promise:?}"
        );
        assert_eq!(found[0].by, "agent");
        assert_eq!(found[0].decision, None);
    }
}

#[test]
fn escalations_and_decisions_that_may_be_recorded() {
    let at = local("2026-03-02 10:00");
    let escalated = escalated(ReplyPromise::HalfWorkingDay, at);
    let escalation_id = Uuid::from_u128(1002);
    let decision = |id: Uuid, text: &str| json!({"escalation": id, "coordinated": "与仓储部确认补发", "decision": text});
    let decided = with(
        escalated.clone(),
        entry(
            3,
            event::ESCALATION_DECISION,
            decision(escalation_id, "补发并赠送优惠券"),
            at,
        ),
        "boss",
        at,
    );
    let reasons = &policy().escalation_reasons;
    let check = |case: &Record, kind: &str, data: Value| {
        check_escalation_change(reasons, Some(case), &case_entry(9, kind, data).op)
    };
    // (case, entry, data, allowed)
    let table = [
        (
            &escalated,
            event::ESCALATION,
            escalation(ReplyPromise::OneWorkingDay),
            true,
        ),
        (
            &escalated,
            event::ESCALATION,
            json!({"reason": "bored", "note": "x", "promise": "half_working_day"}),
            false,
        ),
        (
            &escalated,
            event::ESCALATION,
            json!({"reason": "high_value", "note": "  ", "promise": "half_working_day"}),
            false,
        ),
        (
            &escalated,
            event::ESCALATION_DECISION,
            decision(escalation_id, "补发"),
            true,
        ),
        (
            &escalated,
            event::ESCALATION_DECISION,
            decision(escalation_id, ""),
            false,
        ),
        (
            &escalated,
            event::ESCALATION_DECISION,
            decision(Uuid::from_u128(77), "补发"),
            false,
        ),
        (
            &decided,
            event::ESCALATION_DECISION,
            decision(escalation_id, "再补一件"),
            false,
        ),
    ];
    for (case, kind, data, allowed) in table {
        assert_eq!(
            check(case, kind, data.clone()).is_ok(),
            allowed,
            "{kind} {data}"
        );
    }
    let found = escalations(&decided);
    let answer = found[0].decision.clone().unwrap();
    assert_eq!(answer.decision, "补发并赠送优惠券");
    assert_eq!(answer.by, "boss");
    // The owner stays the owner (首接负责制).
    assert_eq!(decided.created.as_ref().unwrap().by, "agent");
}

#[test]
fn the_queue_lists_the_escalations_waiting_earliest_deadline_first() {
    let hours = &policy().working_hours;
    let morning = local("2026-03-02 09:00");
    let afternoon = local("2026-03-02 15:00");
    let late = escalated(ReplyPromise::HalfWorkingDay, afternoon);
    let early = escalated(ReplyPromise::OneWorkingDay, morning);
    let decision =
        json!({"escalation": Uuid::from_u128(1002), "coordinated": "", "decision": "同意退款"});
    let decided = with(
        escalated(ReplyPromise::OneWorkingDay, morning),
        entry(3, event::ESCALATION_DECISION, decision, morning),
        "boss",
        morning,
    );
    let rows: Vec<Case> = [&late, &early, &decided]
        .into_iter()
        .map(|record| Case::from_record(record).unwrap())
        .collect();
    let waiting = waiting_escalations(&rows, hours);
    let deadlines: Vec<DateTime<Utc>> = waiting.iter().map(|(_, _, due)| *due).collect();
    // One working day from 09:00 is 18:00; half a day (4 h) from 15:00 is 10:00 the next morning.
    assert_eq!(
        deadlines,
        [local("2026-03-02 18:00"), local("2026-03-03 10:00")]
    );
}

#[test]
fn the_supervisor_answers_first_within_five_minutes_once() {
    let at = local("2026-03-02 10:00");
    let escalated = escalated(ReplyPromise::HalfWorkingDay, at);
    let id = Uuid::from_u128(1002);
    let reply = json!({"escalation": id, "reply": "收到，我马上联系仓库"});
    let found = &escalations(&escalated)[0];
    assert_eq!(found.first_reply_due(), local("2026-03-02 10:05"));
    // (now, late)
    for (now, late) in [("2026-03-02 10:04", false), ("2026-03-02 10:06", true)] {
        assert_eq!(found.first_reply_late(local(now)), late, "{now}");
    }
    let reasons = &policy().escalation_reasons;
    let check = |case: &Record, data: Value| {
        check_escalation_change(
            reasons,
            Some(case),
            &case_entry(9, event::ESCALATION_REPLY, data).op,
        )
    };
    assert_eq!(check(&escalated, reply.clone()), Ok(()));
    assert!(check(&escalated, json!({"escalation": id, "reply": " "})).is_err());
    assert!(
        check(
            &escalated,
            json!({"escalation": Uuid::from_u128(5), "reply": "收到"})
        )
        .is_err()
    );
    let replied = with(
        escalated,
        entry(3, event::ESCALATION_REPLY, reply.clone(), at),
        "boss",
        at,
    );
    let found = &escalations(&replied)[0];
    assert_eq!(found.first_reply.as_ref().unwrap().by, "boss");
    assert!(!found.first_reply_late(local("2026-03-02 11:00")));
    assert_eq!(
        check(&replied, reply),
        Err(EscalationProblem::NothingOpen.message())
    );
}
