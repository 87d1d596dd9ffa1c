//! Warns before the device runs out of space, while there is still room to sync and tidy up.

use crate::i18n::{t, use_i18n};
use crate::platform;
use kefu_core::storage::storage_is_low;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

const CHECK_EVERY: Duration = Duration::from_secs(60);

fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

#[component]
pub fn StorageWarning() -> impl IntoView {
    let i18n = use_i18n();
    let low = RwSignal::new(None::<(u64, u64)>);
    let check = move || {
        spawn_local(async move {
            let estimate = platform::storage_estimate().await;
            low.set(estimate.filter(|&(usage, quota)| storage_is_low(usage, quota)));
        })
    };
    check();
    if let Ok(handle) = set_interval_with_handle(check, CHECK_EVERY) {
        on_cleanup(move || handle.clear());
    }
    view! {
        {move || low.get().map(|(usage, quota)| view! {
            <div class="storage-warning" role="alert" data-testid="storage-warning">
                {t!(i18n, storage_low, used = move || megabytes(usage), quota = move || megabytes(quota))}
            </div>
        })}
    }
}
