//! The records of one type as a page shows them, read from the device again whenever local
//! data changes (a write here, a sync), and shaped by the page (its typed view, sorted or
//! filtered). Cases as a list shows them have their own shared reader (`cases.rs`); every
//! other read comes here, whole case records included (banned-phrase incidents, the weekly
//! after-sales summary). And the one way a page creates a record of its own: checked first as
//! the server will check it.

use crate::session::may_make;
use crate::store::{Store, StoreError, use_store};
use crate::sync::{SyncContext, use_sync};
use chrono::Utc;
use kefu_core::account::UserInfo;
use kefu_core::input::InputError;
use kefu_core::lang::Bilingual;
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::Op;
use leptos::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn use_records<T: 'static>(
    record_type: RecordType,
    shape: impl Fn(Vec<Record>) -> T + Copy + 'static,
) -> LocalResource<Result<T, StoreError>> {
    use_records_of(&[record_type], shape)
}

/// The records of several types at once, in the order of `record_types`: a report reads the
/// cases and the call logs together.
pub fn use_records_of<T: 'static>(
    record_types: &[RecordType],
    shape: impl Fn(Vec<Record>) -> T + Copy + 'static,
) -> LocalResource<Result<T, StoreError>> {
    let store = use_store();
    let sync = use_sync();
    let record_types = record_types.to_vec();
    LocalResource::new(move || {
        sync.data_version.track();
        let store = store.store();
        let record_types = record_types.clone();
        async move {
            let mut records = Vec::new();
            for record_type in record_types {
                records.extend(store.records_of_type(record_type).await?);
            }
            Ok(shape(records))
        }
    })
}

/// Creates a record of `record_type` made by `user`, once its fields pass `check_field` and
/// `user` may create it (what the server will check): to the device and its outbox first,
/// then the sync is told. A refusal is said in both languages, and nothing is written.
pub async fn create_checked(
    (store, sync): (Store, SyncContext),
    user: &UserInfo,
    record_type: RecordType,
    fields: BTreeMap<String, Value>,
    check_field: fn(&str, &Value) -> Result<(), InputError>,
) -> Result<Record, Bilingual> {
    fields
        .iter()
        .try_for_each(|(name, value)| check_field(name, value))
        .map_err(|invalid| invalid.message())?;
    let op = Op::Create {
        fields: fields.clone(),
    };
    may_make(user, record_type, None, op).map_err(|denied| denied.message())?;
    let record = store
        .create(record_type, fields, user, Utc::now())
        .await
        .map_err(|error| Bilingual::new(error.to_string(), error.to_string()))?;
    sync.after_local_write();
    Ok(record)
}
