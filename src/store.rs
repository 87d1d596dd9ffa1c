//! The device's database: the records the server confirmed, the outbox of this device's
//! pending changes, and sync metadata, in IndexedDB.
//!
//! What pages show is always the confirmed record with the pending changes applied on top
//! (`kefu_core::sync::with_pending`). Pending edits live only in the outbox, so a pull, which
//! replaces confirmed records, can never overwrite one, and discarding a change rolls the
//! shown record back by itself. Every user write lands here, as an outbox entry, in one
//! transaction with the clock update, before anything else happens; the UI and the sync loop
//! only ever talk to this module.

mod meta;
pub use meta::UnlockKey;
mod photos;
mod recovery;
mod sync;
mod write;

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use kefu_core::kinds::case::{Case, sort_newest_first};
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::{OutboxEntry, with_pending};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use thiserror::Error;
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_split_helpers::{SplitLoaderError, wasm_split};

pub use meta::SyncMeta;
pub use write::FieldEdit;

pub const DATABASE_NAME: &str = "kefu";
/// 4: adds `photos`.
/// 3: adds `case_list`; records and outbox entries are written as JSON (see [`to_js`]).
/// 2: one `records` store for every record type, an outbox of v2 changes, a device id and a
/// clock. 1 had `cases` and `notes` stores and whole-case changes.
const SCHEMA_VERSION: u32 = 4;

/// Records as the server last confirmed them, by id.
const RECORDS: &str = "records";
const RECORDS_BY_TYPE: &str = "by_type";
/// The property of a record value holding the record's JSON (see [`record_value`]).
const RECORD_JSON: &str = "json";
/// This device's changes not yet stored by the server, by change id.
const OUTBOX: &str = "outbox";
const OUTBOX_BY_RECORD: &str = "by_record";
/// The case list's rows (`Case::from_record` of each confirmed live case), which the list
/// reads instead of every whole record: decoding 10,000 records took a second on every refresh
/// of the list (issue 15). Kept as a log: every writer of `records` appends, in the same
/// transaction, one entry (JSON text) with a row for each record it wrote, `None` for one that
/// is not a live case; a later entry's row replaces an earlier one's. One entry per write, not
/// one value per case: 10,000 small puts cost half a second of a first sync. Writers fold the
/// log into a single entry once it is [`CASE_LIST_FOLD_AT`] entries long.
const CASE_LIST: &str = "case_list";
const CASE_LIST_FOLD_AT: u32 = 64;
const META: &str = "meta";
/// Photos by SHA-256 (`store::photos`), with an index of those still to upload.
const PHOTOS: &str = "photos";
const PHOTOS_WAITING: &str = "waiting";
/// Stores of schema 1, removed by the upgrade.
const V1_CASES: &str = "cases";
const V1_NOTES: &str = "notes";

#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error("IndexedDB: {0}")]
    Idb(String),
    /// A write named a record this device does not hold (or a field it does not have).
    #[error("not on this device: {0}")]
    Missing(String),
    /// A part of the app this step needs could not be fetched (see `finish_upgrade`).
    #[error("a part of the app could not be loaded")]
    Chunk,
}

impl From<SplitLoaderError> for StoreError {
    fn from(_: SplitLoaderError) -> Self {
        StoreError::Chunk
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        StoreError::Idb(error.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        StoreError::Idb(error.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Bulk values cross between Rust and IndexedDB as JSON text: serde_json on our side, one
/// `JSON.parse` or `JSON.stringify` on the browser's. serde-wasm-bindgen, which builds or walks
/// each object a property at a time across the wasm boundary, was about ten times slower:
/// most of a first sync's time, and 2 s to open a list of 10,000 cases (issue 15). Records
/// and outbox entries are always written this way: serde-wasm-bindgen stores a JSON null as
/// `undefined`, which a JSON round trip drops, so what schema 2 wrote with it is written again
/// once (`finish_upgrade`). Meta values cross as JSON too (`meta`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> StoreResult<JsValue> {
    let json = serde_json::to_string(value).map_err(|error| StoreError::Idb(error.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|error| StoreError::Idb(format!("{error:?}")))
}

/// Decodes one value read from IndexedDB (see [`to_js`]).
fn from_js<T: DeserializeOwned>(value: JsValue) -> StoreResult<T> {
    from_stringified(js_sys::JSON::stringify(&value))
}

/// Decodes what `JSON.stringify` made of values read from IndexedDB.
fn from_stringified<T: DeserializeOwned>(
    json: Result<js_sys::JsString, JsValue>,
) -> StoreResult<T> {
    let json: String = json
        .map_err(|error| StoreError::Idb(format!("{error:?}")))?
        .into();
    serde_json::from_str(&json).map_err(|error| StoreError::Idb(error.to_string()))
}

/// A read of one value by key, issued now and decoded when awaited (see [`to_js`]). Issuing
/// a batch of reads before awaiting any lets IndexedDB answer them in one go.
fn read<'a, T: DeserializeOwned>(
    store: &'a ObjectStore<'a>,
    key: impl ToString,
) -> StoreResult<impl Future<Output = StoreResult<Option<T>>> + 'a> {
    let request = store.get::<JsValue, _, _>(key.to_string()).primitive()?;
    Ok(async move { request.await?.map(from_js).transpose() })
}

/// Decodes values read from IndexedDB (see [`to_js`]).
fn from_js_all<T: DeserializeOwned>(
    values: impl Iterator<Item = Result<JsValue, indexed_db_futures::error::Error>>,
) -> StoreResult<Vec<T>> {
    let array = values.collect::<Result<js_sys::Array, _>>()?;
    from_stringified(js_sys::JSON::stringify(&array))
}

/// A record as IndexedDB keeps it: its JSON as UTF-8 bytes, beside the id (the store's key) and
/// type (its index). Bytes, not an object: a first sync then neither parses 20 MB of pages into
/// objects in the browser nor structure-clones them into the database, and not a string, which
/// would be decoded from UTF-8 on the way in and encoded again on the way out; together that
/// cost as much again as the raw fetch and store (issue 15). Reading one back is one
/// `serde_json` parse.
fn record_value(id: Uuid, record_type: RecordType, json: &[u8]) -> StoreResult<JsValue> {
    let value = js_sys::Object::new();
    let mut id_text = Uuid::encode_buffer();
    let fields = [
        JsValue::from_str(id.hyphenated().encode_lower(&mut id_text)),
        JsValue::from_str(record_type.as_str()),
        js_sys::Uint8Array::from(json).into(),
    ];
    RECORD_VALUE_NAMES.with(|names| {
        for (name, field) in names.iter().zip(fields) {
            js_sys::Reflect::set(&value, name, &field)
                .map_err(|error| StoreError::Idb(format!("{error:?}")))?;
        }
        Ok(value.into())
    })
}

thread_local! {
    /// A record value's property names, made once: each `JsValue::from_str` decodes its text
    /// into a new JS string, and a first sync stores 10,000 records.
    static RECORD_VALUE_NAMES: [JsValue; 3] = [
        JsValue::from_str("id"),
        JsValue::from_str("record_type"),
        JsValue::from_str(RECORD_JSON),
    ];
}

fn to_record_value(record: &Record) -> StoreResult<JsValue> {
    let json = serde_json::to_vec(record).map_err(|error| StoreError::Idb(error.to_string()))?;
    record_value(record.id, record.record_type, &json)
}

/// Reads a record value (see [`record_value`]). Schema 3 first kept records as objects; a
/// database may still hold some, and they read as they are.
fn from_record_value(value: JsValue) -> StoreResult<Record> {
    let json = js_sys::Reflect::get(&value, &JsValue::from_str(RECORD_JSON))
        .map_err(|error| StoreError::Idb(format!("{error:?}")))?;
    match json.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => from_json_bytes(bytes.to_vec()),
        Err(_) => from_js(value),
    }
}

/// Decodes JSON held as UTF-8 bytes. Checked as text first, and parsed from text: every value
/// the device decodes then goes through one of serde_json's readers (`from_slice` is another,
/// and a second copy of every type's decoder was 30 KB of the first load).
fn from_json_bytes<T: DeserializeOwned>(bytes: Vec<u8>) -> StoreResult<T> {
    let text = String::from_utf8(bytes).map_err(|error| StoreError::Idb(error.to_string()))?;
    serde_json::from_str(&text).map_err(|error| StoreError::Idb(error.to_string()))
}

/// A read of one record by id, issued now and decoded when awaited (see [`read`]).
fn read_record<'a>(
    store: &'a ObjectStore<'a>,
    id: Uuid,
) -> StoreResult<impl Future<Output = StoreResult<Option<Record>>> + 'a> {
    let request = store.get::<JsValue, _, _>(id.to_string()).primitive()?;
    Ok(async move { request.await?.map(from_record_value).transpose() })
}

/// A handle on the device database; cheap to clone (clones share one connection).
#[derive(Clone)]
pub struct Store {
    db: Database,
    /// This device database's id, sent with every change it makes.
    device: Uuid,
    /// The case list as this connection last read it; shared by the clones.
    case_list: Arc<futures::lock::Mutex<CaseListRead>>,
}

/// The case list's log as far as this connection has read it: every confirmed live case by
/// id, and the key of the last entry read. The next read parses only the entries appended
/// since (a pull's page, a settle), not the whole list: parsing 10,000 rows froze the screen
/// for 60–90 ms after every save and every sync (issue 16). Reads hold it locked from start to
/// end, so two reads through one connection (and its clones) never interleave their steps.
#[derive(Default)]
struct CaseListRead {
    last_entry: Option<f64>,
    confirmed: BTreeMap<Uuid, Arc<Case>>,
}

impl Store {
    pub async fn open(name: &str) -> StoreResult<Self> {
        // Whether this open made the records' stores (a new database, or one of schema 1,
        // whose stores are dropped): then there is nothing for schema 3's move to move.
        let made_records = Rc::new(Cell::new(false));
        let made_records_here = Rc::clone(&made_records);
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(move |event, db| {
                let old_version = event.old_version();
                if old_version < 2.0 {
                    made_records_here.set(true);
                    if old_version >= 1.0 {
                        // Schema 1 held whole cases and notes, and its outbox entries and meta
                        // (a numeric cursor of the old feed, a session without a team) are in
                        // formats this build cannot send or read. They are dropped: the
                        // records come back with the first pull, and the user signs in once
                        // more. Unsent v1 changes are lost; v1 only ever ran as a preview.
                        let existing: Vec<String> = db.object_store_names().collect();
                        for old in [V1_CASES, V1_NOTES, OUTBOX, META] {
                            if existing.iter().any(|name| name == old) {
                                db.delete_object_store(old)?;
                            }
                        }
                    }
                    let records = db
                        .create_object_store(RECORDS)
                        .with_key_path("id".into())
                        .build()?;
                    records
                        .create_index(RECORDS_BY_TYPE, "record_type".into())
                        .build()?;
                    let outbox = db
                        .create_object_store(OUTBOX)
                        .with_key_path("change.change_id".into())
                        .build()?;
                    outbox
                        .create_index(OUTBOX_BY_RECORD, "change.record_id".into())
                        .build()?;
                    db.create_object_store(META).build()?;
                }
                if old_version < 3.0 {
                    // Keys count up, so reading in key order replays the log in order. Filled
                    // from the records once the database is open (`finish_upgrade`).
                    db.create_object_store(CASE_LIST)
                        .with_auto_increment(true)
                        .build()?;
                }
                if old_version < 4.0 {
                    db.create_object_store(PHOTOS)
                        .with_key_path("hash".into())
                        .build()?
                        .create_index(PHOTOS_WAITING, "waiting".into())
                        .build()?;
                }
                Ok(())
            })
            .await?;
        let (device, schema_3_move_pending) = meta::open_device(&db, made_records.get()).await?;
        if schema_3_move_pending {
            finish_upgrade(db.clone()).await?.await?;
        }
        Ok(Self {
            db,
            device,
            case_list: Arc::default(),
        })
    }

    /// This device database's id (made once, when the database was created).
    pub fn device_id(&self) -> Uuid {
        self.device
    }

    /// Closes the connection; needed before the database can be deleted.
    pub fn close(self) {
        self.db.close();
    }

    pub async fn delete(name: &str) -> StoreResult<()> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }

    /// Every live record of one type as the device shows it: confirmed plus pending.
    pub async fn records_of_type(&self, record_type: RecordType) -> StoreResult<Vec<Record>> {
        let tx = self.db.transaction([RECORDS, OUTBOX, META]).build()?;
        let confirmed = tx
            .object_store(RECORDS)?
            .index(RECORDS_BY_TYPE)?
            .get_all::<JsValue>()
            .with_query(record_type.as_str())
            .primitive()?
            .await?
            .map(|value| from_record_value(value?))
            .collect::<StoreResult<Vec<Record>>>()?;
        let viewer = meta::signed_in_user(&tx.object_store(META)?).await?;
        let outbox = read_outbox(&tx.object_store(OUTBOX)?).await?;
        drop(tx);

        let mut pending: BTreeMap<Uuid, Vec<OutboxEntry>> = BTreeMap::new();
        for entry in outbox.into_iter().filter(|entry| {
            entry.change.record_type == record_type && shown_to(&entry.author, viewer.as_deref())
        }) {
            pending
                .entry(entry.change.record_id)
                .or_default()
                .push(entry);
        }
        let mut shown = Vec::new();
        for record in confirmed {
            let changes = pending.remove(&record.id).unwrap_or_default();
            shown.extend(with_pending(record.id, Some(record), &changes));
        }
        // Records made on this device that the server has not confirmed yet.
        for (id, changes) in pending {
            shown.extend(with_pending(id, None, &changes));
        }
        shown.retain(Record::is_live);
        Ok(shown)
    }

    /// All cases, newest first: the confirmed rows of the case list, and for the cases with
    /// pending changes (or made here and not yet confirmed) the confirmed record with them
    /// applied, as `records_of_type` would show it. Reads only the list's entries written since
    /// this connection's last read (see [`CaseListRead`]). Shared rows: the pages holding
    /// them and the next read copy no case.
    pub async fn cases(&self) -> StoreResult<Vec<Arc<Case>>> {
        let mut known = self.case_list.lock().await;
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, OUTBOX, META])
            .build()?;
        let case_list = tx.object_store(CASE_LIST)?;
        let keys = case_list
            .get_all_keys::<JsValue>()
            .primitive()?
            .await?
            .map(|key| key?.as_f64().ok_or_else(not_a_case_list_key))
            .collect::<StoreResult<Vec<f64>>>()?;
        // The log is only ever appended to, except when a fold or another user's sign-in
        // rewrites it whole: then the entry read last is gone, and so is what it said.
        let since = known.last_entry.filter(|last| keys.contains(last));
        if since.is_none() {
            known.confirmed.clear();
        }
        apply_case_rows(
            &mut known.confirmed,
            read_case_entries(&case_list, since).await?,
        );
        known.last_entry = keys.last().copied();

        let viewer = meta::signed_in_user(&tx.object_store(META)?).await?;
        // Each case's pending entries, as read: decoded whole only in `cases_with_pending`.
        let mut pending: BTreeMap<Uuid, Vec<JsValue>> = BTreeMap::new();
        let (heads, entries) = read_outbox_heads(&tx.object_store(OUTBOX)?).await?;
        for (head, entry) in heads.into_iter().zip(entries) {
            if head.change.record_type == RecordType::Case
                && shown_to(&head.author, viewer.as_deref())
            {
                pending
                    .entry(head.change.record_id)
                    .or_default()
                    .push(entry);
            }
        }
        let records = tx.object_store(RECORDS)?;
        let reads = pending
            .keys()
            .map(|id| records.get::<JsValue, _, _>(id.to_string()).primitive())
            .collect::<Result<Vec<_>, _>>()?;
        let mut confirmed = Vec::with_capacity(reads.len());
        for read in reads {
            confirmed.push(read.await?);
        }
        let mut cases: Vec<Arc<Case>> = known
            .confirmed
            .values()
            .filter(|case| !pending.contains_key(&case.id))
            .cloned()
            .collect();
        if !pending.is_empty() {
            cases.extend(cases_with_pending(pending, confirmed).await??);
        }
        sort_newest_first(&mut cases);
        Ok(cases)
    }

    /// One record as the device shows it (confirmed plus pending), deleted or not.
    pub async fn record(&self, id: Uuid) -> StoreResult<Option<Record>> {
        let tx = self.db.transaction([RECORDS, OUTBOX, META]).build()?;
        let confirmed = read_record(&tx.object_store(RECORDS)?, id)?.await?;
        let viewer = meta::signed_in_user(&tx.object_store(META)?).await?;
        let mut pending = pending_for(&tx.object_store(OUTBOX)?, id).await?;
        pending.retain(|entry| shown_to(&entry.author, viewer.as_deref()));
        Ok(with_pending(id, confirmed, &pending))
    }

    /// One record as the server last confirmed it, without this device's pending changes.
    pub async fn confirmed(&self, id: Uuid) -> StoreResult<Option<Record>> {
        let tx = self.db.transaction(RECORDS).build()?;
        read_record(&tx.object_store(RECORDS)?, id)?.await
    }

    /// How many changes wait on this device: `author`'s, everyone else's, and those the server
    /// refused (of any author), for the status badge.
    pub async fn outbox_counts(&self, author: &str) -> StoreResult<OutboxCounts> {
        let tx = self.db.transaction(OUTBOX).build()?;
        let (heads, _) = read_outbox_heads(&tx.object_store(OUTBOX)?).await?;
        let mut counts = OutboxCounts::default();
        for head in heads {
            if head.rejection.is_some() {
                counts.rejected += 1;
            } else if head.author == author {
                counts.mine += 1;
            } else {
                counts.others += 1;
            }
        }
        Ok(counts)
    }

    /// Every change waiting on this device, of every author, rejected or not.
    pub async fn outbox(&self) -> StoreResult<Vec<OutboxEntry>> {
        let tx = self.db.transaction(OUTBOX).build()?;
        read_outbox(&tx.object_store(OUTBOX)?).await
    }
}

/// Whether a pending change shows on the device's screens: only its author's, while someone
/// is signed in. On a shared tablet a colleague's unsent work waits unseen for them.
fn shown_to(author: &str, viewer: Option<&str>) -> bool {
    viewer.is_none_or(|viewer| author == viewer)
}

/// Drops every confirmed record and its case-list row, inside a caller's read-write
/// transaction over both (a new user's sign-in, a sign-out, the end of a restore's sending
/// back): the case list never shows a record the store no longer holds.
async fn clear_confirmed(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.object_store(RECORDS)?.clear()?.await?;
    tx.object_store(CASE_LIST)?.clear()?.await?;
    Ok(())
}

async fn read_outbox(outbox: &ObjectStore<'_>) -> StoreResult<Vec<OutboxEntry>> {
    from_js_all(outbox.get_all::<JsValue>().primitive()?.await?)
}

/// What the first screen reads of an outbox entry: who wrote it, what it changes, and whether
/// the server refused it. Not the change's op: its decoder (flattened into the change, through
/// serde's buffering) and every field value's are no part of the first load.
#[derive(serde::Deserialize)]
struct EntryHead {
    change: ChangeHead,
    author: String,
    rejection: Option<serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize)]
struct ChangeHead {
    record_type: RecordType,
    record_id: Uuid,
}

/// Every outbox entry's head, and each entry as read, in the same order.
async fn read_outbox_heads(
    outbox: &ObjectStore<'_>,
) -> StoreResult<(Vec<EntryHead>, Vec<JsValue>)> {
    let entries = outbox
        .get_all::<JsValue>()
        .primitive()?
        .await?
        .collect::<Result<Vec<JsValue>, _>>()?;
    let heads = from_js_all(entries.iter().cloned().map(Ok))?;
    Ok((heads, entries))
}

/// The outbox entries of one record.
async fn pending_for(outbox: &ObjectStore<'_>, record_id: Uuid) -> StoreResult<Vec<OutboxEntry>> {
    from_js_all(
        outbox
            .index(OUTBOX_BY_RECORD)?
            .get_all::<JsValue>()
            .with_query(record_id.to_string())
            .primitive()?
            .await?,
    )
}

/// One row of the case list's log: the case as the list shows it, or `None` once the record is
/// not a live case (deleted, or of another type).
#[derive(Serialize, serde::Deserialize)]
struct CaseRow {
    id: Uuid,
    case: Option<Case>,
}

/// The case list: every confirmed live case by id, the log replayed in order.
async fn read_case_list(case_list: &ObjectStore<'_>) -> StoreResult<BTreeMap<Uuid, Arc<Case>>> {
    let mut cases = BTreeMap::new();
    apply_case_rows(&mut cases, read_case_entries(case_list, None).await?);
    Ok(cases)
}

/// The rows of the log's entries after the one keyed `after` (all of them for `None`), in order.
async fn read_case_entries(
    case_list: &ObjectStore<'_>,
    after: Option<f64>,
) -> StoreResult<Vec<CaseRow>> {
    let entries = match after {
        Some(key) => {
            case_list
                .get_all::<JsValue>()
                .with_query::<f64, _>(KeyRange::LowerBound(key, true))
                .primitive()?
                .await?
        }
        None => case_list.get_all::<JsValue>().primitive()?.await?,
    };
    let mut rows = Vec::new();
    for entry in entries {
        let json = entry?
            .as_string()
            .ok_or_else(|| StoreError::Idb("a case list entry is not text".to_owned()))?;
        rows.extend(
            serde_json::from_str::<Vec<CaseRow>>(&json)
                .map_err(|error| StoreError::Idb(error.to_string()))?,
        );
    }
    Ok(rows)
}

/// Replays rows of the log over the cases they follow: a later row replaces an earlier one.
fn apply_case_rows(cases: &mut BTreeMap<Uuid, Arc<Case>>, rows: Vec<CaseRow>) {
    for row in rows {
        match row.case {
            Some(case) => cases.insert(row.id, Arc::new(case)),
            None => cases.remove(&row.id),
        };
    }
}

fn not_a_case_list_key() -> StoreError {
    StoreError::Idb("a case list key is not a number".to_owned())
}

/// Appends the rows of these confirmed records to the case list, in the caller's transaction;
/// folds the log into one entry first if it has grown long.
async fn append_case_rows<'a>(
    case_list: &ObjectStore<'_>,
    records: impl Iterator<Item = &'a Record>,
) -> StoreResult<()> {
    let mut rows: Vec<CaseRow> = records
        .map(|record| CaseRow {
            id: record.id,
            case: Case::from_record(record),
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    if case_list.count().await? >= CASE_LIST_FOLD_AT {
        let mut cases = read_case_list(case_list).await?;
        apply_case_rows(&mut cases, rows);
        case_list.clear()?.await?;
        rows = cases
            .into_iter()
            .map(|(id, case)| CaseRow {
                id,
                case: Some(Arc::unwrap_or_clone(case)),
            })
            .collect();
    }
    let json = serde_json::to_string(&rows).map_err(|error| StoreError::Idb(error.to_string()))?;
    case_list.add(JsValue::from_str(&json)).build()?.await?;
    Ok(())
}

/// The cases with pending changes as the device shows them: each confirmed record (as read,
/// in the order of `pending`; `None` for a case made here) with its changes (as read) applied.
/// In a chunk of its own (`scripts/build-client` splits the wasm here): the decoders of whole
/// records and changes, the merge and `Case::from_record` are needed only while a case's change
/// waits, never for a fresh device's first screen.
#[wasm_split(pending, fallible)]
fn cases_with_pending(
    pending: BTreeMap<Uuid, Vec<JsValue>>,
    confirmed: Vec<Option<JsValue>>,
) -> Result<StoreResult<Vec<Arc<Case>>>, SplitLoaderError> {
    let overlay = || {
        let mut cases = Vec::with_capacity(pending.len());
        for ((id, entries), value) in pending.into_iter().zip(confirmed) {
            let record = value.map(from_record_value).transpose()?;
            let changes: Vec<OutboxEntry> = from_js_all(entries.into_iter().map(Ok))?;
            let shown = with_pending(id, record, &changes);
            cases.extend(shown.as_ref().and_then(Case::from_record).map(Arc::new));
        }
        Ok(cases)
    };
    Ok(overlay())
}

/// Finishes the move to schema 3, once per database; a meta mark, set in the same transaction,
/// says it is done. Records and outbox entries written by schema 2 (with serde-wasm-bindgen,
/// which stores a JSON null as `undefined`) are written again as JSON, and the case list is
/// filled from the records. In a chunk of its own (`scripts/build-client` splits the wasm
/// here), fetched only by a device that still holds schema 2's data: the whole records'
/// decoders and the case list's writer are not needed before the first screen.
#[wasm_split(upgrade, fallible)]
fn finish_upgrade(db: Database) -> Result<Upgrading, SplitLoaderError> {
    Ok(Box::pin(async move {
        let tx = db
            .transaction([RECORDS, OUTBOX, CASE_LIST, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let meta_store = tx.object_store(META)?;
        if meta::upgraded_to_3(&meta_store).await? {
            return Ok(());
        }
        let records = tx.object_store(RECORDS)?;
        let confirmed: Vec<Record> =
            from_schema_2(records.get_all::<JsValue>().primitive()?.await?)?;
        for record in &confirmed {
            records.put(to_record_value(record)?).build()?.await?;
        }
        let outbox = tx.object_store(OUTBOX)?;
        let entries: Vec<OutboxEntry> =
            from_schema_2(outbox.get_all::<JsValue>().primitive()?.await?)?;
        for entry in &entries {
            outbox.put(to_js(entry)?).build()?.await?;
        }
        let case_list = tx.object_store(CASE_LIST)?;
        case_list.clear()?.await?;
        append_case_rows(&case_list, confirmed.iter()).await?;
        meta::set_upgraded_to_3(&meta_store).await?;
        tx.commit().await?;
        Ok(())
    }))
}

/// The move to schema 3, once its chunk is in.
type Upgrading = Pin<Box<dyn Future<Output = StoreResult<()>>>>;

/// Decodes values as schema 2 wrote them: as JSON text, like every other read, but with each
/// `undefined` (serde-wasm-bindgen's JSON null) written as `null`, where a plain
/// `JSON.stringify` would drop the property. No serde-wasm-bindgen on the device: its second
/// decoders were about 40 KB of the main module, for a move each database makes once.
fn from_schema_2<T: DeserializeOwned>(
    values: impl Iterator<Item = Result<JsValue, indexed_db_futures::error::Error>>,
) -> StoreResult<Vec<T>> {
    let array = values.collect::<Result<js_sys::Array, _>>()?;
    let keep_nulls =
        Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(|_key: JsValue, value: JsValue| {
            if value.is_undefined() {
                JsValue::NULL
            } else {
                value
            }
        });
    from_stringified(js_sys::JSON::stringify_with_replacer(
        &array,
        keep_nulls.as_ref().unchecked_ref(),
    ))
}

/// The changes waiting on this device, counted (`Store::outbox_counts`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OutboxCounts {
    pub mine: usize,
    pub others: usize,
    pub rejected: usize,
}

/// The device database as a Leptos context: `Copy`, so every closure of a view can hold it.
#[derive(Clone, Copy)]
pub struct StoreContext(leptos::prelude::StoredValue<Store>);

impl StoreContext {
    pub fn store(&self) -> Store {
        leptos::prelude::GetValue::get_value(&self.0)
    }
}

pub fn provide_store_context(store: Store) -> StoreContext {
    let context = StoreContext(leptos::prelude::StoredValue::new(store));
    leptos::prelude::provide_context(context);
    context
}

pub fn use_store() -> StoreContext {
    leptos::prelude::expect_context::<StoreContext>()
}
