//! The complaints over a chosen range (日盘点 and 月度投诉分析, seed 002; seed 000 §10.3), for team
//! leads and supervisors: how many, by category and by cause as registered, how many are still
//! open and overdue, a bar chart of the categories, and the same figures as a CSV file. Counted
//! by the shared report from the cases on the device, so it works offline.

use crate::cases::use_cases;
use crate::clock::use_clock;
use crate::components::bar_chart::{Bar, BarChart};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use chrono::{Datelike, Local, NaiveDate, TimeZone, Utc};
use kefu_core::kinds::case::complaint_report::{ComplaintReport, UNREGISTERED, complaint_report};
use kefu_core::lang::Bilingual;
use kefu_core::policy::Label;
use leptos::prelude::*;

const DAY_INPUT: &str = "%Y-%m-%d";

/// The start of `day` on this device's clock, in UTC.
fn local_midnight(day: NaiveDate) -> Option<chrono::DateTime<Utc>> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[component]
pub fn Complaints() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let clock = use_clock();
    let cases = use_cases();
    cases.watch();
    let today = Local::now().date_naive();
    let from = RwSignal::new(
        today
            .with_day(1)
            .unwrap_or(today)
            .format(DAY_INPUT)
            .to_string(),
    );
    let to = RwSignal::new(today.format(DAY_INPUT).to_string());
    let report = Memo::new(move |_| {
        let cases = cases.cases.get()?;
        let first = NaiveDate::parse_from_str(&from.get(), DAY_INPUT).ok()?;
        let last = NaiveDate::parse_from_str(&to.get(), DAY_INPUT).ok()?;
        let range = (local_midnight(first)?, local_midnight(last.succ_opt()?)?);
        let now = clock.now.get();
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            Some(complaint_report(
                &cases,
                range,
                (&desk.complaint_categories, &desk.complaint_causes),
                &desk.working_hours,
                now,
            ))
        })
    });
    // An id's name in the reader's language: a policy label, or the report's own words.
    let name = move |section: &str, id: &str| -> String {
        let found = policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            let labels: &[Label] = match section {
                "category" => &desk.complaint_categories,
                "cause" => &desk.complaint_causes,
                _ => &[],
            };
            labels.iter().find(|label| label.id == id).map(Label::name)
        });
        let words = found.unwrap_or_else(|| match id {
            UNREGISTERED => Bilingual::new("尚未登记", "Not registered yet"),
            "total" => Bilingual::new("投诉总数", "Complaints"),
            "open" => Bilingual::new("未结", "Open"),
            "overdue" => Bilingual::new("已逾期", "Overdue"),
            other => Bilingual::new(other, other),
        });
        localized(i18n, &words)
    };
    let csv_href = move || {
        let report = report.get()?;
        let csv = report.to_csv(name);
        // A byte-order mark, so a spreadsheet opens the Chinese names as UTF-8.
        let text = format!("\u{feff}{csv}");
        Some(format!(
            "data:text/csv;charset=utf-8,{}",
            String::from(js_sys::encode_uri_component(&text))
        ))
    };
    let table = move |section: &'static str, rows: Vec<(String, usize)>| {
        view! {
            <table class="report" data-testid=format!("complaints-by-{section}")>
                <tbody>
                    {rows.into_iter().map(|(id, count)| view! {
                        <tr data-id=id.clone()>
                            <th scope="row">{name(section, &id)}</th>
                            <td data-testid="count">{count}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }
    };

    view! {
        <section class="page complaints">
            <h1>{t!(i18n, complaints_title)}</h1>
            <div class="form-row">
                <label>
                    {t!(i18n, complaints_from)}
                    <input type="date" data-testid="complaints-from" prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
                </label>
                <label>
                    {t!(i18n, complaints_to)}
                    <input type="date" data-testid="complaints-to" prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
                </label>
                <a
                    class="button"
                    data-testid="complaints-csv"
                    download=move || format!("complaints-{}-{}.csv", from.get(), to.get())
                    href=move || csv_href().unwrap_or_default()
                >
                    {t!(i18n, complaints_csv)}
                </a>
            </div>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some(report) => {
                    let title = t_string!(i18n, complaints_by_category).to_string();
                    let chart = chart(&report, |id| name("category", id), title);
                    let any_overdue = report.overdue > 0;
                    view! {
                        <dl class="case-facts" data-testid="complaints-summary">
                            <dt>{name("summary", "total")}</dt><dd data-testid="complaints-total">{report.total}</dd>
                            <dt>{name("summary", "open")}</dt><dd data-testid="complaints-open">{report.open}</dd>
                            <dt>{name("summary", "overdue")}</dt><dd data-testid="complaints-overdue" class:not-eligible=any_overdue>{report.overdue}</dd>
                        </dl>
                        <h2>{t!(i18n, complaints_by_category)}</h2>
                        {chart}
                        {table("category", report.by_category.clone())}
                        <h2>{t!(i18n, complaints_by_cause)}</h2>
                        {table("cause", report.by_cause.clone())}
                    }
                    .into_any()
                }
            }}
            <p class="muted">{move || t_string!(i18n, complaints_note)}</p>
        </section>
    }
}

/// A bar per category: the picture of the table below it.
fn chart(report: &ComplaintReport, name: impl Fn(&str) -> String, title: String) -> impl IntoView {
    let bars = report
        .by_category
        .iter()
        .map(|(id, count)| Bar {
            name: name(id),
            value: *count as f64,
            text: count.to_string(),
        })
        .collect();
    view! { <BarChart bars=bars most=1.0 title=title testid="complaints-chart" /> }
}
