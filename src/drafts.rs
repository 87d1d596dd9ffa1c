//! Unsaved form text, kept in localStorage on every keystroke so a reload, crash or closed
//! tab never loses what an agent was typing.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load(key: &str) -> String {
    storage()
        .and_then(|storage| {
            storage
                .get_item(&format!("kefu-draft:{key}"))
                .ok()
                .flatten()
        })
        .unwrap_or_default()
}

pub fn save(key: &str, text: &str) {
    if let Some(storage) = storage() {
        let key = format!("kefu-draft:{key}");
        let _ = if text.is_empty() {
            storage.remove_item(&key)
        } else {
            storage.set_item(&key, text)
        };
    }
}

pub fn clear(key: &str) {
    save(key, "");
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
