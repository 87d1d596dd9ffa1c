//! The team's reports, for its lead, a supervisor and admins (SPEC §7; seed 001 §16): the
//! daily operations report, the monthly KPIs, the weekly analysis of bad reviews, and the phone
//! system's call log imported for the
//! answer rate, each on its own page (`reports/*.rs`) with tabs between them. The figures are
//! the shared crate's (`kefu_core::figures`), computed from the records on this device, so they
//! work offline and equal what the server's API and CSV say; each says the dates and the time
//! zone it covers, draws its chart above the table that says the same, and downloads as CSV.

mod call_import;
mod daily;
mod monthly;
mod weekly;

use crate::i18n::{t, t_string, use_i18n};
use crate::records::use_records_of;
use crate::routes::{AppRoute, ReportPart, use_route};
use crate::session::use_session;
use crate::store::StoreError;
use kefu_core::figures::table::Column;
use kefu_core::record::{Record, RecordType, SHARED_TEAM};
use leptos::prelude::*;

/// `/reports/:part`.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let route = use_route();
    move || {
        // Another page's address only for the moment before this page is replaced.
        let part = match route.get() {
            AppRoute::Reports(part) => part,
            _ => ReportPart::Daily,
        };
        view! {
            <section class="page reports">
                <ReportTabs current=part />
                {match part {
                    ReportPart::Daily => view! { <daily::DailyReportPage /> }.into_any(),
                    ReportPart::Monthly => view! { <monthly::MonthlyKpisPage /> }.into_any(),
                    ReportPart::Weekly => view! { <weekly::WeeklyAnalysisPage /> }.into_any(),
                    ReportPart::Calls => view! { <call_import::CallImportPage /> }.into_any(),
                }}
            </section>
        }
    }
}

#[component]
fn ReportTabs(current: ReportPart) -> impl IntoView {
    let i18n = use_i18n();
    let title = move |part: ReportPart| match part {
        ReportPart::Daily => t!(i18n, reports_daily).into_any(),
        ReportPart::Monthly => t!(i18n, reports_monthly).into_any(),
        ReportPart::Weekly => t!(i18n, reports_weekly).into_any(),
        ReportPart::Calls => t!(i18n, reports_calls).into_any(),
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav_reports)>
            {ReportPart::ALL
                .into_iter()
                .map(|part| {
                    let current_page = (part == current).then_some("page");
                    view! {
                        <a
                            href=AppRoute::Reports(part).href()
                            aria-current=current_page
                            data-testid=format!("report-tab-{}", part.slug())
                        >
                            {title(part)}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// The cases, call logs and sent reports on the device, read again whenever local data changes.
type ReportRecords = LocalResource<Result<Vec<Record>, StoreError>>;

fn use_report_records() -> ReportRecords {
    use_records_of(
        &[
            RecordType::Case,
            RecordType::CallLog,
            RecordType::DailyReport,
        ],
        |records| records,
    )
}

/// The team a report is about: the user's own, or for an admin (whose device holds every
/// team's records) one chosen among the teams the records name.
#[component]
fn TeamChoice(team: RwSignal<String>, records: ReportRecords) -> impl IntoView {
    let i18n = use_i18n();
    let teams = Memo::new(move |_| {
        let mut teams: Vec<String> = records.with(|found| {
            let Some(Ok(records)) = found else {
                return Vec::new();
            };
            records
                .iter()
                .map(|record| record.team.clone())
                .filter(|name| name != SHARED_TEAM)
                .collect()
        });
        teams.push(team.get());
        teams.sort();
        teams.dedup();
        teams
    });
    view! {
        <label>
            {t!(i18n, reports_team)}
            <select data-testid="report-team" on:change=move |ev| team.set(event_target_value(&ev))>
                {move || {
                    let chosen = team.get();
                    teams
                        .get()
                        .into_iter()
                        .map(|name| {
                            let selected = name == chosen;
                            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The signed-in user's team, which a report is about until they choose another.
fn own_team() -> RwSignal<String> {
    let session = use_session();
    RwSignal::new(session.user().map(|user| user.team).unwrap_or_default())
}

/// The report's CSV download: `csv` is the shared table's file (byte-order mark included), `file`
/// the name it is saved under.
#[component]
fn CsvLink(
    testid: &'static str,
    #[prop(into)] file: Signal<String>,
    #[prop(into)] csv: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a
            class="button"
            data-testid=testid
            download=file
            href=move || csv.get().map(|csv| csv_href(&csv)).unwrap_or_default()
        >
            {t!(i18n, reports_csv)}
        </a>
    }
}

/// A download link's address for `csv`.
fn csv_href(csv: &str) -> String {
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(csv))
    )
}

/// The table's header cells, in the reader's language.
fn header_cells<T>(columns: &'static [Column<T>]) -> impl IntoView {
    let i18n = use_i18n();
    columns
        .iter()
        .map(|column| {
            let name = column.name();
            view! { <th scope="col" data-column=column.id>{move || crate::i18n::localized(i18n, &name)}</th> }
        })
        .collect_view()
}
