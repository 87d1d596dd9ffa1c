//! Changing one's own password: the current one, a new one checked as it is typed by the
//! shared rule (length, not the username), and the server's answer beside the field it names
//! (a common password, a wrong current one). Needs the network; the other devices' sessions
//! end, this one goes on.

use crate::api::{self, ApiError};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::lock::remember_password;
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use kefu_core::account::manage::PasswordChange;
use kefu_core::account::password::check_password;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn PasswordForm(#[prop(into)] on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let server_new_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let new_error = move || {
        let typed = new.get();
        if typed.is_empty() {
            return server_new_error.get();
        }
        check_password(&session.username(), &typed)
            .err()
            .map(|problem| localized(i18n, &problem.message()))
            .or_else(|| server_new_error.get())
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(mut signed_in) = session.session.get_untracked() else {
            return;
        };
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        working.set(true);
        current_error.set(None);
        server_new_error.set(None);
        error.set(None);
        spawn_local(async move {
            match api::change_password(&signed_in.token, &change).await {
                Ok(()) => {
                    signed_in.must_change_password = false;
                    match store.store().set_session(&signed_in).await {
                        Ok(()) => {
                            remember_password(
                                &store.store(),
                                &signed_in.user.username,
                                &change.new,
                            )
                            .await;
                            session.adopt(Some(signed_in));
                            sync.sync_now();
                            current.set(String::new());
                            new.set(String::new());
                            on_changed.run(());
                        }
                        Err(store_error) => error.set(Some(store_error.to_string())),
                    }
                }
                Err(ApiError::Field { field, message }) if field == "current" => {
                    current_error.set(Some(localized(i18n, &message)))
                }
                Err(ApiError::Field { message, .. }) => {
                    server_new_error.set(Some(localized(i18n, &message)))
                }
                Err(
                    ApiError::Unauthorized(message)
                    | ApiError::Refused(message)
                    | ApiError::UpdateRequired(message),
                ) => error.set(Some(localized(i18n, &message))),
                Err(ApiError::Unreachable(_) | ApiError::Unexpected(_) | ApiError::Restored) => {
                    error.set(Some(t_string!(i18n, needs_network).to_owned()))
                }
            }
            working.set(false);
        });
    };
    view! {
        <form class="password-form" on:submit=on_submit>
            <label>
                {t!(i18n, current_password)}
                <input
                    type="password"
                    autocomplete="current-password"
                    required
                    data-testid="current-password"
                    prop:value=current
                    on:input=move |ev| current.set(event_target_value(&ev))
                />
            </label>
            <Show when=move || current_error.get().is_some()>
                <p class="error" role="alert" data-testid="current-password-error">{move || current_error.get()}</p>
            </Show>
            <label>
                {t!(i18n, new_password)}
                <input
                    type="password"
                    autocomplete="new-password"
                    required
                    data-testid="new-password"
                    prop:value=new
                    on:input=move |ev| {
                        server_new_error.set(None);
                        new.set(event_target_value(&ev));
                    }
                />
            </label>
            <Show when=move || new_error().is_some()>
                <p class="error" role="alert" data-testid="new-password-error">{new_error}</p>
            </Show>
            <Show when=move || error.get().is_some()>
                <p class="error" role="alert">{move || error.get()}</p>
            </Show>
            <button
                class="primary"
                type="submit"
                data-testid="save-password"
                disabled=move || working.get() || new_error().is_some()
            >
                {t!(i18n, save_password)}
            </button>
        </form>
    }
}
