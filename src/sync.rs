//! The sync loop: pushes the outbox and pulls the server's changes whenever it can, with
//! backoff, and publishes its state (connectivity, waiting changes, last sync) as signals.

use crate::api::{self, ApiError};
use crate::platform;
use crate::store::{Store, StoreError};
use crate::tabs::{self, TabMessage};
use chrono::{DateTime, Utc};
use gloo_timers::future::TimeoutFuture;
use kefu_core::sync::{PUSH_BATCH_SIZE, PushRequest, next_push_batch, retry_delay, settle_push};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How often a healthy device checks the server for colleagues' changes.
const POLL_INTERVAL_MS: u64 = 5_000;
/// Granularity of the loop's sleep: how fast it reacts to a new write or to the network
/// coming back.
const TICK_MS: u32 = 250;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connectivity {
    /// The browser reports no network.
    Offline,
    /// Network is up but the last attempt to reach the server failed.
    Unreachable,
    /// The last sync round reached the server.
    Online,
}

#[derive(Debug, Clone, Copy)]
pub struct SyncContext {
    pub connectivity: RwSignal<Connectivity>,
    /// Changes waiting to be sent (not counting rejected ones).
    pub waiting: RwSignal<usize>,
    /// Changes the server refused; they stay until the user acts on them.
    pub rejected: RwSignal<usize>,
    pub last_sync: RwSignal<Option<DateTime<Utc>>>,
    /// The server no longer accepts this device's session.
    pub needs_sign_in: RwSignal<bool>,
    /// Bumped whenever local data changed, so views showing it reload.
    pub data_version: RwSignal<u64>,
    /// This tab holds the sync lock and runs the loop; other tabs follow it.
    pub leader: RwSignal<bool>,
    kick: RwSignal<bool>,
    store: StoredValue<Store>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>>,
}

impl SyncContext {
    /// Call after every local write: refreshes the badge, reloads views, and syncs soon.
    pub fn after_local_write(&self) {
        self.data_version.update(|version| *version += 1);
        self.sync_now();
        let this = *self;
        spawn_local(async move {
            let _ = this.refresh_counts().await;
        });
    }

    /// Asks for a sync round soon: this tab's loop if it leads, else the leader's.
    pub fn sync_now(&self) {
        if self.leader.get_untracked() {
            self.kick.set(true);
        } else {
            self.tell_other_tabs(TabMessage::SyncRequested);
        }
    }

    fn tell_other_tabs(&self, message: TabMessage) {
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                tabs::post(channel, message);
            }
        });
    }

    /// A follower hears the leader finished a round: show what it achieved.
    async fn follow(&self, reached_server: bool, received: bool) {
        if reached_server {
            self.connectivity.set(Connectivity::Online);
        } else if platform::is_online() {
            self.connectivity.set(Connectivity::Unreachable);
        }
        if let Ok(meta) = self.store.get_value().sync_meta().await {
            self.last_sync.set(meta.last_sync);
        }
        let _ = self.refresh_counts().await;
        if received {
            self.data_version.update(|version| *version += 1);
        }
    }

    async fn refresh_counts(&self) -> Result<(), StoreError> {
        let outbox = self.store.get_value().outbox().await?;
        let rejected = outbox
            .iter()
            .filter(|entry| entry.rejection.is_some())
            .count();
        self.rejected.set(rejected);
        self.waiting.set(outbox.len() - rejected);
        Ok(())
    }
}

enum RoundError {
    NotSignedIn,
    Api(ApiError),
    Store(StoreError),
    /// The server answered a push without settling any of it; try again later.
    Stalled,
}

impl From<ApiError> for RoundError {
    fn from(error: ApiError) -> Self {
        RoundError::Api(error)
    }
}

impl From<StoreError> for RoundError {
    fn from(error: StoreError) -> Self {
        RoundError::Store(error)
    }
}

/// One sync round: push every sendable outbox change in batches, then pull every page.
/// Returns whether anything from the server was stored.
async fn round(store: &Store) -> Result<bool, RoundError> {
    let Some(session) = store.session().await? else {
        return Err(RoundError::NotSignedIn);
    };
    loop {
        let outbox = store.outbox().await?;
        let batch = next_push_batch(&outbox, PUSH_BATCH_SIZE);
        if batch.is_empty() {
            break;
        }
        let request = PushRequest {
            changes: batch.clone(),
        };
        let response = api::push(&session.token, &request).await?;
        let settlement = settle_push(&batch, &response);
        if settlement.done.is_empty() && settlement.rejected.is_empty() {
            return Err(RoundError::Stalled);
        }
        store.settle(&settlement).await?;
    }
    let mut received = false;
    loop {
        let cursor = store.sync_meta().await?.cursor;
        let page = api::pull(&session.token, cursor).await?;
        received |= !page.cases.is_empty() || !page.notes.is_empty();
        store.apply_pull(&page).await?;
        if !page.more {
            break;
        }
    }
    store.set_last_sync(Utc::now()).await?;
    Ok(received)
}

async fn run(context: SyncContext) {
    let store = context.store.get_value();
    let mut failures: u32 = 0;
    loop {
        if platform::is_online() && !context.needs_sign_in.get_untracked() {
            let outcome = round(&store).await;
            context.tell_other_tabs(TabMessage::Synced {
                reached_server: matches!(
                    outcome,
                    Ok(_) | Err(RoundError::Api(ApiError::Unauthorized(_)))
                ),
                received: matches!(outcome, Ok(true)),
            });
            match outcome {
                Ok(received) => {
                    failures = 0;
                    context.connectivity.set(Connectivity::Online);
                    context.last_sync.set(Some(Utc::now()));
                    if received {
                        context.data_version.update(|version| *version += 1);
                    }
                }
                Err(RoundError::NotSignedIn) => context.needs_sign_in.set(true),
                Err(RoundError::Api(ApiError::Unauthorized(_))) => {
                    context.connectivity.set(Connectivity::Online);
                    context.needs_sign_in.set(true);
                }
                Err(RoundError::Api(error)) => {
                    failures += 1;
                    context.connectivity.set(Connectivity::Unreachable);
                    leptos::logging::warn!("sync failed: {error}");
                }
                Err(RoundError::Store(error)) => {
                    failures += 1;
                    leptos::logging::error!("sync could not use the device database: {error}");
                }
                Err(RoundError::Stalled) => failures += 1,
            }
            let _ = context.refresh_counts().await;
        } else if !platform::is_online() {
            context.connectivity.set(Connectivity::Offline);
        }
        wait_for_next_round(&context, failures).await;
    }
}

/// Sleeps until the next round is due, or until a local write or the network coming back
/// asks for one sooner.
async fn wait_for_next_round(context: &SyncContext, failures: u32) {
    let due_ms = if failures == 0 {
        POLL_INTERVAL_MS
    } else {
        retry_delay(failures - 1).as_millis() as u64
    };
    let mut waited_ms = 0;
    context.kick.set(false);
    while waited_ms < due_ms {
        TimeoutFuture::new(TICK_MS).await;
        waited_ms += u64::from(TICK_MS);
        if context.kick.get_untracked() {
            break;
        }
    }
}

/// Creates the sync state, provides it as context, and starts the loop.
pub fn provide_sync_context(store: Store) -> SyncContext {
    let context = SyncContext {
        connectivity: RwSignal::new(if platform::is_online() {
            Connectivity::Unreachable
        } else {
            Connectivity::Offline
        }),
        waiting: RwSignal::new(0),
        rejected: RwSignal::new(0),
        last_sync: RwSignal::new(None),
        needs_sign_in: RwSignal::new(false),
        data_version: RwSignal::new(0),
        leader: RwSignal::new(false),
        kick: RwSignal::new(false),
        store: StoredValue::new(store),
        channel: StoredValue::new(None),
    };
    provide_context(context);
    let channel = tabs::open_channel(move |message| match message {
        TabMessage::SyncRequested => context.kick.set(true),
        TabMessage::Synced {
            reached_server,
            received,
        } => {
            if !context.leader.get_untracked() {
                spawn_local(async move { context.follow(reached_server, received).await });
            }
        }
    });
    context.channel.set_value(channel);
    let on_network_change = move || {
        if platform::is_online() {
            context.sync_now();
        } else {
            context.connectivity.set(Connectivity::Offline);
        }
    };
    window_event_listener(leptos::ev::online, move |_| on_network_change());
    window_event_listener(leptos::ev::offline, move |_| on_network_change());
    spawn_local(async move {
        if let Ok(meta) = context.store.get_value().sync_meta().await {
            context.last_sync.set(meta.last_sync);
        }
        let _ = context.refresh_counts().await;
    });
    tabs::when_sync_leader(move || {
        context.leader.set(true);
        spawn_local(run(context));
    });
    context
}

pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}
