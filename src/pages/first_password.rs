//! The only page for someone signed in with a one-time password: they choose their own
//! before anything else (the server serves them nothing else until they do).

use crate::components::password_form::PasswordForm;
use crate::i18n::{t, use_i18n};
use leptos::prelude::*;

#[component]
pub fn FirstPassword() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page first-password" data-testid="first-password">
            <h1>{t!(i18n, change_password_title)}</h1>
            <p>{t!(i18n, change_password_first)}</p>
            // Once saved, the session no longer needs a new password and the app opens.
            <PasswordForm on_changed=|()| {} />
        </section>
    }
}
