//! What a locked shared device shows instead of any page: who it is locked for, their
//! password to go on (checked on the device, so it works offline), or signing out so someone
//! else can sign in.

use crate::components::user_menu::sign_out;
use crate::i18n::{t, t_string, use_i18n};
use crate::lock::{password_unlocks, use_lock};
use crate::session::use_session;
use crate::store::use_store;
use crate::sync::use_sync;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LockScreen() -> impl IntoView {
    let i18n = use_i18n();
    let lock = use_lock();
    let session = use_session();
    let store = use_store();
    let sync = use_sync();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let working = RwSignal::new(false);
    let name = move || {
        session
            .user()
            .map(|user| user.display_name)
            .unwrap_or_default()
    };
    let unlock = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = password.get_untracked();
        working.set(true);
        spawn_local(async move {
            if password_unlocks(&store.store(), &session.username(), &typed).await {
                password.set(String::new());
                error.set(None);
                lock.unlock();
            } else {
                error.set(Some(t_string!(i18n, unlock_wrong)));
            }
            working.set(false);
        });
    };
    let switch_user = move |_| {
        spawn_local(async move {
            if let Err(failure) = sign_out(store.store(), sync).await {
                leptos::logging::error!("signing out failed: {failure}");
            }
            lock.unlock();
        });
    };
    view! {
        <section class="page lock-screen" data-testid="lock-screen">
            <h1>{t!(i18n, locked_title)}</h1>
            <p>{move || t!(i18n, locked_for, name = name())}</p>
            <form on:submit=unlock>
                <label>
                    {t!(i18n, login_password)}
                    <input
                        type="password"
                        autocomplete="current-password"
                        required
                        data-testid="unlock-password"
                        prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert" data-testid="unlock-error">{move || error.get()}</p>
                </Show>
                <button class="primary big" type="submit" data-testid="unlock" disabled=working>{t!(i18n, unlock)}</button>
            </form>
            <button type="button" class="big" data-testid="lock-switch-user" on:click=switch_user>{t!(i18n, sign_out)}</button>
        </section>
    }
}
