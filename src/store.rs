//! The device's database: cases, notes, the outbox and sync metadata in IndexedDB.
//!
//! Every user write lands here, together with its outbox entry, in one transaction, before
//! anything else happens; the UI and the sync loop only ever talk to this module.

mod meta;

use chrono::{DateTime, Utc};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::case::{Case, Note, sort_newest_first};
use kefu_core::lang::Bilingual;
use kefu_core::merge::merge_case;
use kefu_core::sync::{Change, Op, OutboxEntry, PullResponse, Settlement};
use thiserror::Error;
use uuid::Uuid;

pub use meta::SyncMeta;

pub const DATABASE_NAME: &str = "kefu";
const SCHEMA_VERSION: u32 = 1;

const CASES: &str = "cases";
const NOTES: &str = "notes";
const NOTES_BY_CASE: &str = "by_case";
const OUTBOX: &str = "outbox";
const META: &str = "meta";

#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error("IndexedDB: {0}")]
    Idb(String),
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
}

impl Store {
    pub async fn open(name: &str) -> StoreResult<Self> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(CASES)
                        .with_key_path("id".into())
                        .build()?;
                    let notes = db
                        .create_object_store(NOTES)
                        .with_key_path("id".into())
                        .build()?;
                    notes
                        .create_index(NOTES_BY_CASE, "case_id".into())
                        .build()?;
                    db.create_object_store(OUTBOX)
                        .with_key_path("change.change_id".into())
                        .build()?;
                    db.create_object_store(META).build()?;
                }
                Ok(())
            })
            .await?;
        Ok(Self { db })
    }

    /// Closes the connection; needed before the database can be deleted.
    pub fn close(self) {
        self.db.close();
    }

    pub async fn delete(name: &str) -> StoreResult<()> {
        Database::delete_by_name(name)?.await?;
        Ok(())
    }

    /// Saves a new or edited case and queues it for the server, atomically.
    pub async fn save_case(&self, case: &Case, now: DateTime<Utc>) -> StoreResult<()> {
        let entry = outbox_entry(case.revision, Op::PutCase { case: case.clone() }, now);
        let tx = self
            .db
            .transaction([CASES, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(CASES)?.put(case).serde()?.await?;
        tx.object_store(OUTBOX)?.put(&entry).serde()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends a note to a case's timeline and queues it for the server, atomically.
    pub async fn add_note(&self, note: &Note, now: DateTime<Utc>) -> StoreResult<()> {
        let entry = outbox_entry(Uuid::now_v7(), Op::AddNote { note: note.clone() }, now);
        let tx = self
            .db
            .transaction([NOTES, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(NOTES)?.put(note).serde()?.await?;
        tx.object_store(OUTBOX)?.put(&entry).serde()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// All cases, newest first.
    pub async fn cases(&self) -> StoreResult<Vec<Case>> {
        let tx = self.db.transaction(CASES).build()?;
        let mut cases = tx
            .object_store(CASES)?
            .get_all::<Case>()
            .serde()?
            .await?
            .collect::<Result<Vec<_>, _>>()?;
        sort_newest_first(&mut cases);
        Ok(cases)
    }

    pub async fn case(&self, id: Uuid) -> StoreResult<Option<Case>> {
        let tx = self.db.transaction(CASES).build()?;
        Ok(tx.object_store(CASES)?.get(id.to_string()).serde()?.await?)
    }

    /// A case's timeline, oldest first.
    pub async fn notes_for(&self, case_id: Uuid) -> StoreResult<Vec<Note>> {
        let tx = self.db.transaction(NOTES).build()?;
        let mut notes = tx
            .object_store(NOTES)?
            .index(NOTES_BY_CASE)?
            .get_all::<Note>()
            .with_query(case_id.to_string())
            .serde()?
            .await?
            .collect::<Result<Vec<_>, _>>()?;
        notes.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(notes)
    }

    pub async fn outbox(&self) -> StoreResult<Vec<OutboxEntry>> {
        let tx = self.db.transaction(OUTBOX).build()?;
        Ok(tx
            .object_store(OUTBOX)?
            .get_all::<OutboxEntry>()
            .serde()?
            .await?
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Applies the server's answer to a push: done changes leave the outbox, rejected ones
    /// stay with their reason.
    pub async fn settle(&self, settlement: &Settlement) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(OUTBOX)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let outbox = tx.object_store(OUTBOX)?;
        for change_id in &settlement.done {
            outbox.delete(change_id.to_string()).await?;
        }
        for (change_id, reason) in &settlement.rejected {
            let entry: Option<OutboxEntry> = outbox.get(change_id.to_string()).serde()?.await?;
            if let Some(mut entry) = entry {
                entry.rejection = Some(reason.clone());
                outbox.put(&entry).serde()?.await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes one change the user chose to give up (only offered for rejected changes).
    pub async fn discard(&self, change_id: Uuid) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(OUTBOX)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(OUTBOX)?
            .delete(change_id.to_string())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Merges one pulled page into the device's data and moves the cursor, atomically, so an
    /// interrupted pull resumes from the last page it fully stored.
    pub async fn apply_pull(&self, page: &PullResponse) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([CASES, NOTES, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let cases = tx.object_store(CASES)?;
        for incoming in &page.cases {
            let current: Option<Case> = cases.get(incoming.id.to_string()).serde()?.await?;
            let winner = merge_case(current.as_ref(), incoming);
            if current.as_ref() != Some(&winner) {
                cases.put(&winner).serde()?.await?;
            }
        }
        let notes = tx.object_store(NOTES)?;
        for note in &page.notes {
            notes.put(note).serde()?.await?;
        }
        meta::put_cursor(&tx.object_store(META)?, page.cursor).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn outbox_entry(change_id: Uuid, op: Op, now: DateTime<Utc>) -> OutboxEntry {
    OutboxEntry {
        change: Change { change_id, op },
        queued_at: now,
        rejection: None::<Bilingual>,
    }
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
