//! Small per-device records kept beside the data: session, pull cursor, last sync, the device
//! id and the clock (the latest stamp this device made or saw).

use super::{CASE_LIST, META, RECORDS, Store, StoreResult, clear_confirmed, read, to_js};
use chrono::{DateTime, Utc};
use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::account::Session;
use kefu_core::hlc::Hlc;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const SESSION: &str = "session";
/// What lets the signed-in user unlock an idle shared device offline (`unlock_key`).
const UNLOCK_KEY: &str = "unlock_key";
const CURSOR: &str = "cursor";
/// The server's epoch the confirmed records came from (`kefu_core::recovery`).
const EPOCH: &str = "epoch";
/// A restore seen and not yet answered: the new epoch, adopted once everything held is sent
/// back.
const RECOVERING: &str = "recovering";
/// How far the sending back got: every record up to this id (in id order) is answered.
const RECOVERED_THROUGH: &str = "recovered_through";
const LAST_SYNC: &str = "last_sync";
const DEVICE_ID: &str = "device_id";
const CLOCK: &str = "clock";
/// Whose visibility the confirmed records were pulled with.
const RECORDS_FETCHED_FOR: &str = "records_fetched_for";
/// Schema 3's move is done: values are JSON, the case list is filled (see `finish_upgrade`).
const UPGRADED_TO_3: &str = "upgraded_to_3";

/// What the status badge and the sync loop read about sync, in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncMeta {
    /// Where the next pull starts; `None` before the first pull.
    pub cursor: Option<String>,
    pub last_sync: Option<DateTime<Utc>>,
    /// The server's epoch the confirmed records came from; `None` before the first pull.
    pub epoch: Option<String>,
    /// The epoch of a restore this device is sending its records back to.
    pub recovering: Option<String>,
    /// How far that sending got: every record up to this id is answered.
    pub recovered_through: Option<Uuid>,
}

// Meta values cross as JSON too (`to_js`, `read`), as records and outbox entries do: one
// decoder per type in the first load, not a second through serde-wasm-bindgen. What schema 2
// and 3 wrote here with serde-wasm-bindgen reads the same way: strings, numbers, booleans, and
// structs of them (an absent optional field is `None`); no meta value holds a map.
async fn get<T: DeserializeOwned>(store: &ObjectStore<'_>, key: &str) -> StoreResult<Option<T>> {
    read(store, key)?.await
}

async fn put<T: Serialize>(store: &ObjectStore<'_>, key: &str, value: &T) -> StoreResult<()> {
    store
        .put(to_js(value)?)
        .with_key(key.to_owned())
        .without_key_type()
        .primitive()?
        .await?;
    Ok(())
}

/// The device id, made the first time this database is opened, and whether schema 3's move
/// (`finish_upgrade`) is still to be made. Two tabs opening a new database at once still
/// agree: read-write transactions on one store run one at a time. A database whose records'
/// stores this open made (`made_records`: a new one, or one of schema 1) has nothing to move,
/// and is marked so now, so its first start never fetches the move's chunk.
pub(super) async fn open_device(db: &Database, made_records: bool) -> StoreResult<(Uuid, bool)> {
    let tx = db
        .transaction(META)
        .with_mode(TransactionMode::Readwrite)
        .build()?;
    let meta = tx.object_store(META)?;
    let device = match get::<Uuid>(&meta, DEVICE_ID).await? {
        Some(device) => device,
        None => {
            let device = Uuid::now_v7();
            put(&meta, DEVICE_ID, &device).await?;
            device
        }
    };
    if made_records {
        set_upgraded_to_3(&meta).await?;
    }
    let move_pending = !made_records && !upgraded_to_3(&meta).await?;
    tx.commit().await?;
    Ok((device, move_pending))
}

/// The latest stamp made or seen on this device, inside a caller's transaction.
pub(super) async fn clock(meta: &ObjectStore<'_>) -> StoreResult<Hlc> {
    Ok(get(meta, CLOCK).await?.unwrap_or_default())
}

/// Raises the clock to `seen` if that is later; never lowers it.
pub(super) async fn raise_clock(meta: &ObjectStore<'_>, seen: Hlc) -> StoreResult<()> {
    if seen > clock(meta).await? {
        put(meta, CLOCK, &seen).await?;
    }
    Ok(())
}

pub(super) async fn upgraded_to_3(meta: &ObjectStore<'_>) -> StoreResult<bool> {
    Ok(get::<bool>(meta, UPGRADED_TO_3).await?.unwrap_or(false))
}

pub(super) async fn set_upgraded_to_3(meta: &ObjectStore<'_>) -> StoreResult<()> {
    put(meta, UPGRADED_TO_3, &true).await
}

pub(super) async fn put_cursor(meta: &ObjectStore<'_>, cursor: &str) -> StoreResult<()> {
    put(meta, CURSOR, &cursor).await
}

/// Notes the epoch a pulled page came from; a server that keeps none says nothing.
pub(super) async fn put_epoch(meta: &ObjectStore<'_>, epoch: &str) -> StoreResult<()> {
    if epoch.is_empty() {
        return Ok(());
    }
    put(meta, EPOCH, &epoch).await
}

/// Marks a restore seen: `epoch` is adopted once everything held is sent back.
pub(super) async fn put_recovering(meta: &ObjectStore<'_>, epoch: &str) -> StoreResult<()> {
    meta.delete(RECOVERED_THROUGH).await?;
    put(meta, RECOVERING, &epoch).await
}

pub(super) async fn put_recovered_through(meta: &ObjectStore<'_>, record: Uuid) -> StoreResult<()> {
    put(meta, RECOVERED_THROUGH, &record).await
}

/// Everything held is back on the server: its new epoch is the device's, and the feed starts
/// over from it.
pub(super) async fn end_recovering(meta: &ObjectStore<'_>) -> StoreResult<()> {
    if let Some(epoch) = get::<String>(meta, RECOVERING).await? {
        put(meta, EPOCH, &epoch).await?;
    }
    for key in [RECOVERING, RECOVERED_THROUGH, CURSOR] {
        meta.delete(key).await?;
    }
    Ok(())
}

/// Who is signed in on this device, read inside a caller's transaction.
pub(super) async fn signed_in_user(meta: &ObjectStore<'_>) -> StoreResult<Option<String>> {
    Ok(get::<Session>(meta, SESSION)
        .await?
        .map(|session| session.user.username))
}

/// A salted, slow hash of the signed-in user's password, made at sign-in, so a locked device
/// can check the password without the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockKey {
    pub username: String,
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub hash: Vec<u8>,
}

impl Store {
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> StoreResult<Option<T>> {
        let tx = self.db.transaction(META).build()?;
        get(&tx.object_store(META)?, key).await
    }

    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        put(&tx.object_store(META)?, key, value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session(&self) -> StoreResult<Option<Session>> {
        self.get_meta(SESSION).await
    }

    /// Keeps the new session. When another user signs in on this device, the confirmed
    /// records (fetched with the previous user's visibility, perhaps another team's) and the
    /// cursor are dropped in the same transaction, so the next pull fetches exactly what the
    /// new user may see. The outbox stays: every user's pending changes wait for them.
    pub async fn set_session(&self, session: &Session) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta = tx.object_store(META)?;
        let fetched_for: Option<String> = get(&meta, RECORDS_FETCHED_FOR).await?;
        if fetched_for.as_deref() != Some(session.user.username.as_str()) {
            clear_confirmed(&tx).await?;
            for key in [CURSOR, EPOCH, RECOVERING, RECOVERED_THROUGH] {
                meta.delete(key).await?;
            }
            put(&meta, RECORDS_FETCHED_FOR, &session.user.username).await?;
        }
        put(&meta, SESSION, session).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs this device out: the session goes, and with it every record fetched under it (and
    /// the cursor), in one transaction, so the next screen shows nothing of this user's. The
    /// outbox and the photos it names stay: they wait, under their author, for the next sign-in.
    pub async fn sign_out(&self) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        clear_confirmed(&tx).await?;
        let meta = tx.object_store(META)?;
        for key in [
            SESSION,
            CURSOR,
            EPOCH,
            RECOVERING,
            RECOVERED_THROUGH,
            RECORDS_FETCHED_FOR,
            LAST_SYNC,
            UNLOCK_KEY,
        ] {
            meta.delete(key).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps what checks the signed-in user's password when a locked shared device is unlocked
    /// (a salted PBKDF2 of it, never the password).
    pub async fn set_unlock_key(&self, key: &UnlockKey) -> StoreResult<()> {
        self.put_meta(UNLOCK_KEY, key).await
    }

    pub async fn unlock_key(&self) -> StoreResult<Option<UnlockKey>> {
        self.get_meta(UNLOCK_KEY).await
    }

    pub async fn sync_meta(&self) -> StoreResult<SyncMeta> {
        Ok(SyncMeta {
            cursor: self.get_meta(CURSOR).await?,
            last_sync: self.get_meta(LAST_SYNC).await?,
            epoch: self.get_meta(EPOCH).await?,
            recovering: self.get_meta(RECOVERING).await?,
            recovered_through: self.get_meta(RECOVERED_THROUGH).await?,
        })
    }

    pub async fn set_last_sync(&self, at: DateTime<Utc>) -> StoreResult<()> {
        self.put_meta(LAST_SYNC, &at).await
    }

    /// The latest stamp this device made or saw.
    pub async fn clock(&self) -> StoreResult<Hlc> {
        Ok(self.get_meta(CLOCK).await?.unwrap_or_default())
    }
}
