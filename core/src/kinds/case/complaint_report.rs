//! The complaints over a range of days (seed 002 对当日受理的投诉进行日盘点, 每月月度投诉分析;
//! seed 000 §10.3): how many, by category and by cause as registered in the script, how many
//! are still open and how many are overdue (a reply promised or an escalation's deadline
//! passed). The complaints page shows it as tables and a chart, and writes it as CSV.

use crate::kinds::case::{Case, CaseKind, CaseStatus};
use crate::policy::{Label, WorkingHours};
use crate::rules::working_hours::WorkingClock;
use chrono::{DateTime, Utc};
use std::borrow::Borrow;

/// The bucket of complaints whose script has not reached registration yet.
pub const UNREGISTERED: &str = "unregistered";

/// The figures of one range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintReport {
    pub total: usize,
    /// Every policy category in its order, then [`UNREGISTERED`], with its count.
    pub by_category: Vec<(String, usize)>,
    /// Every policy cause in its order, then [`UNREGISTERED`], with its count.
    pub by_cause: Vec<(String, usize)>,
    pub open: usize,
    pub overdue: usize,
}

/// The complaints created in `[from, to)`, counted.
pub fn complaint_report(
    cases: &[impl Borrow<Case>],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    (categories, causes): (&[Label], &[Label]),
    hours: &WorkingHours,
    now: DateTime<Utc>,
) -> ComplaintReport {
    let complaints: Vec<&Case> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| case.kind == CaseKind::Complaint)
        .filter(|case| from <= case.created_at && case.created_at < to)
        .collect();
    let count_by = |labels: &[Label], value: &dyn Fn(&Case) -> Option<String>| {
        let mut rows: Vec<(String, usize)> = labels
            .iter()
            .map(|label| (label.id.clone(), 0))
            .chain([(UNREGISTERED.to_owned(), 0)])
            .collect();
        for case in &complaints {
            let id = value(case).unwrap_or_else(|| UNREGISTERED.to_owned());
            let row = rows
                .iter()
                .position(|(known, _)| *known == id)
                .unwrap_or(rows.len() - 1);
            rows[row].1 += 1;
        }
        rows
    };
    let clock = WorkingClock::from_hours(hours);
    let is_open = |case: &&&Case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending);
    ComplaintReport {
        total: complaints.len(),
        by_category: count_by(categories, &|case| case.script.as_ref()?.category.clone()),
        by_cause: count_by(causes, &|case| case.script.as_ref()?.cause.clone()),
        open: complaints.iter().filter(is_open).count(),
        overdue: complaints
            .iter()
            .filter(is_open)
            .filter(|case| {
                let promise_passed = case.reply_due.is_some_and(|due| due < now);
                let escalation_passed = case.escalations.iter().any(|escalated| {
                    escalated.decision.is_none()
                        && clock.reply_deadline(escalated.acted_at, escalated.escalation.promise)
                            < now
                });
                promise_passed || escalation_passed
            })
            .count(),
    }
}

impl ComplaintReport {
    /// The report as CSV (RFC 4180), one row per figure: `section,id,name,count`, with `name`
    /// giving each id's name in the reader's language.
    pub fn to_csv(&self, name: impl Fn(&str, &str) -> String) -> String {
        let mut rows = vec![["section", "id", "name", "count"].map(str::to_owned)];
        for (section, figures) in [("category", &self.by_category), ("cause", &self.by_cause)] {
            for (id, count) in figures {
                rows.push([
                    section.into(),
                    id.clone(),
                    name(section, id),
                    count.to_string(),
                ]);
            }
        }
        for (id, count) in [
            ("total", self.total),
            ("open", self.open),
            ("overdue", self.overdue),
        ] {
            rows.push([
                "summary".into(),
                id.into(),
                name("summary", id),
                count.to_string(),
            ]);
        }
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|cell| quoted(cell))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .map(|line| line + "\r\n")
            .collect()
    }
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break, quotes doubled.
fn quoted(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests;
