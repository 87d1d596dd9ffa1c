//! Sign-in: the one thing that needs the network. Signing in again keeps all local work.

use crate::api::{self, ApiError};
use crate::i18n::{localized, t, t_string, use_i18n};
use crate::lock::{remember_password, use_lock};
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use kefu_core::account::LoginRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let session = use_session();
    let sync = use_sync();
    let navigate = use_navigate();
    let lock = use_lock();
    let username = RwSignal::new(session.username());
    let password = RwSignal::new(String::new());
    let working = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        working.set(true);
        error.set(None);
        spawn_local(async move {
            match api::login(&request).await {
                Ok(signed_in) => {
                    if let Err(store_error) = store.store().set_session(&signed_in).await {
                        error.set(Some(store_error.to_string()));
                    } else {
                        // A locked shared device unlocks for whoever signs in; it keeps what
                        // lets this user unlock it offline next time.
                        lock.unlock();
                        let username = signed_in.user.username.clone();
                        let password = request.password.clone();
                        spawn_local(async move {
                            remember_password(&store.store(), &username, &password).await
                        });
                        // Every tab takes the new session; the leader syncs under it.
                        sync.signed_in(signed_in);
                        navigate("/", Default::default());
                    }
                }
                Err(
                    ApiError::Unauthorized(message)
                    | ApiError::Refused(message)
                    | ApiError::Field { message, .. },
                ) => error.set(Some(localized(i18n, &message))),
                Err(ApiError::UpdateRequired(message)) => {
                    error.set(Some(localized(i18n, &message)));
                    sync.require_update(message);
                }
                Err(ApiError::Unreachable(_) | ApiError::Unexpected(_) | ApiError::Restored) => {
                    error.set(Some(t_string!(i18n, login_needs_network).to_owned()))
                }
            }
            working.set(false);
        });
    };

    view! {
        <section class="page login">
            <h1>{t!(i18n, login_title)}</h1>
            <form on:submit=on_submit>
                <label>
                    {t!(i18n, login_username)}
                    <input
                        data-testid="login-username"
                        autocomplete="username"
                        required
                        prop:value=username
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    {t!(i18n, login_password)}
                    <input
                        data-testid="login-password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="login-error">{move || error.get()}</p>
                </Show>
                <button class="primary" type="submit" data-testid="login-submit" disabled=working>
                    {move || if working.get() {
                        t!(i18n, login_working).into_any()
                    } else {
                        t!(i18n, login_submit).into_any()
                    }}
                </button>
            </form>
        </section>
    }
}
