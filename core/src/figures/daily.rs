//! The daily operations report (运营日报, seed 001 §16): a team's previous 24 hours. Cases opened
//! by kind and by category (an inquiry's logged category, a complaint's registered one),
//! cases resolved and escalated in it, and where the team stands at its end: reply promises
//! overdue, pins open and overdue. Then the banned-phrase incidents, the callbacks answered
//! (satisfaction) and the phone's first response, all over the same 24 hours. A case that
//! spans midnight counts where each thing happened: opened in one report, resolved in the next.

use crate::figures::calls::{FirstResponse, first_response_of};
use crate::figures::period::Period;
use crate::figures::satisfaction::{SatisfactionFigure, satisfaction_of};
use crate::figures::table::{Column, one_decimal};
use crate::kinds::call_log::calls_in;
use crate::kinds::case::complaint_report::UNREGISTERED;
use crate::kinds::case::incident::incidents;
use crate::kinds::case::inquiry;
use crate::kinds::case::{Case, CaseKind, CaseStatus, field};
use crate::kinds::daily_report::SentLine;
use crate::lang::Bilingual;
use crate::policy::Label;
use crate::record::Record;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// The category bucket of an inquiry logged without one.
pub const UNCATEGORISED: &str = "uncategorised";

#[derive(Debug, Clone, PartialEq)]
pub struct DailyReport {
    /// Every kind, in [`CaseKind::ALL`]'s order, with the cases opened.
    pub opened: Vec<(CaseKind, usize)>,
    /// Inquiries and complaints opened, by category id, each kind's sorted by id.
    pub categories: Vec<(CaseKind, String, usize)>,
    /// Cases whose status became resolved or closed in the period and stays so.
    pub resolved: usize,
    /// Escalations to the supervisor made in the period.
    pub escalated: usize,
    /// Open cases whose promised reply time passed before the period's end.
    pub overdue_promises: usize,
    pub pins_open: usize,
    /// Open pins whose agreed time passed before the period's end.
    pub pins_overdue: usize,
    pub incidents: usize,
    pub satisfaction: Option<SatisfactionFigure>,
    pub first_response: Option<FirstResponse>,
}

/// `team`'s report over `period` (the 24 hours before it is written).
pub fn daily_report(records: &[impl Borrow<Record>], team: &str, period: &Period) -> DailyReport {
    let team_records: Vec<&Record> = records
        .iter()
        .map(Borrow::<Record>::borrow)
        .filter(|record| record.team == team)
        .collect();
    let cases: Vec<(&Record, Case)> = team_records
        .iter()
        .filter_map(|record| Some((*record, Case::from_record(record)?)))
        .collect();
    let opened_in: Vec<&(&Record, Case)> = cases
        .iter()
        .filter(|(_, case)| period.contains(case.created_at))
        .collect();
    let mut categories: BTreeMap<(CaseKind, String), usize> = BTreeMap::new();
    for (record, case) in &opened_in {
        let category = match case.kind {
            CaseKind::Inquiry => Some(record.text(inquiry::field::CATEGORY))
                .filter(|category| !category.is_empty())
                .unwrap_or_else(|| UNCATEGORISED.to_owned()),
            CaseKind::Complaint => case
                .script
                .as_ref()
                .and_then(|script| script.category.clone())
                .unwrap_or_else(|| UNREGISTERED.to_owned()),
            CaseKind::Return | CaseKind::Feedback => continue,
        };
        *categories.entry((case.kind, category)).or_default() += 1;
    }
    let is_open = |case: &Case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending);
    let open_pins: Vec<_> = cases
        .iter()
        .filter(|(_, case)| is_open(case))
        .filter_map(|(_, case)| case.pin.as_ref())
        .collect();
    DailyReport {
        opened: CaseKind::ALL
            .iter()
            .map(|kind| {
                let count = opened_in
                    .iter()
                    .filter(|(_, case)| case.kind == *kind)
                    .count();
                (*kind, count)
            })
            .collect(),
        categories: categories
            .into_iter()
            .map(|((kind, category), count)| (kind, category, count))
            .collect(),
        resolved: cases
            .iter()
            .filter(|(_, case)| matches!(case.status, CaseStatus::Resolved | CaseStatus::Closed))
            .filter(|(record, _)| {
                record
                    .fields
                    .get(field::STATUS)
                    .is_some_and(|status| period.contains(status.current.origin.at))
            })
            .count(),
        escalated: cases
            .iter()
            .flat_map(|(_, case)| &case.escalations)
            .filter(|escalated| period.contains(escalated.acted_at))
            .count(),
        overdue_promises: cases
            .iter()
            .filter(|(_, case)| is_open(case))
            .filter(|(_, case)| case.reply_due.is_some_and(|due| due < period.end))
            .count(),
        pins_open: open_pins.len(),
        pins_overdue: open_pins
            .iter()
            .filter(|pin| pin.is_overdue(period.end))
            .count(),
        incidents: team_records
            .iter()
            .flat_map(|record| incidents(record))
            .filter(|incident| period.contains(incident.at))
            .count(),
        satisfaction: satisfaction_of(cases.iter().map(|(_, case)| case), period),
        first_response: first_response_of(
            calls_in(&team_records)
                .iter()
                .filter(|call| period.contains(call.at)),
        ),
    }
}

/// One line of the report as the page lists it and the CSV writes it: its section, its id, its
/// name in the reader's language, and its figure (`None`: no data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub section: &'static str,
    pub id: String,
    pub name: String,
    pub value: Option<String>,
}

impl DailyReport {
    /// Every figure as a line, named by `name(section, id)`: sections `opened` (by kind),
    /// `inquiry_category`, `complaint_category` and `summary`.
    pub fn lines(&self, name: impl Fn(&str, &str) -> String) -> Vec<ReportLine> {
        let line = |section: &'static str, id: &str, value: Option<String>| ReportLine {
            section,
            id: id.to_owned(),
            name: name(section, id),
            value,
        };
        let count = |count: usize| Some(count.to_string());
        let mut lines: Vec<ReportLine> = self
            .opened
            .iter()
            .map(|(kind, opened)| line("opened", kind.as_str(), count(*opened)))
            .collect();
        for (kind, category, opened) in &self.categories {
            let section = match kind {
                CaseKind::Complaint => "complaint_category",
                _ => "inquiry_category",
            };
            lines.push(line(section, category, count(*opened)));
        }
        let satisfaction = self.satisfaction;
        let first_response = self.first_response;
        lines.extend([
            line("summary", "resolved", count(self.resolved)),
            line("summary", "escalated", count(self.escalated)),
            line("summary", "overdue_promises", count(self.overdue_promises)),
            line("summary", "pins_open", count(self.pins_open)),
            line("summary", "pins_overdue", count(self.pins_overdue)),
            line("summary", "incidents", count(self.incidents)),
            line(
                "summary",
                "callbacks_answered",
                satisfaction.map(|figure| figure.answered.to_string()),
            ),
            line(
                "summary",
                "satisfaction_percent",
                satisfaction.map(|figure| one_decimal(figure.percent())),
            ),
            line(
                "summary",
                "first_response_seconds",
                first_response.map(|figure| one_decimal(figure.average_seconds)),
            ),
        ]);
        lines
    }
}

impl From<&ReportLine> for SentLine {
    fn from(line: &ReportLine) -> SentLine {
        SentLine {
            section: line.section.to_owned(),
            id: line.id.clone(),
            value: line.value.clone(),
        }
    }
}

/// A line's name in both languages: a kind's, a category's as the policy lists it, or the
/// report's own words.
pub fn line_name(section: &str, id: &str, categories: (&[Label], &[Label])) -> Bilingual {
    let (inquiry_categories, complaint_categories) = categories;
    let listed = match section {
        "opened" => {
            return CaseKind::parse(id).map_or_else(|| Bilingual::new(id, id), CaseKind::name);
        }
        "inquiry_category" => inquiry_categories,
        "complaint_category" => complaint_categories,
        _ => &[],
    };
    if let Some(label) = listed.iter().find(|label| label.id == id) {
        return label.name();
    }
    let (zh, en) = match id {
        UNCATEGORISED => ("未分类", "Uncategorised"),
        UNREGISTERED => ("尚未登记", "Not registered yet"),
        "resolved" => ("已解决", "Resolved"),
        "escalated" => ("升级主管", "Escalated"),
        "overdue_promises" => ("超时未回复", "Overdue reply promises"),
        "pins_open" => ("置顶中", "Pinned"),
        "pins_overdue" => ("置顶已逾期", "Pins overdue"),
        "incidents" => ("服务禁语", "Banned phrases"),
        "callbacks_answered" => ("回访数", "Callbacks answered"),
        "satisfaction_percent" => ("满意度 (%)", "Satisfaction (%)"),
        "first_response_seconds" => ("平均首次响应 (秒)", "First response (s)"),
        other => (other, other),
    };
    Bilingual::new(zh, en)
}

/// The report's CSV columns.
pub static DAILY_COLUMNS: [Column<ReportLine>; 4] = [
    Column {
        id: "section",
        zh: "分组",
        en: "Section",
        cell: |line| Some(line.section.to_owned()),
    },
    Column {
        id: "id",
        zh: "编号",
        en: "Id",
        cell: |line| Some(line.id.clone()),
    },
    Column {
        id: "name",
        zh: "名称",
        en: "Name",
        cell: |line| Some(line.name.clone()),
    },
    Column {
        id: "value",
        zh: "数值",
        en: "Value",
        cell: |line| line.value.clone(),
    },
];

#[cfg(test)]
mod tests;
