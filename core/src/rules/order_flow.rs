//! Order follow-up (seed 000 §5.1–§5.5, and §5.3: unpaid after 5 working days → cancel and notify): the states an order moves through and what each move needs.

use super::working_hours::WorkingClock;
use super::{Field, FlowError, require_some, require_text};
use crate::lang::Bilingual;
use crate::policy::{OrderRules, Policy, WorkingHours};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    Placed,
    Reviewed,
    Paid,
    Shipped,
    Received,
    Completed,
    Cancelled,
}

impl OrderState {
    pub const ALL: [OrderState; 7] = [
        OrderState::Placed,
        OrderState::Reviewed,
        OrderState::Paid,
        OrderState::Shipped,
        OrderState::Received,
        OrderState::Completed,
        OrderState::Cancelled,
    ];

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            OrderState::Placed => ("已下单", "placed"),
            OrderState::Reviewed => ("已审核", "reviewed"),
            OrderState::Paid => ("已确认付款", "payment confirmed"),
            OrderState::Shipped => ("已发货", "shipped"),
            OrderState::Received => ("已收货", "received"),
            OrderState::Completed => ("已完成", "completed"),
            OrderState::Cancelled => ("已取消", "cancelled"),
        };
        Bilingual::new(zh, en)
    }

    /// Still waiting for the customer's money, so the unpaid rule applies.
    pub fn awaits_payment(self) -> bool {
        matches!(self, OrderState::Placed | OrderState::Reviewed)
    }
}

/// How the customer is told that an order was cancelled (§5.3: 通过邮件或短信通知客户).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelNotice {
    Email,
    Sms,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum OrderEvent {
    /// §5.2 订单审查: the order qualifies.
    Review {
        reviewer: String,
    },
    /// §5.2: the order does not qualify and is cancelled.
    RejectInReview {
        reason: String,
        customer_notified_by: Option<CancelNotice>,
    },
    /// §5.3 财务跟进: finance confirms the money arrived.
    ConfirmPayment {
        confirmed_by: String,
    },
    /// §5.3: no payment within the working days the policy allows.
    CancelUnpaid {
        placed_at: DateTime<Utc>,
        customer_notified_by: Option<CancelNotice>,
    },
    CancelOnRequest {
        customer_notified_by: Option<CancelNotice>,
    },
    /// §5.4 配送跟进.
    Ship {
        courier: String,
        tracking_number: String,
    },
    /// §5.5 客户确认收货.
    ConfirmReceipt,
    Complete,
}

impl OrderEvent {
    pub fn kind(&self) -> OrderStepKind {
        match self {
            OrderEvent::Review { .. } => OrderStepKind::Review,
            OrderEvent::RejectInReview { .. } => OrderStepKind::RejectInReview,
            OrderEvent::ConfirmPayment { .. } => OrderStepKind::ConfirmPayment,
            OrderEvent::CancelUnpaid { .. } => OrderStepKind::CancelUnpaid,
            OrderEvent::CancelOnRequest { .. } => OrderStepKind::CancelOnRequest,
            OrderEvent::Ship { .. } => OrderStepKind::Ship,
            OrderEvent::ConfirmReceipt => OrderStepKind::ConfirmReceipt,
            OrderEvent::Complete => OrderStepKind::Complete,
        }
    }

    pub fn name(&self) -> Bilingual {
        self.kind().name()
    }
}

/// A step of the order without its inputs: what the agent may choose to record next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStepKind {
    CancelUnpaid,
    Review,
    RejectInReview,
    ConfirmPayment,
    CancelOnRequest,
    Ship,
    ConfirmReceipt,
    Complete,
}

impl OrderStepKind {
    /// In the order the screen offers them: an overdue order's cancellation comes first, as
    /// the unpaid prompt asks for it.
    pub const ALL: [OrderStepKind; 8] = [
        OrderStepKind::CancelUnpaid,
        OrderStepKind::Review,
        OrderStepKind::RejectInReview,
        OrderStepKind::ConfirmPayment,
        OrderStepKind::CancelOnRequest,
        OrderStepKind::Ship,
        OrderStepKind::ConfirmReceipt,
        OrderStepKind::Complete,
    ];

    /// The step's wire name (the `event` tag of its [`OrderEvent`]).
    pub fn id(self) -> &'static str {
        match self {
            OrderStepKind::CancelUnpaid => "cancel_unpaid",
            OrderStepKind::Review => "review",
            OrderStepKind::RejectInReview => "reject_in_review",
            OrderStepKind::ConfirmPayment => "confirm_payment",
            OrderStepKind::CancelOnRequest => "cancel_on_request",
            OrderStepKind::Ship => "ship",
            OrderStepKind::ConfirmReceipt => "confirm_receipt",
            OrderStepKind::Complete => "complete",
        }
    }

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            OrderStepKind::Review => ("审核通过", "approve in review"),
            OrderStepKind::RejectInReview => ("审核不通过并取消", "reject in review"),
            OrderStepKind::ConfirmPayment => ("确认到账", "confirm payment"),
            OrderStepKind::CancelUnpaid => ("未付款取消", "cancel as unpaid"),
            OrderStepKind::CancelOnRequest => {
                ("应客户要求取消", "cancel at the customer's request")
            }
            OrderStepKind::Ship => ("发货", "ship"),
            OrderStepKind::ConfirmReceipt => ("确认收货", "confirm receipt"),
            OrderStepKind::Complete => ("完成订单", "complete"),
        };
        Bilingual::new(zh, en)
    }

    /// The states the step may follow: [`apply`] refuses it from any other, and
    /// [`next_steps`] offers it from these.
    fn follows(self) -> &'static [OrderState] {
        use OrderState::*;
        match self {
            OrderStepKind::Review | OrderStepKind::RejectInReview => &[Placed],
            OrderStepKind::ConfirmPayment => &[Reviewed],
            OrderStepKind::CancelUnpaid | OrderStepKind::CancelOnRequest => &[Placed, Reviewed],
            OrderStepKind::Ship => &[Paid],
            OrderStepKind::ConfirmReceipt => &[Shipped],
            OrderStepKind::Complete => &[Received],
        }
    }

    /// What the agent must fill in for the step, in the order [`apply`] asks for it.
    pub fn needs(self) -> &'static [Field] {
        match self {
            OrderStepKind::Review => &[REVIEWER],
            OrderStepKind::RejectInReview => &[REJECTION_REASON, CUSTOMER_NOTIFIED_BY],
            OrderStepKind::ConfirmPayment => &[CONFIRMED_BY],
            OrderStepKind::CancelUnpaid | OrderStepKind::CancelOnRequest => &[CUSTOMER_NOTIFIED_BY],
            OrderStepKind::Ship => &[COURIER, TRACKING_NUMBER],
            OrderStepKind::ConfirmReceipt | OrderStepKind::Complete => &[],
        }
    }
}

pub const REVIEWER: Field = Field {
    id: "reviewer",
    zh: "审核人",
    en: "Reviewer",
};
pub const REJECTION_REASON: Field = Field {
    id: "reason",
    zh: "不合格原因",
    en: "Reason",
};
pub const CONFIRMED_BY: Field = Field {
    id: "confirmed_by",
    zh: "财务确认人",
    en: "Confirmed by (finance)",
};
pub const CUSTOMER_NOTIFIED_BY: Field = Field {
    id: "customer_notified_by",
    zh: "通知客户方式（邮件或短信）",
    en: "Customer notified by (email or SMS)",
};
pub const COURIER: Field = Field {
    id: "courier",
    zh: "快递公司",
    en: "Courier",
};
pub const TRACKING_NUMBER: Field = Field {
    id: "tracking_number",
    zh: "快递单号",
    en: "Tracking number",
};

/// What the order rules read of the policy: its working hours and order rules. A device
/// decodes only these of the policy the server validated.
#[derive(Debug, Clone, Copy)]
pub struct OrderPolicy<'a> {
    pub hours: &'a WorkingHours,
    pub orders: &'a OrderRules,
}

impl<'a> From<&'a Policy> for OrderPolicy<'a> {
    fn from(policy: &'a Policy) -> Self {
        OrderPolicy {
            hours: &policy.working_hours,
            orders: &policy.orders,
        }
    }
}

/// From when an order placed at `placed_at` may be cancelled as unpaid.
pub fn unpaid_cancel_from(policy: OrderPolicy, placed_at: DateTime<Utc>) -> DateTime<Utc> {
    let minutes = i64::from(policy.hours.working_day_minutes)
        * i64::from(policy.orders.unpaid_cancel_after_working_days);
    WorkingClock::from_hours(policy.hours).add_working_time(placed_at, TimeDelta::minutes(minutes))
}

/// Whether an order should now be cancelled and the customer told (shown to the agent as a
/// prompt; cancelling stays a deliberate [`OrderEvent::CancelUnpaid`]).
pub fn unpaid_too_long(
    policy: OrderPolicy,
    state: OrderState,
    placed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    state.awaits_payment() && now >= unpaid_cancel_from(policy, placed_at)
}

/// The steps the agent may record next from `state`, in [`OrderStepKind::ALL`]'s order;
/// `unpaid_due` is [`unpaid_too_long`] for the order, as cancelling as unpaid is offered only
/// once [`apply`] would take it.
pub fn next_steps(state: OrderState, unpaid_due: bool) -> Vec<OrderStepKind> {
    OrderStepKind::ALL
        .into_iter()
        .filter(|step| step.follows().contains(&state))
        .filter(|step| *step != OrderStepKind::CancelUnpaid || unpaid_due)
        .collect()
}

pub fn apply(
    policy: OrderPolicy,
    state: OrderState,
    event: &OrderEvent,
    now: DateTime<Utc>,
) -> Result<OrderState, FlowError> {
    use OrderState::*;
    if !event.kind().follows().contains(&state) {
        return Err(FlowError::IllegalTransition {
            from: state.name(),
            action: event.name(),
        });
    }
    let next = match event {
        OrderEvent::Review { reviewer } => {
            require_text(&REVIEWER, reviewer)?;
            Reviewed
        }
        OrderEvent::RejectInReview {
            reason,
            customer_notified_by,
        } => {
            require_text(&REJECTION_REASON, reason)?;
            require_some(&CUSTOMER_NOTIFIED_BY, customer_notified_by)?;
            Cancelled
        }
        OrderEvent::ConfirmPayment { confirmed_by } => {
            require_text(&CONFIRMED_BY, confirmed_by)?;
            Paid
        }
        OrderEvent::CancelUnpaid {
            placed_at,
            customer_notified_by,
        } => {
            let allowed_from = unpaid_cancel_from(policy, *placed_at);
            if now < allowed_from {
                return Err(FlowError::TooEarly {
                    action: event.name(),
                    allowed_from,
                });
            }
            require_some(&CUSTOMER_NOTIFIED_BY, customer_notified_by)?;
            Cancelled
        }
        OrderEvent::CancelOnRequest {
            customer_notified_by,
        } => {
            require_some(&CUSTOMER_NOTIFIED_BY, customer_notified_by)?;
            Cancelled
        }
        OrderEvent::Ship {
            courier,
            tracking_number,
        } => {
            require_text(&COURIER, courier)?;
            require_text(&TRACKING_NUMBER, tracking_number)?;
            Shipped
        }
        OrderEvent::ConfirmReceipt => Received,
        OrderEvent::Complete => Completed,
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_clock::local;

    fn policy() -> OrderPolicy<'static> {
        Policy::default_policy().into()
    }

    // Placed on Monday 2 March 2026 at 10:00; 5 working days later is Monday 9 March 10:00.
    const PLACED: &str = "2026-03-02 10:00";
    const NOW: &str = "2026-03-09 10:00";

    fn events() -> Vec<OrderEvent> {
        vec![
            OrderEvent::Review {
                reviewer: "小王".into(),
            },
            OrderEvent::RejectInReview {
                reason: "地址不全".into(),
                customer_notified_by: Some(CancelNotice::Sms),
            },
            OrderEvent::ConfirmPayment {
                confirmed_by: "财务李".into(),
            },
            OrderEvent::CancelUnpaid {
                placed_at: local(PLACED),
                customer_notified_by: Some(CancelNotice::Email),
            },
            OrderEvent::CancelOnRequest {
                customer_notified_by: Some(CancelNotice::Sms),
            },
            OrderEvent::Ship {
                courier: "sto".into(),
                tracking_number: "773001".into(),
            },
            OrderEvent::ConfirmReceipt,
            OrderEvent::Complete,
        ]
    }

    /// Every allowed move, by event index in `events()`.
    fn allowed(state: OrderState, event: usize) -> Option<OrderState> {
        use OrderState::*;
        match (state, event) {
            (Placed, 0) => Some(Reviewed),
            (Placed, 1) => Some(Cancelled),
            (Reviewed, 2) => Some(Paid),
            (Placed | Reviewed, 3 | 4) => Some(Cancelled),
            (Paid, 5) => Some(Shipped),
            (Shipped, 6) => Some(Received),
            (Received, 7) => Some(Completed),
            _ => None,
        }
    }

    #[test]
    fn every_state_and_event_pair() {
        let mut allowed_count = 0;
        for state in OrderState::ALL {
            for (index, event) in events().iter().enumerate() {
                let result = apply(policy(), state, event, local(NOW));
                match allowed(state, index) {
                    Some(next) => {
                        allowed_count += 1;
                        assert_eq!(result, Ok(next), "{state:?} {event:?}");
                    }
                    None => assert_eq!(
                        result,
                        Err(FlowError::IllegalTransition {
                            from: state.name(),
                            action: event.name(),
                        }),
                        "{state:?} {event:?}"
                    ),
                }
            }
        }
        assert_eq!(allowed_count, 10);
    }

    #[test]
    fn next_steps_table() {
        use OrderState::*;
        use OrderStepKind::*;
        let table: [(OrderState, &[OrderStepKind], &[OrderStepKind]); 7] = [
            (
                Placed,
                &[Review, RejectInReview, CancelOnRequest],
                &[CancelUnpaid, Review, RejectInReview, CancelOnRequest],
            ),
            (
                Reviewed,
                &[ConfirmPayment, CancelOnRequest],
                &[CancelUnpaid, ConfirmPayment, CancelOnRequest],
            ),
            (Paid, &[Ship], &[Ship]),
            (Shipped, &[ConfirmReceipt], &[ConfirmReceipt]),
            (Received, &[Complete], &[Complete]),
            (Completed, &[], &[]),
            (Cancelled, &[], &[]),
        ];
        for (state, not_due, due) in table {
            assert_eq!(next_steps(state, false), not_due, "{state:?}");
            assert_eq!(next_steps(state, true), due, "{state:?} unpaid too long");
        }
    }

    /// What the screen offers and what `apply` takes cannot drift apart: from every state,
    /// before and after the unpaid deadline, a step is offered exactly when it is accepted.
    #[test]
    fn next_steps_are_exactly_what_apply_takes() {
        let kinds: Vec<OrderStepKind> = events().iter().map(OrderEvent::kind).collect();
        for kind in OrderStepKind::ALL {
            assert!(kinds.contains(&kind), "no sample event for {kind:?}");
        }
        for state in OrderState::ALL {
            for now in [local("2026-03-09 09:59"), local(NOW)] {
                let due = unpaid_too_long(policy(), state, local(PLACED), now);
                let offered = next_steps(state, due);
                for event in events() {
                    assert_eq!(
                        apply(policy(), state, &event, now).is_ok(),
                        offered.contains(&event.kind()),
                        "{state:?} at {now} {event:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn step_ids_are_their_wire_names() {
        for event in events() {
            assert_eq!(
                serde_json::to_value(&event).unwrap()["event"],
                event.kind().id()
            );
        }
    }

    #[test]
    fn the_happy_path_walks_the_manual() {
        let mut state = OrderState::Placed;
        for index in [0, 2, 5, 6, 7] {
            state = apply(policy(), state, &events()[index], local(NOW)).unwrap();
        }
        assert_eq!(state, OrderState::Completed);
    }

    #[test]
    fn missing_fields_table() {
        use OrderState::*;
        let table = [
            (
                Placed,
                OrderEvent::Review {
                    reviewer: " ".into(),
                },
                REVIEWER,
            ),
            (
                Placed,
                OrderEvent::RejectInReview {
                    reason: "".into(),
                    customer_notified_by: Some(CancelNotice::Sms),
                },
                REJECTION_REASON,
            ),
            (
                Placed,
                OrderEvent::RejectInReview {
                    reason: "地址不全".into(),
                    customer_notified_by: None,
                },
                CUSTOMER_NOTIFIED_BY,
            ),
            (
                Reviewed,
                OrderEvent::ConfirmPayment {
                    confirmed_by: "".into(),
                },
                CONFIRMED_BY,
            ),
            (
                Reviewed,
                OrderEvent::CancelUnpaid {
                    placed_at: local(PLACED),
                    customer_notified_by: None,
                },
                CUSTOMER_NOTIFIED_BY,
            ),
            (
                Placed,
                OrderEvent::CancelOnRequest {
                    customer_notified_by: None,
                },
                CUSTOMER_NOTIFIED_BY,
            ),
            (
                Paid,
                OrderEvent::Ship {
                    courier: "".into(),
                    tracking_number: "773001".into(),
                },
                COURIER,
            ),
            (
                Paid,
                OrderEvent::Ship {
                    courier: "sto".into(),
                    tracking_number: "".into(),
                },
                TRACKING_NUMBER,
            ),
        ];
        let mut asked = Vec::new();
        for (state, event, field) in table {
            assert_eq!(
                apply(policy(), state, &event, local(NOW)),
                Err(FlowError::missing(&field)),
                "{event:?}"
            );
            asked.push((event.kind(), field));
        }
        // What each step says it needs is what `apply` asks for, in the same order.
        let needed: Vec<(OrderStepKind, Field)> = OrderStepKind::ALL
            .into_iter()
            .flat_map(|kind| kind.needs().iter().map(move |field| (kind, *field)))
            .collect();
        asked.sort_by_key(|(kind, _)| OrderStepKind::ALL.iter().position(|each| each == kind));
        assert_eq!(asked, needed);
    }

    #[test]
    fn unpaid_orders_wait_five_working_days() {
        let placed = local(PLACED);
        assert_eq!(unpaid_cancel_from(policy(), placed), local(NOW));
        let early = local("2026-03-09 09:59");
        assert!(!unpaid_too_long(
            policy(),
            OrderState::Reviewed,
            placed,
            early
        ));
        assert!(unpaid_too_long(
            policy(),
            OrderState::Reviewed,
            placed,
            local(NOW)
        ));
        assert!(unpaid_too_long(
            policy(),
            OrderState::Placed,
            placed,
            local(NOW)
        ));
        assert!(!unpaid_too_long(
            policy(),
            OrderState::Paid,
            placed,
            local(NOW)
        ));
        let event = &events()[3];
        assert_eq!(
            apply(policy(), OrderState::Reviewed, event, early),
            Err(FlowError::TooEarly {
                action: event.name(),
                allowed_from: local(NOW),
            })
        );
    }

    #[test]
    fn unpaid_deadline_skips_holidays() {
        // Placed Wed 30 Sep before National Day: Oct 1–7 are off, Sat Oct 10 is worked.
        assert_eq!(
            unpaid_cancel_from(policy(), local("2026-09-30 10:00")),
            local("2026-10-13 10:00")
        );
    }
}
