//! The sync loop: pushes the signed-in user's outbox changes and pulls the server's records
//! whenever it can, with backoff, and publishes its state (connectivity, waiting changes, last
//! sync, what needs the user) as signals.
//!
//! A change is only ever sent under its author's session: changes another user made on this
//! device wait, counted apart, until that user signs in here again.
//!
//! The loop's code is in the desk's chunk (`sync_loop`), and sending changes and photos in one
//! fetched only when something waits (`send_outbox`, `send_photos`): the first screens do not
//! wait for either.

use crate::api::{self, ApiError};
use crate::session::SessionContext;
use crate::store::{Store, StoreError};
use crate::tabs::{self, TabMessage};
use crate::{lazy, platform};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::channel::oneshot;
use futures::future::Either;
use gloo_timers::future::TimeoutFuture;
use kefu_core::account::Session;
use kefu_core::lang::Bilingual;
use kefu_core::photo::{PhotoRef, next_chunk};
use kefu_core::recovery::{RecoverRequest, answered_send_back, plan_send_back, restored_since};
use kefu_core::sync::{
    Change, PUSH_BATCH_SIZE, PushRequest, Settlement, next_push_batch, retry_delay, settle_push,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use wasm_split_helpers::{SplitLoaderError, wasm_split};

/// How often a healthy device checks the server for colleagues' changes.
const POLL_INTERVAL_MS: u64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connectivity {
    /// The browser reports no network.
    Offline,
    /// Network is up but the last attempt to reach the server failed.
    Unreachable,
    /// The last sync round reached the server.
    Online,
}

/// How far the photos waiting on this device are uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoProgress {
    /// Bytes the server holds of the photos being uploaded, and of all of them.
    pub sent: u64,
    pub total: u64,
    /// The photo going up now (from 1), of how many.
    pub photo: usize,
    pub photos: usize,
}

impl PhotoProgress {
    pub fn percent(&self) -> u64 {
        (self.sent * 100).checked_div(self.total).unwrap_or(100)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SyncContext {
    pub connectivity: RwSignal<Connectivity>,
    /// The signed-in user's changes waiting to be sent (not counting rejected ones); `None`
    /// until the outbox has been counted, so a fresh page never claims "0 waiting" too early.
    pub waiting: RwSignal<Option<usize>>,
    /// Changes other users made on this device, waiting for them to sign in here again.
    pub waiting_for_others: RwSignal<usize>,
    /// Changes the server refused; they stay until the user acts on them.
    pub rejected: RwSignal<usize>,
    pub last_sync: RwSignal<Option<DateTime<Utc>>>,
    /// The server no longer accepts this device's session.
    pub needs_sign_in: RwSignal<bool>,
    /// Why the server ended the session early, when it said (account disabled, password
    /// changed…); shown beside "sign in again".
    pub session_ended: RwSignal<Option<Bilingual>>,
    /// The server no longer speaks this build's protocol: its message; syncing stops until
    /// the app is reloaded (updated). The outbox is kept.
    pub update_required: RwSignal<Option<Bilingual>>,
    /// Bumped whenever local data changed, so views showing it reload.
    pub data_version: RwSignal<u64>,
    /// This tab holds the sync lock and runs the loop; other tabs follow it.
    pub leader: RwSignal<bool>,
    /// Photos going up now, in this (the leader) tab.
    pub photo_upload: RwSignal<Option<PhotoProgress>>,
    /// Wakes the leader's loop at once (a write, a sign-in, the network back): a sleeping
    /// loop that polled a flag would add its tick to every sync.
    kick: StoredValue<Option<UnboundedSender<()>>>,
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
            self.kick();
        } else {
            self.tell_other_tabs(TabMessage::SyncRequested);
        }
    }

    /// Asks this tab's loop for a round now; a kick during a round asks for one more after it.
    fn kick(&self) {
        self.kick.with_value(|kick| {
            if let Some(kick) = kick {
                let _ = kick.unbounded_send(());
            }
        });
    }

    /// Call once a sign-in in this tab is stored: this tab and every other one take the new
    /// session, and the leader syncs under it, without a reload.
    pub fn signed_in(&self, session: Session) {
        self.session.adopt(Some(session));
        self.needs_sign_in.set(false);
        self.session_ended.set(None);
        self.tell_other_tabs(TabMessage::SignedIn);
        self.sync_now();
    }

    /// Call once this device's sign-out is stored: every tab shows the sign-in page.
    pub fn signed_out(&self) {
        self.session.adopt(None);
        // The store dropped it with the records: the next user's first pull has not run yet
        // (the shift page waits for it before looking for pins).
        self.last_sync.set(None);
        self.needs_sign_in.set(false);
        self.session_ended.set(None);
        self.data_version.update(|version| *version += 1);
        self.tell_other_tabs(TabMessage::SignedOut);
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
            TabMessage::SyncRequested => self.kick(),
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
            TabMessage::SessionExpired { reason } => {
                self.needs_sign_in.set(true);
                self.session_ended.set(reason);
            }
            TabMessage::SignedIn | TabMessage::SignedOut => {
                spawn_local(async move { this.reload_session().await })
            }
            TabMessage::UpdateRequired { message } => self.update_required.set(Some(message)),
        }
    }

    /// Another tab signed in or out: take its session (or none) from the device database.
    async fn reload_session(&self) {
        match self.store.get_value().session().await {
            Ok(session) => {
                let signed_in = session.is_some();
                self.session.adopt(session);
                if signed_in {
                    self.needs_sign_in.set(false);
                    if self.leader.get_untracked() {
                        self.kick();
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
        let username = self.session.user_now().map(|user| user.username);
        let counts = self
            .store
            .get_value()
            .outbox_counts(username.as_deref().unwrap_or_default())
            .await?;
        // Before anyone is signed in (or while the session is still being read at start), no
        // change is "mine": no count, rather than a 0 that is not yet true.
        self.waiting.set(username.map(|_| counts.mine));
        self.waiting_for_others.set(counts.others);
        self.rejected.set(counts.rejected);
        Ok(())
    }
}

enum RoundError {
    NotSignedIn,
    Api(ApiError),
    Store(StoreError),
    /// The server answered a push without settling any of it; try again later.
    Stalled,
    /// The chunk that sends the outbox and the photos could not be fetched; try again later.
    Chunk,
    /// Someone else signed in here while the round ran (it waited on a chunk or the network):
    /// the round stops, and the sign-in's own round goes on with their session.
    SessionChanged,
}

/// Ends the round unless the session it began with is still the device's: a change goes only
/// under its author's session, and what was pulled for one user is never stored once another
/// has signed in here (their sign-in dropped the first user's records).
async fn still_signed_in(store: &Store, token: &str) -> Result<(), RoundError> {
    match store.session().await? {
        Some(session) if session.token == token => Ok(()),
        _ => Err(RoundError::SessionChanged),
    }
}

impl From<SplitLoaderError> for RoundError {
    fn from(_: SplitLoaderError) -> Self {
        RoundError::Chunk
    }
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
///
/// Photos go up after the changes that need none, so a slow photo never holds back a note;
/// the changes that name a photo follow once it is up.
///
/// A pull that shows the server was restored from a backup stops storing pages: the device
/// sends back what it holds (its photos first), then pulls the new copy from the start.
async fn round(
    store: &Store,
    photo_upload: RwSignal<Option<PhotoProgress>>,
) -> Result<bool, RoundError> {
    let Some(session) = store.session().await? else {
        return Err(RoundError::NotSignedIn);
    };
    let (token, author) = (&session.token, &session.user.username);
    let received = loop {
        // What the device holds goes back before its pending changes: they may be made on
        // records the restore lost.
        if store.sync_meta().await?.recovering.is_some() {
            upload_photos(store, token, photo_upload).await?;
            send_back(store.clone(), token.to_owned()).await?.await?;
        }
        match push_outbox(store, token, author).await {
            // The pull below sees the new epoch and starts sending back.
            Err(RoundError::Api(ApiError::Restored)) => {}
            pushed => pushed?,
        }
        match pull_all(store, token).await? {
            Pulled::Restored => continue,
            Pulled::Stored { received } => break received,
        }
    };
    store.set_last_sync(Utc::now()).await?;
    // On a failure the progress stays up, showing where the upload will resume.
    let uploaded = upload_photos(store, token, photo_upload).await?;
    photo_upload.set(None);
    if uploaded {
        push_outbox(store, token, author).await?;
    }
    Ok(received)
}

/// Sends back every change the confirmed records hold after a restore, in requests planned by
/// `kefu_core::recovery::plan_send_back`, noting after each answer (`answered_send_back`) the
/// record it got through (a round cut short resumes there). Once all are answered the device
/// takes the new epoch. In the outbox's chunk: only a
/// restore fetches it.
#[wasm_split(outbox, fallible)]
fn send_back(store: Store, token: String) -> Result<Sending, SplitLoaderError> {
    Ok(Box::pin(async move {
        let after = store.sync_meta().await?.recovered_through;
        let records = store.confirmed_records().await?;
        for part in plan_send_back(&records, after, PUSH_BATCH_SIZE) {
            still_signed_in(&store, &token).await?;
            let request = RecoverRequest {
                receipts: part.receipts,
            };
            let response = api::recover(&token, &request).await?;
            // An answer cut short: sent again next round, from the last record noted.
            let refused =
                answered_send_back(&request.receipts, &response).ok_or(RoundError::Stalled)?;
            for (change_id, reason) in refused {
                leptos::logging::warn!(
                    "not taken back after the restore: {change_id}: {}",
                    reason.en
                );
            }
            if let Some(through) = part.through {
                store.recovered_through(through).await?;
            }
        }
        store.end_recovery().await?;
        Ok(())
    }))
}

/// Uploads the photos taken here that the server does not hold, each resumed from what the
/// server reports it holds, publishing progress; returns whether any went up.
async fn upload_photos(
    store: &Store,
    token: &str,
    progress: RwSignal<Option<PhotoProgress>>,
) -> Result<bool, RoundError> {
    let waiting = store.photos_to_upload().await?;
    if waiting.is_empty() {
        return Ok(false);
    }
    send_photos(store.clone(), token.to_owned(), progress, waiting)
        .await?
        .await?;
    Ok(true)
}

/// Sends each waiting photo, resumed from what the server holds. In the outbox's chunk
/// (`scripts/build-client` splits the wasm here), with the changes' sending: a device with
/// nothing to send, a fresh tablet's first sign-in above all, never fetches it.
#[wasm_split(outbox, fallible)]
fn send_photos(
    store: Store,
    token: String,
    progress: RwSignal<Option<PhotoProgress>>,
    waiting: Vec<(PhotoRef, Vec<u8>)>,
) -> Result<Sending, SplitLoaderError> {
    Ok(Box::pin(async move {
        let total: u64 = waiting.iter().map(|(photo, _)| photo.bytes).sum();
        let mut sent_before = 0;
        for (index, (photo, bytes)) in waiting.iter().enumerate() {
            let mut status = api::photo_status(&token, &photo.hash).await?;
            while !status.complete {
                progress.set(Some(PhotoProgress {
                    sent: sent_before + status.received,
                    total,
                    photo: index + 1,
                    photos: waiting.len(),
                }));
                let range = next_chunk(photo.bytes, status.received);
                let chunk = &bytes[range.start as usize..range.end as usize];
                let held = status.received;
                status = api::put_photo_chunk(&token, &photo.hash, photo.bytes, range.start, chunk)
                    .await?;
                if !status.complete && status.received == held {
                    // The answer moved nothing: asking again at once would only repeat it.
                    return Err(RoundError::Stalled);
                }
            }
            store.photo_uploaded(&photo.hash).await?;
            sent_before += photo.bytes;
        }
        Ok(())
    }))
}

/// What the outbox's chunk runs: the sending, until it is done or fails.
type Sending = Pin<Box<dyn Future<Output = Result<(), RoundError>>>>;

/// How a pull ended.
enum Pulled {
    /// Every page is stored; whether any held records.
    Stored { received: bool },
    /// The server was restored from a backup: nothing of its new copy is stored until the
    /// device has sent back what it holds.
    Restored,
}

/// Pulls every page after the device's cursor; returns whether any held records. The next
/// page is asked for as soon as this one's headers announce it (`NEXT_CURSOR_HEADER`), so the
/// server reads it while this one is received, decoded and stored; pages are still stored in
/// order, and one that fails to store stops the pull before the next is stored.
async fn pull_all(store: &Store, token: &str) -> Result<Pulled, RoundError> {
    let meta = store.sync_meta().await?;
    let mut started = api::start_pull(token, meta.cursor.as_deref()).await?;
    let mut received = false;
    loop {
        let announced = started.next_cursor();
        let (stored, next) = futures::join!(
            store_page(store, token, started, meta.epoch.as_deref()),
            async {
                match &announced {
                    Some(cursor) => Some(api::start_pull(token, Some(cursor)).await),
                    None => None,
                }
            }
        );
        let Some(stored) = stored? else {
            return Ok(Pulled::Restored);
        };
        received |= stored.held_records;
        started = match (next, stored.more_from) {
            (Some(next), _) => next?,
            // A server that does not announce the next page (an earlier build, while several
            // instances are updated): asked for once this page is read.
            (None, Some(cursor)) => api::start_pull(token, Some(&cursor)).await?,
            (None, None) => return Ok(Pulled::Stored { received }),
        };
    }
}

/// What a stored page said of the pull.
struct StoredPage {
    held_records: bool,
    /// Where the next page starts, if there is one.
    more_from: Option<String>,
}

/// Reads one page whole and stores it, unless someone else has signed in here meanwhile, or
/// the page is of a restored copy of the server's data newer than `held_epoch`: then it notes
/// the restore, stores nothing and returns `None`.
async fn store_page(
    store: &Store,
    token: &str,
    started: api::PullStarted,
    held_epoch: Option<&str>,
) -> Result<Option<StoredPage>, RoundError> {
    let pulled = started.page().await?;
    let page = &pulled.page;
    still_signed_in(store, token).await?;
    if restored_since(held_epoch, &page.epoch) {
        store.begin_recovery(&page.epoch).await?;
        return Ok(None);
    }
    let texts: Vec<&str> = pulled.texts.iter().map(|text| text.get()).collect();
    store.apply_pulled(page, &texts).await?;
    Ok(Some(StoredPage {
        held_records: !page.records.is_empty(),
        more_from: page.more.then(|| page.cursor.clone()),
    }))
}

/// The author's changes that can go now (none waits for a photo still to be uploaded).
async fn sendable(store: &Store, author: &str, limit: usize) -> Result<Vec<Change>, RoundError> {
    let photos_waiting = store.photos_waiting().await?;
    Ok(next_push_batch(
        &store.outbox().await?,
        author,
        limit,
        |hash| !photos_waiting.contains(hash),
    ))
}

/// Pushes the author's sendable changes, if there are any (the sending is in the outbox's
/// chunk, `send_outbox`, fetched only then).
async fn push_outbox(store: &Store, token: &str, author: &str) -> Result<(), RoundError> {
    if sendable(store, author, 1).await?.is_empty() {
        return Ok(());
    }
    send_outbox(store.clone(), token.to_owned(), author.to_owned())
        .await?
        .await
}

/// Pushes the author's sendable changes, oldest first, in batches. The outbox is read once per
/// pass (and once before, by `push_outbox`, to see whether anything is to be sent), not once
/// per batch (re-reading a long outbox for every batch made sending it quadratic); a pass ends
/// by reading it again for writes made meanwhile. Only rejected changes can be discarded, and
/// those are never sent, so a pass never sends a discarded one.
///
/// Batch n+1 is sent while batch n's answer is written to the device database: it leaves only
/// after the server answered batch n, so the server still applies batches in order.
#[wasm_split(outbox, fallible)]
fn send_outbox(store: Store, token: String, author: String) -> Result<Sending, SplitLoaderError> {
    Ok(Box::pin(async move {
        let epoch = store.sync_meta().await?.epoch;
        let epoch = epoch.as_deref();
        loop {
            let pending = sendable(&store, &author, usize::MAX).await?;
            if pending.is_empty() {
                return Ok(());
            }
            let mut answered: Option<Settlement> = None;
            for batch in pending.chunks(PUSH_BATCH_SIZE) {
                if let Err(changed) = still_signed_in(&store, &token).await {
                    // What the server already answered is written down first.
                    if let Some(settlement) = answered.take() {
                        store.settle(&settlement).await?;
                    }
                    return Err(changed);
                }
                let request = PushRequest {
                    changes: batch.to_vec(),
                };
                let response = match answered.take() {
                    Some(settlement) => {
                        let (response, settled) = futures::join!(
                            api::push(&token, epoch, &request),
                            store.settle(&settlement)
                        );
                        settled?;
                        response?
                    }
                    None => api::push(&token, epoch, &request).await?,
                };
                let settlement = settle_push(batch, &response);
                if settlement.done.is_empty() && settlement.rejected.is_empty() {
                    // Nothing settled: sending the same batch again now would change nothing.
                    return Err(RoundError::Stalled);
                }
                answered = Some(settlement);
            }
            if let Some(settlement) = answered {
                store.settle(&settlement).await?;
            }
        }
    }))
}

async fn run(context: SyncContext, mut kicks: UnboundedReceiver<()>) {
    let store = context.store.get_value();
    let mut failures: u32 = 0;
    loop {
        if let Some(message) = context.update_required.get_untracked() {
            // No more rounds until the app is reloaded; tabs opened since still hear why.
            context.tell_other_tabs(TabMessage::UpdateRequired { message });
        } else if context.needs_sign_in.get_untracked() {
            // Nothing to do until someone signs in (any tab tells us); tabs opened since
            // still hear why.
            context.tell_other_tabs(TabMessage::SessionExpired {
                reason: context.session_ended.get_untracked(),
            });
        } else if platform::is_online() {
            let outcome = round(&store, context.photo_upload).await;
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
                Err(RoundError::Api(ApiError::Unauthorized(reason))) => {
                    context.connectivity.set(Connectivity::Online);
                    context.needs_sign_in.set(true);
                    context.session_ended.set(Some(reason.clone()));
                    context.tell_other_tabs(TabMessage::SessionExpired {
                        reason: Some(reason),
                    });
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
                // The sign-in that changed it asked for a round of its own.
                Err(RoundError::SessionChanged) => {}
                Err(RoundError::Chunk) => {
                    failures += 1;
                    leptos::logging::warn!("sync could not fetch the chunk that sends changes");
                }
            }
            let _ = context.refresh_counts().await;
        } else {
            context.connectivity.set(Connectivity::Offline);
        }
        wait_for_next_round(&mut kicks, failures).await;
    }
}

/// Sleeps until the next round is due, or until a local write, a sign-in or the network
/// coming back asks for one sooner (at once: the kick wakes the sleep).
async fn wait_for_next_round(kicks: &mut UnboundedReceiver<()>, failures: u32) {
    let due_ms = if failures == 0 {
        POLL_INTERVAL_MS
    } else {
        retry_delay(failures - 1).as_millis() as u64
    };
    let due = TimeoutFuture::new(due_ms.try_into().unwrap_or(u32::MAX));
    if let Either::Right((None, due)) = futures::future::select(due, kicks.next()).await {
        // No one can kick any more (never while the app runs): sleep the whole interval.
        due.await;
    }
    // One round answers every kick so far.
    while kicks.try_recv().is_ok() {}
}

/// Creates the sync state, provides it as context, and starts the loop once this tab leads.
pub fn provide_sync_context(store: Store, session: SessionContext) -> SyncContext {
    let context = SyncContext {
        connectivity: RwSignal::new(if platform::is_online() {
            Connectivity::Unreachable
        } else {
            Connectivity::Offline
        }),
        waiting: RwSignal::new(None),
        waiting_for_others: RwSignal::new(0),
        rejected: RwSignal::new(0),
        last_sync: RwSignal::new(None),
        needs_sign_in: RwSignal::new(false),
        session_ended: RwSignal::new(None),
        update_required: RwSignal::new(None),
        data_version: RwSignal::new(0),
        leader: RwSignal::new(false),
        photo_upload: RwSignal::new(None),
        kick: StoredValue::new(None),
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
    // The loop has nothing to do before someone signs in here (changes wait for their author),
    // and its code is a chunk of its own (`sync_loop`): it starts once the first signed-in
    // screen is up, so neither a fresh tablet's sign-in form nor its case list waits for it.
    let (first_signed_in, first_sign_in) = oneshot::channel::<()>();
    let first_signed_in = StoredValue::new(Some(first_signed_in));
    // Whose changes count as "waiting" depends on who is signed in: recount on every change.
    Effect::new(move |_| {
        if session.session.with(Option::is_some)
            && let Some(signed_in) = first_signed_in.try_update_value(Option::take).flatten()
        {
            let _ = signed_in.send(());
        }
        spawn_local(async move {
            let _ = context.refresh_counts().await;
        });
    });
    tabs::when_sync_leader(move || {
        let (kick, mut kicks) = unbounded();
        context.kick.set_value(Some(kick));
        context.leader.set(true);
        spawn_local(async move {
            if first_sign_in.await.is_err() {
                return;
            }
            // After the desk's chunk (which the first screen needs, and which a failure here
            // leaves to its own retry) and the browser's next idle moment: the case list is
            // shown from the device before anything is fetched for sync.
            let _ = lazy::desk::LOAD().await;
            platform::next_idle_moment().await;
            // A chunk that cannot be fetched yet (the station's Wi-Fi) is tried again, with
            // the rounds' backoff, or at once when asked for a round (a write, the network
            // back); nothing is lost meanwhile, the outbox keeps every change.
            let mut failures = 0;
            while load_sync_loop().await.is_err() {
                failures += 1;
                wait_for_next_round(&mut kicks, failures).await;
            }
            if let Ok(running) = sync_loop(context, kicks).await {
                running.await;
            }
        });
    });
    context
}

/// The loop, from a chunk of its own (`scripts/build-client` splits the wasm here).
#[wasm_split(sync, fallible, preload(load_sync_loop))]
fn sync_loop(
    context: SyncContext,
    kicks: UnboundedReceiver<()>,
) -> Result<Pin<Box<dyn Future<Output = ()>>>, SplitLoaderError> {
    Ok(Box::pin(run(context, kicks)))
}

pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}
