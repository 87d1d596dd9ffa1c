//! The outbox: every change not yet on the server, and for rejected ones the server's reason
//! and the choice to discard. Nothing leaves this list silently.

use crate::components::error_fallback::error_fallback;
use crate::i18n::{localized, t, use_i18n};
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use chrono::Local;
use kefu_core::sync::{Op, OutboxEntry};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let entries = LocalResource::new(move || {
        sync.data_version.track();
        // Also reload when a sync round settles changes.
        sync.waiting.track();
        sync.rejected.track();
        let store = store.store();
        async move { store.outbox().await }
    });

    view! {
        <section class="page outbox">
            <h1>{t!(i18n, outbox_title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let mut entries = entries.await?;
                        entries.sort_by_key(|entry| entry.change.change_id);
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
                        Ok::<_, StoreError>(view)
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn OutboxRow(entry: OutboxEntry) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let change_id = entry.change.change_id;
    let summary = match entry.change.op {
        Op::PutCase { case } => {
            let title = case.title;
            t!(i18n, change_put_case, title = move || title.clone()).into_any()
        }
        Op::AddNote { note } => {
            let body: String = note.body.chars().take(40).collect();
            t!(i18n, change_add_note, body = move || body.clone()).into_any()
        }
    };
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
    view! {
        <li class="card" data-testid="outbox-entry">
            <div class="card-head"><strong>{summary}</strong><span class="time">{queued}</span></div>
            {match entry.rejection {
                Some(reason) => view! {
                    <p class="error" data-testid="rejection">
                        {move || t!(i18n, outbox_rejected_reason, reason = {
                            let reason = localized(i18n, &reason);
                            move || reason.clone()
                        })}
                    </p>
                    <button class="danger" on:click=discard>{t!(i18n, outbox_discard)}</button>
                }
                .into_any(),
                None => view! { <p class="muted">{t!(i18n, outbox_pending)}</p> }.into_any(),
            }}
        </li>
    }
}
