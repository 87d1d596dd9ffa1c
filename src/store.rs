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
mod sync;
mod write;

use indexed_db_futures::database::Database;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use kefu_core::case::{Case, sort_newest_first};
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::{OutboxEntry, with_pending};
use std::collections::BTreeMap;
use thiserror::Error;
use uuid::Uuid;

pub use meta::SyncMeta;
pub use write::FieldEdit;

pub const DATABASE_NAME: &str = "kefu";
/// 2: one `records` store for every record type, an outbox of v2 changes, a device id and a
/// clock. 1 had `cases` and `notes` stores and whole-case changes.
const SCHEMA_VERSION: u32 = 2;

/// Records as the server last confirmed them, by id.
const RECORDS: &str = "records";
const RECORDS_BY_TYPE: &str = "by_type";
/// This device's changes not yet stored by the server, by change id.
const OUTBOX: &str = "outbox";
const OUTBOX_BY_RECORD: &str = "by_record";
const META: &str = "meta";
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

/// A handle on the device database; cheap to clone (clones share one connection).
#[derive(Clone)]
pub struct Store {
    db: Database,
    /// This device database's id, sent with every change it makes.
    device: Uuid,
}

impl Store {
    pub async fn open(name: &str) -> StoreResult<Self> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() >= 1.0 {
                    // Schema 1 held whole cases and notes, and its outbox entries and meta
                    // (a numeric cursor of the old feed, a session without a team) are in
                    // formats this build cannot send or read. They are dropped: the records
                    // come back with the first pull, and the user signs in once more.
                    // Unsent v1 changes are lost; v1 only ever ran as a preview.
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
                Ok(())
            })
            .await?;
        let device = meta::device_id(&db).await?;
        Ok(Self { db, device })
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
        let tx = self.db.transaction([RECORDS, OUTBOX]).build()?;
        let confirmed = tx
            .object_store(RECORDS)?
            .index(RECORDS_BY_TYPE)?
            .get_all::<Record>()
            .with_query(record_type.as_str())
            .serde()?
            .await?
            .collect::<Result<Vec<_>, _>>()?;
        let outbox = read_outbox(&tx.object_store(OUTBOX)?).await?;
        drop(tx);

        let mut pending: BTreeMap<Uuid, Vec<OutboxEntry>> = BTreeMap::new();
        for entry in outbox
            .into_iter()
            .filter(|entry| entry.change.record_type == record_type)
        {
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

    /// All cases, newest first.
    pub async fn cases(&self) -> StoreResult<Vec<Case>> {
        let mut cases: Vec<Case> = self
            .records_of_type(RecordType::Case)
            .await?
            .iter()
            .filter_map(Case::from_record)
            .collect();
        sort_newest_first(&mut cases);
        Ok(cases)
    }

    /// One record as the device shows it (confirmed plus pending), deleted or not.
    pub async fn record(&self, id: Uuid) -> StoreResult<Option<Record>> {
        let tx = self.db.transaction([RECORDS, OUTBOX]).build()?;
        let confirmed: Option<Record> = tx
            .object_store(RECORDS)?
            .get(id.to_string())
            .serde()?
            .await?;
        let pending = pending_for(&tx.object_store(OUTBOX)?, id).await?;
        Ok(with_pending(id, confirmed, &pending))
    }

    /// One record as the server last confirmed it, without this device's pending changes.
    pub async fn confirmed(&self, id: Uuid) -> StoreResult<Option<Record>> {
        let tx = self.db.transaction(RECORDS).build()?;
        Ok(tx
            .object_store(RECORDS)?
            .get(id.to_string())
            .serde()?
            .await?)
    }

    /// Every change waiting on this device, of every author, rejected or not.
    pub async fn outbox(&self) -> StoreResult<Vec<OutboxEntry>> {
        let tx = self.db.transaction(OUTBOX).build()?;
        read_outbox(&tx.object_store(OUTBOX)?).await
    }
}

async fn read_outbox(outbox: &ObjectStore<'_>) -> StoreResult<Vec<OutboxEntry>> {
    Ok(outbox
        .get_all::<OutboxEntry>()
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?)
}

/// The outbox entries of one record.
async fn pending_for(outbox: &ObjectStore<'_>, record_id: Uuid) -> StoreResult<Vec<OutboxEntry>> {
    Ok(outbox
        .index(OUTBOX_BY_RECORD)?
        .get_all::<OutboxEntry>()
        .with_query(record_id.to_string())
        .serde()?
        .await?
        .collect::<Result<Vec<_>, _>>()?)
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
