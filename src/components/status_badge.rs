//! The always-visible sync badge: online or not, how many changes wait, when we last synced,
//! and anything that needs the user (rejected changes, an expired session).

use crate::clock::time_of_day;
use crate::i18n::{t, use_i18n};
use crate::routes::AppRoute;
use crate::sync::{Connectivity, use_sync};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn StatusBadge() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let connectivity_class = move || match sync.connectivity.get() {
        Connectivity::Online => "dot online",
        Connectivity::Offline => "dot offline",
        Connectivity::Unreachable => "dot unreachable",
    };
    let connectivity_name = move || match sync.connectivity.get() {
        Connectivity::Online => "online",
        Connectivity::Offline => "offline",
        Connectivity::Unreachable => "unreachable",
    };
    let connectivity_label = move || match sync.connectivity.get() {
        Connectivity::Online => t!(i18n, online).into_any(),
        Connectivity::Offline => t!(i18n, offline).into_any(),
        Connectivity::Unreachable => t!(i18n, unreachable).into_any(),
    };
    let last_sync = move || sync.last_sync.get().map(time_of_day);
    view! {
        <div
            class="status-badge"
            data-testid="status-badge"
            data-sync-leader=move || sync.leader.get().to_string()
            role="status"
        >
            <span data-testid="connectivity" data-state=connectivity_name>
                <span class=connectivity_class></span>
                {connectivity_label}
            </span>
            <A href=AppRoute::Outbox.href()>
                <span data-testid="waiting-count" data-count=move || sync.waiting.get()>
                    <Show
                        when=move || sync.waiting.get().is_some()
                        fallback=move || t!(i18n, loading)
                    >
                        {t!(i18n, waiting, count = move || sync.waiting.get().unwrap_or_default())}
                    </Show>
                </span>
            </A>
            <Show when=move || { sync.rejected.get() > 0 }>
                <A href=AppRoute::Outbox.href()>
                    <span class="warning" data-testid="rejected-count">
                        {t!(i18n, rejected, count = move || sync.rejected.get())}
                    </span>
                </A>
            </Show>
            <Show when=move || sync.photo_upload.get().is_some()>
                {move || sync.photo_upload.get().map(|progress| view! {
                    <span class="photo-upload" data-testid="photo-upload" data-percent=progress.percent()>
                        <progress max="100" value=progress.percent() aria-hidden="true"></progress>
                        {t!(i18n, photo_uploading, photo = progress.photo, photos = progress.photos, percent = progress.percent())}
                    </span>
                })}
            </Show>
            <span class="last-sync" data-testid="last-sync">
                {move || match last_sync() {
                    Some(time) => t!(i18n, last_sync, time = move || time.clone()).into_any(),
                    None => t!(i18n, never_synced).into_any(),
                }}
            </span>
            <Show when=move || sync.needs_sign_in.get()>
                <A href=AppRoute::SignIn.href()>
                    <span class="warning" data-testid="sign-in-again">{t!(i18n, sign_in_again)}</span>
                </A>
            </Show>
        </div>
    }
}
