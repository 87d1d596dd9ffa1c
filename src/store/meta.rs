//! Small per-device records kept beside the data: session, pull cursor, last sync.

use super::{META, Store, StoreResult};
use chrono::{DateTime, Utc};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use kefu_core::account::Session;
use serde::Serialize;
use serde::de::DeserializeOwned;

const SESSION: &str = "session";
const CURSOR: &str = "cursor";
const LAST_SYNC: &str = "last_sync";

/// What the status badge shows about sync, read in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncMeta {
    pub cursor: i64,
    pub last_sync: Option<DateTime<Utc>>,
}

pub(super) async fn put_cursor(store: &ObjectStore<'_>, cursor: i64) -> StoreResult<()> {
    store
        .put(cursor)
        .with_key(CURSOR)
        .without_key_type()
        .serde()?
        .await?;
    Ok(())
}

impl Store {
    async fn get_meta<T: DeserializeOwned>(&self, key: &str) -> StoreResult<Option<T>> {
        let tx = self.db.transaction(META).build()?;
        Ok(tx.object_store(META)?.get(key).serde()?.await?)
    }

    async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?
            .put(value)
            .with_key(key.to_owned())
            .without_key_type()
            .serde()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_meta(&self, key: &str) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?.delete(key).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn session(&self) -> StoreResult<Option<Session>> {
        self.get_meta(SESSION).await
    }

    pub async fn set_session(&self, session: &Session) -> StoreResult<()> {
        self.put_meta(SESSION, session).await
    }

    /// Forgets the session but keeps every case, note and outbox entry: signing in again
    /// sends whatever is still waiting.
    pub async fn clear_session(&self) -> StoreResult<()> {
        self.delete_meta(SESSION).await
    }

    pub async fn sync_meta(&self) -> StoreResult<SyncMeta> {
        Ok(SyncMeta {
            cursor: self.get_meta(CURSOR).await?.unwrap_or(0),
            last_sync: self.get_meta(LAST_SYNC).await?,
        })
    }

    pub async fn set_last_sync(&self, at: DateTime<Utc>) -> StoreResult<()> {
        self.put_meta(LAST_SYNC, &at).await
    }
}
