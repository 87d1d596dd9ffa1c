//! One case: its details and its timeline, with "add note" that saves locally at once.

use crate::components::error_fallback::error_fallback;
use crate::drafts;
use crate::i18n::{kind_label, localized, status_label, t, t_string, use_i18n};
use crate::session::use_session;
use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use chrono::{Local, Utc};
use kefu_core::case::{Case, Note};
use kefu_core::validate::check_note;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;
use uuid::Uuid;

#[derive(Params, Clone, Debug, PartialEq)]
struct CaseParams {
    id: Option<Uuid>,
}

#[component]
pub fn CaseDetail() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let params = use_params::<CaseParams>();
    let case_id = move || params.read().as_ref().ok().and_then(|params| params.id);
    let loaded = LocalResource::new(move || {
        sync.data_version.track();
        let id = case_id();
        let store = store.store();
        async move {
            let Some(id) = id else {
                return Ok::<_, StoreError>(None);
            };
            let case = store.case(id).await?;
            let notes = store.notes_for(id).await?;
            Ok(case.map(|case| (case, notes)))
        }
    });

    let case_found = move || matches!(loaded.get(), Some(Ok(Some(_))));

    view! {
        <section class="page case-detail">
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let view = match loaded.await? {
                            Some((case, notes)) => view! { <CaseView case=case notes=notes /> }.into_any(),
                            None => view! { <p class="empty">{t!(i18n, case_not_found)}</p> }.into_any(),
                        };
                        Ok::<_, StoreError>(view)
                    })}
                </ErrorBoundary>
            </Transition>
            // Outside the reloading part, so a colleague's note arriving mid-typing does not
            // rebuild the text box under the agent's fingers.
            <Show when=case_found>
                {move || case_id().map(|id| view! { <AddNote case_id=id /> })}
            </Show>
        </section>
    }
}

#[component]
fn CaseView(case: Case, notes: Vec<Note>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = case.kind;
    let status = case.status;
    let created = case
        .created_at
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    view! {
        <header class="case-head">
            <span class=format!("tag kind-{}", kind.as_str())>{move || kind_label(i18n, kind)}</span>
            <h1 data-testid="case-title">{case.title.clone()}</h1>
            <span class=format!("tag status-{}", status.as_str())>{move || status_label(i18n, status)}</span>
        </header>
        <dl class="case-facts">
            <dt>{t!(i18n, customer_name)}</dt><dd>{case.customer_name.clone()}</dd>
            <dt>{t!(i18n, customer_phone)}</dt><dd>{case.customer_phone.clone()}</dd>
            <dt>{t!(i18n, order_number)}</dt><dd>{case.order_number.clone().unwrap_or_default()}</dd>
            <dt>{t!(i18n, owner)}</dt><dd>{case.owner.clone()}</dd>
            <dt>{t!(i18n, created_at)}</dt><dd>{created}</dd>
        </dl>
        <h2>{t!(i18n, timeline)}</h2>
        <ol class="timeline" data-testid="timeline">
            {if notes.is_empty() {
                view! { <li class="empty">{t!(i18n, no_notes)}</li> }.into_any()
            } else {
                notes
                    .into_iter()
                    .map(|note| {
                        let at = note.created_at.with_timezone(&Local).format("%m-%d %H:%M").to_string();
                        view! {
                            <li data-testid="note">
                                <div class="note-meta"><span>{note.author}</span><span>{at}</span></div>
                                <p class="note-body">{note.body}</p>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ol>
    }
}

#[component]
fn AddNote(case_id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let draft_key = format!("note:{case_id}");
    let body = RwSignal::new(drafts::load(&draft_key));
    let error = RwSignal::new(None::<String>);
    let key_for_input = draft_key.clone();

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let note = Note {
            id: Uuid::now_v7(),
            case_id,
            author: session.username(),
            body: body.get_untracked().trim().to_owned(),
            created_at: Utc::now(),
        };
        if let Err(invalid) = check_note(&note) {
            error.set(Some(localized(i18n, &invalid.message())));
            return;
        }
        let draft_key = draft_key.clone();
        spawn_local(async move {
            match store.store().add_note(&note, Utc::now()).await {
                Ok(()) => {
                    body.set(String::new());
                    drafts::clear(&draft_key);
                    error.set(None);
                    sync.after_local_write();
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    };

    view! {
        <form class="add-note" on:submit=on_submit>
            <textarea
                data-testid="note-input"
                rows="3"
                placeholder=move || t_string!(i18n, note_placeholder)
                prop:value=body
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    drafts::save(&key_for_input, &text);
                    body.set(text);
                }
            ></textarea>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert" data-testid="note-error">{move || error.get()}</p>
            </Show>
            <button class="primary" type="submit" data-testid="add-note">{t!(i18n, add_note)}</button>
        </form>
    }
}
