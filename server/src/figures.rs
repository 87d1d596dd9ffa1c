//! A team's figures over HTTP (运营日报, 绩效考核月报): the monthly KPIs and the daily report, as
//! JSON for any tool that asks and as CSV files, computed by the core's `figures` from the
//! team's records, exactly as a lead's device computes them offline. Only the team's lead, a
//! supervisor of it or an admin may read them (`figures::readers`). And for supervisors, which
//! teams have marked the day's report sent by 12:00, and which are late.

use crate::AppState;
use crate::db::{Caller, Database};
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kefu_core::access::Visibility;
use kefu_core::figures::daily::{DAILY_COLUMNS, daily_report, line_name};
use kefu_core::figures::monthly::{KPI_COLUMNS, monthly_kpis};
use kefu_core::figures::period::Period;
use kefu_core::figures::readers::{may_read_figures, may_read_report_states};
use kefu_core::figures::table::{Column, to_csv};
use kefu_core::kinds::daily_report::{ReportStates, TeamReportState, report_states, sent_reports};
use kefu_core::lang::Lang;
use kefu_core::record::{Record, RecordType};
use serde::{Deserialize, Serialize};

/// `?team=east&month=2026-12&lang=en`: a month in the shop's time zone.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    team: String,
    month: String,
    #[serde(default)]
    lang: Lang,
}

/// `?team=east&end=2026-12-02T04:00:00Z&lang=en`: the 24 hours before `end` (now if absent).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    team: String,
    end: Option<DateTime<Utc>>,
    #[serde(default)]
    lang: Lang,
}

/// A report's table as JSON: what it covers, its columns, and its cells (`null`: no data).
#[derive(Serialize, utoipa::ToSchema)]
pub struct FigureTable {
    pub period: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Option<String>>>,
}

fn table<T>(columns: &[Column<T>], rows: &[T], period: &Period) -> FigureTable {
    FigureTable {
        period: period.label(),
        columns: columns.iter().map(|column| column.id).collect(),
        rows: rows
            .iter()
            .map(|row| columns.iter().map(|column| (column.cell)(row)).collect())
            .collect(),
    }
}

fn csv_file(name: String, text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", attachment_name(&name)),
            ),
        ],
        text,
    )
        .into_response()
}

/// A file name a header can carry whatever the request named (a team id is the caller's text):
/// letters, digits, `-`, `_` and `.` stay, anything else becomes `_`. A control character in a
/// header value made the answer fail as a server error (found by Schemathesis).
fn attachment_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Every live record of `team`, read through the sync feed's query.
async fn team_records(db: &dyn Database, team: &str) -> Result<Vec<Record>, ApiError> {
    let visibility = Visibility::Teams(vec![team.to_owned()]);
    let mut records = Vec::new();
    let mut since = 0;
    loop {
        let page = db.pull(&visibility, since, 5_000).await?;
        records.extend(page.records);
        since = page.last_seq;
        if !page.more {
            return Ok(records);
        }
    }
}

fn month_period(month: &str, policy: &kefu_core::policy::Policy) -> Result<Period, ApiError> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .and_then(|first| {
            use chrono::Datelike;
            Period::month(
                first.year(),
                first.month(),
                policy.data().working_hours.utc_offset,
            )
        })
        .ok_or_else(|| ApiError::BadRequest("month must read YYYY-MM".into()))
}

struct Monthly {
    period: Period,
    rows: Vec<kefu_core::figures::monthly::AgentMonth>,
}

async fn monthly_figures(
    state: &AppState,
    caller: &Caller,
    query: &MonthQuery,
) -> Result<Monthly, ApiError> {
    may_read_figures(&caller.info, &query.team)?;
    let policy = state.policy.current(state.db.as_ref()).await?;
    let period = month_period(&query.month, &policy)?;
    let records = team_records(state.db.as_ref(), &query.team).await?;
    let rows = monthly_kpis(
        &records,
        &query.team,
        &period,
        Utc::now(),
        &policy.data().kpi_weights,
    );
    Ok(Monthly { period, rows })
}

/// `GET /api/figures/monthly`: each agent's figures and KPI score for the month.
#[utoipa::path(get, path = "/api/figures/monthly", tag = "figures", params(MonthQuery), responses((status = 200, description = "A team's month", body = FigureTable)))]
pub async fn monthly(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> Result<Json<FigureTable>, ApiError> {
    let found = monthly_figures(&state, &caller, &query).await?;
    Ok(Json(table(&KPI_COLUMNS, &found.rows, &found.period)))
}

/// `GET /api/figures/monthly.csv`: the same, as the file a lead downloads.
#[utoipa::path(get, path = "/api/figures/monthly.csv", tag = "figures", params(MonthQuery), responses((status = 200, description = "A team's month", body = String, content_type = "text/csv")))]
pub async fn monthly_csv(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, ApiError> {
    let found = monthly_figures(&state, &caller, &query).await?;
    let text = to_csv(&KPI_COLUMNS, &found.rows, &found.period.label(), query.lang);
    Ok(csv_file(
        format!("kpi-{}-{}.csv", query.team, query.month),
        text,
    ))
}

async fn daily_lines(
    state: &AppState,
    caller: &Caller,
    query: &DayQuery,
) -> Result<(Period, Vec<kefu_core::figures::daily::ReportLine>), ApiError> {
    may_read_figures(&caller.info, &query.team)?;
    let policy = state.policy.current(state.db.as_ref()).await?;
    let data = policy.data();
    let end = query.end.unwrap_or_else(Utc::now);
    let period = Period::hours_before(end, 24, data.working_hours.utc_offset);
    let records = team_records(state.db.as_ref(), &query.team).await?;
    let categories = (
        data.inquiry_categories.as_slice(),
        data.complaint_categories.as_slice(),
    );
    let lines = daily_report(&records, &query.team, &period).lines(|section, id| {
        line_name(section, id, categories)
            .get(query.lang)
            .to_owned()
    });
    Ok((period, lines))
}

/// `GET /api/figures/daily`: the team's previous 24 hours, a line per figure.
#[utoipa::path(get, path = "/api/figures/daily", tag = "figures", params(DayQuery), responses((status = 200, description = "A team's day", body = FigureTable)))]
pub async fn daily(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<DayQuery>,
) -> Result<Json<FigureTable>, ApiError> {
    let (period, lines) = daily_lines(&state, &caller, &query).await?;
    Ok(Json(table(&DAILY_COLUMNS, &lines, &period)))
}

/// `GET /api/figures/daily.csv`: the same, as a file.
#[utoipa::path(get, path = "/api/figures/daily.csv", tag = "figures", params(DayQuery), responses((status = 200, description = "A team's day", body = String, content_type = "text/csv")))]
pub async fn daily_csv(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<DayQuery>,
) -> Result<Response, ApiError> {
    let (period, lines) = daily_lines(&state, &caller, &query).await?;
    let text = to_csv(&DAILY_COLUMNS, &lines, &period.label(), query.lang);
    let day = period.end.with_timezone(&period.offset).format("%Y-%m-%d");
    Ok(csv_file(format!("daily-{}-{day}.csv", query.team), text))
}

/// `?day=2026-12-02`: the shop's date (today if absent).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatesQuery {
    day: Option<NaiveDate>,
}

/// `GET /api/figures/daily-status`: which teams have sent the day's report, and which are late
/// (supervisors and admins).
#[utoipa::path(get, path = "/api/figures/daily-status", tag = "figures", params(StatesQuery), responses((status = 200, description = "Every team's daily report", body = ReportStates)))]
pub async fn daily_states(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<StatesQuery>,
) -> Result<Json<ReportStates>, ApiError> {
    may_read_report_states(&caller.info)?;
    let policy = state.policy.current(state.db.as_ref()).await?;
    let offset = policy.data().working_hours.utc_offset;
    let now = Utc::now();
    let day = query
        .day
        .unwrap_or_else(|| now.with_timezone(&offset).date_naive());
    let teams = state.db.teams().await?;
    let sent = sent_reports(&state.db.records_of_type(RecordType::DailyReport).await?);
    let ids: Vec<String> = teams.iter().map(|team| team.id.clone()).collect();
    let states = report_states(&ids, &sent, day, now, offset);
    let teams = teams
        .into_iter()
        .zip(states)
        .map(|(team, (_, report))| TeamReportState {
            team: team.id,
            name: team.name,
            report,
        })
        .collect();
    Ok(Json(ReportStates { day, teams }))
}
