//! "My account": who I am, my password, and the devices I am signed in on, each of which I can
//! sign out (a lost tablet). Online only: sessions and passwords live on the server.

use crate::api::{self, ApiError};
use crate::components::password_form::PasswordForm;
use crate::i18n::{api_error_text, role_label, t, use_i18n};
use crate::lock::use_lock;
use crate::session::use_session;
use chrono::Local;
use kefu_core::account::manage::SessionInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Account() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let lock = use_lock();
    let changed = RwSignal::new(false);
    let reload = RwSignal::new(0u32);
    let token = session.token();
    let sessions = LocalResource::new({
        let token = token.clone();
        move || {
            reload.track();
            let token = token.clone();
            async move { api::sessions(&token).await }
        }
    });
    let who = move || {
        session.user().map(|user| {
            format!(
                "{} ({}) · {} · {}",
                user.display_name,
                user.username,
                role_label(i18n, user.role),
                user.team
            )
        })
    };
    let on_changed = move |()| {
        changed.set(true);
        reload.update(|n| *n += 1);
    };
    view! {
        <section class="page account">
            <h1>{t!(i18n, account_title)}</h1>
            <p data-testid="account-who">{who}</p>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="shared-device"
                    prop:checked=move || lock.shared.get()
                    on:change=move |ev| lock.set_shared(event_target_checked(&ev))
                />
                {t!(i18n, shared_device)}
            </label>
            <h2>{t!(i18n, change_password_title)}</h2>
            <PasswordForm on_changed=on_changed />
            <Show when=move || changed.get()>
                <p class="success" role="status" data-testid="password-changed">{t!(i18n, password_changed)}</p>
            </Show>
            <h2>{t!(i18n, sessions_title)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || sessions.get().map(|answer| match answer {
                    Ok(list) => view! {
                        <ul class="cards" data-testid="sessions">
                            {list.into_iter().map(|info| view! { <SessionRow info=info token=token.clone() reload=reload /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SessionRow(info: SessionInfo, token: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let local = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&Local).format("%m-%d %H:%M").to_string()
    };
    let (signed_in, seen) = (local(info.signed_in_at), local(info.last_seen));
    let id = info.id.clone();
    let end = move |_| {
        let (token, id) = (token.clone(), id.clone());
        spawn_local(async move {
            match api::end_session(&token, &id).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <li class="card" data-testid="session" data-current=info.current.to_string()>
            <strong>{info.device}</strong>
            <span class="muted">{t!(i18n, session_seen, signed_in = signed_in.clone(), seen = seen.clone())}</span>
            {if info.current {
                view! { <span class="tag">{t!(i18n, session_this_device)}</span> }.into_any()
            } else {
                view! { <button type="button" data-testid="end-session" on:click=end>{t!(i18n, session_end)}</button> }.into_any()
            }}
            {move || error.get().map(|error| view! { <p class="error" role="alert">{api_error_text(i18n, &error)}</p> })}
        </li>
    }
}
