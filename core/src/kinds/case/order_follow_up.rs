//! Order follow-up on a case (seed 000 §5; SPEC §2): a case with an order number tracks that
//! order through `rules::order_flow`, one timeline event per step, starting as placed when the
//! case was opened; and a special situation (technical, payment, receiving, product, difficult
//! customer) is recorded with whom it goes to. The device checks a step before saving it and
//! the server checks it again against the record it holds, so an order cannot skip a step.

use crate::account::roles;
use crate::input::{InputError, ORDER_AMOUNT_MAX_FEN, check_list_id, check_side_note};
use crate::kinds::case::Case;
use crate::kinds::customer::same_customer;
use crate::kinds::{CaseWorkflow, Context, EventRule};
use crate::lang::Bilingual;
use crate::policy::SpecialSituation;
use crate::record::Record;
use crate::rules::FlowError;
use crate::rules::order_flow::{OrderEvent, OrderPolicy, OrderState, apply};
use crate::rules::order_merge::{MergeHint, PendingOrder, merge_hints};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::borrow::Borrow;

/// The order's field on a case.
pub mod field {
    /// The order's amount in fen, as the agent reads it from the shop system, or null; same-day
    /// small orders are merged by it (`rules::order_merge`).
    pub const ORDER_AMOUNT: &str = "order_amount";
}

/// The order's timeline entries.
pub mod event {
    /// A step of the order: a `rules::order_flow::OrderEvent`.
    pub const ORDER_STEP: &str = "order_step";
    /// A special situation of seed 000 §5.7: `{"situation": "<policy id>", "note": "…"}`.
    pub const SPECIAL_SITUATION: &str = "special_situation";
}

/// The order's follow-up as a workflow on a case.
pub struct OrderFollowUp;

impl CaseWorkflow for OrderFollowUp {
    fn fields(&self) -> &'static [&'static str] {
        &[field::ORDER_AMOUNT]
    }

    fn events(&self) -> &'static [EventRule] {
        &[
            EventRule {
                kind: event::ORDER_STEP,
                roles: roles::DESK,
            },
            EventRule {
                kind: event::SPECIAL_SITUATION,
                roles: roles::DESK,
            },
        ]
    }

    fn check_field(&self, _name: &str, value: &Value) -> Result<(), InputError> {
        match value.as_i64() {
            _ if value.is_null() => Ok(()),
            Some(fen) if (0..=ORDER_AMOUNT_MAX_FEN).contains(&fen) => Ok(()),
            _ => Err(InputError::OrderAmountInvalid {
                max: ORDER_AMOUNT_MAX_FEN,
            }),
        }
    }

    fn check_event(&self, kind: &str, data: &Value) -> Result<(), InputError> {
        if kind == event::ORDER_STEP {
            return serde_json::from_value::<OrderEvent>(data.clone())
                .map(drop)
                .map_err(|_| InputError::OrderStepInvalid);
        }
        check_list_id("situation", &data["situation"])?;
        if data["situation"].is_null() {
            return Err(InputError::ListIdInvalid {
                field: "situation".into(),
            });
        }
        check_side_note(&data["note"])
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        check_order_change(
            context.policy.into(),
            context.existing,
            context.op,
            context.now,
        )
        .map_err(|flow| flow.message())?;
        check_special_situation(&context.policy.special_situations, context.op)
    }
}

/// One recorded step, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderStep {
    pub event: OrderEvent,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// The order's steps so far, oldest first; an entry that does not read as a step is skipped.
pub fn order_steps(record: &Record) -> Vec<OrderStep> {
    record
        .events
        .iter()
        .filter(|entry| entry.kind == event::ORDER_STEP)
        .filter_map(|entry| {
            Some(OrderStep {
                event: serde_json::from_value(entry.data.clone()).ok()?,
                by: entry.origin.by.clone(),
                at: entry.origin.at,
            })
        })
        .collect()
}

/// Where the order stands: placed, moved by each step that applies in turn (a step that
/// does not apply, e.g. one of two made offline at once, leaves it where it was).
pub fn order_state(policy: OrderPolicy, record: &Record) -> OrderState {
    order_steps(record)
        .iter()
        .fold(OrderState::Placed, |state, step| {
            apply(policy, state, &step.event, step.at).unwrap_or(state)
        })
}

/// The hint to merge this case's order with the same customer's other orders of the day
/// (seed 002 直播相关操作: 合并订单不够19.9的订单), if `rules::order_merge` gives one. A case's
/// creation day stands for its order's day; orders without an amount are not counted, and an
/// order two cases name counts once.
pub fn merge_hint_for<'a>(
    policy: OrderPolicy<'_>,
    case: &'a Case,
    cases: &'a [impl Borrow<Case>],
) -> Option<MergeHint<'a>> {
    let number = case.order_number.as_deref()?;
    let pending = |case: &'a Case| {
        Some(PendingOrder {
            order_number: case.order_number.as_deref()?,
            customer: "",
            placed_at: case.created_at,
            amount: case.order_amount?,
        })
    };
    let mut orders = vec![pending(case)?];
    for other in cases.iter().map(Borrow::<Case>::borrow) {
        if other.id != case.id
            && same_customer(case, other)
            && let Some(order) = pending(other)
            && orders
                .iter()
                .all(|known| known.order_number != order.order_number)
        {
            orders.push(order);
        }
    }
    merge_hints(policy, &orders)
        .into_iter()
        .find(|hint| hint.order_numbers.contains(&number))
}

/// The data of a step's timeline event.
pub fn order_step_data(step: &OrderEvent) -> Value {
    serde_json::to_value(step).unwrap_or(Value::Null)
}

/// Whether `op` may be applied to the case `existing` by the order rules at `now`: a
/// step must follow from where the order stands. Other changes pass.
pub fn check_order_change(
    policy: OrderPolicy,
    existing: Option<&Record>,
    op: &Op,
    now: DateTime<Utc>,
) -> Result<(), FlowError> {
    let (Op::Append { kind, data, .. }, Some(record)) = (op, existing) else {
        return Ok(());
    };
    if kind != event::ORDER_STEP {
        return Ok(());
    }
    // The shape was checked by `validate`; a step that does not read is refused there.
    let Ok(step) = serde_json::from_value::<OrderEvent>(data.clone()) else {
        return Ok(());
    };
    apply(policy, order_state(policy, record), &step, now).map(drop)
}

/// Whether a special situation `op` records names one of the policy's situations.
pub fn check_special_situation(situations: &[SpecialSituation], op: &Op) -> Result<(), Bilingual> {
    let Op::Append { kind, data, .. } = op else {
        return Ok(());
    };
    let named = data["situation"].as_str().unwrap_or_default();
    if kind != event::SPECIAL_SITUATION || situations.iter().any(|known| known.id == named) {
        Ok(())
    } else {
        Err(Bilingual::new(
            format!("没有“{named}”这种特殊情况"),
            format!("There is no special situation “{named}”"),
        ))
    }
}

/// The data of a special-situation event: the policy's situation id and what happened.
pub fn special_situation_data(situation: &str, note: &str) -> Value {
    json!({ "situation": situation, "note": note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::case::{CaseKind, NewCase};
    use crate::policy::Policy;
    use crate::record::Receipt;
    use crate::rules::order_flow::CancelNotice;
    use crate::rules::test_clock::local;
    use crate::sync::Change;
    use crate::test_fixtures::case_change as change;
    use uuid::Uuid;

    fn policy() -> OrderPolicy<'static> {
        Policy::default_policy().into()
    }

    fn step(n: u128, event: &OrderEvent) -> Change {
        change(
            n,
            Op::Append {
                event: Uuid::from_u128(100 + n),
                kind: event::ORDER_STEP.into(),
                data: order_step_data(event),
            },
        )
    }

    fn receive(record: Option<Record>, change: Change, at: &str) -> Record {
        let receipt = Receipt {
            change,
            by: "demo".into(),
            team: "east".into(),
            at: local(at),
        };
        crate::record::apply(record, &receipt)
    }

    #[test]
    fn steps_move_the_order_and_a_skipped_step_is_refused() {
        let fields = NewCase {
            kind: CaseKind::Inquiry,
            title: "下单咨询".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: Some("SO-1".into()),
        }
        .fields();
        let mut record = receive(None, change(1, Op::Create { fields }), "2026-03-02 10:00");
        assert_eq!(order_state(policy(), &record), OrderState::Placed);
        let now = local("2026-03-02 11:00");
        let ship = OrderEvent::Ship {
            courier: "sf".into(),
            tracking_number: "SF123".into(),
        };
        let table: [(OrderEvent, Result<OrderState, ()>); 5] = [
            (ship.clone(), Err(())),
            (
                OrderEvent::Review {
                    reviewer: "小王".into(),
                },
                Ok(OrderState::Reviewed),
            ),
            // Five working days have not passed since the case was opened.
            (
                OrderEvent::CancelUnpaid {
                    placed_at: local("2026-03-02 10:00"),
                    customer_notified_by: Some(CancelNotice::Sms),
                },
                Err(()),
            ),
            (
                OrderEvent::ConfirmPayment {
                    confirmed_by: "财务李".into(),
                },
                Ok(OrderState::Paid),
            ),
            (ship, Ok(OrderState::Shipped)),
        ];
        for (n, (event, expected)) in table.into_iter().enumerate() {
            let change = step(10 + n as u128, &event);
            let checked = check_order_change(policy(), Some(&record), &change.op, now);
            assert_eq!(checked.is_ok(), expected.is_ok(), "{event:?}: {checked:?}");
            if let Ok(state) = expected {
                record = receive(Some(record), change, "2026-03-02 11:00");
                assert_eq!(order_state(policy(), &record), state, "{event:?}");
            }
        }
        assert_eq!(order_steps(&record).len(), 3);
        assert_eq!(order_steps(&record)[0].by, "demo");
        // Anything else, e.g. a note, is not the order rules' business.
        let note = change(
            40,
            Op::Append {
                event: Uuid::from_u128(41),
                kind: crate::kinds::case::event::NOTE.into(),
                data: json!({"body": "已发货"}),
            },
        );
        assert_eq!(
            check_order_change(policy(), Some(&record), &note.op, now),
            Ok(())
        );
    }

    #[test]
    fn a_special_situation_must_be_one_of_the_policy_s() {
        let situations = &Policy::default_policy().special_situations;
        let table = [("difficult", true), ("payment", true), ("weather", false)];
        for (situation, known) in table {
            let change = change(
                1,
                Op::Append {
                    event: Uuid::from_u128(2),
                    kind: event::SPECIAL_SITUATION.into(),
                    data: special_situation_data(situation, "客户情绪激动"),
                },
            );
            assert_eq!(
                check_special_situation(situations, &change.op).is_ok(),
                known,
                "{situation}"
            );
        }
    }

    /// A case about an order of `customer` (linked profile) or `phone`, opened at `at`.
    fn order_case(
        n: u128,
        (customer, phone): (Option<u128>, &str),
        order: &str,
        amount: Option<i64>,
        at: &str,
    ) -> Case {
        Case {
            id: Uuid::from_u128(n),
            kind: crate::kinds::case::CaseKind::Inquiry,
            title: format!("订单 {order}"),
            customer_name: String::new(),
            customer_phone: phone.into(),
            order_number: Some(order.into()),
            status: crate::kinds::case::CaseStatus::Open,
            owner: "demo".into(),
            created_at: local(at),
            team: "east".into(),
            customer: customer.map(Uuid::from_u128),
            reply_due: None,
            problem: false,
            return_tracking: None,
            order_amount: amount.map(crate::money::Fen),
            escalations: Vec::new(),
            callbacks: Vec::new(),
            script: None,
            pin: None,
        }
    }

    /// The order numbers merged, if any.
    type Merged = Option<Vec<&'static str>>;

    #[test]
    fn a_case_s_order_is_merged_with_the_customer_s_other_small_orders_of_the_day() {
        let wang = (None, "138-0013-8000");
        let wang_linked = (Some(1), "");
        let li = (None, "13900000000");
        let small = order_case(1, wang, "A1", Some(990), "2026-03-02 10:00");
        let table: [(&str, Vec<Case>, Merged); 7] = [
            ("alone", vec![], None),
            (
                "same phone, same day",
                vec![order_case(
                    2,
                    (None, "13800138000"),
                    "A2",
                    Some(5000),
                    "2026-03-02 20:00",
                )],
                Some(vec!["A1", "A2"]),
            ),
            (
                "a linked profile without a phone is not matched by this phone",
                vec![order_case(
                    2,
                    wang_linked,
                    "A2",
                    Some(5000),
                    "2026-03-02 20:00",
                )],
                None,
            ),
            (
                "another customer",
                vec![order_case(2, li, "A2", Some(5000), "2026-03-02 20:00")],
                None,
            ),
            (
                "the next day",
                vec![order_case(2, wang, "A2", Some(5000), "2026-03-03 09:00")],
                None,
            ),
            (
                "an order without its amount is not counted",
                vec![order_case(2, wang, "A2", None, "2026-03-02 20:00")],
                None,
            ),
            (
                "the same order on two cases counts once",
                vec![order_case(2, wang, "A1", Some(990), "2026-03-02 11:00")],
                None,
            ),
        ];
        for (name, others, expected) in table {
            let hint = merge_hint_for(policy(), &small, &others);
            assert_eq!(
                hint.as_ref().map(|hint| hint.order_numbers.clone()),
                expected,
                "{name}"
            );
        }
        // Two cases linked to the same profile are one customer, whatever their phones; linked
        // to different profiles, two, even with one phone.
        let linked = order_case(
            1,
            (Some(1), "13800138000"),
            "L1",
            Some(990),
            "2026-03-02 10:00",
        );
        let same_profile = [order_case(
            2,
            (Some(1), "13900000001"),
            "L2",
            Some(5000),
            "2026-03-02 11:00",
        )];
        let other_profile = [order_case(
            2,
            (Some(2), "13800138000"),
            "L2",
            Some(5000),
            "2026-03-02 11:00",
        )];
        assert_eq!(
            merge_hint_for(policy(), &linked, &same_profile).map(|hint| hint.order_numbers),
            Some(vec!["L1", "L2"])
        );
        assert_eq!(merge_hint_for(policy(), &linked, &other_profile), None);
        // Two large orders are not merged; the case's own amount unknown: no hint.
        let large = order_case(1, wang, "B1", Some(5000), "2026-03-02 10:00");
        let other = [order_case(2, wang, "B2", Some(6000), "2026-03-02 11:00")];
        assert_eq!(merge_hint_for(policy(), &large, &other), None);
        let unknown = order_case(1, wang, "C1", None, "2026-03-02 10:00");
        let small_other = [order_case(2, wang, "C2", Some(990), "2026-03-02 11:00")];
        assert_eq!(merge_hint_for(policy(), &unknown, &small_other), None);
    }
}
