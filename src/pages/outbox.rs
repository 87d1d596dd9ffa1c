//! The outbox: every change not yet on the server, whose it is, and for rejected ones the
//! server's reason and the choice to discard. Changes another user made on this device wait
//! for that user to sign in here: they are never sent under someone else's session. Nothing
//! leaves this list silently.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{Locale, event_label, field_label, localized, t, use_i18n, value_text};
use crate::routes::AppRoute;
use crate::session::use_session;
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use chrono::Local;
use kefu_core::kinds::case::{event, field};
use kefu_core::sync::{Op, OutboxEntry};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use std::collections::BTreeMap;

/// How many characters of a note the list shows.
const NOTE_PREVIEW_CHARS: usize = 40;

#[component]
pub fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let entries = LocalResource::new(move || {
        sync.data_version.track();
        // Also reload when a sync round settles changes.
        sync.waiting.track();
        sync.waiting_for_others.track();
        sync.rejected.track();
        let store = store.store();
        async move { store.outbox().await }
    });

    view! {
        <section class="page outbox">
            <h1>{t!(i18n, outbox_title)}</h1>
            <Show when=move || { sync.waiting_for_others.get() > 0 }>
                <p class="muted" data-testid="waiting-for-others" data-count=move || sync.waiting_for_others.get()>
                    {t!(i18n, outbox_waiting_for_others, count = move || sync.waiting_for_others.get())}
                </p>
            </Show>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let mut entries = entries.await?;
                        // Another user's waiting changes show as whose and how many, never
                        // what they say: on a shared tablet they are that user's work.
                        let viewer = session.username();
                        let mut others: BTreeMap<String, usize> = BTreeMap::new();
                        for entry in entries.iter().filter(|entry| entry.author != viewer) {
                            *others.entry(entry.author.clone()).or_default() += 1;
                        }
                        entries.retain(|entry| entry.author == viewer);
                        entries.sort_by_key(|entry| entry.change.change_id);
                        let others = others.into_iter().map(|(author, count)| view! {
                            <p class="warning" data-testid="waiting-for-author" data-count=count>
                                {t!(i18n, outbox_waiting_for_author, user = author.clone(), count = count)}
                            </p>
                        }).collect_view();
                        let view = if entries.is_empty() {
                            view! { <p class="empty">{t!(i18n, outbox_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="cards" data-testid="outbox-list">
                                    {entries.into_iter().map(|entry| view! { <OutboxRow entry=entry /> }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        };
                        Ok::<_, StoreError>(view! { {others} {view} })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One line saying what a change does, in the user's language.
fn summary(i18n: I18nContext<Locale>, op: &Op) -> AnyView {
    match op {
        Op::Create { fields } => {
            let title = fields
                .get(field::TITLE)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_owned();
            t!(i18n, change_create, title = move || title.clone()).into_any()
        }
        Op::Set { field, value, .. } => {
            let (name, value) = (field.clone(), value.clone());
            let shown_name = name.clone();
            t!(
                i18n,
                change_set,
                field = move || field_label(i18n, &shown_name),
                value = move || value_text(i18n, &name, &value)
            )
            .into_any()
        }
        Op::Append { kind, data, .. } if kind == event::NOTE => {
            let body: String = data["body"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(NOTE_PREVIEW_CHARS)
                .collect();
            t!(i18n, change_add_note, body = move || body.clone()).into_any()
        }
        Op::Append { kind, .. } => {
            let kind = kind.clone();
            t!(i18n, change_append, kind = move || event_label(i18n, &kind)).into_any()
        }
        Op::Delete => t!(i18n, change_delete).into_any(),
    }
}

#[component]
fn OutboxRow(entry: OutboxEntry) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let change_id = entry.change.change_id;
    let record_id = entry.change.record_id;
    let op = entry.change.op;
    let author = entry.author.clone();
    let author_attr = entry.author.clone();
    let queued = entry
        .queued_at
        .with_timezone(&Local)
        .format("%m-%d %H:%M:%S")
        .to_string();
    let discard = move |_| {
        spawn_local(async move {
            if store.store().discard(change_id).await.is_ok() {
                sync.after_local_write();
            }
        });
    };
    let state = match entry.rejection {
        Some(reason) => view! {
            <p class="error" data-testid="rejection">
                {move || t!(i18n, outbox_rejected_reason, reason = {
                    let reason = localized(i18n, &reason);
                    move || reason.clone()
                })}
            </p>
            <button class="danger" data-testid="discard" on:click=discard>{t!(i18n, outbox_discard)}</button>
        }
        .into_any(),
        None => view! { <p class="muted">{t!(i18n, outbox_pending)}</p> }.into_any(),
    };
    view! {
        <li class="card" data-testid="outbox-entry" data-author=author_attr>
            <div class="card-head">
                <strong>{summary(i18n, &op)}</strong>
                <span class="time">{queued}</span>
            </div>
            <div class="card-meta">
                <span>{t!(i18n, outbox_author, user = move || author.clone())}</span>
                <A href=AppRoute::CaseDetail(record_id).href()>{t!(i18n, open_case)}</A>
            </div>
            {state}
        </li>
    }
}
