//! A simulated device: the browser's store (confirmed records, outbox, cursor, clock) kept in
//! memory, written and synced with the same shared-crate functions as `src/store` and the
//! round of `src/sync.rs`, over HTTP through a faulty proxy. A user task makes random changes
//! and goes offline and online, now and then recording a parcel with a photo, which is
//! uploaded in resumable chunks before the change naming it; a sync task runs rounds beside it,
//! as the browser's loop does.

use chrono::{DateTime, Utc};
use kefu_core::access::team_for_new;
use kefu_core::account::{Session, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::{CaseKind, CaseStatus, NewCase, event, field, note_data};
use kefu_core::kinds::parcel::NewParcel;
use kefu_core::photo::{
    JPEG_END, JPEG_START, PhotoRef, UPLOAD_CHUNK_BYTES, UploadStatus, next_chunk,
};
use kefu_core::record::{Record, RecordType};
use kefu_core::recovery::{RecoverRequest, answered_send_back, plan_send_back, restored_since};
use kefu_core::sync::{
    Change, EPOCH_HEADER, Op, OutboxEntry, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PUSH_BATCH_SIZE, PullResponse, PushRequest, PushResponse, Settlement, confirm, next_push_batch,
    settle_push, with_pending,
};
use kefu_server::demo::DEMO_PASSWORD;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use uuid::Uuid;

/// The device database of `src/store`, in memory: what the server confirmed, the outbox,
/// the pull cursor and the clock.
#[derive(Debug, Default)]
pub struct Store {
    pub confirmed: BTreeMap<Uuid, Record>,
    pub outbox: Vec<OutboxEntry>,
    pub cursor: Option<String>,
    pub clock: Hlc,
    /// `store::photos`: photos taken here by hash, with whether the server holds them.
    pub photos: BTreeMap<String, (Vec<u8>, bool)>,
    /// The server's epoch the confirmed records came from (`kefu_core::recovery`).
    pub epoch: Option<String>,
    /// A restore seen and not yet answered: the new epoch, adopted once everything held is
    /// sent back.
    pub recovering: Option<String>,
    /// How far the sending back got (`Store::recovered_through`).
    pub recovered_through: Option<Uuid>,
}

/// What a write turns into once it has seen the shown record (as in `src/store/write.rs`).
struct Plan {
    record_type: RecordType,
    team: String,
    ops: Vec<Op>,
}

impl Store {
    /// One record as pages show it: confirmed plus pending.
    pub fn shown(&self, id: Uuid) -> Option<Record> {
        with_pending(id, self.confirmed.get(&id).cloned(), &self.outbox)
    }

    /// The live cases the case list shows, oldest first (UUIDv7 ids sort by creation).
    fn shown_cases(&self) -> Vec<Record> {
        let ids: BTreeSet<Uuid> = self
            .confirmed
            .keys()
            .copied()
            .chain(self.outbox.iter().map(|entry| entry.change.record_id))
            .collect();
        ids.into_iter()
            .filter_map(|id| self.shown(id))
            .filter(|record| record.record_type == RecordType::Case && record.is_live())
            .collect()
    }

    /// The one write path of `src/store/write.rs`: plan over the shown record, stamp each
    /// operation after the device's clock and the record's latest stamp, queue, raise the
    /// clock. Returns the changes queued.
    fn write(
        &mut self,
        device: Uuid,
        author: &UserInfo,
        now: DateTime<Utc>,
        record_id: Uuid,
        plan: impl FnOnce(Option<&Record>) -> Plan,
    ) -> Vec<Change> {
        let shown = self.shown(record_id);
        let Plan {
            record_type,
            team,
            ops,
        } = plan(shown.as_ref());
        let seen = shown.as_ref().map(Record::latest_stamp).unwrap_or_default();
        let mut latest = self.clock.max(seen);
        let mut changes = Vec::with_capacity(ops.len());
        for op in ops {
            latest = Hlc::next(latest, now.timestamp_millis());
            let change = Change {
                change_id: Uuid::now_v7(),
                device,
                stamp: latest,
                record_type,
                record_id,
                op,
            };
            self.outbox.push(OutboxEntry {
                change: change.clone(),
                author: author.username.clone(),
                team: team.clone(),
                queued_at: now,
                rejection: None,
            });
            changes.push(change);
        }
        self.clock = latest;
        changes
    }

    /// `Store::apply_pull`: the server's records replace ours wholesale; cursor and clock move.
    fn apply_pull(&mut self, page: &PullResponse) {
        self.epoch = Some(page.epoch.clone());
        for record in &page.records {
            self.confirmed.insert(record.id, record.clone());
        }
        if let Some(latest) = page.records.iter().map(Record::latest_stamp).max() {
            self.clock = self.clock.max(latest);
        }
        self.cursor = Some(page.cursor.clone());
    }

    /// `Store::begin_recovery`: a pull showed the server was restored. Until everything held
    /// is sent back, pages of the new epoch are not stored (they would replace what is to be
    /// sent), and photos go up again, as the restored server may lack them.
    fn begin_recovery(&mut self, epoch: &str) {
        self.recovering = Some(epoch.to_owned());
        self.recovered_through = None;
        for (_, uploaded) in self.photos.values_mut() {
            *uploaded = false;
        }
    }

    /// `Store::end_recovery`: everything held is back on the server; what the device held is
    /// dropped and the feed starts over.
    fn end_recovery(&mut self) {
        self.epoch = self.recovering.take();
        self.recovered_through = None;
        self.cursor = None;
        self.confirmed.clear();
    }

    /// `Store::settle`: a stored change leaves the outbox into the confirmed copy; a rejected
    /// one stays, marked.
    fn settle(&mut self, settlement: &Settlement) {
        for change_id in &settlement.done {
            let Some(at) = self
                .outbox
                .iter()
                .position(|entry| entry.change.change_id == *change_id)
            else {
                continue;
            };
            let entry = self.outbox.remove(at);
            let record_id = entry.change.record_id;
            if let Some(record) = confirm(self.confirmed.remove(&record_id), &entry) {
                self.confirmed.insert(record_id, record);
            }
        }
        for (change_id, reason) in &settlement.rejected {
            if let Some(entry) = self
                .outbox
                .iter_mut()
                .find(|entry| entry.change.change_id == *change_id)
            {
                entry.rejection = Some(reason.clone());
            }
        }
    }
}

/// One change a device made: the test's own record of what must reach the server.
#[derive(Debug, Clone)]
pub struct Made {
    pub change_id: Uuid,
    pub record_id: Uuid,
}

/// What one sync round moved.
#[derive(Debug, Default, Clone, Copy)]
pub struct Round {
    pub pushed: usize,
    pub received: usize,
}

#[derive(Debug, Default)]
pub struct DeviceStats {
    pub rounds: AtomicU64,
    pub failed_rounds: AtomicU64,
    /// `duplicate` answers: a change sent again after the server had stored it (its answer
    /// was lost, or the proxy sent it twice).
    pub duplicates: AtomicU64,
    /// Every `rejected` answer the server gave this device.
    pub rejections: Mutex<Vec<String>>,
    /// Answers no fault explains: 401 (sessions survive restarts) and 426.
    pub unexpected: Mutex<Vec<String>>,
    /// Photo chunks sent, and those the server answered "out of step" (a retried or
    /// duplicated chunk, or another device's upload of the same photo got there first).
    pub photo_chunks: AtomicU64,
    pub photo_out_of_step: AtomicU64,
    /// Changes sent back after a restore, and those the server took back (it had lost them).
    pub sent_back: AtomicU64,
    pub taken_back: AtomicU64,
}

pub struct Device {
    pub name: String,
    pub user: UserInfo,
    token: String,
    id: Uuid,
    /// How far this device's clock is off the real time: devices' clocks disagree.
    clock_offset_ms: i64,
    http: reqwest::Client,
    /// The proxies in front of each server; the device talks to one at a time.
    servers: Vec<String>,
    current: AtomicUsize,
    online: AtomicBool,
    store: Mutex<Store>,
    journal: Mutex<Vec<Made>>,
    /// The user's steps so far: what each write's text is tagged with.
    steps: AtomicUsize,
    pub stats: DeviceStats,
}

/// How many different photos the devices take between them.
const PHOTO_POOL: u8 = 4;

/// Photo `n` of the pool: a few upload chunks of bytes that are the same on every device.
fn pool_photo(n: u8) -> Vec<u8> {
    let len = 2 * UPLOAD_CHUNK_BYTES as usize + 1000 * usize::from(n) + 17;
    let mut bytes: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(7) ^ n).collect();
    // A JPEG's markers, which the server sniffs.
    bytes[..JPEG_START.len()].copy_from_slice(&JPEG_START);
    bytes[len - JPEG_END.len()..].copy_from_slice(&JPEG_END);
    bytes
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        // The proxy closes every connection after one answer; never reuse one.
        .pool_max_idle_per_host(0)
        .no_proxy()
        .build()
        .expect("http client")
}

/// Signs in through a proxy, as often as its faults take.
async fn sign_in(http: &reqwest::Client, base: &str, username: &str) -> Session {
    let mut last_error = String::new();
    for _attempt in 0..100 {
        let response = http
            .post(format!("{base}/api/login"))
            .json(&json!({ "username": username, "password": DEMO_PASSWORD }))
            .send()
            .await;
        match response {
            Ok(response) if response.status().is_success() => match response.json().await {
                Ok(session) => return session,
                Err(error) => last_error = error.to_string(),
            },
            Ok(response) => last_error = response.status().to_string(),
            Err(error) => last_error = error.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{username} cannot sign in: {last_error}");
}

/// Field edits are drawn from this list; title and status twice as often, so several devices
/// often edit the same field of the same record.
const EDITED_FIELDS: [&str; 8] = [
    field::TITLE,
    field::TITLE,
    field::STATUS,
    field::STATUS,
    field::CUSTOMER_PHONE,
    field::CUSTOMER_NAME,
    field::ORDER_NUMBER,
    field::KIND,
];

fn random_kind(rng: &mut StdRng) -> CaseKind {
    *CaseKind::ALL.choose(rng).expect("kinds")
}

fn random_phone(rng: &mut StdRng) -> String {
    format!("13{:09}", rng.gen_range(0..1_000_000_000u64))
}

impl Device {
    /// Signs `username` in on a new device that talks to `servers` (proxy addresses).
    pub async fn sign_in(
        name: String,
        username: &str,
        servers: Vec<String>,
        clock_offset_ms: i64,
    ) -> Device {
        let http = http_client();
        let session = sign_in(&http, &servers[0], username).await;
        Device {
            name,
            user: session.user,
            token: session.token,
            id: Uuid::now_v7(),
            clock_offset_ms,
            http,
            servers,
            current: AtomicUsize::new(0),
            online: AtomicBool::new(true),
            store: Mutex::new(Store::default()),
            journal: Mutex::new(Vec::new()),
            steps: AtomicUsize::new(0),
            stats: DeviceStats::default(),
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("device store")
    }

    pub fn journal(&self) -> Vec<Made> {
        self.journal.lock().expect("journal").clone()
    }

    pub fn set_online(&self, online: bool) {
        self.online.store(online, Ordering::SeqCst);
    }

    fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.clock_offset_ms)
    }

    /// Sends a sync request with the session and protocol headers; decodes a 2xx answer.
    async fn call<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, String> {
        let response = request
            .bearer_auth(&self.token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .map_err(|error| format!("send: {error}"))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| format!("{status}, body: {error}"))?;
        if status == reqwest::StatusCode::UNAUTHORIZED
            || status == reqwest::StatusCode::UPGRADE_REQUIRED
        {
            let text = String::from_utf8_lossy(&body).into_owned();
            self.stats
                .unexpected
                .lock()
                .expect("stats")
                .push(format!("{status}: {text}"));
        }
        if !status.is_success() {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&body)));
        }
        serde_json::from_slice(&body).map_err(|error| format!("{status}, decode: {error}"))
    }

    /// One round of `src/sync.rs`: push the author's outbox in batches, settling each answer,
    /// then pull pages until none is left.
    pub async fn round(&self) -> Result<Round, String> {
        self.stats.rounds.fetch_add(1, Ordering::Relaxed);
        let result = self.try_round().await;
        if result.is_err() {
            self.stats.failed_rounds.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    async fn try_round(&self) -> Result<Round, String> {
        let base = &self.servers[self.current.load(Ordering::SeqCst)];
        let mut round = Round::default();
        if self.store().recovering.is_some() {
            self.upload_photos(base).await?;
            self.send_back(base).await?;
        }
        self.upload_photos(base).await?;
        loop {
            let batch = {
                let store = self.store();
                next_push_batch(
                    &store.outbox,
                    &self.user.username,
                    PUSH_BATCH_SIZE,
                    |hash| store.photos.get(hash).is_none_or(|(_, uploaded)| *uploaded),
                )
            };
            if batch.is_empty() {
                break;
            }
            let request = PushRequest {
                changes: batch.clone(),
            };
            let mut push = self
                .http
                .post(format!("{base}/api/sync/push"))
                .json(&request);
            if let Some(epoch) = self.store().epoch.clone() {
                push = push.header(EPOCH_HEADER, epoch);
            }
            let response: PushResponse = match self.call(push).await {
                Ok(response) => response,
                // The pull below sees the new epoch and sends back first.
                Err(error) if error.contains("\"restored\"") => break,
                Err(error) => return Err(error),
            };
            let duplicates = response
                .outcomes
                .iter()
                .filter(|answer| answer.outcome == Outcome::Duplicate)
                .count();
            self.stats
                .duplicates
                .fetch_add(duplicates as u64, Ordering::Relaxed);
            let settlement = settle_push(&batch, &response);
            if settlement.done.is_empty() && settlement.rejected.is_empty() {
                return Err("stalled: the server answered for none of the batch".into());
            }
            for (change_id, reason) in &settlement.rejected {
                self.stats
                    .rejections
                    .lock()
                    .expect("stats")
                    .push(format!("{} {change_id}: {}", self.name, reason.en));
            }
            self.store().settle(&settlement);
            round.pushed += settlement.done.len();
        }
        loop {
            let cursor = self.store().cursor.clone();
            let mut request = self.http.get(format!("{base}/api/sync/pull"));
            if let Some(cursor) = &cursor {
                request = request.query(&[("cursor", cursor)]);
            }
            let page: PullResponse = self.call(request).await?;
            round.received += page.records.len();
            let held = self.store().epoch.clone();
            if restored_since(held.as_deref(), &page.epoch) {
                self.store().begin_recovery(&page.epoch);
                self.upload_photos(base).await?;
                self.send_back(base).await?;
                continue;
            }
            self.store().apply_pull(&page);
            if !page.more {
                break;
            }
        }
        Ok(round)
    }

    /// `send_back` of `src/sync.rs`: every change the confirmed records hold, as
    /// `plan_send_back` plans it and `answered_send_back` reads the answers, noting how far it
    /// got. Then the new epoch, and the feed over.
    async fn send_back(&self, base: &str) -> Result<(), String> {
        let plan = {
            let store = self.store();
            let records: Vec<Record> = store.confirmed.values().cloned().collect();
            plan_send_back(&records, store.recovered_through, PUSH_BATCH_SIZE)
        };
        for part in plan {
            let request = RecoverRequest {
                receipts: part.receipts,
            };
            let response: PushResponse = self
                .call(
                    self.http
                        .post(format!("{base}/api/sync/recover"))
                        .json(&request),
                )
                .await?;
            let refused = answered_send_back(&request.receipts, &response)
                .ok_or("sending back: some changes were not answered")?;
            let taken = response
                .outcomes
                .iter()
                .filter(|answer| answer.outcome == Outcome::Applied)
                .count();
            self.stats
                .sent_back
                .fetch_add(request.receipts.len() as u64, Ordering::Relaxed);
            self.stats
                .taken_back
                .fetch_add(taken as u64, Ordering::Relaxed);
            for (change_id, reason) in refused {
                self.stats.rejections.lock().expect("stats").push(format!(
                    "{} sent back {change_id}: {}",
                    self.name, reason.en
                ));
            }
            if let Some(through) = part.through {
                self.store().recovered_through = Some(through);
            }
        }
        self.store().end_recovery();
        Ok(())
    }

    /// `upload_photos` of `src/sync.rs`: each photo not yet uploaded, resumed from what the
    /// server says it holds.
    async fn upload_photos(&self, base: &str) -> Result<(), String> {
        let waiting: Vec<(String, Vec<u8>)> = self
            .store()
            .photos
            .iter()
            .filter(|(_, (_, uploaded))| !uploaded)
            .map(|(hash, (bytes, _))| (hash.clone(), bytes.clone()))
            .collect();
        for (hash, bytes) in waiting {
            let url = format!("{base}/api/photos/{hash}/upload");
            let mut status: UploadStatus = self.call(self.http.get(&url)).await?;
            while !status.complete {
                let range = next_chunk(bytes.len() as u64, status.received);
                let held = status.received;
                self.stats.photo_chunks.fetch_add(1, Ordering::Relaxed);
                let chunk = bytes[range.start as usize..range.end as usize].to_vec();
                let request = self.http.put(&url).query(&[
                    ("offset", range.start.to_string()),
                    ("size", bytes.len().to_string()),
                ]);
                status = match self.call(request.body(chunk)).await {
                    Ok(status) => status,
                    Err(error) if error.starts_with("409") => {
                        self.stats.photo_out_of_step.fetch_add(1, Ordering::Relaxed);
                        self.call(self.http.get(&url)).await?
                    }
                    Err(error) => return Err(error),
                };
                if !status.complete && status.received == held {
                    return Err("an upload chunk moved nothing".into());
                }
            }
            if let Some((_, uploaded)) = self.store().photos.get_mut(&hash) {
                *uploaded = true;
            }
        }
        Ok(())
    }

    /// The browser's sync loop, with time compressed: a round every few hundred milliseconds
    /// while online, against one server at a time (switching at random when there are
    /// several, as behind a load balancer), until `stop`.
    pub async fn sync_loop(self: Arc<Self>, seed: u64, stop: Arc<AtomicBool>) {
        let mut rng = StdRng::seed_from_u64(seed);
        while !stop.load(Ordering::SeqCst) {
            if self.online.load(Ordering::SeqCst) {
                if self.servers.len() > 1 && rng.gen_bool(0.3) {
                    let server = rng.gen_range(0..self.servers.len());
                    self.current.store(server, Ordering::SeqCst);
                }
                // A failed round is simply retried next time, as the browser does.
                let _ = self.round().await;
            }
            let pause = rng.gen_range(20..200);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
    }

    /// The user: makes at least `changes` random changes, now and then going offline (no
    /// rounds; writes still queue) and coming back.
    pub async fn work(self: Arc<Self>, seed: u64, changes: usize) {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut user = User::default();
        let mut made = 0;
        while made < changes {
            let pause = rng.gen_range(40..200);
            tokio::time::sleep(Duration::from_millis(pause)).await;
            if rng.gen_bool(0.05) {
                let online = self.online.load(Ordering::SeqCst);
                self.set_online(!online);
            }
            made += self.random_write(&mut rng, &mut user);
        }
        self.set_online(true);
    }

    /// One thing a user does, against the records as this device shows them. Returns how
    /// many changes it queued.
    fn random_write(&self, rng: &mut StdRng, user: &mut User) -> usize {
        let now = self.now();
        let mut store = self.store();
        let cases = store.shown_cases();
        // Numbered across every `work` of the device, so each tag (and note body) is new.
        let step = self.steps.fetch_add(1, Ordering::Relaxed) + 1;
        let tag = format!("{} #{step}", self.name);
        let roll = rng.gen_range(0..100);
        let changes = if cases.is_empty() || roll < 12 {
            self.create_case(&mut store, rng, now, &tag)
        } else if roll < 15 {
            self.record_parcel(&mut store, rng, now)
        } else if roll < 45 {
            let record = pick_case(rng, &cases);
            // Bodies are unique, so a note stored twice would show.
            let body = format!("{tag} 备注");
            let op = Op::Append {
                event: Uuid::now_v7(),
                kind: event::NOTE.into(),
                data: note_data(&body),
            };
            store.write(self.id, &self.user, now, record.id, |shown| {
                edit_of(shown, vec![op])
            })
        } else if roll < 93
            || !cases
                .iter()
                .any(|case| case.conflicted_fields().count() > 0)
        {
            self.edit(&mut store, rng, user, now, &cases, &tag)
        } else {
            resolve(self, &mut store, rng, now, &cases)
        };
        let count = changes.len();
        self.journal
            .lock()
            .expect("journal")
            .extend(changes.into_iter().map(|change| Made {
                change_id: change.change_id,
                record_id: change.record_id,
            }));
        count
    }

    /// The packing station: an unmatched parcel with a photo, kept on the device first. The
    /// photo comes from a small pool, so devices send the same bytes, often at the same time.
    fn record_parcel(
        &self,
        store: &mut Store,
        rng: &mut StdRng,
        now: DateTime<Utc>,
    ) -> Vec<Change> {
        let bytes = pool_photo(rng.gen_range(0..PHOTO_POOL));
        let photo = PhotoRef {
            hash: hex::encode(Sha256::digest(&bytes)),
            bytes: bytes.len() as u64,
        };
        store
            .photos
            .entry(photo.hash.clone())
            .or_insert((bytes, false));
        let fields = NewParcel {
            tracking: format!("CH{:016X}", rng.r#gen::<u64>()),
            note: format!("{} 的包裹", self.name),
            photos: vec![photo],
        }
        .fields();
        let team = team_for_new(&self.user, RecordType::Parcel);
        store.write(self.id, &self.user, now, Uuid::now_v7(), |_| Plan {
            record_type: RecordType::Parcel,
            team,
            ops: vec![Op::Create { fields }],
        })
    }

    fn create_case(
        &self,
        store: &mut Store,
        rng: &mut StdRng,
        now: DateTime<Utc>,
        tag: &str,
    ) -> Vec<Change> {
        let new_case = NewCase {
            kind: random_kind(rng),
            title: format!("{tag} 新案件"),
            customer_name: format!("客户 {tag}"),
            customer_phone: random_phone(rng),
            order_number: rng
                .gen_bool(0.5)
                .then(|| format!("SO-{}", rng.gen_range(0..1_000_000u32))),
        };
        let team = team_for_new(&self.user, RecordType::Case);
        store.write(self.id, &self.user, now, Uuid::now_v7(), |_| Plan {
            record_type: RecordType::Case,
            team,
            ops: vec![Op::Create {
                fields: new_case.fields(),
            }],
        })
    }

    /// The edit form: one to three fields, each superseding the version the form was opened
    /// on. Sometimes the form is left open and saved on a later step, over what it showed then.
    fn edit(
        &self,
        store: &mut Store,
        rng: &mut StdRng,
        user: &mut User,
        now: DateTime<Utc>,
        cases: &[Record],
        tag: &str,
    ) -> Vec<Change> {
        let base = match user.open_form.take() {
            Some(base) if rng.gen_bool(0.6) => base,
            _ => {
                let base = pick_case(rng, cases).clone();
                if rng.gen_bool(0.15) {
                    user.open_form = Some(base);
                    return Vec::new();
                }
                base
            }
        };
        let count = rng.gen_range(1..=3);
        let mut names: Vec<&str> = EDITED_FIELDS.choose_multiple(rng, count).copied().collect();
        names.sort_unstable();
        names.dedup();
        let ops: Vec<Op> = names
            .into_iter()
            .map(|name| (name, field_value(rng, name, tag)))
            // The form sends only the fields whose value differs from what it showed.
            .filter(|(name, value)| base.value(name).unwrap_or(&Value::Null) != value)
            .map(|(name, value)| Op::Set {
                field: name.to_owned(),
                value,
                supersedes: base
                    .fields
                    .get(name)
                    .map(|field| vec![field.current.origin.change])
                    .unwrap_or_default(),
            })
            .collect();
        if ops.is_empty() {
            return Vec::new();
        }
        store.write(self.id, &self.user, now, base.id, |shown| {
            edit_of(shown, ops)
        })
    }
}

/// The conflict panel: choose one of a field's shown values, superseding every shown version
/// (`Store::resolve_conflict`).
fn resolve(
    device: &Device,
    store: &mut Store,
    rng: &mut StdRng,
    now: DateTime<Utc>,
    cases: &[Record],
) -> Vec<Change> {
    let conflicted: Vec<&Record> = cases
        .iter()
        .filter(|case| case.conflicted_fields().count() > 0)
        .collect();
    let record = conflicted.choose(rng).expect("a conflicted case");
    let fields: Vec<(&str, &kefu_core::record::Field)> = record.conflicted_fields().collect();
    let (name, field) = *fields.choose(rng).expect("a conflicted field");
    let name = name.to_owned();
    let chosen = std::iter::once(&field.current)
        .chain(&field.conflicts)
        .collect::<Vec<_>>()
        .choose(rng)
        .expect("a version")
        .value
        .clone();
    store.write(device.id, &device.user, now, record.id, |shown| {
        let supersedes = shown
            .and_then(|record| record.fields.get(&name))
            .map(|field| field.version_ids())
            .unwrap_or_default();
        edit_of(
            shown,
            vec![Op::Set {
                field: name,
                value: chosen,
                supersedes,
            }],
        )
    })
}

/// The type and team of an existing record, for an edit of it.
fn edit_of(shown: Option<&Record>, ops: Vec<Op>) -> Plan {
    let record = shown.expect("devices edit only records they show");
    Plan {
        record_type: record.record_type,
        team: record.team.clone(),
        ops,
    }
}

/// What the user has in mind between steps.
#[derive(Default)]
struct User {
    /// An edit form opened on a step before, with the record as it showed then.
    open_form: Option<Record>,
}

/// Half of the time one of the three oldest cases the device shows (for the east team, the
/// demo cases every east device and the admin see), so edits of the same fields of the same
/// records collide; otherwise any case.
fn pick_case<'a>(rng: &mut StdRng, cases: &'a [Record]) -> &'a Record {
    if rng.gen_bool(0.5) {
        &cases[rng.gen_range(0..cases.len().min(3))]
    } else {
        cases.choose(rng).expect("at least one case")
    }
}

/// A valid new value for a case field; text values carry `tag`, so they are new.
fn field_value(rng: &mut StdRng, name: &str, tag: &str) -> Value {
    match name {
        field::TITLE => json!(format!("{tag} 标题")),
        field::STATUS => json!(CaseStatus::ALL.choose(rng).expect("statuses").as_str()),
        field::CUSTOMER_PHONE => json!(random_phone(rng)),
        field::CUSTOMER_NAME => json!(format!("客户 {tag}")),
        field::ORDER_NUMBER if rng.gen_bool(0.2) => Value::Null,
        field::ORDER_NUMBER => json!(format!("SO-{}", rng.gen_range(0..1_000_000u32))),
        field::KIND => json!(random_kind(rng).as_str()),
        other => panic!("no generator for field {other}"),
    }
}
