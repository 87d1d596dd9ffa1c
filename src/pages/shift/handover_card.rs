//! One handover: who wrote it for which shift, its note, the pins and replies owed it listed,
//! who has acknowledged it, and, while it waits for this user, the button to acknowledge it.

use crate::i18n::{localized, t, use_i18n};
use crate::policy::use_policy;
use crate::routes::AppRoute;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::{DateTime, Local, Utc};
use kefu_core::kinds::handover::event::ACKNOWLEDGED;
use kefu_core::kinds::handover::{HandedCase, Handover};
use kefu_core::lang::Bilingual;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::json;

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local).format("%m-%d %H:%M").to_string()
}

/// The cases a handover listed, each linked, with when it was due.
fn handed_list(cases: Vec<HandedCase>, testid: &'static str) -> impl IntoView {
    view! {
        <ul class="handed" data-testid=testid>
            {cases
                .into_iter()
                .map(|handed| view! {
                    <li>
                        <A href=AppRoute::CaseDetail(handed.case).href()>{handed.title}</A>
                        " · " {local(handed.due)}
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn HandoverCard(handover: Handover, waiting: bool) -> impl IntoView {
    let i18n = use_i18n();
    let policy = use_policy();
    let (store, session, sync) = (use_store(), use_session(), use_sync());
    let error = RwSignal::new(None::<String>);
    let shift_name = policy.desk.with_untracked(|desk| {
        desk.as_ref()
            .and_then(|desk| {
                desk.working_hours
                    .shifts
                    .iter()
                    .find(|shift| shift.id == handover.shift)
            })
            .map(|shift| localized(i18n, &Bilingual::new(shift.zh.clone(), shift.en.clone())))
            .unwrap_or_default()
    });
    let id = handover.id;
    let acknowledge = move |_| {
        let Some(user) = session.user_now() else {
            return;
        };
        let store = store.store();
        spawn_local(async move {
            match store
                .append_event(id, ACKNOWLEDGED, json!({}), &user, Utc::now())
                .await
            {
                Ok(_) => sync.after_local_write(),
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };
    let pins = handover.pins.len();
    let replies = handover.replies_owed.len();
    let acknowledged = handover.acknowledged.clone();
    view! {
        <li class="card handover" data-testid="handover" data-waiting=waiting.to_string()>
            <p class="card-meta">
                <strong data-testid="handover-by">{handover.by.clone()}</strong>
                <span>{local(handover.at)}</span>
                <span>{shift_name}</span>
            </p>
            <p class="note-body" data-testid="handover-note">{handover.note.clone()}</p>
            <Show when=move || { pins > 0 }>
                <h3>{t!(i18n, shift_handed_pins)} " (" {pins} ")"</h3>
            </Show>
            {handed_list(handover.pins.clone(), "handover-pins")}
            <Show when=move || { replies > 0 }>
                <h3>{t!(i18n, shift_handed_replies)} " (" {replies} ")"</h3>
            </Show>
            {handed_list(handover.replies_owed.clone(), "handover-replies")}
            <p class="muted" data-testid="handover-acknowledged">
                {if acknowledged.is_empty() {
                    t!(i18n, shift_nobody_acknowledged).into_any()
                } else {
                    let names = acknowledged
                        .iter()
                        .map(|(by, at)| format!("{by} {}", local(*at)))
                        .collect::<Vec<_>>()
                        .join("、");
                    view! { {t!(i18n, shift_acknowledged_by)} " " {names} }.into_any()
                }}
            </p>
            <Show when=move || waiting>
                <button type="button" class="primary" data-testid="acknowledge-handover" on:click=acknowledge>
                    {t!(i18n, shift_acknowledge)}
                </button>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </li>
    }
}
