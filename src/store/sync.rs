//! What the sync loop writes: pulled records, the server's answers to a push, and the changes
//! a user gives up.

use super::{META, OUTBOX, RECORDS, Store, StoreResult, meta};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::record::Record;
use kefu_core::sync::{OutboxEntry, PullResponse, Settlement, confirm};
use uuid::Uuid;

impl Store {
    /// Stores one pulled page as the confirmed records, moves the cursor and raises the clock
    /// to the latest stamp seen, atomically, so an interrupted pull resumes from the last page
    /// it fully stored. Pending changes are untouched: they still show over the new records.
    pub async fn apply_pull(&self, page: &PullResponse) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let records = tx.object_store(RECORDS)?;
        for record in &page.records {
            // The server's record already holds everything it merged: it replaces ours.
            records.put(record).serde()?.await?;
        }
        let meta_store = tx.object_store(META)?;
        if let Some(latest) = page.records.iter().map(Record::latest_stamp).max() {
            meta::raise_clock(&meta_store, latest).await?;
        }
        meta::put_cursor(&meta_store, &page.cursor).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies the server's answer to a push. A stored change leaves the outbox and is applied
    /// to the confirmed record in the same transaction, so the shown record does not change
    /// (no flicker until the next pull brings the server's copy); a rejected one stays, with
    /// its reason, and no longer shows.
    pub async fn settle(&self, settlement: &Settlement) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;
        for change_id in &settlement.done {
            let entry: Option<OutboxEntry> = outbox.get(change_id.to_string()).serde()?.await?;
            let Some(entry) = entry else {
                continue;
            };
            let record_id = entry.change.record_id.to_string();
            let confirmed: Option<Record> = records.get(record_id).serde()?.await?;
            if let Some(record) = confirm(confirmed, &entry) {
                records.put(&record).serde()?.await?;
            }
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

    /// Removes one change the user chose to give up; the shown record rolls back to what the
    /// server confirmed plus the other pending changes.
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
}
