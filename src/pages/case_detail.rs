//! One case: its facts, any field other devices changed at the same time (to choose from), an
//! edit form and its timeline with "add note". Every write only goes to the device database,
//! so all of it works offline.

mod add_note;
mod after_sales_guide;
mod callbacks;
mod compensation;
mod conflicts;
mod courier_advice;
mod edit;
mod escalation;
mod inquiry_facts;
mod lesson_draft;
mod order_follow_up;
mod order_merge;
mod pin;
mod qa_review;
mod return_progress;
mod return_review;
mod sales_stages;
mod script_run;
mod timeline_entry;

use crate::components::error_fallback::error_fallback;
use crate::i18n::{kind_label, localized, status_label, t, t_string, use_i18n};
use crate::policy::use_policy;
use crate::routes::{AppRoute, use_route};
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use add_note::AddNote;
use after_sales_guide::AfterSalesGuide;
use callbacks::CallbackPanel;
use chrono::{DateTime, Local, Utc};
use compensation::CompensationPanel;
use conflicts::Conflicts;
use courier_advice::CourierAdvice;
use edit::EditCase;
use escalation::EscalationPanel;
use inquiry_facts::InquiryFacts;
use kefu_core::kinds::case::incident::incidents;
use kefu_core::kinds::case::pin::{PinPlan, Unpin, event as pin_event};
use kefu_core::kinds::case::script_steps::steps_done;
use kefu_core::kinds::case::{Case, notes};
use kefu_core::record::Record;
use kefu_core::rules::script::StepRecord;
use leptos::prelude::*;
use order_follow_up::OrderFollowUp;
use order_merge::OrderMerge;
use pin::PinPanel;
use qa_review::QaPanel;
use return_review::ReturnReview;
use sales_stages::SalesStages;
use script_run::ScriptRun;

/// A time as the user's clock shows it.
fn local_time(at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&Local).format(format).to_string()
}

#[component]
pub fn CaseDetail() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let route = use_route();
    let case_id = move || match route.get() {
        AppRoute::CaseDetail(id) => Some(id),
        _ => None,
    };
    let loaded = LocalResource::new(move || {
        sync.data_version.track();
        let id = case_id();
        let store = store.store();
        async move {
            let Some(id) = id else {
                return Ok::<_, StoreError>(None);
            };
            // Only a live case: another record type, or a deleted case, is "not found".
            let record = store.record(id).await?;
            Ok(record.filter(|record| Case::from_record(record).is_some()))
        }
    });
    // The last loaded record; kept while a reload runs, so the parts outside the reloading
    // views below do not blink.
    let record = Signal::derive(move || loaded.get().and_then(Result::ok).flatten());
    let case_found = move || record.with(Option::is_some);

    view! {
        <section class="page case-detail">
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let view = match loaded.await? {
                            Some(record) => view! { <CaseFacts record=record /> }.into_any(),
                            None => view! { <p class="empty">{t!(i18n, case_not_found)}</p> }.into_any(),
                        };
                        Ok::<_, StoreError>(view)
                    })}
                </ErrorBoundary>
            </Transition>
            // The edit form and the note box sit outside the reloading views, so a colleague's
            // change arriving mid-typing does not rebuild them under the agent's fingers.
            <Show when=case_found>
                <PinPanel record=record />
                <QaPanel record=record />
                <ScriptRun record=record />
                <EscalationPanel record=record />
                <CallbackPanel record=record />
                <ReturnReview record=record />
                <AfterSalesGuide record=record />
                <CompensationPanel record=record />
                <SalesStages record=record />
                <OrderFollowUp record=record />
                <OrderMerge record=record />
                <CourierAdvice />
                <EditCase record=record />
            </Show>
            <Transition fallback=|| ()>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let view = loaded.await?.map(|record| view! { <Timeline record=record /> });
                        Ok::<_, StoreError>(view)
                    })}
                </ErrorBoundary>
            </Transition>
            <Show when=case_found>
                {move || case_id().map(|id| view! { <AddNote case_id=id record=record /> })}
            </Show>
        </section>
    }
}

#[component]
fn CaseFacts(record: Record) -> impl IntoView {
    let i18n = use_i18n();
    let Some(case) = Case::from_record(&record) else {
        return ().into_any();
    };
    let kind = case.kind;
    let status = case.status;
    let created = local_time(case.created_at, "%Y-%m-%d %H:%M");
    view! {
        <header class="case-head">
            <span class=format!("tag kind-{}", kind.as_str())>{move || kind_label(i18n, kind)}</span>
            <h1 data-testid="case-title">{case.title.clone()}</h1>
            <span class=format!("tag status-{}", status.as_str()) data-testid="case-status">
                {move || status_label(i18n, status)}
            </span>
        </header>
        <dl class="case-facts">
            <dt>{t!(i18n, customer_name)}</dt><dd data-testid="case-customer-name">{case.customer_name.clone()}</dd>
            <dt>{t!(i18n, customer_phone)}</dt><dd data-testid="case-customer-phone">{case.customer_phone.clone()}</dd>
            <dt>{t!(i18n, field_order_number)}</dt><dd data-testid="case-order-number">{case.order_number.clone().unwrap_or_default()}</dd>
            <dt>{t!(i18n, owner)}</dt><dd>{case.owner.clone()}</dd>
            <dt>{t!(i18n, created_at)}</dt><dd>{created}</dd>
        </dl>
        <InquiryFacts record=record.clone() case=case.clone() />
        <Conflicts record=record />
    }
    .into_any()
}

#[component]
fn Timeline(record: Record) -> impl IntoView {
    let i18n = use_i18n();
    // Notes and banned-phrase incidents in the order they happened; an incident this device
    // recorded shows before it is synced, as the server will keep it.
    let mut entries: Vec<(DateTime<Utc>, AnyView)> = notes(&record)
        .into_iter()
        .map(|note| {
            let at = local_time(note.created_at, "%m-%d %H:%M");
            let view = view! {
                <li data-testid="note">
                    <div class="note-meta"><span>{note.author}</span><span>{at}</span></div>
                    <p class="note-body">{note.body}</p>
                </li>
            };
            (note.created_at, view.into_any())
        })
        .collect();
    entries.extend(incidents(&record).into_iter().map(|incident| {
        let at = local_time(incident.at, "%m-%d %H:%M");
        let view = view! {
            <li class="incident" data-testid="timeline-incident">
                <div class="note-meta">
                    <span class="tag not-eligible">{t!(i18n, incident_on_timeline)}</span>
                    <span>{incident.by}</span>
                    <span>{at}</span>
                </div>
                <p class="note-body"><strong>{incident.phrases.join("、")}</strong> " · " {incident.text}</p>
            </li>
        };
        (incident.at, view.into_any())
    }));
    // The script's steps, escalations with the supervisor's decisions, and callbacks made:
    // who did what and when, beside the notes.
    let policy = use_policy();
    let kind = record.text(kefu_core::kinds::case::field::KIND);
    // Tracked: the policy is decoded after the first screen, and a page opened before that
    // names each step by its id until it is in.
    let step_name = move |kind: &str, recorded: &StepRecord| {
        policy.desk.with(|desk| {
            desk.as_ref()
                .and_then(|desk| desk.script_policy().version(kind, recorded.version))
                .and_then(|script| script.steps.iter().find(|step| step.id == recorded.step))
                .map(|step| localized(i18n, &step.name()))
                .unwrap_or_else(|| recorded.step.clone())
        })
    };
    let mut happened: Vec<(DateTime<Utc>, Signal<String>, String, String)> = steps_done(&record)
        .into_iter()
        .map(|(recorded, origin)| {
            let kind = kind.clone();
            let what = Signal::derive(move || {
                format!(
                    "{} · {}",
                    t_string!(i18n, script_title),
                    step_name(&kind, &recorded)
                )
            });
            (origin.at, what, String::new(), origin.by.clone())
        })
        .collect();
    if let Some(case) = Case::from_record(&record) {
        for escalated in &case.escalations {
            let what = t_string!(i18n, escalation_title).to_owned();
            happened.push((
                escalated.acted_at,
                Signal::stored(what),
                escalated.escalation.note.clone(),
                escalated.by.clone(),
            ));
            if let Some(answer) = &escalated.decision {
                let what = t_string!(i18n, escalation_decided).to_owned();
                happened.push((
                    answer.at,
                    Signal::stored(what),
                    answer.decision.clone(),
                    answer.by.clone(),
                ));
            }
        }
        let unpinned = record.entries_of::<Unpin>(pin_event::UNPINNED);
        for (_, plan, origin) in record.entries_of::<PinPlan>(pin_event::PINNED) {
            let what = t_string!(i18n, event_pinned).to_owned();
            let due = local_time(plan.resolve_by, "%m-%d %H:%M");
            let text = format!("{due} · {}", plan.method);
            happened.push((origin.at, Signal::stored(what), text, origin.by.clone()));
        }
        for (_, unpin, origin) in unpinned {
            let what = t_string!(i18n, event_unpinned).to_owned();
            happened.push((
                origin.at,
                Signal::stored(what),
                unpin.how,
                origin.by.clone(),
            ));
        }
        for callback in &case.callbacks {
            if let (Some(answer), Some(satisfaction)) = (&callback.made, callback.satisfaction()) {
                let what = format!(
                    "{} · {}",
                    t_string!(i18n, callback_title),
                    localized(i18n, &satisfaction.name())
                );
                happened.push((
                    answer.at,
                    Signal::stored(what),
                    answer.comment.clone(),
                    answer.by.clone(),
                ));
            }
        }
    }
    entries.extend(happened.into_iter().map(|(at, what, text, by)| {
        let shown = local_time(at, "%m-%d %H:%M");
        let view = view! {
            <li class="step" data-testid="timeline-step">
                <div class="note-meta"><strong>{what}</strong><span>{by}</span><span>{shown}</span></div>
                <p class="note-body">{text}</p>
            </li>
        };
        (at, view.into_any())
    }));
    entries.sort_by_key(|(at, _)| *at);
    view! {
        <h2>{t!(i18n, timeline)}</h2>
        <ol class="timeline" data-testid="timeline">
            {if entries.is_empty() {
                view! { <li class="empty">{t!(i18n, no_notes)}</li> }.into_any()
            } else {
                entries.into_iter().map(|(_, view)| view).collect_view().into_any()
            }}
        </ol>
    }
}
