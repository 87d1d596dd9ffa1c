//! The app shell: opens the device database, provides the contexts, and shows sign-in or, once
//! someone is signed in, the desk (`crate::desk`, a chunk of its own).

use crate::clock::provide_clock_context;
use crate::components::lang_switch::LangSwitch;
use crate::components::main_nav::MainNav;
use crate::components::session_ended::SessionEnded;
use crate::components::status_badge::StatusBadge;
use crate::components::storage_warning::StorageWarning;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::update_required::UpdateRequired;
use crate::components::user_menu::UserMenu;
use crate::i18n::{I18nContextProvider, LocalePersistence, t, use_i18n};
use crate::lazy;
use crate::lock::{provide_lock_context, use_lock};
use crate::pages::login::Login;
use crate::platform;
use crate::policy::provide_policy_context;
use crate::routes::AppRoute;
use crate::session::provide_session_context;
use crate::store::{DATABASE_NAME, Store, provide_store_context};
use crate::sync::provide_sync_context;
use leptos::prelude::*;
use leptos_router::components::{A, Router};

#[component]
pub fn App() -> impl IntoView {
    let opened = LocalResource::new(|| Store::open(DATABASE_NAME));
    view! {
        <I18nContextProvider enable_cookie=false>
            <LocalePersistence />
            <Transition fallback=|| view! { <p class="boot">"客服 Kefu…"</p> }>
                {move || {
                    opened
                        .get()
                        .map(|result| match result {
                            Ok(store) => view! { <Shell store=store /> }.into_any(),
                            Err(error) => view! { <StoreFailure error=error.to_string() /> }.into_any(),
                        })
                }}
            </Transition>
        </I18nContextProvider>
    }
}

#[component]
fn StoreFailure(error: String) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="error" role="alert">{t!(i18n, store_error, error = move || error.clone())}</p> }
}

/// The shell's reactive scope, which lives as long as the app: what the desk sets up for good
/// (the cases every page shares, the policy's decoding) belongs to it, not to the desk, which
/// the lock screen or a sign-out takes down.
#[derive(Clone)]
pub struct ShellScope(pub Owner);

#[component]
fn Shell(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    if let Some(owner) = Owner::current() {
        provide_context(ShellScope(owner));
    }
    provide_store_context(store.clone());
    let session = provide_session_context(store.clone());
    provide_sync_context(store, session);
    provide_policy_context();
    provide_clock_context();
    provide_lock_context();
    let lock = use_lock();
    platform::request_persistent_storage();
    let signed_in = move || session.session.with(Option::is_some);
    let locked = move || signed_in() && lock.locked.get();
    let must_change_password = move || {
        session.session.with(|session| {
            session
                .as_ref()
                .is_some_and(|session| session.must_change_password)
        })
    };
    view! {
        <Router>
            <header class="topbar">
                <A href=AppRoute::Home.href() attr:class="brand">{t!(i18n, app_name)}</A>
                <Show when=move || signed_in() && !locked()>
                    <MainNav />
                </Show>
                <StatusBadge />
                <LangSwitch />
                <Show when=move || signed_in() && !locked()>
                    <UserMenu />
                </Show>
            </header>
            <UpdatePrompt />
            <UpdateRequired />
            <SessionEnded />
            <StorageWarning />
            <main>
                <Show when=move || session.loaded.get() fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    <Show when=signed_in fallback=|| view! { <Login /> }>
                    <Show when=move || !locked() fallback=|| lazy::lock_screen::PAGE()>
                    <Show when=move || !must_change_password() fallback=|| lazy::first_password::PAGE()>
                        {lazy::desk::PAGE()}
                    </Show>
                    </Show>
                    </Show>
                </Show>
            </main>
        </Router>
    }
}
