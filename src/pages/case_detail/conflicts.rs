//! Fields two devices changed at the same time: every version side by side, with who and when,
//! and a button to keep one. Nothing concurrent is dropped silently; choosing writes a new
//! version over all of them, which closes the conflict on every device.

use super::local_time;
use crate::i18n::{field_label, t, use_i18n, value_text};
use crate::session::{may_make, use_session};
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::record::{Record, Version};
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn Conflicts(record: Record) -> impl IntoView {
    let session = use_session();
    // Choosing is an edit of the field: offered only to those who may make that edit.
    let may_choose = move |record: &Record, name: &str, value: &Value| {
        session.user_now().is_some_and(|user| {
            let choice = Op::Set {
                field: name.to_owned(),
                value: value.clone(),
                supersedes: Vec::new(),
            };
            may_make(&user, record.record_type, Some(record), choice).is_ok()
        })
    };
    record
        .conflicted_fields()
        .map(|(name, field)| {
            let allowed = may_choose(&record, name, &field.current.value);
            let versions: Vec<Version> = std::iter::once(field.current.clone())
                .chain(field.conflicts.iter().cloned())
                .collect();
            view! { <Conflict record_id=record.id name=name.to_owned() versions=versions allowed=allowed /> }
        })
        .collect_view()
}

#[component]
fn Conflict(record_id: Uuid, name: String, versions: Vec<Version>, allowed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let box_testid = format!("conflict-{name}");
    let choose_testid = format!("choose-{name}");
    let label_name = name.clone();
    let rows = versions
        .into_iter()
        .enumerate()
        .map(|(index, version)| {
            let name = name.clone();
            let testid = choose_testid.clone();
            let shown_name = name.clone();
            let value = version.value.clone();
            let shown_value = version.value.clone();
            let at = local_time(version.origin.at, "%m-%d %H:%M");
            let choose = move |_| {
                let Some(user) = session.user_now() else {
                    return;
                };
                let name = name.clone();
                let value = value.clone();
                spawn_local(async move {
                    match store
                        .store()
                        .resolve_conflict(record_id, &name, value, &user, Utc::now())
                        .await
                    {
                        Ok(_) => sync.after_local_write(),
                        Err(store_error) => error.set(Some(store_error.to_string())),
                    }
                });
            };
            view! {
                <li class="version" data-testid="conflict-version">
                    <span class="version-value">{move || value_text(i18n, &shown_name, &shown_value)}</span>
                    <span class="version-meta">
                        <span class="version-by">{version.origin.by.clone()}</span>
                        <span class="time">{at}</span>
                        {(index == 0).then(|| view! { <span class="tag">{t!(i18n, conflict_current)}</span> })}
                    </span>
                    {allowed.then(move || view! {
                        <button type="button" data-testid=testid on:click=choose>
                            {t!(i18n, conflict_choose)}
                        </button>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="conflict" data-testid=box_testid role="group">
            <p class="conflict-head">
                <strong>{move || field_label(i18n, &label_name)}</strong>
                " · "
                {t!(i18n, conflict_changed_elsewhere)}
            </p>
            <ul class="versions">{rows}</ul>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
        </div>
    }
}
