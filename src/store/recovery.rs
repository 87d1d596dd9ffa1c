//! After the server was restored from a backup (`kefu_core::recovery`): the device notes the
//! restore, sends back every change its confirmed records hold (noting how far it got), and
//! then takes the new epoch and starts its feed over. Until then it stores no page of the new epoch: the restored
//! copy's records would replace what is still to be sent.

use super::{
    CASE_LIST, META, PHOTOS, RECORDS, Store, StoreResult, clear_confirmed, from_record_value, meta,
    photos,
};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::record::Record;
use uuid::Uuid;
use wasm_bindgen::JsValue;

impl Store {
    /// Notes that the server was restored to `epoch`, and marks every photo kept here as
    /// waiting: the restored copy may lack it, and its upload asks the server first, so one
    /// it holds is not sent again.
    pub async fn begin_recovery(&self, epoch: &str) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([META, PHOTOS])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        meta::put_recovering(&tx.object_store(META)?, epoch).await?;
        photos::mark_all_waiting(&tx.object_store(PHOTOS)?).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every confirmed record: what the device sends back the changes of.
    pub async fn confirmed_records(&self) -> StoreResult<Vec<Record>> {
        let tx = self.db.transaction(RECORDS).build()?;
        tx.object_store(RECORDS)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .map(|value| from_record_value(value?))
            .collect()
    }

    /// Notes that every record up to `record` (in id order) is sent back and answered.
    pub async fn recovered_through(&self, record: Uuid) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        meta::put_recovered_through(&tx.object_store(META)?, record).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything held is back on the server: the device takes its new epoch and drops the
    /// records it held, in one transaction; the next pull brings the restored server's copy
    /// from the start (a record the server did not take back would otherwise linger, shown as
    /// confirmed, refusing every edit). Pending changes stay in the outbox.
    pub async fn end_recovery(&self) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([RECORDS, CASE_LIST, META])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        clear_confirmed(&tx).await?;
        meta::end_recovering(&tx.object_store(META)?).await?;
        tx.commit().await?;
        Ok(())
    }
}
