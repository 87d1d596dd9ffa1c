//! Who is signed in, in the header: their account page, and signing out so a colleague can
//! sign in on the same tablet. Signing out with changes still waiting says so first; they stay
//! in the outbox, under their author, and go out when that user signs in again.

use crate::api;
use crate::i18n::{t, use_i18n};
use crate::lazy;
use crate::routes::AppRoute;
use crate::session::use_session;
use crate::store::{Store, StoreError, use_store};
use crate::sync::{SyncContext, use_sync};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// Drops the session and every record fetched under it from the device, so the next screen
/// is the sign-in page with nothing of this user's on it; then ends the session on the server
/// when it can (offline, the token just expires there). The network never holds the screen.
pub async fn sign_out(store: Store, sync: SyncContext) -> Result<(), StoreError> {
    let session = store.session().await?;
    store.sign_out().await?;
    sync.signed_out();
    if let Some(session) = session {
        let _ = api::logout(&session.token).await;
    }
    Ok(())
}

/// A menu's summary opens and closes it through its signal, so links inside can close it.
pub fn toggle(event: leptos::ev::MouseEvent, open: RwSignal<bool>) {
    event.prevent_default();
    open.update(|open| *open = !*open);
}

/// Whether the user menu is open; its panel closes it.
#[derive(Clone, Copy)]
struct MenuOpen(RwSignal<bool>);

#[component]
pub fn UserMenu() -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    provide_context(MenuOpen(open));
    let name = move || {
        session
            .user()
            .map(|user| user.display_name)
            .unwrap_or_default()
    };
    view! {
        <details class="user-menu" prop:open=open>
            <summary data-testid="user-menu" on:click=move |ev| toggle(ev, open)>{name}</summary>
            <div class="menu">{move || open.get().then(lazy::user_menu_panel::PAGE)}</div>
        </details>
    }
}

/// The open menu's items: the account page, and signing out (with the question when changes
/// wait). Signing out is most of the menu's code, and no one needs it before opening the menu:
/// it is a chunk loaded then (`lazy::user_menu_panel`).
#[component]
pub fn UserMenuPanel() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let sync = use_sync();
    let MenuOpen(open) = expect_context::<MenuOpen>();
    let confirming = RwSignal::new(false);
    let waiting = move || sync.waiting.get().unwrap_or(0);
    let leave = move || {
        open.set(false);
        confirming.set(false);
        spawn_local(async move {
            if let Err(error) = sign_out(store.store(), sync).await {
                leptos::logging::error!("signing out failed: {error}");
            }
        });
    };
    let ask_or_leave = move |_| {
        if waiting() > 0 {
            confirming.set(true);
        } else {
            leave();
        }
    };
    view! {
        <A href=AppRoute::Account.href() on:click=move |_| open.set(false) attr:data-testid="nav-account">
            {t!(i18n, nav_account)}
        </A>
        <button type="button" data-testid="sign-out" on:click=ask_or_leave>{t!(i18n, sign_out)}</button>
        <Show when=move || confirming.get()>
            <div class="confirm" role="alertdialog" data-testid="sign-out-waiting">
                <p>{move || t!(i18n, sign_out_waiting, count = waiting())}</p>
                <button type="button" class="primary" data-testid="sign-out-confirm" on:click=move |_| leave()>
                    {t!(i18n, sign_out_anyway)}
                </button>
                <button type="button" on:click=move |_| confirming.set(false)>{t!(i18n, cancel)}</button>
            </div>
        </Show>
    }
}
