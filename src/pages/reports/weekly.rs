//! The weekly analysis of bad reviews (每周差评分析, seed 001 §16.4): the week's callbacks the
//! customer answered dissatisfied, counted by cause (chart and table), then each with its case,
//! agent, comment and the callback arranged after it, red where none is yet; the list as CSV.

use super::{CsvLink, TeamChoice, header_cells, own_team, use_report_records};
use crate::components::bar_chart::{Bar, BarChart};
use crate::i18n::{lang_of, localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::{Datelike, NaiveDate, Utc, Weekday};
use kefu_core::figures::period::Period;
use kefu_core::figures::table::to_csv;
use kefu_core::figures::weekly::{BAD_ANSWER_COLUMNS, BadAnswer, bad_answers, by_cause};
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::complaint_report::UNREGISTERED;
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use leptos::prelude::*;

/// An `<input type="week">` value, `2026-W49`, as its Monday.
fn typed_week(text: &str) -> Option<NaiveDate> {
    let (year, week) = text.split_once("-W")?;
    NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)
}

#[component]
pub fn WeeklyAnalysisPage() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let records = use_report_records();
    let team = own_team();
    let offset = Memo::new(move |_| {
        policy
            .desk
            .with(|desk| desk.as_ref().map(|desk| desk.working_hours.utc_offset))
    });
    let week = RwSignal::new(String::new());
    // This week in the shop's time zone, once the policy says which that is.
    Effect::new(move || {
        if let Some(offset) = offset.get()
            && week.get_untracked().is_empty()
        {
            let today = Utc::now().with_timezone(&offset).date_naive().iso_week();
            week.set(format!("{}-W{:02}", today.year(), today.week()));
        }
    });
    // A cause's name in the reader's language: the policy's, or the report's own words.
    let cause_name = move |id: &str| -> String {
        let listed = policy.desk.with(|desk| {
            desk.as_ref()?
                .complaint_causes
                .iter()
                .find(|label| label.id == id)
                .map(|label| label.name())
        });
        let name = listed.unwrap_or_else(|| match id {
            UNREGISTERED => Bilingual::new("未登记原因", "Cause not registered"),
            other => Bilingual::new(other, other),
        });
        localized(i18n, &name)
    };
    let report = Memo::new(move |_| {
        let offset = offset.get()?;
        let monday = typed_week(&week.get())?;
        let period = Period::days_from(monday, 7, offset)?;
        let causes: Vec<String> = policy.desk.with(|desk| {
            desk.as_ref().map(|desk| {
                desk.complaint_causes
                    .iter()
                    .map(|label| label.id.clone())
                    .collect()
            })
        })?;
        let team = team.get();
        let answers = records.with(|found| {
            let records: &[Record] = found.as_ref()?.as_ref().ok()?;
            let cases: Vec<Case> = records.iter().filter_map(Case::from_record).collect();
            Some(bad_answers(&cases, &team, &period, cause_name))
        })?;
        let causes: Vec<&str> = causes.iter().map(String::as_str).collect();
        let counted = by_cause(&answers, &causes);
        Some((period, counted, answers))
    });
    let csv = move || {
        report.with(|report| {
            let (period, _, answers) = report.as_ref()?;
            let lang = lang_of(i18n.get_locale());
            Some(to_csv(&BAD_ANSWER_COLUMNS, answers, &period.label(), lang))
        })
    };
    view! {
        <h1>{t!(i18n, reports_weekly)}</h1>
        <div class="form-row">
            <TeamChoice team=team records=records />
            <label>
                {t!(i18n, reports_week)}
                <input type="week" data-testid="weekly-week" prop:value=week on:input=move |ev| week.set(event_target_value(&ev)) />
            </label>
            <CsvLink testid="weekly-csv" file=Signal::derive(move || format!("bad-reviews-{}-{}.csv", team.get(), week.get())) csv=Signal::derive(csv) />
        </div>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some((period, counted, answers)) => {
                    let counted = counted
                        .into_iter()
                        .map(|(id, count)| (cause_name(&id), id, count))
                        .collect();
                    view! { <WeeklyTables period=period counted=counted answers=answers /> }.into_any()
                }
            }}
        </Transition>
        <p class="muted">{t!(i18n, reports_weekly_note)}</p>
    }
}

#[component]
fn WeeklyTables(
    period: Period,
    /// Each cause's name, id and count.
    counted: Vec<(String, String, usize)>,
    answers: Vec<BadAnswer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let bars: Vec<Bar> = counted
        .iter()
        .map(|(name, _, count)| Bar {
            name: name.clone(),
            value: *count as f64,
            text: count.to_string(),
        })
        .collect();
    let empty = answers.is_empty();
    let causes = counted
        .into_iter()
        .map(|(name, id, count)| {
            view! {
                <tr data-cause=id>
                    <th scope="row">{name}</th>
                    <td data-testid="count">{count}</td>
                </tr>
            }
        })
        .collect_view();
    let rows = answers
        .into_iter()
        .map(|answer| {
            let arranged = answer.follow_up.is_some();
            let cells = BAD_ANSWER_COLUMNS
                .iter()
                .map(|column| match (column.cell)(&answer) {
                    Some(text) => view! { <td data-column=column.id>{text}</td> }.into_any(),
                    None => view! { <td data-column=column.id class="not-eligible" data-no-data="true">{move || t_string!(i18n, reports_no_callback)}</td> }.into_any(),
                })
                .collect_view();
            view! { <tr data-testid="bad-answer" data-case=answer.case.to_string() data-arranged=arranged.to_string()>{cells}</tr> }
        })
        .collect_view();
    view! {
        <p data-testid="weekly-period">{t!(i18n, reports_covers)} " " {period.label()}</p>
        <Show when=move || empty>
            <p class="muted" data-testid="weekly-empty">{t!(i18n, reports_weekly_none)}</p>
        </Show>
        <h2>{t!(i18n, reports_by_cause)}</h2>
        <BarChart bars=bars most=1.0 title=t_string!(i18n, reports_by_cause).to_string() testid="weekly-chart" />
        <table class="report" data-testid="weekly-causes">
            <tbody>{causes}</tbody>
        </table>
        <h2>{t!(i18n, reports_bad_answers)}</h2>
        <div class="table-scroll">
            <table class="report" data-testid="weekly-answers">
                <thead>
                    <tr>{header_cells(&BAD_ANSWER_COLUMNS)}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
