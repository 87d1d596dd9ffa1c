//! After the server was restored from a backup (`kefu_core::recovery`): the device notes the
//! restore, sends back every change its confirmed records hold, and then takes the new epoch
//! and starts its feed over. Until then it stores no page of the new epoch: the restored
//! copy's records would replace what is still to be sent.

use super::{META, PHOTOS, RECORDS, Store, StoreResult, from_record_value, meta, photos};
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::record::{Receipt, Record};
use kefu_core::recovery::held_receipts;
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

    /// Every change the confirmed records hold, as the receipts the server once stored.
    pub async fn held_receipts(&self) -> StoreResult<Vec<Receipt>> {
        let tx = self.db.transaction(RECORDS).build()?;
        let records = tx
            .object_store(RECORDS)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
            .map(|value| from_record_value(value?))
            .collect::<StoreResult<Vec<Record>>>()?;
        Ok(records.iter().flat_map(held_receipts).collect())
    }

    /// Everything held is back on the server: the device takes its new epoch, and the next
    /// pull starts the feed over.
    pub async fn end_recovery(&self) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        meta::end_recovering(&tx.object_store(META)?).await?;
        tx.commit().await?;
        Ok(())
    }
}
