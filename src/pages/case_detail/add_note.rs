//! "Add note": checked on the device, saved locally at once; the unsent text is kept in
//! localStorage on every keystroke, and checked for banned phrases as it is typed. Offered only
//! to roles the server lets add notes.

use super::timeline_entry::may_add;
use crate::components::banned_phrase_hint::BannedPhraseHint;
use crate::components::phrase_picker::PhrasePicker;
use crate::drafts;
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use chrono::Utc;
use kefu_core::input::check_note_body;
use kefu_core::kinds::case::{event, note_data};
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

#[component]
pub fn AddNote(case_id: Uuid, record: Signal<Option<Record>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let session = use_session();
    let draft_key = format!("note:{case_id}");
    let body = RwSignal::new(drafts::load(&draft_key));
    let error = RwSignal::new(None::<String>);
    let key_for_input = draft_key.clone();
    let key_for_hint = draft_key.clone();
    let key_for_picker = draft_key.clone();
    // A memo, so a reloaded record does not rebuild the text box unless the verdict changes.
    let allowed = may_add(record, event::NOTE);

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.user_now() else {
            return;
        };
        let text = body.get_untracked().trim().to_owned();
        if let Err(invalid) = check_note_body(&text) {
            error.set(Some(localized(i18n, &invalid.message())));
            return;
        }
        let draft_key = draft_key.clone();
        spawn_local(async move {
            let saved = store
                .store()
                .append_event(case_id, event::NOTE, note_data(&text), &user, Utc::now())
                .await;
            match saved {
                Ok(_) => {
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
        <Show when=move || allowed.get()>
            <form class="add-note" on:submit=on_submit.clone()>
                <textarea
                    data-testid="note-input"
                    rows="3"
                    placeholder=move || t_string!(i18n, note_placeholder)
                    prop:value=body
                    on:input={
                        let key = key_for_input.clone();
                        move |ev| {
                            let text = event_target_value(&ev);
                            drafts::save(&key, &text);
                            body.set(text);
                        }
                    }
                ></textarea>
                <PhrasePicker on_pick={
                    let key = key_for_picker.clone();
                    move |phrase: String| {
                        let mut text = body.get_untracked();
                        text.push_str(&phrase);
                        drafts::save(&key, &text);
                        body.set(text);
                    }
                } />
                <BannedPhraseHint
                    text=body
                    on_change={
                        let key = key_for_hint.clone();
                        move |text: String| {
                            drafts::save(&key, &text);
                            body.set(text);
                        }
                    }
                />
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="note-error">{move || error.get()}</p>
                </Show>
                <button class="primary" type="submit" data-testid="add-note">{t!(i18n, add_note)}</button>
            </form>
        </Show>
    }
}
