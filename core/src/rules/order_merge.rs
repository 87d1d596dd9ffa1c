//! Order-merge hint (seed 002 直播相关操作: 合并订单不够19.9的订单; seed 000 §5.2 同一个客户的多个订单可合并): flags a customer's same-day small orders to merge before packing.

use crate::lang::Bilingual;
use crate::money::Fen;
use crate::rules::order_flow::OrderPolicy;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// An order printed by the warehouse but not yet packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingOrder<'a> {
    pub order_number: &'a str,
    pub customer: &'a str,
    pub placed_at: DateTime<Utc>,
    pub amount: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeHint<'a> {
    pub customer: &'a str,
    /// The day in the shop's local calendar.
    pub day: NaiveDate,
    /// All of that customer's orders of the day, oldest first: they go out as one parcel.
    pub order_numbers: Vec<&'a str>,
    pub reasons: Vec<Bilingual>,
}

/// One hint per customer and day that has two or more orders, at least one of them under the
/// policy's threshold (¥19.90 by default). Sorted by customer, then day.
pub fn merge_hints<'a>(policy: OrderPolicy<'_>, orders: &[PendingOrder<'a>]) -> Vec<MergeHint<'a>> {
    let threshold = policy.orders.merge_same_day_orders_under_fen;
    let offset = policy.hours.utc_offset;
    let mut by_customer_day: BTreeMap<(&str, NaiveDate), Vec<&PendingOrder<'a>>> = BTreeMap::new();
    for order in orders {
        let day = order.placed_at.with_timezone(&offset).date_naive();
        by_customer_day
            .entry((order.customer, day))
            .or_default()
            .push(order);
    }
    by_customer_day
        .into_iter()
        .filter_map(|((customer, day), mut day_orders)| {
            let small = day_orders.iter().filter(|order| order.amount < threshold).count();
            if day_orders.len() < 2 || small == 0 {
                return None;
            }
            day_orders.sort_by_key(|order| (order.placed_at, order.order_number));
            Some(MergeHint {
                customer,
                day,
                order_numbers: day_orders.iter().map(|order| order.order_number).collect(),
                reasons: vec![Bilingual::new(
                    format!(
                        "同一客户 {day} 有 {} 个订单，其中 {small} 个不够 {threshold}：打单后合并发货",
                        day_orders.len()
                    ),
                    format!(
                        "The same customer has {} orders on {day}, {small} of them under {threshold}: merge them before packing",
                        day_orders.len()
                    ),
                )],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_clock::local;

    fn order(
        number: &'static str,
        customer: &'static str,
        at: &str,
        fen: i64,
    ) -> PendingOrder<'static> {
        PendingOrder {
            order_number: number,
            customer,
            placed_at: local(at),
            amount: Fen(fen),
        }
    }

    /// Customer and merged order numbers of each hint.
    type Hinted = Vec<(&'static str, Vec<&'static str>)>;

    fn hinted(orders: &[PendingOrder<'static>]) -> Hinted {
        merge_hints(crate::policy::Policy::default_policy().into(), orders)
            .into_iter()
            .map(|hint| (hint.customer, hint.order_numbers))
            .collect()
    }

    #[test]
    fn merge_table() {
        let table: Vec<(Vec<PendingOrder<'static>>, Hinted)> = vec![
            // one order under ¥19.90 next to a larger one: merge
            (
                vec![
                    order("A2", "wang", "2026-03-02 20:00", 1989),
                    order("A1", "wang", "2026-03-02 10:00", 5000),
                ],
                vec![("wang", vec!["A1", "A2"])],
            ),
            // ¥19.90 is not under ¥19.90
            (
                vec![
                    order("B1", "wang", "2026-03-02 10:00", 1990),
                    order("B2", "wang", "2026-03-02 11:00", 1990),
                ],
                vec![],
            ),
            // a single small order has nothing to merge with
            (vec![order("C1", "wang", "2026-03-02 10:00", 990)], vec![]),
            // different customers
            (
                vec![
                    order("D1", "wang", "2026-03-02 10:00", 990),
                    order("D2", "li", "2026-03-02 11:00", 990),
                ],
                vec![],
            ),
            // 23:50 and 00:10 local are different days, although the same day in UTC
            (
                vec![
                    order("E1", "wang", "2026-03-02 23:50", 990),
                    order("E2", "wang", "2026-03-03 00:10", 990),
                ],
                vec![],
            ),
            // three orders, two customers, sorted by customer
            (
                vec![
                    order("F1", "wang", "2026-03-02 09:00", 990),
                    order("F2", "wang", "2026-03-02 09:30", 2990),
                    order("F3", "wang", "2026-03-02 19:30", 8000),
                    order("F4", "li", "2026-03-02 12:00", 100),
                    order("F5", "li", "2026-03-02 13:00", 100),
                ],
                vec![("li", vec!["F4", "F5"]), ("wang", vec!["F1", "F2", "F3"])],
            ),
        ];
        for (orders, expected) in table {
            assert_eq!(hinted(&orders), expected, "{orders:?}");
        }
    }

    #[test]
    fn hint_reasons_give_the_counts() {
        let hints = merge_hints(
            crate::policy::Policy::default_policy().into(),
            &[
                order("A1", "wang", "2026-03-02 10:00", 5000),
                order("A2", "wang", "2026-03-02 20:00", 1989),
            ],
        );
        assert_eq!(hints[0].day, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(
            hints[0].reasons[0].zh,
            "同一客户 2026-03-02 有 2 个订单，其中 1 个不够 ¥19.90：打单后合并发货"
        );
    }
}
