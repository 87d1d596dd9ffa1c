//! "A new version is available — reload": shown when the service worker has a newer build.

use crate::i18n::{t, use_i18n};
use crate::platform;
use leptos::prelude::*;

#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let available = RwSignal::new(platform::update_already_waiting());
    let listener = window_event_listener_untyped(platform::UPDATE_AVAILABLE_EVENT, move |_| {
        available.set(true)
    });
    on_cleanup(move || listener.remove());
    view! {
        <Show when=move || available.get()>
            <div class="update-prompt" data-testid="update-prompt" role="alert">
                <span>{t!(i18n, update_available)}</span>
                <button on:click=|_| platform::apply_update()>{t!(i18n, update_reload)}</button>
            </div>
        </Show>
    }
}
