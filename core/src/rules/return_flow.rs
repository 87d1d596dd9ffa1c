//! Return case flow (seed 000 §5.7(6) 退换货审核跟进, seed 002 退货处理, SPEC §3 packing-station inspection): from request to closed.
//!
//! Requested → reviewed (approved or rejected) → awaiting the parcel → received at the
//! packing station → inspected (accepted, sent back, or escalated to a supervisor) → settled
//! (refund, reship, exchange or compensation) → closed. Requests where nothing comes back
//! (reship, partial refund, refund before shipping) go from approved straight to settled;
//! a parcel that comes back is settled only once it passed inspection (seed 002 退货处理:
//! 拆开箱子检查物品是否与退货的商品一致给客户退款). The customer may withdraw until the
//! parcel arrives.

use super::{Field, FlowError, require_done, require_some, require_text};
use crate::lang::Bilingual;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    Requested,
    /// Approved, and nothing comes back: settle directly.
    Approved,
    Rejected,
    AwaitingParcel,
    ParcelReceived,
    Escalated,
    Accepted,
    SentBack,
    Settled,
    Closed,
}

impl ReturnState {
    pub const ALL: [ReturnState; 10] = [
        ReturnState::Requested,
        ReturnState::Approved,
        ReturnState::Rejected,
        ReturnState::AwaitingParcel,
        ReturnState::ParcelReceived,
        ReturnState::Escalated,
        ReturnState::Accepted,
        ReturnState::SentBack,
        ReturnState::Settled,
        ReturnState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnState::Requested => "requested",
            ReturnState::Approved => "approved",
            ReturnState::Rejected => "rejected",
            ReturnState::AwaitingParcel => "awaiting_parcel",
            ReturnState::ParcelReceived => "parcel_received",
            ReturnState::Escalated => "escalated",
            ReturnState::Accepted => "accepted",
            ReturnState::SentBack => "sent_back",
            ReturnState::Settled => "settled",
            ReturnState::Closed => "closed",
        }
    }

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            ReturnState::Requested => ("已申请", "requested"),
            ReturnState::Approved => ("审核通过", "approved"),
            ReturnState::Rejected => ("审核不通过", "rejected"),
            ReturnState::AwaitingParcel => ("等待退货", "awaiting the parcel"),
            ReturnState::ParcelReceived => ("已收到退货", "parcel received"),
            ReturnState::Escalated => ("已升级主管", "escalated"),
            ReturnState::Accepted => ("验货通过", "accepted at inspection"),
            ReturnState::SentBack => ("验货不通过已退回", "sent back"),
            ReturnState::Settled => ("已处理", "settled"),
            ReturnState::Closed => ("已关闭", "closed"),
        };
        Bilingual::new(zh, en)
    }
}

/// How the case is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Settlement {
    Refund { amount: Fen },
    Reship { tracking_number: String },
    Exchange { tracking_number: String },
    Compensation { amount: Fen },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ReturnEvent {
    /// `review_note` holds the eligibility reasons, as copied onto the return form.
    /// `parcel_expected`: the goods come back (see
    /// [`super::return_eligibility::ReturnDecision::return_shipping_paid_by`]), so the case
    /// waits for the parcel instead of being settled at once.
    Approve {
        reviewer: String,
        review_note: String,
        parcel_expected: bool,
    },
    Reject {
        reviewer: String,
        reason: String,
    },
    /// Scanned or typed at the packing station.
    ReceiveParcel {
        tracking_number: String,
    },
    AcceptParcel {
        inspector: String,
        checklist_passed: bool,
        photo_count: u32,
    },
    RejectParcel {
        inspector: String,
        reason: String,
    },
    Escalate {
        reason: String,
    },
    Settle {
        settlement: Option<Settlement>,
    },
    Withdraw,
    Close,
}

impl ReturnEvent {
    pub fn kind(&self) -> ReturnStepKind {
        match self {
            ReturnEvent::Approve { .. } => ReturnStepKind::Approve,
            ReturnEvent::Reject { .. } => ReturnStepKind::Reject,
            ReturnEvent::ReceiveParcel { .. } => ReturnStepKind::ReceiveParcel,
            ReturnEvent::AcceptParcel { .. } => ReturnStepKind::AcceptParcel,
            ReturnEvent::RejectParcel { .. } => ReturnStepKind::RejectParcel,
            ReturnEvent::Escalate { .. } => ReturnStepKind::Escalate,
            ReturnEvent::Settle { .. } => ReturnStepKind::Settle,
            ReturnEvent::Withdraw => ReturnStepKind::Withdraw,
            ReturnEvent::Close => ReturnStepKind::Close,
        }
    }

    pub fn name(&self) -> Bilingual {
        self.kind().name()
    }
}

/// A step of a return without its inputs: what may be recorded next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnStepKind {
    Approve,
    Reject,
    ReceiveParcel,
    AcceptParcel,
    RejectParcel,
    Escalate,
    Settle,
    Withdraw,
    Close,
}

impl ReturnStepKind {
    pub const ALL: [ReturnStepKind; 9] = [
        ReturnStepKind::Approve,
        ReturnStepKind::Reject,
        ReturnStepKind::ReceiveParcel,
        ReturnStepKind::AcceptParcel,
        ReturnStepKind::RejectParcel,
        ReturnStepKind::Escalate,
        ReturnStepKind::Settle,
        ReturnStepKind::Withdraw,
        ReturnStepKind::Close,
    ];

    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            ReturnStepKind::Approve => ("审核通过", "approve"),
            ReturnStepKind::Reject => ("审核拒绝", "reject"),
            ReturnStepKind::ReceiveParcel => ("收到退货", "receive the parcel"),
            ReturnStepKind::AcceptParcel => ("验货通过", "accept at inspection"),
            ReturnStepKind::RejectParcel => ("验货不通过，退回客户", "reject and send back"),
            ReturnStepKind::Escalate => ("升级主管", "escalate"),
            ReturnStepKind::Settle => ("退款/补发/换货/补偿", "settle"),
            ReturnStepKind::Withdraw => ("客户撤销申请", "withdraw"),
            ReturnStepKind::Close => ("关闭", "close"),
        };
        Bilingual::new(zh, en)
    }

    /// The states the step may follow: [`apply`] refuses it from any other, and
    /// [`next_steps`] offers it from these.
    fn follows(self) -> &'static [ReturnState] {
        use ReturnState::*;
        match self {
            ReturnStepKind::Approve | ReturnStepKind::Reject => &[Requested],
            ReturnStepKind::ReceiveParcel => &[AwaitingParcel],
            ReturnStepKind::AcceptParcel | ReturnStepKind::RejectParcel => {
                &[ParcelReceived, Escalated]
            }
            ReturnStepKind::Escalate => &[ParcelReceived],
            ReturnStepKind::Settle => &[Approved, Accepted],
            ReturnStepKind::Withdraw => &[Requested, Approved, AwaitingParcel],
            ReturnStepKind::Close => &[Rejected, SentBack, Settled],
        }
    }
}

pub const REVIEWER: Field = Field {
    id: "reviewer",
    zh: "审核人",
    en: "Reviewer",
};
pub const REVIEW_NOTE: Field = Field {
    id: "review_note",
    zh: "审核意见",
    en: "Review note",
};
pub const REASON: Field = Field {
    id: "reason",
    zh: "原因",
    en: "Reason",
};
pub const TRACKING_NUMBER: Field = Field {
    id: "tracking_number",
    zh: "快递单号",
    en: "Tracking number",
};
pub const INSPECTOR: Field = Field {
    id: "inspector",
    zh: "验货人",
    en: "Inspector",
};
pub const CHECKLIST_PASSED: Field = Field {
    id: "checklist_passed",
    zh: "验货清单全部通过",
    en: "Inspection checklist passed",
};
pub const PHOTOS: Field = Field {
    id: "photos",
    zh: "验货照片",
    en: "Inspection photos",
};
pub const SETTLEMENT: Field = Field {
    id: "settlement",
    zh: "处理方式",
    en: "Settlement",
};
pub const AMOUNT: Field = Field {
    id: "amount",
    zh: "金额",
    en: "Amount",
};

/// The steps that may be recorded next from `state`, in [`ReturnStepKind::ALL`]'s order.
pub fn next_steps(state: ReturnState) -> Vec<ReturnStepKind> {
    ReturnStepKind::ALL
        .into_iter()
        .filter(|step| step.follows().contains(&state))
        .collect()
}

pub fn apply(state: ReturnState, event: &ReturnEvent) -> Result<ReturnState, FlowError> {
    use ReturnState::*;
    if !event.kind().follows().contains(&state) {
        return Err(FlowError::IllegalTransition {
            from: state.name(),
            action: event.name(),
        });
    }
    let next = match event {
        ReturnEvent::Approve {
            reviewer,
            review_note,
            parcel_expected,
        } => {
            require_text(&REVIEWER, reviewer)?;
            require_text(&REVIEW_NOTE, review_note)?;
            if *parcel_expected {
                AwaitingParcel
            } else {
                Approved
            }
        }
        ReturnEvent::Reject { reviewer, reason } => {
            require_text(&REVIEWER, reviewer)?;
            require_text(&REASON, reason)?;
            Rejected
        }
        ReturnEvent::ReceiveParcel { tracking_number } => {
            require_text(&TRACKING_NUMBER, tracking_number)?;
            ParcelReceived
        }
        ReturnEvent::AcceptParcel {
            inspector,
            checklist_passed,
            photo_count,
        } => {
            require_text(&INSPECTOR, inspector)?;
            require_done(&CHECKLIST_PASSED, *checklist_passed)?;
            require_done(&PHOTOS, *photo_count > 0)?;
            Accepted
        }
        ReturnEvent::RejectParcel { inspector, reason } => {
            require_text(&INSPECTOR, inspector)?;
            require_text(&REASON, reason)?;
            SentBack
        }
        ReturnEvent::Escalate { reason } => {
            require_text(&REASON, reason)?;
            Escalated
        }
        ReturnEvent::Settle { settlement } => {
            check_settlement(require_some(&SETTLEMENT, settlement)?)?;
            Settled
        }
        ReturnEvent::Withdraw | ReturnEvent::Close => Closed,
    };
    Ok(next)
}

fn check_settlement(settlement: &Settlement) -> Result<(), FlowError> {
    match settlement {
        Settlement::Refund { amount } | Settlement::Compensation { amount } => {
            require_done(&AMOUNT, *amount > Fen::ZERO)
        }
        Settlement::Reship { tracking_number } | Settlement::Exchange { tracking_number } => {
            require_text(&TRACKING_NUMBER, tracking_number)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<ReturnEvent> {
        vec![
            ReturnEvent::Approve {
                reviewer: "小王".into(),
                review_note: "补发，无需退回".into(),
                parcel_expected: false,
            },
            ReturnEvent::Reject {
                reviewer: "小王".into(),
                reason: "已超过七天无理由退货期".into(),
            },
            ReturnEvent::Approve {
                reviewer: "小王".into(),
                review_note: "七天无理由期内，运费客户承担".into(),
                parcel_expected: true,
            },
            ReturnEvent::ReceiveParcel {
                tracking_number: "YT1234567".into(),
            },
            ReturnEvent::AcceptParcel {
                inspector: "仓库张".into(),
                checklist_passed: true,
                photo_count: 3,
            },
            ReturnEvent::RejectParcel {
                inspector: "仓库张".into(),
                reason: "孤品无原包装".into(),
            },
            ReturnEvent::Escalate {
                reason: "吊牌缺失，需主管判断".into(),
            },
            ReturnEvent::Settle {
                settlement: Some(Settlement::Refund { amount: Fen(8900) }),
            },
            ReturnEvent::Withdraw,
            ReturnEvent::Close,
        ]
    }

    /// Every allowed move, by event index in `events()`.
    fn allowed(state: ReturnState, event: usize) -> Option<ReturnState> {
        use ReturnState::*;
        match (state, event) {
            (Requested, 0) => Some(Approved),
            (Requested, 1) => Some(Rejected),
            (Requested, 2) => Some(AwaitingParcel),
            (AwaitingParcel, 3) => Some(ParcelReceived),
            (ParcelReceived | Escalated, 4) => Some(Accepted),
            (ParcelReceived | Escalated, 5) => Some(SentBack),
            (ParcelReceived, 6) => Some(Escalated),
            (Approved | Accepted, 7) => Some(Settled),
            (Requested | Approved | AwaitingParcel, 8) => Some(Closed),
            (Rejected | SentBack | Settled, 9) => Some(Closed),
            _ => None,
        }
    }

    #[test]
    fn state_ids_are_their_wire_names() {
        for state in ReturnState::ALL {
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
        }
    }

    #[test]
    fn every_state_and_event_pair() {
        let mut allowed_count = 0;
        for state in ReturnState::ALL {
            for (index, event) in events().iter().enumerate() {
                let result = apply(state, event);
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
        assert_eq!(allowed_count, 17);
    }

    #[test]
    fn next_steps_table() {
        use ReturnState::*;
        use ReturnStepKind::*;
        let table: [(ReturnState, &[ReturnStepKind]); 10] = [
            (Requested, &[Approve, Reject, Withdraw]),
            (Approved, &[Settle, Withdraw]),
            (Rejected, &[Close]),
            (AwaitingParcel, &[ReceiveParcel, Withdraw]),
            (ParcelReceived, &[AcceptParcel, RejectParcel, Escalate]),
            (Escalated, &[AcceptParcel, RejectParcel]),
            (Accepted, &[Settle]),
            (SentBack, &[Close]),
            (Settled, &[Close]),
            (Closed, &[]),
        ];
        for (state, steps) in table {
            assert_eq!(next_steps(state), steps, "{state:?}");
        }
    }

    /// What the screen offers and what `apply` takes cannot drift apart: from every state a
    /// step is offered exactly when it is accepted.
    #[test]
    fn next_steps_are_exactly_what_apply_takes() {
        let kinds: Vec<ReturnStepKind> = events().iter().map(ReturnEvent::kind).collect();
        for kind in ReturnStepKind::ALL {
            assert!(kinds.contains(&kind), "no sample event for {kind:?}");
        }
        for state in ReturnState::ALL {
            let offered = next_steps(state);
            for event in events() {
                assert_eq!(
                    apply(state, &event).is_ok(),
                    offered.contains(&event.kind()),
                    "{state:?} {event:?}"
                );
            }
        }
    }

    /// A parcel that comes back cannot be refunded before it has passed inspection.
    #[test]
    fn an_expected_parcel_is_settled_only_after_inspection() {
        let settle = &events()[7];
        let mut state = apply(ReturnState::Requested, &events()[2]).unwrap();
        assert_eq!(state, ReturnState::AwaitingParcel);
        for index in [3, 6] {
            assert!(matches!(
                apply(state, settle),
                Err(FlowError::IllegalTransition { .. })
            ));
            state = apply(state, &events()[index]).unwrap();
        }
        assert_eq!(state, ReturnState::Escalated);
        assert!(apply(state, settle).is_err());
        state = apply(state, &events()[4]).unwrap();
        assert_eq!(apply(state, settle), Ok(ReturnState::Settled));
    }

    #[test]
    fn a_returned_parcel_walks_to_closed() {
        let mut state = ReturnState::Requested;
        for index in [2, 3, 4, 7, 9] {
            state = apply(state, &events()[index]).unwrap();
        }
        assert_eq!(state, ReturnState::Closed);
    }

    #[test]
    fn missing_fields_table() {
        use ReturnState::*;
        let table = [
            (
                Requested,
                ReturnEvent::Approve {
                    reviewer: "".into(),
                    review_note: "ok".into(),
                    parcel_expected: true,
                },
                REVIEWER,
            ),
            (
                Requested,
                ReturnEvent::Approve {
                    reviewer: "小王".into(),
                    review_note: " ".into(),
                    parcel_expected: false,
                },
                REVIEW_NOTE,
            ),
            (
                Requested,
                ReturnEvent::Reject {
                    reviewer: "小王".into(),
                    reason: "".into(),
                },
                REASON,
            ),
            (
                AwaitingParcel,
                ReturnEvent::ReceiveParcel {
                    tracking_number: "".into(),
                },
                TRACKING_NUMBER,
            ),
            (
                ParcelReceived,
                ReturnEvent::AcceptParcel {
                    inspector: "".into(),
                    checklist_passed: true,
                    photo_count: 1,
                },
                INSPECTOR,
            ),
            (
                ParcelReceived,
                ReturnEvent::AcceptParcel {
                    inspector: "仓库张".into(),
                    checklist_passed: false,
                    photo_count: 1,
                },
                CHECKLIST_PASSED,
            ),
            (
                Escalated,
                ReturnEvent::AcceptParcel {
                    inspector: "主管".into(),
                    checklist_passed: true,
                    photo_count: 0,
                },
                PHOTOS,
            ),
            (
                ParcelReceived,
                ReturnEvent::RejectParcel {
                    inspector: "仓库张".into(),
                    reason: "".into(),
                },
                REASON,
            ),
            (
                ParcelReceived,
                ReturnEvent::Escalate { reason: "".into() },
                REASON,
            ),
            (
                Accepted,
                ReturnEvent::Settle { settlement: None },
                SETTLEMENT,
            ),
            (
                Accepted,
                ReturnEvent::Settle {
                    settlement: Some(Settlement::Refund { amount: Fen(0) }),
                },
                AMOUNT,
            ),
            (
                Approved,
                ReturnEvent::Settle {
                    settlement: Some(Settlement::Compensation { amount: Fen(-500) }),
                },
                AMOUNT,
            ),
            (
                Approved,
                ReturnEvent::Settle {
                    settlement: Some(Settlement::Reship {
                        tracking_number: "".into(),
                    }),
                },
                TRACKING_NUMBER,
            ),
            (
                Accepted,
                ReturnEvent::Settle {
                    settlement: Some(Settlement::Exchange {
                        tracking_number: " ".into(),
                    }),
                },
                TRACKING_NUMBER,
            ),
        ];
        for (state, event, field) in table {
            assert_eq!(
                apply(state, &event),
                Err(FlowError::missing(&field)),
                "{event:?}"
            );
        }
    }

    #[test]
    fn every_settlement_kind_settles() {
        let settlements = [
            Settlement::Refund { amount: Fen(1) },
            Settlement::Reship {
                tracking_number: "ST1".into(),
            },
            Settlement::Exchange {
                tracking_number: "YT2".into(),
            },
            Settlement::Compensation { amount: Fen(500) },
        ];
        for settlement in settlements {
            let event = ReturnEvent::Settle {
                settlement: Some(settlement),
            };
            assert_eq!(
                apply(ReturnState::Approved, &event),
                Ok(ReturnState::Settled)
            );
        }
    }
}
