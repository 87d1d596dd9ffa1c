//! Return eligibility (seed 000 §5.7(6) 退换货审核; seed 002 退货处理, 仅退款审核中处理; seed 003 售后规范流程): window, item class, who pays shipping, refund-only path.
//!
//! Every decision carries its reasons in words, because the agent reads them to the customer
//! and the reviewer copies them onto the return form (退换货单).

use super::Explained;
use crate::lang::Bilingual;
use crate::policy::{
    ItemClass, Policy, RequestType, ReturnReason, ReturnRules, ReturnShippingPaidBy, UnknownEntry,
    item_class_in,
};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What the return rules read of the policy, so a device decodes only these lists of the
/// policy the server validated.
#[derive(Debug, Clone, Copy)]
pub struct ReturnPolicy<'a> {
    pub return_reasons: &'a [ReturnReason],
    pub item_classes: &'a [ItemClass],
    pub returns: &'a ReturnRules,
    /// The shop's calendar: windows count local days.
    pub utc_offset: FixedOffset,
}

impl<'a> From<&'a Policy> for ReturnPolicy<'a> {
    fn from(policy: &'a Policy) -> Self {
        ReturnPolicy {
            return_reasons: &policy.return_reasons,
            item_classes: &policy.item_classes,
            returns: &policy.returns,
            utc_offset: policy.working_hours.utc_offset,
        }
    }
}

impl<'a> ReturnPolicy<'a> {
    pub fn return_reason(&self, id: &str) -> Result<&'a ReturnReason, UnknownEntry> {
        crate::policy::return_reason_in(self.return_reasons, id)
    }

    pub fn item_class(&self, id: &str) -> Result<&'a ItemClass, UnknownEntry> {
        item_class_in(self.item_classes, id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShippingPayer {
    Shop,
    Customer,
    /// The customer bought shipping insurance (运费险); it refunds their return shipping.
    ShippingInsurance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundOnlyPath {
    /// Already shipped: the customer refuses the parcel or returns it; the refund follows
    /// once it is back.
    CustomerRefusesOrReturnsParcelFirst,
    /// Not shipped yet: the warehouse pulls the waybill so the parcel never leaves, then the
    /// refund is made.
    WarehousePullsWaybillThenRefund,
}

/// What the reviewer knows about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnRequest<'a> {
    pub request_type: RequestType,
    pub reason: &'a str,
    pub item_class: &'a str,
    /// When the customer signed for the parcel; `None` while it has not arrived.
    pub received_at: Option<DateTime<Utc>>,
    pub has_original_packaging: bool,
    pub has_shipping_insurance: bool,
    /// The parcel has left the warehouse (it has courier tracking).
    pub shipped: bool,
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDecision {
    pub eligible: bool,
    /// `None` when nothing is sent back (reship, partial refund, refund before shipping).
    pub return_shipping_paid_by: Option<ShippingPayer>,
    pub refund_only_path: Option<RefundOnlyPath>,
    pub reasons: Vec<Bilingual>,
}

/// The last day a changed-mind return may be requested. The day of receipt does not count
/// (自收到商品之次日起), so with 7 days a parcel signed for on the 2nd may be returned up to
/// and including the 9th, in the shop's local calendar.
pub fn last_no_reason_day(policy: ReturnPolicy<'_>, received_at: DateTime<Utc>) -> NaiveDate {
    let window = Days::new(u64::from(policy.returns.no_reason_window_days));
    // A validated window is at most a year, so only a receipt at the calendar's end overflows.
    local_date(policy, received_at)
        .checked_add_days(window)
        .unwrap_or(NaiveDate::MAX)
}

pub fn within_no_reason_window(
    policy: ReturnPolicy<'_>,
    received_at: DateTime<Utc>,
    requested_at: DateTime<Utc>,
) -> Explained<bool> {
    let last_day = last_no_reason_day(policy, received_at);
    let requested_on = local_date(policy, requested_at);
    let days = policy.returns.no_reason_window_days;
    let within = requested_on <= last_day;
    let reason = if within {
        Bilingual::new(
            format!("在 {days} 天无理由退货期内（截止 {last_day}，申请日 {requested_on}）"),
            format!(
                "Within the {days}-day no-reason window (last day {last_day}, requested {requested_on})"
            ),
        )
    } else {
        Bilingual::new(
            format!("已超过 {days} 天无理由退货期（截止 {last_day}，申请日 {requested_on}）"),
            format!(
                "Past the {days}-day no-reason window (last day {last_day}, requested {requested_on})"
            ),
        )
    };
    Explained {
        value: within,
        reasons: vec![reason],
    }
}

/// One-off items (孤品) come back only in their original packaging.
pub fn item_class_accepts_return(
    policy: ReturnPolicy<'_>,
    item_class: &str,
    has_original_packaging: bool,
) -> Result<Explained<bool>, UnknownEntry> {
    let class = policy.item_class(item_class)?;
    let (accepted, reason) = match (
        class.return_requires_original_packaging,
        has_original_packaging,
    ) {
        (false, _) => (
            true,
            Bilingual::new(
                format!("{}可以退换", class.zh),
                format!("{} items may be returned", class.en),
            ),
        ),
        (true, true) => (
            true,
            Bilingual::new(
                format!("{}有原包装，可以退换", class.zh),
                format!(
                    "{} item with its original packaging: may be returned",
                    class.en
                ),
            ),
        ),
        (true, false) => (
            false,
            Bilingual::new(
                format!(
                    "{}没有原包装，不支持退换；退回的包裹请联系快递拒收",
                    class.zh
                ),
                format!(
                    "{} item without its original packaging cannot be returned; have the courier refuse the parcel",
                    class.en
                ),
            ),
        ),
    };
    Ok(Explained {
        value: accepted,
        reasons: vec![reason],
    })
}

/// Shop's fault (quality, wrong item, agent mistake, ...) → the shop; changed mind → the
/// customer, or their shipping insurance if they bought it.
pub fn return_shipping_payer(
    reason: &ReturnReason,
    has_shipping_insurance: bool,
) -> Explained<ShippingPayer> {
    let (payer, words) = match (reason.return_shipping_paid_by, has_shipping_insurance) {
        (ReturnShippingPaidBy::Shop, _) => (
            ShippingPayer::Shop,
            Bilingual::new(
                format!("{}：退货运费由店铺承担", reason.zh),
                format!("{}: the shop pays the return shipping", reason.en),
            ),
        ),
        (ReturnShippingPaidBy::Customer, true) => (
            ShippingPayer::ShippingInsurance,
            Bilingual::new(
                format!(
                    "{}：客户有运费险，退货运费由运费险赔付（请客户填写退货单号）",
                    reason.zh
                ),
                format!(
                    "{}: the customer's shipping insurance pays the return shipping (ask them to enter the return tracking number)",
                    reason.en
                ),
            ),
        ),
        (ReturnShippingPaidBy::Customer, false) => (
            ShippingPayer::Customer,
            Bilingual::new(
                format!("{}：退货运费由客户承担", reason.zh),
                format!("{}: the customer pays the return shipping", reason.en),
            ),
        ),
    };
    Explained {
        value: payer,
        reasons: vec![words],
    }
}

pub fn refund_only_path(shipped: bool) -> Explained<RefundOnlyPath> {
    if shipped {
        Explained {
            value: RefundOnlyPath::CustomerRefusesOrReturnsParcelFirst,
            reasons: vec![Bilingual::new(
                "已经发货，暂时不能仅退款：请客户拒收或收到后退回，包裹退回后第一时间退款",
                "Already shipped, so no refund-only yet: the customer refuses the parcel or returns it, and is refunded as soon as it is back",
            )],
        }
    } else {
        Explained {
            value: RefundOnlyPath::WarehousePullsWaybillThenRefund,
            reasons: vec![Bilingual::new(
                "尚未发货：通知库房找出快递面单拦截，然后给客户退款",
                "Not shipped yet: the warehouse pulls the waybill, then the customer is refunded",
            )],
        }
    }
}

/// The review of one request, as recorded on the return form.
pub fn decide(
    policy: ReturnPolicy<'_>,
    request: &ReturnRequest<'_>,
) -> Result<ReturnDecision, UnknownEntry> {
    let reason = policy.return_reason(request.reason)?;
    let mut decision = ReturnDecision {
        eligible: true,
        return_shipping_paid_by: None,
        refund_only_path: None,
        reasons: Vec::new(),
    };
    let goods_come_back = match request.request_type {
        RequestType::ReturnRefund | RequestType::Exchange => true,
        RequestType::RefundOnly => {
            let path = refund_only_path(request.shipped);
            decision.refund_only_path = Some(path.value);
            decision.reasons.extend(path.reasons);
            request.shipped
        }
        RequestType::Reship | RequestType::PartialRefund => {
            decision.reasons.push(Bilingual::new(
                "无需退回商品",
                "Nothing needs to be sent back",
            ));
            false
        }
    };
    if !goods_come_back {
        return Ok(decision);
    }
    let class =
        item_class_accepts_return(policy, request.item_class, request.has_original_packaging)?;
    decision.eligible &= class.value;
    decision.reasons.extend(class.reasons);
    if reason.no_reason_window {
        match request.received_at {
            Some(received_at) => {
                let window = within_no_reason_window(policy, received_at, request.requested_at);
                decision.eligible &= window.value;
                decision.reasons.extend(window.reasons);
            }
            None => decision.reasons.push(Bilingual::new(
                "客户尚未签收，无理由退货期尚未开始",
                "Not yet received, so the no-reason window has not started",
            )),
        }
    }
    let payer = return_shipping_payer(reason, request.has_shipping_insurance);
    decision.return_shipping_paid_by = Some(payer.value);
    decision.reasons.extend(payer.reasons);
    Ok(decision)
}

fn local_date(policy: ReturnPolicy<'_>, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&policy.utc_offset).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_clock::local;

    fn policy() -> ReturnPolicy<'static> {
        Policy::default_policy().into()
    }

    #[test]
    fn no_reason_window_table() {
        let table = [
            ("2026-03-02 15:00", "2026-03-02 16:00", true),
            ("2026-03-02 15:00", "2026-03-09 23:59", true),
            ("2026-03-02 15:00", "2026-03-10 00:00", false),
            // Received late at night local time (still the 2nd in Beijing, 15:30 UTC).
            ("2026-03-02 23:30", "2026-03-09 23:59", true),
            ("2026-03-02 23:30", "2026-03-10 08:00", false),
            // Received just after midnight local time (the 2nd in UTC): counts from the 3rd.
            ("2026-03-03 00:30", "2026-03-10 12:00", true),
        ];
        for (received, requested, within) in table {
            let decided = within_no_reason_window(policy(), local(received), local(requested));
            assert_eq!(decided.value, within, "{received} → {requested}");
            assert_eq!(decided.reasons.len(), 1);
        }
        assert_eq!(
            last_no_reason_day(policy(), local("2026-03-02 15:00")),
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
        );
    }

    #[test]
    fn item_class_table() {
        let table = [
            ("normal", false, true),
            ("normal", true, true),
            ("flash_sale", false, true),
            ("one_off", true, true),
            ("one_off", false, false),
        ];
        for (class, packaging, accepted) in table {
            let decided = item_class_accepts_return(policy(), class, packaging).unwrap();
            assert_eq!(decided.value, accepted, "{class} packaging {packaging}");
        }
        let refused = item_class_accepts_return(policy(), "one_off", false).unwrap();
        assert!(refused.reasons[0].zh.contains("原包装"));
        assert_eq!(
            item_class_accepts_return(policy(), "antique", true).unwrap_err(),
            UnknownEntry::new("item_classes", "antique")
        );
    }

    #[test]
    fn shipping_payer_for_each_reason() {
        let table = [
            ("changed_mind", false, ShippingPayer::Customer),
            ("changed_mind", true, ShippingPayer::ShippingInsurance),
            ("quality_defect", false, ShippingPayer::Shop),
            ("quality_defect", true, ShippingPayer::Shop),
            ("wrong_item", false, ShippingPayer::Shop),
            ("missing_item", false, ShippingPayer::Shop),
            ("damaged_in_transit", false, ShippingPayer::Shop),
            ("agent_mistake", false, ShippingPayer::Shop),
            ("parcel_lost", false, ShippingPayer::Shop),
        ];
        for (reason, insured, payer) in table {
            let reason_entry = policy().return_reason(reason).unwrap();
            let decided = return_shipping_payer(reason_entry, insured);
            assert_eq!(decided.value, payer, "{reason} insured {insured}");
            assert!(decided.reasons[0].zh.starts_with(&reason_entry.zh));
        }
    }

    #[test]
    fn refund_only_table() {
        assert_eq!(
            refund_only_path(true).value,
            RefundOnlyPath::CustomerRefusesOrReturnsParcelFirst
        );
        assert_eq!(
            refund_only_path(false).value,
            RefundOnlyPath::WarehousePullsWaybillThenRefund
        );
    }

    fn request(request_type: RequestType, reason: &'static str) -> ReturnRequest<'static> {
        ReturnRequest {
            request_type,
            reason,
            item_class: "normal",
            received_at: Some(local("2026-03-02 15:00")),
            has_original_packaging: true,
            has_shipping_insurance: false,
            shipped: true,
            requested_at: local("2026-03-05 10:00"),
        }
    }

    #[test]
    fn decision_table() {
        let late = local("2026-03-10 09:00");
        let table = [
            (
                request(RequestType::ReturnRefund, "changed_mind"),
                true,
                Some(ShippingPayer::Customer),
                None,
            ),
            (
                ReturnRequest {
                    requested_at: local("2026-03-09 21:00"),
                    ..request(RequestType::ReturnRefund, "changed_mind")
                },
                true,
                Some(ShippingPayer::Customer),
                None,
            ),
            (
                ReturnRequest {
                    requested_at: late,
                    ..request(RequestType::ReturnRefund, "changed_mind")
                },
                false,
                Some(ShippingPayer::Customer),
                None,
            ),
            // a defect is not bound by the no-reason window
            (
                ReturnRequest {
                    requested_at: late,
                    ..request(RequestType::Exchange, "quality_defect")
                },
                true,
                Some(ShippingPayer::Shop),
                None,
            ),
            (
                ReturnRequest {
                    item_class: "one_off",
                    has_original_packaging: false,
                    ..request(RequestType::ReturnRefund, "changed_mind")
                },
                false,
                Some(ShippingPayer::Customer),
                None,
            ),
            (
                ReturnRequest {
                    item_class: "one_off",
                    ..request(RequestType::ReturnRefund, "changed_mind")
                },
                true,
                Some(ShippingPayer::Customer),
                None,
            ),
            (
                ReturnRequest {
                    has_shipping_insurance: true,
                    ..request(RequestType::ReturnRefund, "changed_mind")
                },
                true,
                Some(ShippingPayer::ShippingInsurance),
                None,
            ),
            (
                ReturnRequest {
                    received_at: None,
                    ..request(RequestType::RefundOnly, "changed_mind")
                },
                true,
                Some(ShippingPayer::Customer),
                Some(RefundOnlyPath::CustomerRefusesOrReturnsParcelFirst),
            ),
            (
                ReturnRequest {
                    received_at: None,
                    shipped: false,
                    ..request(RequestType::RefundOnly, "changed_mind")
                },
                true,
                None,
                Some(RefundOnlyPath::WarehousePullsWaybillThenRefund),
            ),
            (
                request(RequestType::Reship, "parcel_lost"),
                true,
                None,
                None,
            ),
            (
                ReturnRequest {
                    item_class: "one_off",
                    has_original_packaging: false,
                    ..request(RequestType::PartialRefund, "quality_defect")
                },
                true,
                None,
                None,
            ),
        ];
        for (request, eligible, payer, path) in table {
            let decided = decide(policy(), &request).unwrap();
            assert_eq!(decided.eligible, eligible, "{request:?}");
            assert_eq!(decided.return_shipping_paid_by, payer, "{request:?}");
            assert_eq!(decided.refund_only_path, path, "{request:?}");
            assert!(!decided.reasons.is_empty());
        }
    }

    #[test]
    fn unknown_reason_is_an_error() {
        assert_eq!(
            decide(policy(), &request(RequestType::ReturnRefund, "bored")).unwrap_err(),
            UnknownEntry::new("return_reasons", "bored")
        );
    }
}
