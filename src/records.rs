//! The records of one type as a page shows them, read from the device again whenever local
//! data changes (a write here, a sync), and shaped by the page (its typed view, sorted or
//! filtered). Cases as a list shows them have their own shared reader (`cases.rs`); every
//! other read comes here, whole case records included (banned-phrase incidents, the weekly
//! after-sales summary).

use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use kefu_core::record::{Record, RecordType};
use leptos::prelude::*;

pub fn use_records<T: 'static>(
    record_type: RecordType,
    shape: impl Fn(Vec<Record>) -> T + Copy + 'static,
) -> LocalResource<Result<T, StoreError>> {
    let store = use_store();
    let sync = use_sync();
    LocalResource::new(move || {
        sync.data_version.track();
        let store = store.store();
        async move { Ok(shape(store.records_of_type(record_type).await?)) }
    })
}
