//! The daily operations report (运营日报, seed 001 §16): the team's 24 hours before a chosen
//! time (now when the page opens): cases opened by kind and category, resolved, escalated,
//! overdue promises and pins as they stand, banned-phrase incidents, satisfaction and the
//! phone's first response. A chart of the cases opened by kind above the table of every line,
//! and the lines as CSV. The lead marks the report sent (by 12:00, `kinds::daily_report`),
//! offline too; a supervisor sees which teams' reports are late (online: every team's).

use super::{CsvLink, TeamChoice, header_cells, own_team, use_report_records};
use crate::api;
use crate::components::bar_chart::{Bar, BarChart};
use crate::i18n::{api_error_text, lang_of, localized, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::records::create_checked;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use kefu_core::account::roles;
use kefu_core::figures::daily::{DAILY_COLUMNS, ReportLine, daily_report, line_name};
use kefu_core::figures::period::Period;
use kefu_core::figures::table::to_csv;
use kefu_core::kinds::daily_report::{
    ReportState, SentLine, TeamReportState, check_daily_report_field, daily_report_fields,
    report_states, sent_reports,
};
use kefu_core::record::Record;
use kefu_core::record::RecordType;
use leptos::prelude::*;
use leptos::task::spawn_local;

const MINUTE_INPUT: &str = "%Y-%m-%dT%H:%M";

/// The report's end as typed in a `datetime-local` field, on this device's clock.
fn typed_end(text: &str) -> Option<DateTime<Utc>> {
    let local = NaiveDateTime::parse_from_str(text, MINUTE_INPUT).ok()?;
    Local
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[component]
pub fn DailyReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let records = use_report_records();
    let team = own_team();
    // Now, to the second, until another time is typed: a case opened this minute counts.
    let end = RwSignal::new(Utc::now());
    let end_text = move || {
        end.get()
            .with_timezone(&Local)
            .format(MINUTE_INPUT)
            .to_string()
    };
    let report = Memo::new(move |_| {
        let end = end.get();
        let lang = lang_of(i18n.get_locale());
        policy.desk.with(|desk| {
            let desk = desk.as_ref()?;
            let period = Period::hours_before(end, 24, desk.working_hours.utc_offset);
            let categories = (
                desk.inquiry_categories.as_slice(),
                desk.complaint_categories.as_slice(),
            );
            let team = team.get();
            records.with(|found| {
                let records: &[Record] = found.as_ref()?.as_ref().ok()?;
                let lines = daily_report(records, &team, &period)
                    .lines(|section, id| line_name(section, id, categories).get(lang).to_owned());
                Some((period, lines))
            })
        })
    });
    let csv = move || {
        report.with(|report| {
            let (period, lines) = report.as_ref()?;
            let lang = lang_of(i18n.get_locale());
            Some(to_csv(&DAILY_COLUMNS, lines, &period.label(), lang))
        })
    };
    // The shop's date the report answers to: that of its end.
    let day = Memo::new(move |_| {
        report.with(|report| {
            let (period, _) = report.as_ref()?;
            Some(period.end.with_timezone(&period.offset).date_naive())
        })
    });
    let sent = Memo::new(move |_| {
        let (team, day) = (team.get(), day.get()?);
        let offset = policy
            .desk
            .with(|desk| desk.as_ref().map(|desk| desk.working_hours.utc_offset))?;
        records.with(|found| {
            let records: &[Record] = found.as_ref()?.as_ref().ok()?;
            let states = report_states(&[team], &sent_reports(records), day, Utc::now(), offset);
            states.into_iter().next().map(|(_, state)| state)
        })
    });
    let role = use_session().user().map(|user| user.role);
    let leads = role.is_some_and(|role| roles::LEADS.contains(&role));
    let supervises = role.is_some_and(|role| roles::SUPERVISORS.contains(&role));
    view! {
        <h1>{t!(i18n, reports_daily)}</h1>
        <div class="form-row">
            <TeamChoice team=team records=records />
            <label>
                {t!(i18n, reports_day_end)}
                <input type="datetime-local" data-testid="daily-end" prop:value=end_text on:input=move |ev| {
                    if let Some(typed) = typed_end(&event_target_value(&ev)) {
                        end.set(typed);
                    }
                } />
            </label>
            <CsvLink testid="daily-csv" file=Signal::derive(move || format!("daily-{}-{}.csv", team.get(), end_text().replace(':', ""))) csv=Signal::derive(csv) />
        </div>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || match report.get() {
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
                Some((period, lines)) => view! { <DailyLines period=period lines=lines /> }.into_any(),
            }}
        </Transition>
        <Show when=move || leads>
            <SendReport report=report day=day sent=sent />
        </Show>
        <p class="muted">{t!(i18n, reports_daily_note)}</p>
        <Show when=move || supervises>
            <TeamsSent />
        </Show>
    }
}

/// A sent report's time and sender, said as on time or late.
fn sent_text(
    i18n: leptos_i18n::I18nContext<crate::i18n::Locale>,
    at: DateTime<Utc>,
    by: String,
    on_time: bool,
) -> AnyView {
    let time = at
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    if on_time {
        t!(
            i18n,
            reports_sent_on_time,
            at = time.clone(),
            by = by.clone()
        )
        .into_any()
    } else {
        t!(i18n, reports_sent_late, at = time.clone(), by = by.clone()).into_any()
    }
}

/// The lead's "sent" mark for the report on screen, and whether it was in time.
#[component]
fn SendReport(
    report: Memo<Option<(Period, Vec<ReportLine>)>>,
    day: Memo<Option<NaiveDate>>,
    sent: Memo<Option<ReportState>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (store, session, sync) = (use_store(), use_session(), use_sync());
    let error = RwSignal::new(None::<String>);
    let mark = move |_| {
        let (Some(user), Some(day), Some((period, lines))) = (
            session.user_now(),
            day.get_untracked(),
            report.get_untracked(),
        ) else {
            return;
        };
        let lines: Vec<SentLine> = lines.iter().map(SentLine::from).collect();
        let fields = daily_report_fields(day, &period.label(), &lines);
        let context = (store.store(), sync);
        spawn_local(async move {
            let created = create_checked(
                context,
                &user,
                RecordType::DailyReport,
                fields,
                check_daily_report_field,
            )
            .await;
            error.set(created.err().map(|message| localized(i18n, &message)));
        });
    };
    view! {
        <section class="send-report" data-testid="daily-send">
            {move || match sent.get() {
                Some(ReportState::Sent { at, by, on_time }) => view! {
                    <p class="saved" class:not-eligible=!on_time role="status" data-testid="daily-sent" data-on-time=on_time.to_string()>
                        {sent_text(i18n, at, by, on_time)}
                    </p>
                }
                .into_any(),
                state => {
                    let late = state == Some(ReportState::Late);
                    view! {
                        <p class:not-eligible=late data-testid="daily-unsent" data-late=late.to_string()>
                            {if late { t!(i18n, reports_late).into_any() } else { t!(i18n, reports_due).into_any() }}
                        </p>
                        <button type="button" class="primary" data-testid="daily-mark-sent" on:click=mark>
                            {t!(i18n, reports_mark_sent)}
                        </button>
                    }
                    .into_any()
                }
            }}
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </section>
    }
}

/// Every team's report for today, as the server knows it: a supervisor sees who is late.
#[component]
fn TeamsSent() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_session().token();
    let states = LocalResource::new(move || {
        let token = token.clone();
        async move { api::report_states(&token).await }
    });
    let row = move |team: TeamReportState| {
        let (key, late) = match &team.report {
            ReportState::Sent { on_time, .. } => ("sent", !on_time),
            ReportState::Late => ("late", true),
            ReportState::Due => ("due", false),
        };
        let said = match team.report {
            ReportState::Sent { at, by, on_time } => sent_text(i18n, at, by, on_time),
            ReportState::Late => t!(i18n, reports_late).into_any(),
            ReportState::Due => t!(i18n, reports_due).into_any(),
        };
        view! {
            <tr data-testid="daily-team" data-team=team.team.clone() data-state=key>
                <th scope="row">{team.name.clone()}</th>
                <td class:not-eligible=late>{said}</td>
            </tr>
        }
    };
    view! {
        <section data-testid="daily-teams">
            <h2>{t!(i18n, reports_teams_sent)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || states.get().map(|answer| match answer {
                    Err(error) => view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> }.into_any(),
                    Ok(states) => view! {
                        <table class="report">
                            <tbody>{states.teams.into_iter().map(row).collect_view()}</tbody>
                        </table>
                    }
                    .into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DailyLines(period: Period, lines: Vec<ReportLine>) -> impl IntoView {
    let i18n = use_i18n();
    let bars: Vec<Bar> = lines
        .iter()
        .filter(|line| line.section == "opened")
        .map(|line| {
            let value = line.value.clone().unwrap_or_default();
            Bar {
                name: line.name.clone(),
                value: value.parse().unwrap_or(0.0),
                text: value,
            }
        })
        .collect();
    let rows = lines
        .into_iter()
        .map(|line| {
            let value = match line.value {
                Some(value) => view! { <td data-testid="value">{value}</td> }.into_any(),
                None => view! { <td data-testid="value" class="muted" data-no-data="true">{move || t_string!(i18n, reports_no_data)}</td> }.into_any(),
            };
            view! {
                <tr data-section=line.section data-id=line.id>
                    <td>{line.section}</td>
                    <td>{line.id.clone()}</td>
                    <th scope="row">{line.name}</th>
                    {value}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-testid="daily-period">{t!(i18n, reports_covers)} " " {period.label()}</p>
        <BarChart bars=bars most=1.0 title=t_string!(i18n, reports_opened_chart).to_string() testid="daily-chart" />
        <div class="table-scroll">
            <table class="report" data-testid="daily-table">
                <thead>
                    <tr>{header_cells(&DAILY_COLUMNS)}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
