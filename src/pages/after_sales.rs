//! The weekly after-sales summary (售后周报, seed 000 §8.4; seed 003) for the supervisor:
//! return cases opened in a week by reason, compensation paid and waiting, missing items,
//! lost-parcel claims and the settled after-sales situations, week by week, and the same as a
//! CSV download. Read from the device's cases, so it works offline.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{Locale, lang_of, localized, t, use_i18n};
use crate::policy::use_policy;
use crate::records::use_records;
use crate::store::StoreError;
use chrono::{Days, Local, NaiveDate, Utc};
use kefu_core::after_sales::{summary_csv, week_of, weekly_summary};
use kefu_core::record::RecordType;
use leptos::prelude::*;

#[component]
pub fn AfterSales() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    // The week shown: this week in the shop's calendar (the cases count in it) until the
    // supervisor moves.
    let chosen = RwSignal::new(None::<NaiveDate>);
    let monday = move || {
        chosen.get().unwrap_or_else(|| {
            let today = policy.desk.with(|desk| {
                desk.as_ref().map(|desk| {
                    Utc::now()
                        .with_timezone(&desk.working_hours.utc_offset)
                        .date_naive()
                })
            });
            week_of(today.unwrap_or_else(|| Local::now().date_naive()))
        })
    };
    // Whole case records: the summary reads a return's facts and entries, which the shared
    // cases (the list's rows) leave out.
    let records = use_records(RecordType::Case, |records| records);
    let move_week = move |forward: bool| {
        let day = monday();
        let moved = if forward {
            day.checked_add_days(Days::new(7))
        } else {
            day.checked_sub_days(Days::new(7))
        };
        chosen.set(Some(moved.unwrap_or(day)));
    };
    view! {
        <section class="page after-sales">
            <h1>{t!(i18n, nav_after_sales)}</h1>
            <div class="toolbar">
                <button type="button" data-testid="week-earlier" on:click=move |_| move_week(false)>{t!(i18n, week_earlier)}</button>
                <strong data-testid="week-of">{move || monday().to_string()}</strong>
                <button type="button" data-testid="week-later" on:click=move |_| move_week(true)>{t!(i18n, week_later)}</button>
            </div>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let records = records.await?;
                        let week = monday();
                        let locale: Locale = i18n.get_locale();
                        let shown = policy.desk.with(|desk| {
                            desk.as_ref().map(|desk| {
                                let summary = weekly_summary(desk.return_policy(), desk.guide_policy(), &records, week);
                                let csv = summary_csv(desk.return_policy(), &summary, lang_of(locale));
                                let reasons: Vec<(String, usize)> = summary
                                    .by_reason
                                    .iter()
                                    .map(|(id, count)| {
                                        let name = desk
                                            .return_reasons
                                            .iter()
                                            .find(|reason| &reason.id == id)
                                            .map(|reason| localized(i18n, &reason.name()))
                                            .unwrap_or_else(|| id.clone());
                                        (name, *count)
                                    })
                                    .collect();
                                (summary, csv, reasons)
                            })
                        });
                        Ok::<_, StoreError>(shown.map(|(summary, csv, reasons)| {
                            let href = format!(
                                "data:text/csv;charset=utf-8,{}",
                                String::from(js_sys::encode_uri_component(&csv))
                            );
                            view! {
                                <dl class="case-facts" data-testid="after-sales-summary">
                                    <dt>{t!(i18n, summary_returns)}</dt><dd data-testid="summary-returns">{summary.returns}</dd>
                                    {reasons.into_iter().map(|(name, count)| view! {
                                        <dt>{name}</dt><dd data-testid="summary-reason">{count}</dd>
                                    }).collect_view()}
                                    <dt>{t!(i18n, summary_missing_items)}</dt><dd data-testid="summary-missing">{summary.missing_items}</dd>
                                    <dt>{t!(i18n, summary_lost_parcels)}</dt><dd data-testid="summary-lost">{summary.lost_parcel_claims}</dd>
                                    {summary.situations.iter().map(|(situation, count)| view! {
                                        <dt>{t!(i18n, summary_situation)} ": " {localized(i18n, &situation.name())}</dt>
                                        <dd data-testid="summary-situation" data-situation=situation.as_str()>{*count}</dd>
                                    }).collect_view()}
                                    <dt>{t!(i18n, summary_compensation_paid)}</dt><dd data-testid="summary-paid">{summary.compensation_paid.to_string()}</dd>
                                    <dt>{t!(i18n, summary_compensation_waiting)}</dt><dd data-testid="summary-waiting">{summary.compensations_waiting}</dd>
                                </dl>
                                <a class="button primary" data-testid="summary-csv" href=href download=format!("after-sales-{}.csv", summary.week_of)>
                                    {t!(i18n, summary_download)}
                                </a>
                            }
                        }))
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
