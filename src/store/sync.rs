//! What the sync loop writes: pulled records, the server's answers to a push, and the changes
//! a user gives up.

use super::{
    CASE_LIST, META, OUTBOX, RECORDS, Store, StoreError, StoreResult, append_case_rows, meta, read,
    read_record, record_value, to_js, to_record_value,
};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::record::Record;
use kefu_core::sync::{OutboxEntry, PullResponse, Settlement, confirm};
use std::collections::BTreeMap;
use uuid::Uuid;

impl Store {
    /// Stores one pulled page as the confirmed records, moves the cursor and raises the clock
    /// to the latest stamp seen, atomically, so an interrupted pull resumes from the last page
    /// it fully stored. Pending changes are untouched: they still show over the new records.
    pub async fn apply_pull(&self, page: &PullResponse) -> StoreResult<()> {
        let texts = page
            .records
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| StoreError::Idb(error.to_string()))?;
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.apply_pulled(page, &texts).await
    }

    /// [`apply_pull`](Self::apply_pull) of a page as received: `texts[i]` is
    /// `page.records[i]` as the server wrote it, and is stored as it is.
    pub async fn apply_pulled(&self, page: &PullResponse, texts: &[&str]) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let records = tx.object_store(RECORDS)?;
        // The server's record already holds everything it merged: it replaces ours. Every put
        // is issued and none is awaited: awaiting one gives it a closure and a success event
        // into the wasm, a thousand per page (most of a first sync's time beyond the raw
        // limit, issue 28); a put that fails aborts the transaction, which the commit reports.
        for (record, text) in page.records.iter().zip(texts) {
            let value = record_value(record.id, record.record_type, text.as_bytes())?;
            drop(records.put(value).build()?);
        }
        append_case_rows(&tx.object_store(CASE_LIST)?, page.records.iter()).await?;
        let meta_store = tx.object_store(META)?;
        if let Some(latest) = page.records.iter().map(Record::latest_stamp).max() {
            meta::raise_clock(&meta_store, latest).await?;
        }
        meta::put_cursor(&meta_store, &page.cursor).await?;
        meta::put_epoch(&meta_store, &page.epoch).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies the server's answer to a push. A stored change leaves the outbox and is applied
    /// to the confirmed record in the same transaction, so the shown record does not change
    /// (no flicker until the next pull brings the server's copy); a rejected one stays, with
    /// its reason, and no longer shows.
    ///
    /// Requests are issued a whole step at a time (every entry, then every record, then every
    /// write) rather than awaited one by one, for the same reason as in `apply_pull`.
    pub async fn settle(&self, settlement: &Settlement) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let records = tx.object_store(RECORDS)?;
        let outbox = tx.object_store(OUTBOX)?;

        let mut done: Vec<OutboxEntry> = Vec::with_capacity(settlement.done.len());
        for entry in entries(&outbox, settlement.done.iter())? {
            done.extend(entry.await?);
        }
        // Each record once, however many of its changes the batch held (a batch of notes on
        // one case is common), confirmed in the order the changes were made.
        let mut record_ids: Vec<Uuid> = done.iter().map(|entry| entry.change.record_id).collect();
        record_ids.sort();
        record_ids.dedup();
        let reads = record_ids
            .iter()
            .map(|id| read_record(&records, *id))
            .collect::<Result<Vec<_>, _>>()?;
        let mut confirmed: BTreeMap<Uuid, Option<Record>> = BTreeMap::new();
        for (id, read) in record_ids.into_iter().zip(reads) {
            confirmed.insert(id, read.await?);
        }
        done.sort_by_key(|entry| entry.change.change_id);
        for entry in &done {
            let record = confirmed.entry(entry.change.record_id).or_default();
            *record = confirm(record.take(), entry);
        }

        let mut writes = Vec::new();
        for record in confirmed.values().flatten() {
            writes.push(records.put(to_record_value(record)?).build()?);
        }
        append_case_rows(&tx.object_store(CASE_LIST)?, confirmed.values().flatten()).await?;
        for entry in &done {
            writes.push(outbox.delete(entry.change.change_id.to_string()).build()?);
        }
        let rejected_ids = settlement.rejected.iter().map(|(id, _)| id);
        for ((_, reason), entry) in settlement
            .rejected
            .iter()
            .zip(entries(&outbox, rejected_ids)?)
        {
            if let Some(mut entry) = entry.await? {
                entry.rejection = Some(reason.clone());
                writes.push(outbox.put(to_js(&entry)?).build()?);
            }
        }
        for write in writes {
            write.await?;
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

/// Reads of the outbox entries with these change ids, all issued at once; await them in order.
fn entries<'a>(
    outbox: &'a ObjectStore<'a>,
    ids: impl Iterator<Item = &'a Uuid>,
) -> StoreResult<Vec<impl Future<Output = StoreResult<Option<OutboxEntry>>> + 'a>> {
    ids.map(|id| read(outbox, id)).collect()
}
