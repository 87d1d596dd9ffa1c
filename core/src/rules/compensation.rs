//! Compensation (seed 002 产品质量问题处理 / 缺发少发处理; seed 003 少件, 客服失误): the range to offer, when a supervisor must approve, and the return-shipping allowance.

use super::Explained;
use super::return_eligibility::ReturnPolicy;
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::policy::{
    AmountRange, CompensationTier, ItemClass, Label, Policy, ReturnShipping, UnknownEntry,
    province_in,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What the customer is compensated for instead of returning or reshipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompensationFor {
    QualityDefect,
    SmallMissingItem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "approval", rename_all = "snake_case")]
pub enum Approval {
    AgentMayOffer,
    SupervisorMustApprove { above_tier_by: Fen },
}

#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum CompensationError {
    #[error(transparent)]
    Unknown(#[from] UnknownEntry),
    #[error("a unit price cannot be negative: {price}")]
    NegativePrice { price: Fen },
}

impl CompensationError {
    pub fn message(&self) -> Bilingual {
        match self {
            CompensationError::Unknown(unknown) => unknown.message(),
            CompensationError::NegativePrice { price } => Bilingual::new(
                format!("单价不能为负数：{price}"),
                format!("A unit price cannot be negative: {price}"),
            ),
        }
    }
}

/// The range an agent may offer for one item of `item_class` sold at `unit_price`.
pub fn propose(
    policy: ReturnPolicy<'_>,
    item_class: &str,
    unit_price: Fen,
    compensation_for: CompensationFor,
) -> Result<Explained<AmountRange>, CompensationError> {
    let class = policy.item_class(item_class)?;
    let tier = tier_for(class, unit_price)?;
    let range = AmountRange {
        min_fen: tier.min_fen,
        max_fen: tier.max_fen,
    };
    let mut reasons = vec![
        match compensation_for {
            CompensationFor::QualityDefect => Bilingual::new(
                "质量问题：先向客户道歉并确认不是使用不当；客户不退换时优先补钱",
                "Quality defect: apologise, rule out misuse; if the customer keeps the item, compensating is preferred",
            ),
            CompensationFor::SmallMissingItem => Bilingual::new(
                "少件且是小件：先向客户道歉，核对底单和称重后补偿",
                "Small missing item: apologise, check the waybill and weight, then compensate",
            ),
        },
        tier_reason(class, tier, range),
        Bilingual::new(
            format!("超过 {} 需主管审批", tier.max_fen),
            format!("More than {} needs a supervisor's approval", tier.max_fen),
        ),
    ];
    if compensation_for == CompensationFor::QualityDefect {
        reasons.push(Bilingual::new(
            "问题太大影响使用的，可直接退款",
            "If the defect makes the item unusable, refund instead",
        ));
    }
    Ok(Explained {
        value: range,
        reasons,
    })
}

/// Whether an agent may pay `amount` on their own: above the tier's maximum a supervisor
/// decides (seed 002: 对我们返的金额不满意，可联系主管给他申请).
pub fn approval(
    policy: ReturnPolicy<'_>,
    item_class: &str,
    unit_price: Fen,
    amount: Fen,
) -> Result<Explained<Approval>, CompensationError> {
    let class = policy.item_class(item_class)?;
    let tier = tier_for(class, unit_price)?;
    let range = AmountRange {
        min_fen: tier.min_fen,
        max_fen: tier.max_fen,
    };
    let (value, verdict) = if amount <= tier.max_fen {
        (
            Approval::AgentMayOffer,
            Bilingual::new(
                format!("{amount} 在档位内，客服可直接补偿"),
                format!("{amount} is within the tier; the agent may offer it"),
            ),
        )
    } else {
        (
            Approval::SupervisorMustApprove {
                above_tier_by: amount - tier.max_fen,
            },
            Bilingual::new(
                format!("{amount} 超过档位上限 {}，需主管审批", tier.max_fen),
                format!(
                    "{amount} is above the tier's maximum {}; a supervisor must approve",
                    tier.max_fen
                ),
            ),
        )
    };
    Ok(Explained {
        value,
        reasons: vec![tier_reason(class, tier, range), verdict],
    })
}

/// What the return-shipping allowance reads of the policy (the device holds only these parts).
#[derive(Debug, Clone, Copy)]
pub struct AllowancePolicy<'a> {
    pub provinces: &'a [Label],
    pub return_shipping: &'a ReturnShipping,
}

impl<'a> From<&'a Policy> for AllowancePolicy<'a> {
    fn from(policy: &'a Policy) -> Self {
        AllowancePolicy {
            provinces: &policy.provinces,
            return_shipping: &policy.return_shipping,
        }
    }
}

/// What the shop pays towards the customer's return shipping when the shop is at fault:
/// the same as the shop charges for shipping there (seed 003: 江浙沪6元，全国10-15).
pub fn return_shipping_allowance(
    policy: AllowancePolicy<'_>,
    province: &str,
) -> Result<Explained<AmountRange>, UnknownEntry> {
    let province_label = province_in(policy.provinces, province)?;
    let shipping = policy.return_shipping;
    let zone = shipping
        .zones
        .iter()
        .find(|zone| zone.provinces.iter().any(|p| p == province));
    let (range, reason) = match zone {
        Some(zone) => {
            let range = AmountRange {
                min_fen: zone.min_fen,
                max_fen: zone.max_fen,
            };
            let shown = show_range(range);
            (
                range,
                Bilingual::new(
                    format!("{}属于{}：退货运费补贴 {shown}", province_label.zh, zone.zh),
                    format!(
                        "{} is in {}: return-shipping allowance {shown}",
                        province_label.en, zone.en
                    ),
                ),
            )
        }
        None => {
            let shown = show_range(shipping.elsewhere);
            (
                shipping.elsewhere,
                Bilingual::new(
                    format!("{}：退货运费补贴 {shown}", province_label.zh),
                    format!("{}: return-shipping allowance {shown}", province_label.en),
                ),
            )
        }
    };
    Ok(Explained {
        value: range,
        reasons: vec![reason],
    })
}

fn tier_for(class: &ItemClass, unit_price: Fen) -> Result<&CompensationTier, CompensationError> {
    // A validated policy covers every price from ¥0 up, so only a negative price finds none.
    class
        .compensation_tiers
        .iter()
        .find(|tier| tier.covers(unit_price))
        .ok_or(CompensationError::NegativePrice { price: unit_price })
}

fn tier_reason(class: &ItemClass, tier: &CompensationTier, range: AmountRange) -> Bilingual {
    let shown = show_range(range);
    let (zh_prices, en_prices) = match (tier.price_from_fen, tier.price_below_fen) {
        (Fen::ZERO, None) => (String::new(), String::new()),
        (Fen::ZERO, Some(below)) => (
            format!("单价 {below} 以下（不含）"),
            format!(" under {below}"),
        ),
        (from, None) => (format!("单价 {from} 及以上"), format!(" at {from} or more")),
        (from, Some(below)) => (
            format!("单价 {from} 至 {below} 以下"),
            format!(" from {from} to under {below}"),
        ),
    };
    Bilingual::new(
        format!("{}{zh_prices}：补偿 {shown}", class.zh),
        format!("{}{en_prices}: compensate {shown}", class.en),
    )
}

/// "¥5–10" as the manual writes it, or "¥6" when the range is one amount.
fn show_range(range: AmountRange) -> String {
    if range.min_fen == range.max_fen {
        range.min_fen.to_string()
    } else {
        format!(
            "{}–{}",
            range.min_fen,
            range.max_fen.to_string().trim_start_matches('¥')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> &'static Policy {
        Policy::default_policy()
    }

    fn range(min: i64, max: i64) -> AmountRange {
        AmountRange {
            min_fen: Fen(min),
            max_fen: Fen(max),
        }
    }

    #[test]
    fn proposal_table_at_every_boundary() {
        let table = [
            ("normal", 1, range(500, 1000)),
            ("normal", 1889, range(500, 1000)),
            ("normal", 100_000, range(500, 1000)),
            ("flash_sale", 0, range(200, 500)),
            ("flash_sale", 1889, range(200, 500)),
            ("flash_sale", 1890, range(500, 1000)),
            ("flash_sale", 5000, range(500, 1000)),
            ("one_off", 1889, range(500, 1000)),
        ];
        for (class, price, expected) in table {
            for compensation_for in [
                CompensationFor::QualityDefect,
                CompensationFor::SmallMissingItem,
            ] {
                let proposal =
                    propose(policy().into(), class, Fen(price), compensation_for).unwrap();
                assert_eq!(proposal.value, expected, "{class} {price}");
                assert!(proposal.reasons.len() >= 3);
            }
        }
    }

    #[test]
    fn proposal_reasons_quote_the_tier() {
        let below = propose(
            policy().into(),
            "flash_sale",
            Fen(1889),
            CompensationFor::QualityDefect,
        )
        .unwrap();
        assert_eq!(
            below.reasons[1].zh,
            "秒杀款单价 ¥18.90 以下（不含）：补偿 ¥2–5"
        );
        assert_eq!(
            below.reasons[1].en,
            "Flash-sale item under ¥18.90: compensate ¥2–5"
        );
        assert!(below.reasons.iter().any(|r| r.zh.contains("直接退款")));
        let at = propose(
            policy().into(),
            "flash_sale",
            Fen(1890),
            CompensationFor::SmallMissingItem,
        )
        .unwrap();
        assert_eq!(at.reasons[1].zh, "秒杀款单价 ¥18.90 及以上：补偿 ¥5–10");
        assert!(!at.reasons.iter().any(|r| r.zh.contains("直接退款")));
        let normal = propose(
            policy().into(),
            "normal",
            Fen(9900),
            CompensationFor::QualityDefect,
        )
        .unwrap();
        assert_eq!(normal.reasons[1].en, "Regular item: compensate ¥5–10");
    }

    #[test]
    fn approval_table() {
        let table = [
            ("flash_sale", 1889, 500, Approval::AgentMayOffer),
            (
                "flash_sale",
                1889,
                501,
                Approval::SupervisorMustApprove {
                    above_tier_by: Fen(1),
                },
            ),
            ("flash_sale", 1890, 1000, Approval::AgentMayOffer),
            (
                "flash_sale",
                1890,
                1001,
                Approval::SupervisorMustApprove {
                    above_tier_by: Fen(1),
                },
            ),
            ("normal", 5000, 200, Approval::AgentMayOffer),
            ("normal", 5000, 1000, Approval::AgentMayOffer),
            (
                "normal",
                5000,
                1500,
                Approval::SupervisorMustApprove {
                    above_tier_by: Fen(500),
                },
            ),
        ];
        for (class, price, amount, expected) in table {
            let decided = approval(policy().into(), class, Fen(price), Fen(amount)).unwrap();
            assert_eq!(decided.value, expected, "{class} {price} {amount}");
            assert_eq!(decided.reasons.len(), 2);
        }
    }

    #[test]
    fn errors_table() {
        assert_eq!(
            propose(
                policy().into(),
                "vintage",
                Fen(100),
                CompensationFor::QualityDefect
            )
            .unwrap_err(),
            CompensationError::Unknown(UnknownEntry::new("item_classes", "vintage"))
        );
        assert_eq!(
            approval(policy().into(), "normal", Fen(-1), Fen(100)).unwrap_err(),
            CompensationError::NegativePrice { price: Fen(-1) }
        );
        let message = CompensationError::NegativePrice { price: Fen(-1) }.message();
        assert_ne!(message.zh, message.en);
    }

    #[test]
    fn return_shipping_allowance_table() {
        let table = [
            ("jiangsu", range(600, 600), "¥6"),
            ("zhejiang", range(600, 600), "¥6"),
            ("shanghai", range(600, 600), "¥6"),
            ("anhui", range(1000, 1500), "¥10–15"),
            ("xinjiang", range(1000, 1500), "¥10–15"),
        ];
        for (province, expected, shown) in table {
            let allowance = return_shipping_allowance(policy().into(), province).unwrap();
            assert_eq!(allowance.value, expected, "{province}");
            assert!(
                allowance.reasons[0].zh.contains(shown),
                "{:?}",
                allowance.reasons
            );
        }
        assert_eq!(
            return_shipping_allowance(policy().into(), "atlantis").unwrap_err(),
            UnknownEntry::new("provinces", "atlantis")
        );
    }
}
