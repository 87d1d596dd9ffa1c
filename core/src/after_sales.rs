//! The weekly after-sales summary for the supervisor (seed 000 §8.4; seed 003: 每周汇总):
//! return cases opened in a week counted by reason, the compensation paid (final or approved),
//! the missing-item cases and the lost-parcel claims, and the same as CSV for a spreadsheet.

use crate::case::{Case, CaseKind};
use crate::compensations::{CompensationState, compensations};
use crate::lang::{Bilingual, Lang};
use crate::money::Fen;
use crate::record::Record;
use crate::returns::ReturnFacts;
use crate::rules::return_eligibility::ReturnPolicy;
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The reasons the summary singles out (policy `return_reasons` ids).
pub const MISSING_ITEM: &str = "missing_item";
pub const PARCEL_LOST: &str = "parcel_lost";

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
}

/// The Monday of the week `day` falls in.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The summary of the return cases opened in the week starting `monday` (shop calendar).
pub fn weekly_summary(
    policy: ReturnPolicy<'_>,
    records: &[Record],
    monday: NaiveDate,
) -> WeeklySummary {
    let opened_that_week =
        |at: DateTime<Utc>| week_of(at.with_timezone(&policy.utc_offset).date_naive()) == monday;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
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
        if let Some(facts) = ReturnFacts::from_record(record) {
            *counts.entry(facts.reason).or_default() += 1;
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
    summary.missing_items = counts.get(MISSING_ITEM).copied().unwrap_or(0);
    summary.lost_parcel_claims = counts.get(PARCEL_LOST).copied().unwrap_or(0);
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
