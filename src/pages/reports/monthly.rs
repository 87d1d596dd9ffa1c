//! The monthly KPIs (绩效考核月报, seed 001 §16): a row per agent of the team with the answer
//! rate, first response, satisfaction, return rate, QA score, incidents and overdue promises,
//! and the KPI score by the policy's weights; a chart of the scores above the table, and the
//! table as CSV. A figure without data says so ("no call data" before a call log is imported).

use super::{CsvLink, TeamChoice, header_cells, own_team, use_report_records};
use crate::clock::use_clock;
use crate::components::bar_chart::{Bar, BarChart};
use crate::i18n::{lang_of, t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::Utc;
use kefu_core::figures::monthly::{AgentMonth, KPI_COLUMNS, monthly_kpis};
use kefu_core::figures::period::Period;
use kefu_core::figures::table::to_csv;
use kefu_core::record::Record;
use leptos::prelude::*;

/// Columns whose figures come from the phone system's call log.
const CALL_COLUMNS: [&str; 3] = ["answer_rate", "calls", "first_response"];

#[component]
pub fn MonthlyKpisPage() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let records = use_report_records();
    let team = own_team();
    let offset = Memo::new(move |_| {
        policy
            .desk
            .with(|desk| desk.as_ref().map(|desk| desk.working_hours.utc_offset))
    });
    let month = RwSignal::new(String::new());
    // This month in the shop's time zone, once the policy says which that is.
    Effect::new(move || {
        if let Some(offset) = offset.get()
            && month.get_untracked().is_empty()
        {
            month.set(
                Utc::now()
                    .with_timezone(&offset)
                    .format("%Y-%m")
                    .to_string(),
            );
        }
    });
    let report = Memo::new(move |_| {
        let offset = offset.get()?;
        let (year, number) = month
            .get()
            .split_once('-')
            .map(|(year, number)| (year.parse::<i32>().ok(), number.parse::<u32>().ok()))?;
        let period = Period::month(year?, number?, offset)?;
        let weights = policy
            .desk
            .with(|desk| desk.as_ref().map(|desk| desk.kpi_weights))?;
        let now = clock.now.get();
        let team = team.get();
        let rows = records.with(|found| {
            let records: &[Record] = found.as_ref()?.as_ref().ok()?;
            Some(monthly_kpis(records, &team, &period, now, &weights))
        })?;
        Some((period, rows))
    });
    let csv = move || {
        report.with(|report| {
            let (period, rows) = report.as_ref()?;
            let lang = lang_of(i18n.get_locale());
            Some(to_csv(&KPI_COLUMNS, rows, &period.label(), lang))
        })
    };
    view! {
        <h1>{t!(i18n, reports_monthly)}</h1>
        <div class="form-row">
            <TeamChoice team=team records=records />
            <label>
                {t!(i18n, reports_month)}
                <input type="month" data-testid="kpi-month" prop:value=month on:input=move |ev| month.set(event_target_value(&ev)) />
            </label>
            <CsvLink testid="kpi-csv" file=Signal::derive(move || format!("kpi-{}-{}.csv", team.get(), month.get())) csv=Signal::derive(csv) />
        </div>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some((period, rows)) => view! { <KpiTable period=period rows=rows /> }.into_any(),
            }}
        </Transition>
        <p class="muted">{t!(i18n, reports_kpi_note)}</p>
    }
}

#[component]
fn KpiTable(period: Period, rows: Vec<AgentMonth>) -> impl IntoView {
    let i18n = use_i18n();
    let bars: Vec<Bar> = rows
        .iter()
        .filter_map(|row| {
            let score = row.score?;
            Some(Bar {
                name: row.agent.clone(),
                value: score.score,
                text: format!("{:.1}", score.score),
            })
        })
        .collect();
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = KPI_COLUMNS
                .iter()
                .skip(1)
                .map(|column| {
                    let no_data = move || {
                        if CALL_COLUMNS.contains(&column.id) {
                            t_string!(i18n, reports_no_call_data)
                        } else {
                            t_string!(i18n, reports_no_data)
                        }
                    };
                    match (column.cell)(&row) {
                        Some(text) => view! { <td data-column=column.id>{text}</td> }.into_any(),
                        None => view! { <td data-column=column.id class="muted" data-no-data="true">{no_data}</td> }.into_any(),
                    }
                })
                .collect_view();
            view! {
                <tr data-agent=row.agent.clone()>
                    <th scope="row" data-column="agent">{row.agent.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-testid="kpi-period">{t!(i18n, reports_covers)} " " {period.label()}</p>
        <Show when=move || empty>
            <p class="muted" data-testid="kpi-empty">{t!(i18n, reports_nothing_yet)}</p>
        </Show>
        <BarChart bars=bars most=100.0 title=t_string!(i18n, reports_kpi_chart).to_string() testid="kpi-chart" />
        <div class="table-scroll">
            <table class="report" data-testid="kpi-table">
                <thead>
                    <tr>{header_cells(&KPI_COLUMNS)}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
