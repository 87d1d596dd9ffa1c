//! The sync loop: pushes the signed-in user's outbox changes and pulls the server's records
//! whenever it can, with backoff, and publishes its state (connectivity, waiting changes, last
//! sync, what needs the user) as signals.
//!
//! A change is only ever sent under its author's session: changes another user made on this
//! device wait, counted apart, until that user signs in here again.

use crate::api::{self, ApiError};
use crate::platform;
use crate::session::SessionContext;
use crate::store::{Store, StoreError};
use crate::tabs::{self, TabMessage};
use chrono::{DateTime, Utc};
use gloo_timers::future::TimeoutFuture;
use kefu_core::account::Session;
use kefu_core::lang::Bilingual;
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
    /// The signed-in user's changes waiting to be sent (not counting rejected ones).
    pub waiting: RwSignal<usize>,
    /// Changes other users made on this device, waiting for them to sign in here again.
    pub waiting_for_others: RwSignal<usize>,
    /// Changes the server refused; they stay until the user acts on them.
    pub rejected: RwSignal<usize>,
    pub last_sync: RwSignal<Option<DateTime<Utc>>>,
    /// The server no longer accepts this device's session.
    pub needs_sign_in: RwSignal<bool>,
    /// The server no longer speaks this build's protocol: its message; syncing stops until
    /// the app is reloaded (updated). The outbox is kept.
    pub update_required: RwSignal<Option<Bilingual>>,
    /// Bumped whenever local data changed, so views showing it reload.
    pub data_version: RwSignal<u64>,
    /// This tab holds the sync lock and runs the loop; other tabs follow it.
    pub leader: RwSignal<bool>,
    kick: RwSignal<bool>,
    session: SessionContext,
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

    /// Call once a sign-in in this tab is stored: this tab and every other one take the new
    /// session, and the leader syncs under it, without a reload.
    pub fn signed_in(&self, session: Session) {
        self.session.session.set(Some(session));
        self.needs_sign_in.set(false);
        self.tell_other_tabs(TabMessage::SignedIn);
        self.sync_now();
    }

    /// The server said this build's protocol is too old: every tab shows the server's message,
    /// and the leader stops its rounds until the app is reloaded. The outbox is kept.
    pub fn require_update(&self, message: Bilingual) {
        self.update_required.set(Some(message.clone()));
        self.tell_other_tabs(TabMessage::UpdateRequired { message });
    }

    fn tell_other_tabs(&self, message: TabMessage) {
        self.channel.with_value(|channel| {
            if let Some(channel) = channel {
                tabs::post(channel, &message);
            }
        });
    }

    fn on_tab_message(&self, message: TabMessage) {
        let this = *self;
        match message {
            TabMessage::SyncRequested => self.kick.set(true),
            TabMessage::Synced {
                reached_server,
                signed_in,
                received,
            } => {
                if !self.leader.get_untracked() {
                    spawn_local(
                        async move { this.follow(reached_server, signed_in, received).await },
                    );
                }
            }
            TabMessage::SessionExpired => self.needs_sign_in.set(true),
            TabMessage::SignedIn => spawn_local(async move { this.reload_session().await }),
            TabMessage::UpdateRequired { message } => self.update_required.set(Some(message)),
        }
    }

    /// Another tab signed in: take its session from the device database.
    async fn reload_session(&self) {
        match self.store.get_value().session().await {
            Ok(session) => {
                let signed_in = session.is_some();
                self.session.session.set(session);
                if signed_in {
                    self.needs_sign_in.set(false);
                    if self.leader.get_untracked() {
                        self.kick.set(true);
                    }
                }
            }
            Err(error) => leptos::logging::error!("reading the session failed: {error}"),
        }
    }

    /// A follower hears the leader finished a round: show what it achieved.
    async fn follow(&self, reached_server: bool, signed_in: bool, received: bool) {
        if reached_server {
            self.connectivity.set(Connectivity::Online);
            self.needs_sign_in.set(!signed_in);
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
        let username = self.session.username();
        let (mut mine, mut others, mut rejected) = (0, 0, 0);
        for entry in &outbox {
            if entry.rejection.is_some() {
                rejected += 1;
            } else if entry.author == username {
                mine += 1;
            } else {
                others += 1;
            }
        }
        self.waiting.set(mine);
        self.waiting_for_others.set(others);
        self.rejected.set(rejected);
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

/// One sync round: push the signed-in user's sendable changes in batches, then pull every
/// page. Returns whether anything from the server was stored.
async fn round(store: &Store) -> Result<bool, RoundError> {
    let Some(session) = store.session().await? else {
        return Err(RoundError::NotSignedIn);
    };
    let author = session.user.username.as_str();
    loop {
        let outbox = store.outbox().await?;
        let batch = next_push_batch(&outbox, author, PUSH_BATCH_SIZE);
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
        let page = api::pull(&session.token, cursor.as_deref()).await?;
        received |= !page.records.is_empty();
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
        if let Some(message) = context.update_required.get_untracked() {
            // No more rounds until the app is reloaded; tabs opened since still hear why.
            context.tell_other_tabs(TabMessage::UpdateRequired { message });
        } else if context.needs_sign_in.get_untracked() {
            // Nothing to do until someone signs in (any tab tells us); tabs opened since
            // still hear why.
            context.tell_other_tabs(TabMessage::SessionExpired);
        } else if platform::is_online() {
            let outcome = round(&store).await;
            let unauthorized = matches!(
                outcome,
                Err(RoundError::NotSignedIn | RoundError::Api(ApiError::Unauthorized(_)))
            );
            context.tell_other_tabs(TabMessage::Synced {
                reached_server: matches!(
                    outcome,
                    Ok(_)
                        | Err(RoundError::Api(
                            ApiError::Unauthorized(_) | ApiError::UpdateRequired(_)
                        ))
                ),
                signed_in: !unauthorized,
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
                    context.tell_other_tabs(TabMessage::SessionExpired);
                }
                Err(RoundError::Api(ApiError::UpdateRequired(message))) => {
                    context.connectivity.set(Connectivity::Online);
                    context.require_update(message);
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
        } else {
            context.connectivity.set(Connectivity::Offline);
        }
        wait_for_next_round(&context, failures).await;
    }
}

/// Sleeps until the next round is due, or until a local write, a sign-in or the network
/// coming back asks for one sooner.
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

/// Creates the sync state, provides it as context, and starts the loop once this tab leads.
pub fn provide_sync_context(store: Store, session: SessionContext) -> SyncContext {
    let context = SyncContext {
        connectivity: RwSignal::new(if platform::is_online() {
            Connectivity::Unreachable
        } else {
            Connectivity::Offline
        }),
        waiting: RwSignal::new(0),
        waiting_for_others: RwSignal::new(0),
        rejected: RwSignal::new(0),
        last_sync: RwSignal::new(None),
        needs_sign_in: RwSignal::new(false),
        update_required: RwSignal::new(None),
        data_version: RwSignal::new(0),
        leader: RwSignal::new(false),
        kick: RwSignal::new(false),
        session,
        store: StoredValue::new(store),
        channel: StoredValue::new(None),
    };
    provide_context(context);
    let channel = tabs::open_channel(move |message| context.on_tab_message(message));
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
    });
    // Whose changes count as "waiting" depends on who is signed in: recount on every change.
    Effect::new(move |_| {
        session.session.track();
        spawn_local(async move {
            let _ = context.refresh_counts().await;
        });
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
