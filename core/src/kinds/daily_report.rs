//! The daily report as sent (运营日报, seed 001 §16: 每天 12:00 前发送前 24 小时的运营日报): the
//! lead marks the team's report sent, with its figures as they stood, and a supervisor sees
//! which teams' reports are late. Stored as records of type `daily_report`, the team's; never
//! edited. When it was sent is the lead's device's time (the change's stamp, which the server
//! clamps if it runs ahead), so a report marked at 11:50 on a tablet offline is on time.

use crate::account::{Denied, UserInfo};
use crate::input::InputError;
use crate::kinds::{RecordKind, check_write_once, may_write_as_lead};
use crate::record::{Record, RecordType};
use crate::sync::Op;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The hour, in the shop's time zone, by which the day's report is sent.
pub const DEADLINE_HOUR: u32 = 12;

/// The most lines a sent report keeps: a daily report has a few dozen.
const MAX_LINES: usize = 500;

/// A sent report's fields, set when it is sent.
pub mod field {
    /// The shop's date whose 12:00 the report answers to, `YYYY-MM-DD`.
    pub const DAY: &str = "day";
    /// What it covers, as the report says it (`Period::label`).
    pub const PERIOD: &str = "period";
    /// Its figures as sent: [`super::SentLine`]s.
    pub const LINES: &str = "lines";
    pub const ALL: [&str; 3] = [DAY, PERIOD, LINES];
}

/// One figure of a sent report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentLine {
    pub section: String,
    pub id: String,
    pub value: Option<String>,
}

/// A sent report's first values.
pub fn daily_report_fields(
    day: NaiveDate,
    period: &str,
    lines: &[SentLine],
) -> BTreeMap<String, Value> {
    BTreeMap::from([
        (
            field::DAY.to_owned(),
            json!(day.format("%Y-%m-%d").to_string()),
        ),
        (field::PERIOD.to_owned(), json!(period)),
        (field::LINES.to_owned(), json!(lines)),
    ])
}

/// The sent-report kind: leads, supervisors and admins send; nobody edits one.
pub struct DailyReports;

impl RecordKind for DailyReports {
    fn may_change(
        &self,
        user: &UserInfo,
        _existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        may_write_as_lead(user, op, Denied::FiguresLeadsOnly)
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        check_write_once(op, &field::ALL, check_daily_report_field, |_, _| false)
    }
}

/// One field of a sent report, as the server checks it.
pub fn check_daily_report_field(name: &str, value: &Value) -> Result<(), InputError> {
    let valid = match name {
        field::DAY => value
            .as_str()
            .is_some_and(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok()),
        field::PERIOD => value
            .as_str()
            .is_some_and(|period| period.chars().count() <= 100),
        field::LINES => serde_json::from_value::<Vec<SentLine>>(value.clone())
            .is_ok_and(|lines| lines.len() <= MAX_LINES),
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(InputError::DailyReportInvalid)
    }
}

/// A team's report marked sent: for which day, when, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub team: String,
    pub day: NaiveDate,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// The sent reports among `records`.
pub fn sent_reports(records: &[Record]) -> Vec<Sent> {
    records
        .iter()
        .filter(|record| record.record_type == RecordType::DailyReport && record.is_live())
        .filter_map(|record| {
            let created = record.created.as_ref()?;
            let day = NaiveDate::parse_from_str(&record.text(field::DAY), "%Y-%m-%d").ok()?;
            Some(Sent {
                team: record.team.clone(),
                day,
                at: DateTime::from_timestamp_millis(created.stamp.wall_ms)?,
                by: created.by.clone(),
            })
        })
        .collect()
}

/// Where a team's report for a day stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportState {
    /// Sent, on time or after the deadline.
    Sent {
        at: DateTime<Utc>,
        by: String,
        on_time: bool,
    },
    /// Not sent, and the deadline has passed.
    Late,
    /// Not sent yet, and there is still time.
    Due,
}

/// One team's report for a day, as the supervisors' list says it (the API's answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamReportState {
    pub team: String,
    /// What people call the team.
    pub name: String,
    #[serde(flatten)]
    pub report: ReportState,
}

/// Every team's report for `day`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportStates {
    pub day: NaiveDate,
    pub teams: Vec<TeamReportState>,
}

/// The moment `day`'s report is due: 12:00 that day in the shop.
pub fn deadline(day: NaiveDate, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let noon = day.and_time(NaiveTime::from_hms_opt(DEADLINE_HOUR, 0, 0)?);
    offset
        .from_local_datetime(&noon)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

/// Each of `teams`' report for `day` at `now`, in the order of `teams`; the first one sent
/// counts.
pub fn report_states(
    teams: &[String],
    sent: &[Sent],
    day: NaiveDate,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Vec<(String, ReportState)> {
    let due = deadline(day, offset);
    teams
        .iter()
        .map(|team| {
            let first = sent
                .iter()
                .filter(|sent| sent.team == *team && sent.day == day)
                .min_by_key(|sent| sent.at);
            let state = match (first, due) {
                (Some(sent), due) => ReportState::Sent {
                    at: sent.at,
                    by: sent.by.clone(),
                    on_time: due.is_none_or(|due| sent.at <= due),
                },
                (None, Some(due)) if now > due => ReportState::Late,
                (None, _) => ReportState::Due,
            };
            (team.clone(), state)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn sent(team: &str, day: &str, when: &str) -> Sent {
        Sent {
            team: team.into(),
            day: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            at: at(when),
            by: format!("{team}-lead"),
        }
    }

    #[test]
    fn which_teams_reports_are_late_table() {
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let teams: Vec<String> = ["east", "west", "north", "south"]
            .map(String::from)
            .to_vec();
        let reports = [
            // 11:59:59 in Shanghai: on time.
            sent("east", "2026-12-02", "2026-12-02T03:59:59Z"),
            // 12:00:01: late, though sent.
            sent("west", "2026-12-02", "2026-12-02T04:00:01Z"),
            // Yesterday's report does not answer for today.
            sent("north", "2026-12-01", "2026-12-01T03:00:00Z"),
        ];
        let before_noon =
            report_states(&teams, &reports, day, at("2026-12-02T03:30:00Z"), shanghai);
        let after_noon = report_states(&teams, &reports, day, at("2026-12-02T04:30:00Z"), shanghai);
        let state = |states: &[(String, ReportState)], team: &str| {
            states
                .iter()
                .find(|(name, _)| name == team)
                .unwrap()
                .1
                .clone()
        };
        let on_time = |states: &[(String, ReportState)], team: &str| match state(states, team) {
            ReportState::Sent { on_time, .. } => Some(on_time),
            _ => None,
        };
        assert_eq!(on_time(&after_noon, "east"), Some(true));
        assert_eq!(on_time(&after_noon, "west"), Some(false));
        assert_eq!(state(&before_noon, "north"), ReportState::Due);
        assert_eq!(state(&after_noon, "north"), ReportState::Late);
        assert_eq!(state(&after_noon, "south"), ReportState::Late);
        assert_eq!(
            deadline(day, shanghai),
            Some(at("2026-12-02T04:00:00Z")),
            "12:00 in the shop"
        );
    }

    #[test]
    fn a_sent_report_is_a_leads_and_never_edited() {
        let user = |role| UserInfo {
            username: "someone".into(),
            display_name: String::new(),
            role,
            team: "east".into(),
        };
        let fields = daily_report_fields(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), "p", &[]);
        let create = Op::Create { fields };
        for role in [Role::Agent, Role::Qa, Role::Packer] {
            assert_eq!(
                DailyReports.may_change(&user(role), None, &create),
                Err(Denied::FiguresLeadsOnly),
                "{role:?}"
            );
        }
        for role in [Role::TeamLead, Role::Supervisor, Role::Admin] {
            assert_eq!(
                DailyReports.may_change(&user(role), None, &create),
                Ok(()),
                "{role:?}"
            );
        }
        assert_eq!(DailyReports.check_op(&create), Ok(()));
        let edit = Op::Set {
            field: field::DAY.into(),
            value: json!("2026-12-03"),
            supersedes: Vec::new(),
        };
        assert!(matches!(
            DailyReports.check_op(&edit),
            Err(InputError::FieldFixed { .. })
        ));
        let mut bad = daily_report_fields(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), "p", &[]);
        bad.insert(field::DAY.into(), json!("2026-13-02"));
        assert!(DailyReports.check_op(&Op::Create { fields: bad }).is_err());
    }
}
