//! Opens the shift page (交接班) first, at each sign-in and at the start of each of the policy's
//! shifts, when there is something to read there: a pinned case, or a handover waiting for
//! this user (seed 002: 每个客服接班时都要优先查看置顶信息). When it last opened is kept per user
//! and per sign-in in localStorage, so a reload does not open it again, and a new sign-in does.

use crate::clock::use_clock;
use crate::platform::local_storage;
use crate::policy::use_policy;
use crate::routes::AppRoute;
use crate::session::use_session;
use crate::store::{Store, use_store};
use crate::sync::use_sync;
use chrono::{DateTime, Local, TimeZone, Utc};
use kefu_core::account::roles;
use kefu_core::kinds::handover::handovers;
use kefu_core::record::RecordType;
use kefu_core::rules::shift::{latest_start, opens_first};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use wasm_split_helpers::{SplitLoaderError, wasm_split};

/// When the shift page was last considered for a user, under which sign-in (the session's
/// expiry tells sign-ins apart without keeping the token).
#[derive(Serialize, Deserialize)]
struct Seen {
    session: DateTime<Utc>,
    at: DateTime<Utc>,
}

fn key(username: &str) -> String {
    format!("kefu-shift-seen:{username}")
}

fn seen(username: &str, session: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let text = local_storage()?.get_item(&key(username)).ok()??;
    let seen: Seen = serde_json::from_str(&text).ok()?;
    (seen.session == session).then_some(seen.at)
}

fn mark_seen(username: &str, session: DateTime<Utc>, at: DateTime<Utc>) {
    if let (Some(storage), Ok(text)) = (
        local_storage(),
        serde_json::to_string(&Seen { session, at }),
    ) {
        let _ = storage.set_item(&key(username), &text);
    }
}

/// Watches the clock, the session and the first sync; inside the router, as it navigates.
#[component]
pub fn ShiftStart() -> impl IntoView {
    let (session, sync, clock, policy, store) = (
        use_session(),
        use_sync(),
        use_clock(),
        use_policy(),
        use_store(),
    );
    let navigate = use_navigate();
    Effect::new(move |_| {
        let now = clock.now.get();
        // Only once the device holds the team's data: right after a sign-in, the first pull.
        if sync.last_sync.get().is_none() {
            return;
        }
        let Some(signed_in) = session.session.get() else {
            return;
        };
        let user = signed_in.user.clone();
        if !roles::DESK.contains(&user.role) || signed_in.must_change_password {
            return;
        }
        let shift_began = policy.desk.with(|desk| {
            let shifts = &desk.as_ref()?.working_hours.shifts;
            let (_, start) = latest_start(shifts, now.with_timezone(&Local).naive_local())?;
            Local
                .from_local_datetime(&start)
                .earliest()
                .map(|start| start.with_timezone(&Utc))
        });
        if !opens_first(seen(&user.username, signed_in.expires_at), shift_began) {
            return;
        }
        mark_seen(&user.username, signed_in.expires_at, now);
        let store = store.store();
        let navigate = navigate.clone();
        spawn_local(async move {
            // A chunk that cannot be fetched now opens nothing: the page is one tap away.
            let Ok(waits) = shift_page_waits(store, user.username, now).await else {
                return;
            };
            if waits.await {
                navigate(&AppRoute::Shift.href(), Default::default());
            }
        });
    });
}

/// Whether the shift page has something for `username` to read: a pinned case, or a handover
/// waiting for them. In the shift page's chunk (`scripts/build-client` splits the wasm here),
/// which opens next when it does: the records' decoders are no part of the first screen.
#[wasm_split(desk, fallible)]
fn shift_page_waits(
    store: Store,
    username: String,
    now: DateTime<Utc>,
) -> Result<Pin<Box<dyn Future<Output = bool>>>, SplitLoaderError> {
    Ok(Box::pin(async move {
        let pinned = store
            .cases()
            .await
            .is_ok_and(|cases| cases.iter().any(|case| case.pin.is_some()));
        pinned
            || store
                .records_of_type(RecordType::Handover)
                .await
                .is_ok_and(|records| {
                    handovers(&records)
                        .iter()
                        .any(|handover| handover.waits_for(&username, now))
                })
    }))
}
