//! The weekly after-sales summary for the supervisor (seed 000 §8.4; seed 003: 每周汇总):
//! return cases opened in a week counted by reason, the compensation paid (final or approved),
//! the missing-item cases (by reason or by the situation recorded), the lost-parcel claims
//! (situations the courier confirmed lost), the settled situations the manual reports weekly,
//! and the same as CSV for a spreadsheet. Everything counts in the week its case was opened,
//! as the returns do: a situation settled the week after still belongs to its case's week, so
//! the supervisor finds each case once, where it began.

use crate::kinds::case::after_sales_situation::case_situation;
use crate::kinds::case::compensations::{CompensationState, compensations};
use crate::kinds::case::returns::ReturnFacts;
use crate::kinds::case::{Case, CaseKind};
use crate::lang::{Bilingual, Lang};
use crate::money::Fen;
use crate::record::Record;
use crate::rules::after_sales_guide::{GuidePolicy, Situation};
use crate::rules::return_eligibility::ReturnPolicy;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The reason the summary singles out (a policy `return_reasons` id).
pub const MISSING_ITEM: &str = "missing_item";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklySummary {
    /// The week's Monday, in the shop's calendar.
    pub week_of: NaiveDate,
    pub returns: usize,
    /// Return cases by reason id, in the policy's order; reasons with none are left out.
    pub by_reason: Vec<(String, usize)>,
    pub compensation_paid: Fen,
    pub compensations_waiting: usize,
    pub missing_items: usize,
    pub lost_parcel_claims: usize,
    /// Settled situations the manual reports weekly, in `Situation::ALL` order; none left out.
    pub situations: Vec<(Situation, usize)>,
}

/// The Monday of the week `day` falls in.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The summary of the return cases opened in the week starting `monday` (shop calendar).
pub fn weekly_summary(
    policy: ReturnPolicy<'_>,
    guide: GuidePolicy<'_>,
    records: &[Record],
    monday: NaiveDate,
) -> WeeklySummary {
    let opened_that_week =
        |at: DateTime<Utc>| week_of(at.with_timezone(&policy.utc_offset).date_naive()) == monday;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut situations: BTreeMap<Situation, usize> = BTreeMap::new();
    let mut summary = WeeklySummary {
        week_of: monday,
        ..WeeklySummary::default()
    };
    for record in records {
        let Some(case) = Case::from_record(record) else {
            continue;
        };
        if case.kind != CaseKind::Return || !opened_that_week(case.created_at) {
            continue;
        }
        summary.returns += 1;
        let reason = ReturnFacts::from_record(record).map(|facts| facts.reason);
        let situation = case_situation(guide, record);
        let situation_kind = situation.as_ref().map(|recorded| recorded.entry.situation);
        if reason.as_deref() == Some(MISSING_ITEM) || situation_kind == Some(Situation::MissingItem)
        {
            summary.missing_items += 1;
        }
        if let Some(reason) = reason {
            *counts.entry(reason).or_default() += 1;
        }
        if let Some(recorded) = &situation
            && let Some(resolution) = recorded.state.settled()
        {
            if resolution.courier_claim {
                summary.lost_parcel_claims += 1;
            }
            if resolution.weekly_report {
                *situations.entry(recorded.entry.situation).or_default() += 1;
            }
        }
        for compensation in compensations(policy, record) {
            if compensation.state.pays() {
                summary.compensation_paid =
                    summary.compensation_paid + compensation.proposal.amount;
            } else if matches!(compensation.state, CompensationState::Pending { .. }) {
                summary.compensations_waiting += 1;
            }
        }
    }
    summary.situations = Situation::ALL
        .iter()
        .filter_map(|kind| situations.get(kind).map(|count| (*kind, *count)))
        .collect();
    // The policy's order first, then any reason a newer policy dropped.
    for reason in policy.return_reasons {
        if let Some(count) = counts.remove(&reason.id) {
            summary.by_reason.push((reason.id.clone(), count));
        }
    }
    summary.by_reason.extend(counts);
    summary
}

/// The summary as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
/// Chinese), one `item,value` row each, reasons by their names in `lang`.
pub fn summary_csv(policy: ReturnPolicy<'_>, summary: &WeeklySummary, lang: Lang) -> String {
    let name = |reason: &str| {
        policy
            .return_reason(reason)
            .map(|known| known.name().get(lang).to_owned())
            .unwrap_or_else(|_| reason.to_owned())
    };
    let label = |zh: &str, en: &str| Bilingual::new(zh, en).get(lang).to_owned();
    let mut rows = vec![
        (
            label("周（周一）", "Week of (Monday)"),
            summary.week_of.to_string(),
        ),
        (
            label("退换货案件", "Return cases"),
            summary.returns.to_string(),
        ),
    ];
    for (reason, count) in &summary.by_reason {
        rows.push((
            format!("{}: {}", label("原因", "Reason"), name(reason)),
            count.to_string(),
        ));
    }
    for (situation, count) in &summary.situations {
        rows.push((
            format!(
                "{}: {}",
                label("售后情况", "Situation"),
                situation.name().get(lang)
            ),
            count.to_string(),
        ));
    }
    rows.extend([
        (
            label("少件", "Missing items"),
            summary.missing_items.to_string(),
        ),
        (
            label("丢件理赔", "Lost-parcel claims"),
            summary.lost_parcel_claims.to_string(),
        ),
        (
            label("已付补偿（元）", "Compensation paid (yuan)"),
            yuan(summary.compensation_paid),
        ),
        (
            label("待审批补偿", "Compensation waiting for approval"),
            summary.compensations_waiting.to_string(),
        ),
    ]);
    let mut csv = String::from("\u{feff}");
    csv.push_str(&format!(
        "{},{}\r\n",
        label("项目", "Item"),
        label("数值", "Value")
    ));
    for (item, value) in rows {
        csv.push_str(&format!("{},{}\r\n", csv_cell(&item), csv_cell(&value)));
    }
    csv
}

/// An amount in yuan with two decimals, as spreadsheets sum it.
fn yuan(amount: Fen) -> String {
    format!("{}.{:02}", amount.fen() / 100, amount.fen().rem_euclid(100))
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests;
