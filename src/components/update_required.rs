//! "Please update the app": shown in every tab when the server no longer speaks this build's
//! sync protocol. Syncing has stopped; the outbox is kept and is sent after the update.

use crate::i18n::{localized, t, use_i18n};
use crate::platform;
use crate::sync::use_sync;
use leptos::prelude::*;

#[component]
pub fn UpdateRequired() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let message = move || {
        sync.update_required
            .get()
            .map(|message| localized(i18n, &message))
    };
    let reload = |_| {
        // A waiting service worker brings the new build; otherwise a plain reload fetches it.
        if platform::update_already_waiting() {
            platform::apply_update();
        } else {
            let _ = window().location().reload();
        }
    };
    view! {
        <Show when=move || sync.update_required.with(Option::is_some)>
            <div class="update-required" data-testid="update-app" role="alert">
                <strong>{t!(i18n, update_required)}</strong>
                <span>{message}</span>
                <button on:click=reload>{t!(i18n, update_reload)}</button>
            </div>
        </Show>
    }
}
