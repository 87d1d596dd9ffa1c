//! Unsaved form text, kept in localStorage on every keystroke so a reload, crash or closed
//! tab never loses what an agent was typing. Each user's drafts are their own: on a shared
//! tablet the next user's forms start empty, and the first user's drafts are back when they
//! sign in again.

use crate::platform::local_storage;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;

thread_local! {
    /// Whose drafts forms read and write: the signed-in user.
    static OWNER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Drafts written before they were kept per user, adopted by the first user who signs in.
const UNOWNED_PREFIX: &str = "kefu-draft:";

fn storage_key(key: &str) -> String {
    OWNER.with_borrow(|owner| format!("kefu-draft@{owner}:{key}"))
}

/// Called whenever who is signed in changes, before any form of theirs is shown.
pub fn set_owner(username: &str) {
    OWNER.with_borrow_mut(|owner| username.clone_into(owner));
    if username.is_empty() {
        return;
    }
    let Some(storage) = local_storage() else {
        return;
    };
    let unowned: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(UNOWNED_PREFIX))
        .collect();
    for old in unowned {
        if let Ok(Some(text)) = storage.get_item(&old) {
            let _ = storage.set_item(&storage_key(&old[UNOWNED_PREFIX.len()..]), &text);
        }
        let _ = storage.remove_item(&old);
    }
}

pub fn load(key: &str) -> String {
    local_storage()
        .and_then(|storage| storage.get_item(&storage_key(key)).ok().flatten())
        .unwrap_or_default()
}

pub fn save(key: &str, text: &str) {
    save_under(&storage_key(key), text);
}

/// Saves under a storage key already made for its owner (`storage_key`).
fn save_under(owned_key: &str, text: &str) {
    if let Some(storage) = local_storage() {
        let _ = if text.is_empty() {
            storage.remove_item(owned_key)
        } else {
            storage.set_item(owned_key, text)
        };
    }
}

pub fn clear(key: &str) {
    save(key, "");
}

/// One text box kept as a draft under `key` (made at run time, e.g. with a case's id):
/// restored when the box is built again, written on every change. The page clears it (sets
/// it empty) once the text is saved.
pub fn use_text_draft(key: String) -> RwSignal<String> {
    let text = RwSignal::new(load(&key));
    // Under the user who typed it, even if the box goes only after they sign out.
    let owned_key = storage_key(&key);
    let saved_key = owned_key.clone();
    Effect::new(move |_| text.with(|text| save_under(&saved_key, text)));
    // A box built again (a sync reloading its page) right after a keystroke, before the effect
    // above ran, would restore the text from before it: what was typed last is saved as the
    // old box goes, too.
    on_cleanup(move || {
        text.try_with_untracked(|text| save_under(&owned_key, text));
    });
    text
}

/// A whole form kept as a draft under `key`: restored as it was typed (the form's defaults
/// when there is none, or when it no longer reads as this form after an update), and written
/// back on every change. A page that saves the form clears the draft (`clear`), or sets the
/// form to the next one's values, which are then the draft.
pub fn use_draft<F>(key: &'static str) -> RwSignal<F>
where
    F: Serialize + DeserializeOwned + Default + Send + Sync + 'static,
{
    let form = RwSignal::new(serde_json::from_str::<F>(&load(key)).unwrap_or_default());
    Effect::new(move |_| {
        let draft = form.with(|form| serde_json::to_string(form).unwrap_or_default());
        save(key, &draft);
    });
    form
}
