//! Importing the phone system's call log (接起率 needs calls offered and answered, which only
//! the phone system knows): the lead picks the CSV it exported, sees what was read (calls per
//! agent) and each row that was not, by its line and why, then imports the rest as a call-log
//! record of the team, through the outbox like any write. Below, the imports the device holds.

use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::records::{create_checked, use_records};
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use kefu_core::kinds::call_log::{
    Call, CsvImport, call_log_fields, calls_in, check_call_log_field, field, parse_csv,
};
use kefu_core::lang::Bilingual;
use kefu_core::record::{Record, RecordType};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// What the chosen file held: its name and what was read of it, or why nothing was.
#[derive(Clone)]
struct Chosen {
    source: String,
    read: Result<CsvImport, Bilingual>,
}

/// Calls offered and answered per agent, as the preview lists them.
fn per_agent(calls: &[Call]) -> Vec<(String, usize, usize)> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for call in calls {
        let (offered, answered) = counts.entry(&call.agent).or_default();
        *offered += 1;
        *answered += usize::from(call.answered);
    }
    counts
        .into_iter()
        .map(|(agent, (offered, answered))| (agent.to_owned(), offered, answered))
        .collect()
}

/// An import as the list shows it: its file's name, its calls, who imported it.
fn imported(records: Vec<Record>) -> Vec<(String, usize, String)> {
    records
        .iter()
        .filter(|record| record.is_live())
        .map(|record| {
            let by = record
                .created
                .as_ref()
                .map(|origin| origin.by.clone())
                .unwrap_or_default();
            (
                record.text(field::SOURCE),
                calls_in(std::slice::from_ref(record)).len(),
                by,
            )
        })
        .collect()
}

#[component]
pub fn CallImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let (store, session, sync) = (use_store(), use_session(), use_sync());
    let chosen = RwSignal::new(None::<Chosen>);
    let outcome = RwSignal::new(None::<Result<usize, String>>);
    let logs = use_records(RecordType::CallLog, imported);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files().and_then(|files| files.item(0)))
        else {
            return;
        };
        let Some(offset) = policy
            .desk
            .with_untracked(|desk| desk.as_ref().map(|desk| desk.working_hours.utc_offset))
        else {
            return;
        };
        outcome.set(None);
        spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            chosen.set(Some(Chosen {
                source: file.name(),
                read: parse_csv(&text, offset),
            }));
        });
    };
    let import = move |_| {
        let Some(user) = session.user_now() else {
            return;
        };
        let Some(Chosen {
            source,
            read: Ok(read),
        }) = chosen.get_untracked()
        else {
            return;
        };
        let fields = call_log_fields(&source, &read.calls);
        let context = (store.store(), sync);
        spawn_local(async move {
            let created = create_checked(
                context,
                &user,
                RecordType::CallLog,
                fields,
                check_call_log_field,
            )
            .await;
            match created {
                Ok(_) => {
                    chosen.set(None);
                    outcome.set(Some(Ok(read.calls.len())));
                }
                Err(message) => outcome.set(Some(Err(localized(i18n, &message)))),
            }
        });
    };
    view! {
        <h1>{t!(i18n, reports_calls)}</h1>
        <p class="muted">{t!(i18n, calls_format)}</p>
        <label class="policy-import">
            {t!(i18n, calls_pick_file)}
            <input type="file" accept=".csv,text/csv" data-testid="call-log-file" on:change=on_change />
        </label>
        {move || chosen.get().map(|Chosen { read, .. }| match read {
            Err(problem) => view! { <p class="error" role="alert" data-testid="call-log-unreadable">{localized(i18n, &problem)}</p> }.into_any(),
            Ok(read) => view! { <Preview read=read /> }.into_any(),
        })}
        <Show when=move || chosen.with(|chosen| matches!(chosen, Some(Chosen { read: Ok(read), .. }) if !read.calls.is_empty()))>
            <button type="button" class="primary" data-testid="call-log-import" on:click=import>
                {t!(i18n, calls_import)}
            </button>
        </Show>
        {move || outcome.get().map(|outcome| match outcome {
            Ok(count) => view! { <p class="saved" role="status" data-testid="call-log-imported">{t!(i18n, calls_imported, count = count)}</p> }.into_any(),
            Err(message) => view! { <p class="error" role="alert" data-testid="call-log-refused">{message}</p> }.into_any(),
        })}
        <h2>{t!(i18n, calls_imported_logs)}</h2>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            <ul data-testid="call-logs">
                {move || logs.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|(source, count, by)| view! {
                    <li>{t!(i18n, calls_log_line, source = source.clone(), count = count, by = by.clone())}</li>
                }).collect_view()}
            </ul>
        </Transition>
    }
}

/// What an import would take: calls per agent, and each row left out with why.
#[component]
fn Preview(read: CsvImport) -> impl IntoView {
    let i18n = use_i18n();
    let count = read.calls.len();
    let bad = read.bad_rows.len();
    let agents = per_agent(&read.calls);
    view! {
        <p role="status" data-testid="call-log-read">{t!(i18n, calls_read, count = count)}</p>
        <Show when=move || { bad > 0 }>
            <p class="error">{t!(i18n, calls_bad_rows, count = bad)}</p>
        </Show>
        <ul class="errors" data-testid="call-log-bad-rows">
            {read.bad_rows.into_iter().map(|(line, problem)| view! {
                <li data-line=line>{t!(i18n, calls_line, line = line)} ": " {localized(i18n, &problem)}</li>
            }).collect_view()}
        </ul>
        <table class="report" data-testid="call-log-agents">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, calls_agent)}</th>
                    <th scope="col">{t!(i18n, calls_offered)}</th>
                    <th scope="col">{t!(i18n, calls_answered)}</th>
                </tr>
            </thead>
            <tbody>
                {agents.into_iter().map(|(agent, offered, answered)| view! {
                    <tr data-agent=agent.clone()>
                        <th scope="row">{agent.clone()}</th>
                        <td>{offered}</td>
                        <td>{answered}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
