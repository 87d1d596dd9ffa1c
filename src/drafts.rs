//! Unsaved form text, kept in localStorage on every keystroke so a reload, crash or closed
//! tab never loses what an agent was typing.

use leptos::prelude::window;

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
