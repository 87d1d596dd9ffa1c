//! Why the server ended this device's session early (the account was disabled, the password
//! changed, an admin changed the role…), shown in every tab until someone signs in. Nothing
//! waiting is lost: the outbox keeps it, visible, under its author.

use crate::i18n::{localized, use_i18n};
use crate::sync::use_sync;
use leptos::prelude::*;

#[component]
pub fn SessionEnded() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    move || {
        sync.session_ended
            .get()
            .filter(|_| sync.needs_sign_in.get())
            .map(|reason| {
                view! {
                    <div class="update-required" role="alert" data-testid="session-ended">
                        <span>{localized(i18n, &reason)}</span>
                    </div>
                }
            })
    }
}
