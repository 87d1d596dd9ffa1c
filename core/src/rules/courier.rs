//! Courier advice (seed 002 快递问题处理): the default courier for a destination and order size, whether a requested courier is out of zone (超区), and what extra it costs.
//!
//! Rules quoted by the manual (all data in the policy): one item by STO, two or more by YTO;
//! a courier out of zone is not promised, and if the customer insists they pay the extra;
//! Xinjiang only by post (first kilo ¥18); Tibet by JD (first 3 kg ¥18), by post where JD does
//! not reach; Qinghai by Yunda or JD; flash-sale items get no courier choice, except where
//! only the post reaches: that day's orders under ¥50 pay the extra, from ¥50 a supervisor
//! decides whether shipping stays free.

use crate::lang::Bilingual;
use crate::money::Fen;
use crate::policy::{
    Courier, CourierRules, DestinationCouriers, FirstWeightFee, ItemClass, Label, Policy,
    UnknownEntry, province_in,
};
use serde::{Deserialize, Serialize};

/// What courier advice reads of the policy. A device decodes only these lists of the policy
/// the server validated.
#[derive(Debug, Clone, Copy)]
pub struct CourierPolicy<'p> {
    pub provinces: &'p [Label],
    pub item_classes: &'p [ItemClass],
    pub couriers: &'p [Courier],
    pub courier_rules: &'p CourierRules,
}

impl<'p> From<&'p Policy> for CourierPolicy<'p> {
    fn from(policy: &'p Policy) -> Self {
        CourierPolicy {
            provinces: &policy.provinces,
            item_classes: &policy.item_classes,
            couriers: &policy.couriers,
            courier_rules: &policy.courier_rules,
        }
    }
}

impl<'p> CourierPolicy<'p> {
    pub fn province(&self, id: &str) -> Result<&'p Label, UnknownEntry> {
        province_in(self.provinces, id)
    }

    pub fn item_class(&self, id: &str) -> Result<&'p ItemClass, UnknownEntry> {
        crate::policy::item_class_in(self.item_classes, id)
    }

    pub fn courier(&self, id: &str) -> Result<&'p Courier, UnknownEntry> {
        crate::policy::courier_in(self.couriers, id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourierQuery<'a> {
    pub province: &'a str,
    pub item_count: u32,
    pub item_class: &'a str,
    /// The customer's orders that day in total: decides who pays when only the post reaches.
    pub same_day_order_total: Fen,
    /// A courier the customer asked for (备注快递), if any.
    pub requested_courier: Option<&'a str>,
    /// Couriers known not to reach this exact address (e.g. JD in parts of Tibet).
    pub unreachable_couriers: &'a [&'a str],
}

/// An extra shipping cost, as the manual quotes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Surcharge {
    FirstWeight(FirstWeightFee),
    /// Not in the policy: the warehouse quotes it (具体费用联系库房询问).
    AskWarehouse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "charge", rename_all = "snake_case")]
pub enum ShippingCharge {
    /// The shop's free shipping (包邮) covers it.
    FreeShipping,
    CustomerPaysExtra {
        surcharge: Surcharge,
    },
    /// A supervisor decides whether shipping stays free.
    SupervisorDecides {
        surcharge: Surcharge,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum RequestedCourier {
    SameAsDefault,
    Agreed,
    /// Do not agree to the note; if the customer insists, they pay the surcharge.
    OutOfZone {
        surcharge: Surcharge,
    },
    /// That courier cannot be used for this address at all.
    NotServed,
    /// This item class gets no courier choice (秒杀款不指定快递).
    NoChoiceForItemClass,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourierAdvice<'p> {
    pub default_courier: &'p Courier,
    /// What the default courier costs extra at this destination, if anything.
    pub default_surcharge: Option<Surcharge>,
    /// No courier but the last resort (the post) reaches this address.
    pub only_last_resort_reaches: bool,
    pub charge: ShippingCharge,
    pub requested: Option<RequestedCourier>,
    pub reasons: Vec<Bilingual>,
}

pub fn advise<'p>(
    policy: CourierPolicy<'p>,
    query: &CourierQuery<'_>,
) -> Result<CourierAdvice<'p>, UnknownEntry> {
    let province = policy.province(query.province)?;
    let class = policy.item_class(query.item_class)?;
    let requested = query
        .requested_courier
        .map(|id| policy.courier(id))
        .transpose()?;
    let rules = policy.courier_rules;
    let destination = rules
        .destinations
        .iter()
        .find(|destination| destination.province == query.province);
    let reachable = |courier: &str| !query.unreachable_couriers.contains(&courier);
    let mut reasons = Vec::new();

    let (default_courier, default_surcharge) = match destination {
        Some(destination) => {
            destination_default(policy, destination, province, &reachable, &mut reasons)?
        }
        None => by_item_count(policy, query, province, &reachable, &mut reasons)?,
    };
    let only_last_resort_reaches = default_courier.id == rules.last_resort_courier;
    if let Some(note) = destination.and_then(|destination| destination.note.clone()) {
        reasons.push(note);
    }

    let charge = if only_last_resort_reaches && !class.customer_may_choose_courier {
        post_only_charge(
            policy,
            class,
            query.same_day_order_total,
            default_surcharge,
            &mut reasons,
        )
    } else {
        ShippingCharge::FreeShipping
    };

    let requested = requested.map(|courier| {
        answer_request(
            courier,
            default_courier,
            class,
            destination,
            province,
            &reachable,
            &mut reasons,
        )
    });

    Ok(CourierAdvice {
        default_courier,
        default_surcharge,
        only_last_resort_reaches,
        charge,
        requested,
        reasons,
    })
}

/// The extra a courier costs in a province by its own zone lists. The quoted fee covers only
/// the provinces listed as out of zone; for any other province outside an `in_zone` list the
/// manual gives no price, so the warehouse quotes it.
fn zone_surcharge(courier: &Courier, province: &str) -> Option<Surcharge> {
    if courier.in_zone(province) {
        None
    } else if courier.out_of_zone.iter().any(|p| p == province) {
        Some(
            courier
                .out_of_zone_fee
                .map_or(Surcharge::AskWarehouse, Surcharge::FirstWeight),
        )
    } else {
        Some(Surcharge::AskWarehouse)
    }
}

fn destination_default<'p>(
    policy: CourierPolicy<'p>,
    destination: &DestinationCouriers,
    province: &Label,
    reachable: &impl Fn(&str) -> bool,
    reasons: &mut Vec<Bilingual>,
) -> Result<(&'p Courier, Option<Surcharge>), UnknownEntry> {
    let listed: Vec<&Courier> = destination
        .couriers
        .iter()
        .map(|choice| policy.courier(&choice.courier))
        .collect::<Result<_, _>>()?;
    let names = |name: fn(&Courier) -> &str, separator: &str| {
        listed
            .iter()
            .map(|c| name(c))
            .collect::<Vec<_>>()
            .join(separator)
    };
    reasons.push(Bilingual::new(
        format!("{}发{}", province.zh, names(|c| &c.zh, "、")),
        format!("{} ships by {}", province.en, names(|c| &c.en, ", then ")),
    ));
    for choice in &destination.couriers {
        let courier = policy.courier(&choice.courier)?;
        if !reachable(&courier.id) {
            reasons.push(not_reaching(courier));
            continue;
        }
        let surcharge = choice
            .fee
            .map(Surcharge::FirstWeight)
            .or_else(|| zone_surcharge(courier, &province.id));
        reasons.push(default_reason(courier, surcharge));
        return Ok((courier, surcharge));
    }
    last_resort(policy, province, reasons)
}

fn by_item_count<'p>(
    policy: CourierPolicy<'p>,
    query: &CourierQuery<'_>,
    province: &Label,
    reachable: &impl Fn(&str) -> bool,
    reasons: &mut Vec<Bilingual>,
) -> Result<(&'p Courier, Option<Surcharge>), UnknownEntry> {
    let rules = &policy.courier_rules.default_by_item_count;
    // The rule for this many items first, then the others as fallbacks in the listed order.
    let matching = rules
        .iter()
        .rposition(|rule| query.item_count >= rule.from_items)
        .unwrap_or(0);
    let candidates = std::iter::once(&rules[matching]).chain(
        rules
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != matching)
            .map(|(_, rule)| rule),
    );
    for (position, rule) in candidates.enumerate() {
        let courier = policy.courier(&rule.courier)?;
        if position == 0 {
            reasons.push(Bilingual::new(
                format!("{} 件商品默认发{}", query.item_count, courier.zh),
                format!(
                    "{} item(s) ship by {} by default",
                    query.item_count, courier.en
                ),
            ));
        }
        if !reachable(&courier.id) {
            reasons.push(not_reaching(courier));
        } else if !courier.in_zone(&province.id) {
            reasons.push(Bilingual::new(
                format!("{}在{}超区", courier.zh, province.zh),
                format!("{} is out of its zone in {}", courier.en, province.en),
            ));
        } else {
            if position > 0 {
                reasons.push(default_reason(courier, None));
            }
            return Ok((courier, None));
        }
    }
    last_resort(policy, province, reasons)
}

fn last_resort<'p>(
    policy: CourierPolicy<'p>,
    province: &Label,
    reasons: &mut Vec<Bilingual>,
) -> Result<(&'p Courier, Option<Surcharge>), UnknownEntry> {
    let courier = policy.courier(&policy.courier_rules.last_resort_courier)?;
    let surcharge = zone_surcharge(courier, &province.id);
    reasons.push(Bilingual::new(
        format!("只有{}可以到达", courier.zh),
        format!("Only {} reaches this address", courier.en),
    ));
    reasons.push(default_reason(courier, surcharge));
    Ok((courier, surcharge))
}

fn not_reaching(courier: &Courier) -> Bilingual {
    Bilingual::new(
        format!("{}到不了这个地址", courier.zh),
        format!("{} does not reach this address", courier.en),
    )
}

fn default_reason(courier: &Courier, surcharge: Option<Surcharge>) -> Bilingual {
    Bilingual::new(
        format!("默认发{}{}", courier.zh, surcharge_zh(surcharge)),
        format!("Default courier: {}{}", courier.en, surcharge_en(surcharge)),
    )
}

fn surcharge_zh(surcharge: Option<Surcharge>) -> String {
    match surcharge {
        None => String::new(),
        Some(Surcharge::FirstWeight(fee)) => format!(
            "，首重 {} 公斤 {}",
            grams_as_kilos(fee.first_weight_grams),
            fee.fen
        ),
        Some(Surcharge::AskWarehouse) => "，运费需联系库房询问".into(),
    }
}

fn surcharge_en(surcharge: Option<Surcharge>) -> String {
    match surcharge {
        None => String::new(),
        Some(Surcharge::FirstWeight(fee)) => format!(
            ", {} for the first {} kg",
            fee.fen,
            grams_as_kilos(fee.first_weight_grams)
        ),
        Some(Surcharge::AskWarehouse) => ", ask the warehouse for the fee".into(),
    }
}

/// "1", "3", "0.5": couriers quote first weight in kilos.
fn grams_as_kilos(grams: u32) -> String {
    if grams.is_multiple_of(1000) {
        (grams / 1000).to_string()
    } else {
        format!(
            "{}.{}",
            grams / 1000,
            format!("{:03}", grams % 1000).trim_end_matches('0')
        )
    }
}

fn post_only_charge(
    policy: CourierPolicy,
    class: &ItemClass,
    same_day_order_total: Fen,
    default_surcharge: Option<Surcharge>,
    reasons: &mut Vec<Bilingual>,
) -> ShippingCharge {
    let threshold = policy.courier_rules.post_only_supervisor_review_from_fen;
    let surcharge = default_surcharge.unwrap_or(Surcharge::AskWarehouse);
    if same_day_order_total < threshold {
        reasons.push(Bilingual::new(
            format!(
                "{}只能发邮政，客户当天订单共 {same_day_order_total}，低于 {threshold}：告知客户需加收快递费用",
                class.zh
            ),
            format!(
                "{} only reachable by post; the customer's orders today total {same_day_order_total}, under {threshold}: the customer pays the extra shipping",
                class.en
            ),
        ));
        ShippingCharge::CustomerPaysExtra { surcharge }
    } else {
        reasons.push(Bilingual::new(
            format!(
                "{}只能发邮政，客户当天订单共 {same_day_order_total}，达到 {threshold}：联系主管决定是否包邮",
                class.zh
            ),
            format!(
                "{} only reachable by post; the customer's orders today total {same_day_order_total}, at least {threshold}: a supervisor decides whether shipping stays free",
                class.en
            ),
        ));
        ShippingCharge::SupervisorDecides { surcharge }
    }
}

fn answer_request(
    courier: &Courier,
    default_courier: &Courier,
    class: &ItemClass,
    destination: Option<&DestinationCouriers>,
    province: &Label,
    reachable: &impl Fn(&str) -> bool,
    reasons: &mut Vec<Bilingual>,
) -> RequestedCourier {
    let asked = Bilingual::new(
        format!("客户要求发{}：", courier.zh),
        format!("The customer asks for {}: ", courier.en),
    );
    let listed_choice = destination.and_then(|destination| {
        destination
            .couriers
            .iter()
            .find(|choice| choice.courier == courier.id)
    });
    let (answer, zh, en) = if courier.id == default_courier.id {
        (
            RequestedCourier::SameAsDefault,
            "就是默认快递".to_string(),
            "that is the default courier".to_string(),
        )
    } else if !class.customer_may_choose_courier {
        (
            RequestedCourier::NoChoiceForItemClass,
            format!("{}不指定快递", class.zh),
            format!("{} items get no courier choice", class.en),
        )
    } else if !reachable(&courier.id)
        || destination.is_some_and(|destination| destination.exclusive && listed_choice.is_none())
    {
        (
            RequestedCourier::NotServed,
            format!("{}不能发到{}", courier.zh, province.zh),
            format!("{} cannot be used for {}", courier.en, province.en),
        )
    } else {
        let surcharge = listed_choice
            .and_then(|choice| choice.fee.map(Surcharge::FirstWeight))
            .or_else(|| zone_surcharge(courier, &province.id));
        match surcharge {
            None => (
                RequestedCourier::Agreed,
                "可以备注".to_string(),
                "the note can be accepted".to_string(),
            ),
            Some(surcharge) => (
                RequestedCourier::OutOfZone { surcharge },
                format!(
                    "{}在{}超区，发件很贵，不能答应备注；客户坚持的话需加收运费{}",
                    courier.zh,
                    province.zh,
                    surcharge_zh(Some(surcharge))
                ),
                format!(
                    "{} is out of its zone in {} and expensive, so do not accept the note; if the customer insists they pay the extra{}",
                    courier.en,
                    province.en,
                    surcharge_en(Some(surcharge))
                ),
            ),
        }
    };
    reasons.push(Bilingual::new(asked.zh + &zh, asked.en + &en));
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> CourierPolicy<'static> {
        Policy::default_policy().into()
    }

    fn query(province: &'static str, item_count: u32) -> CourierQuery<'static> {
        CourierQuery {
            province,
            item_count,
            item_class: "normal",
            same_day_order_total: Fen(9900),
            requested_courier: None,
            unreachable_couriers: &[],
        }
    }

    fn fee(grams: u32, fen: i64) -> Surcharge {
        Surcharge::FirstWeight(FirstWeightFee {
            first_weight_grams: grams,
            fen: Fen(fen),
        })
    }

    #[test]
    fn default_courier_table() {
        let table = [
            // 单个的默认发申通，两件以上发圆通
            (query("hebei", 1), "sto", None),
            (query("hebei", 2), "yto", None),
            (query("guangdong", 5), "yto", None),
            // 申通超区: 海南 → the two-item courier still reaches it
            (query("hainan", 1), "yto", None),
            // 圆通超区: 宁夏 → the one-item courier still reaches it
            (query("ningxia", 2), "sto", None),
            // 新疆只发邮政一公斤首重18元
            (query("xinjiang", 1), "post", Some(fee(1000, 1800))),
            (query("xinjiang", 3), "post", Some(fee(1000, 1800))),
            // 西藏默认京东三公斤首重18元
            (query("xizang", 1), "jd", Some(fee(3000, 1800))),
            // 京东超区地区发邮政
            (
                CourierQuery {
                    unreachable_couriers: &["jd"],
                    ..query("xizang", 1)
                },
                "post",
                Some(Surcharge::AskWarehouse),
            ),
            // 青海发韵达和京东
            (query("qinghai", 1), "yunda", None),
            (
                CourierQuery {
                    unreachable_couriers: &["yunda"],
                    ..query("qinghai", 2)
                },
                "jd",
                None,
            ),
            // neither count courier reaches the address: the post does
            (
                CourierQuery {
                    unreachable_couriers: &["sto", "yto"],
                    ..query("hebei", 1)
                },
                "post",
                None,
            ),
        ];
        for (query, courier, surcharge) in table {
            let advice = advise(policy(), &query).unwrap();
            assert_eq!(advice.default_courier.id, courier, "{query:?}");
            assert_eq!(advice.default_surcharge, surcharge, "{query:?}");
            assert_eq!(advice.charge, ShippingCharge::FreeShipping, "{query:?}");
            assert!(!advice.reasons.is_empty());
        }
    }

    #[test]
    fn tibet_carries_the_managers_note() {
        let advice = advise(policy(), &query("xizang", 1)).unwrap();
        assert!(
            advice.reasons.iter().any(|r| r.zh == "时效不能保证"),
            "{:?}",
            advice.reasons
        );
        assert!(
            advice
                .reasons
                .iter()
                .any(|r| r.zh == "默认发京东，首重 3 公斤 ¥18"),
            "{:?}",
            advice.reasons
        );
    }

    #[test]
    fn requested_courier_table() {
        let asking = |province: &'static str, items: u32, courier: &'static str| CourierQuery {
            requested_courier: Some(courier),
            ..query(province, items)
        };
        let table = [
            (asking("hebei", 1, "sto"), RequestedCourier::SameAsDefault),
            (asking("hebei", 1, "yto"), RequestedCourier::Agreed),
            (asking("hebei", 1, "post"), RequestedCourier::Agreed),
            // 邮政超区 (海南 青海 广西 新疆 云南 北京) 运费18元
            (
                asking("beijing", 1, "post"),
                RequestedCourier::OutOfZone {
                    surcharge: fee(1000, 1800),
                },
            ),
            (
                asking("yunnan", 1, "post"),
                RequestedCourier::OutOfZone {
                    surcharge: fee(1000, 1800),
                },
            ),
            // post outside its listed default area: the warehouse quotes
            (
                asking("guangdong", 1, "post"),
                RequestedCourier::OutOfZone {
                    surcharge: Surcharge::AskWarehouse,
                },
            ),
            // 圆通超区: 宁夏
            (
                asking("ningxia", 1, "yto"),
                RequestedCourier::OutOfZone {
                    surcharge: Surcharge::AskWarehouse,
                },
            ),
            // 申通超区: 海南
            (
                asking("hainan", 2, "sto"),
                RequestedCourier::OutOfZone {
                    surcharge: Surcharge::AskWarehouse,
                },
            ),
            // 新疆只发邮政
            (asking("xinjiang", 1, "sto"), RequestedCourier::NotServed),
            (asking("xinjiang", 1, "jd"), RequestedCourier::NotServed),
            (asking("qinghai", 1, "jd"), RequestedCourier::Agreed),
            (
                asking("xizang", 1, "sto"),
                RequestedCourier::OutOfZone {
                    surcharge: Surcharge::AskWarehouse,
                },
            ),
            (
                CourierQuery {
                    unreachable_couriers: &["jd"],
                    ..asking("xizang", 1, "jd")
                },
                RequestedCourier::NotServed,
            ),
            // 秒杀款不指定快递
            (
                CourierQuery {
                    item_class: "flash_sale",
                    ..asking("hebei", 1, "yto")
                },
                RequestedCourier::NoChoiceForItemClass,
            ),
            (
                CourierQuery {
                    item_class: "flash_sale",
                    ..asking("hebei", 1, "sto")
                },
                RequestedCourier::SameAsDefault,
            ),
        ];
        for (query, expected) in table {
            let advice = advise(policy(), &query).unwrap();
            assert_eq!(advice.requested, Some(expected), "{query:?}");
            assert!(advice.reasons.last().unwrap().zh.starts_with("客户要求发"));
        }
    }

    #[test]
    fn flash_sale_where_only_the_post_reaches() {
        let flash = |province: &'static str, total: i64| CourierQuery {
            item_class: "flash_sale",
            same_day_order_total: Fen(total),
            ..query(province, 1)
        };
        let table = [
            (
                flash("xinjiang", 4999),
                ShippingCharge::CustomerPaysExtra {
                    surcharge: fee(1000, 1800),
                },
                true,
            ),
            (
                flash("xinjiang", 5000),
                ShippingCharge::SupervisorDecides {
                    surcharge: fee(1000, 1800),
                },
                true,
            ),
            (
                CourierQuery {
                    unreachable_couriers: &["jd"],
                    ..flash("xizang", 1000)
                },
                ShippingCharge::CustomerPaysExtra {
                    surcharge: Surcharge::AskWarehouse,
                },
                true,
            ),
            // JD reaches: not a post-only address, so nothing changes
            (flash("xizang", 1000), ShippingCharge::FreeShipping, false),
            (flash("hebei", 1000), ShippingCharge::FreeShipping, false),
            // regular items keep the shop's free shipping
            (
                CourierQuery {
                    same_day_order_total: Fen(1000),
                    ..query("xinjiang", 1)
                },
                ShippingCharge::FreeShipping,
                true,
            ),
        ];
        for (query, expected, post_only) in table {
            let advice = advise(policy(), &query).unwrap();
            assert_eq!(advice.charge, expected, "{query:?}");
            assert_eq!(advice.only_last_resort_reaches, post_only, "{query:?}");
        }
    }

    #[test]
    fn unknown_entries_table() {
        let table = [
            (
                CourierQuery {
                    province: "atlantis",
                    ..query("hebei", 1)
                },
                UnknownEntry::new("provinces", "atlantis"),
            ),
            (
                CourierQuery {
                    item_class: "vintage",
                    ..query("hebei", 1)
                },
                UnknownEntry::new("item_classes", "vintage"),
            ),
            (
                CourierQuery {
                    requested_courier: Some("pigeon"),
                    ..query("hebei", 1)
                },
                UnknownEntry::new("couriers", "pigeon"),
            ),
        ];
        for (query, expected) in table {
            assert_eq!(advise(policy(), &query).unwrap_err(), expected);
        }
    }

    #[test]
    fn grams_as_kilos_table() {
        for (grams, shown) in [(1000, "1"), (3000, "3"), (500, "0.5"), (1250, "1.25")] {
            assert_eq!(grams_as_kilos(grams), shown);
        }
    }
}
