//! Photos on the device: the JPEG bytes by SHA-256, taken here and waiting to be uploaded, or
//! uploaded, or fetched from the server to show. A photo is stored here before any change
//! names it, so a reload, a crash or a week offline loses none; the sync loop uploads those
//! still waiting before it pushes the changes that name them.

use super::{OUTBOX, PHOTOS, PHOTOS_WAITING, Store, StoreError, StoreResult, read_outbox};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::{Object, Reflect, Uint8Array};
use kefu_core::photo::PhotoRef;
use std::collections::BTreeSet;
use wasm_bindgen::{JsCast, JsValue};

/// The value's properties: the key, the bytes, and, only while the server does not hold the
/// photo, `waiting: 1`; the index on it then lists just those, however many photos are cached.
const HASH: &str = "hash";
const BYTES: &str = "bytes";
const WAITING: &str = "waiting";

fn js_error(error: JsValue) -> StoreError {
    StoreError::Idb(format!("{error:?}"))
}

fn photo_value(hash: &str, bytes: &[u8], uploaded: bool) -> StoreResult<JsValue> {
    let value = Object::new();
    Reflect::set(&value, &HASH.into(), &hash.into()).map_err(js_error)?;
    Reflect::set(&value, &BYTES.into(), &Uint8Array::from(bytes).into()).map_err(js_error)?;
    if !uploaded {
        Reflect::set(&value, &WAITING.into(), &1.into()).map_err(js_error)?;
    }
    Ok(value.into())
}

fn bytes_of(value: &JsValue) -> StoreResult<Vec<u8>> {
    Reflect::get(value, &BYTES.into())
        .map_err(js_error)?
        .dyn_into::<Uint8Array>()
        .map(|bytes| bytes.to_vec())
        .map_err(|_| StoreError::Idb("a stored photo has no bytes".into()))
}

fn is_uploaded(value: &JsValue) -> bool {
    Reflect::get(value, &WAITING.into()).is_ok_and(|flag| flag.is_undefined())
}

/// Marks every photo kept here as waiting, inside a caller's transaction: after a restore the
/// server may lack any of them. Each upload asks the server first, so one it holds is not sent
/// again.
pub(super) async fn mark_all_waiting(photos: &ObjectStore<'_>) -> StoreResult<()> {
    for value in photos.get_all::<JsValue>().primitive()?.await? {
        let value = value?;
        Reflect::set(&value, &WAITING.into(), &1.into()).map_err(js_error)?;
        drop(photos.put(value).build()?);
    }
    Ok(())
}

impl Store {
    /// Keeps a photo taken on this device until the server holds it. Taking the same photo
    /// twice stores it once.
    pub async fn add_photo(&self, photo: &PhotoRef, bytes: &[u8]) -> StoreResult<()> {
        self.put_photo(photo, bytes, false).await
    }

    /// Keeps a photo fetched from the server, so it shows offline next time.
    pub async fn cache_photo(&self, photo: &PhotoRef, bytes: &[u8]) -> StoreResult<()> {
        self.put_photo(photo, bytes, true).await
    }

    async fn put_photo(&self, photo: &PhotoRef, bytes: &[u8], uploaded: bool) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(PHOTOS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(PHOTOS)?;
        let held = store
            .get::<JsValue, _, _>(photo.hash.as_str())
            .primitive()?
            .await?;
        // Never mark an uploaded photo as waiting again.
        let uploaded = uploaded || held.as_ref().is_some_and(is_uploaded);
        store
            .put(photo_value(&photo.hash, bytes, uploaded)?)
            .build()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The photo's bytes, if this device holds them.
    pub async fn photo(&self, hash: &str) -> StoreResult<Option<Vec<u8>>> {
        let tx = self.db.transaction(PHOTOS).build()?;
        let value = tx
            .object_store(PHOTOS)?
            .get::<JsValue, _, _>(hash)
            .primitive()?
            .await?;
        value.as_ref().map(bytes_of).transpose()
    }

    /// Photos taken here that the server does not hold yet, with their bytes, in hash order.
    pub async fn photos_to_upload(&self) -> StoreResult<Vec<(PhotoRef, Vec<u8>)>> {
        let tx = self.db.transaction(PHOTOS).build()?;
        let mut waiting = Vec::new();
        for value in tx
            .object_store(PHOTOS)?
            .index(PHOTOS_WAITING)?
            .get_all::<JsValue>()
            .primitive()?
            .await?
        {
            let value = value?;
            let hash = Reflect::get(&value, &HASH.into())
                .map_err(js_error)?
                .as_string()
                .unwrap_or_default();
            let bytes = bytes_of(&value)?;
            waiting.push((
                PhotoRef {
                    hash,
                    bytes: bytes.len() as u64,
                },
                bytes,
            ));
        }
        Ok(waiting)
    }

    /// The hashes of photos still waiting to be uploaded: changes naming them wait too.
    pub async fn photos_waiting(&self) -> StoreResult<BTreeSet<String>> {
        Ok(self
            .photos_to_upload()
            .await?
            .into_iter()
            .map(|(photo, _)| photo.hash)
            .collect())
    }

    /// Forgets a photo taken here and then removed before anything named it: it is not
    /// uploaded. One that a pending change names, or the server holds, is kept.
    pub async fn discard_photo(&self, hash: &str) -> StoreResult<()> {
        let tx = self
            .db
            .transaction([PHOTOS, OUTBOX])
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let named = read_outbox(&tx.object_store(OUTBOX)?)
            .await?
            .iter()
            .any(|entry| {
                entry
                    .change
                    .op
                    .photos()
                    .is_ok_and(|photos| photos.iter().any(|photo| photo.hash == hash))
            });
        let store = tx.object_store(PHOTOS)?;
        let waiting = store
            .get::<JsValue, _, _>(hash)
            .primitive()?
            .await?
            .is_some_and(|value| !is_uploaded(&value));
        if waiting && !named {
            store.delete(hash).build()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The server holds the whole photo now.
    pub async fn photo_uploaded(&self, hash: &str) -> StoreResult<()> {
        let tx = self
            .db
            .transaction(PHOTOS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        let store = tx.object_store(PHOTOS)?;
        if let Some(value) = store.get::<JsValue, _, _>(hash).primitive()?.await? {
            Reflect::delete_property::<Object>(value.unchecked_ref(), &WAITING.into())
                .map_err(js_error)?;
            store.put(value).build()?.await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
