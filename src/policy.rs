//! The parts of the shop's policy this device uses, from the synced policy record, read again
//! whenever a sync brings new data: for now the banned phrases, compiled into the shared
//! checker. Only those are decoded: the whole policy's decoding and validation would add
//! 27 KB (brotli) to the shell for lists no page shows yet. `None` until the first pull
//! brought the policy: the device has none of its own.

use crate::store::use_store;
use crate::sync::use_sync;
use kefu_core::policy::{BannedPhraseEntry, POLICY_DATA_FIELD, POLICY_RECORD_ID};
use kefu_core::rules::banned_phrases::BannedPhraseChecker;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// The policy's data, of which only the banned phrases are read.
#[derive(serde::Deserialize)]
struct PhraseList {
    banned_phrases: Vec<BannedPhraseEntry>,
}

#[derive(Debug, Clone, Copy)]
pub struct PolicyContext {
    pub banned_phrases: RwSignal<Option<Arc<BannedPhraseChecker>>>,
}

pub fn provide_policy_context() -> PolicyContext {
    let context = PolicyContext {
        banned_phrases: RwSignal::new(None),
    };
    provide_context(context);
    let store = use_store();
    let sync = use_sync();
    Effect::new(move |_| {
        sync.data_version.track();
        let store = store.store();
        spawn_local(async move {
            match store.record(POLICY_RECORD_ID).await {
                Ok(record) => {
                    let checker = record
                        .and_then(|record| record.value(POLICY_DATA_FIELD).cloned())
                        .and_then(|data| serde_json::from_value::<PhraseList>(data).ok())
                        .and_then(|list| BannedPhraseChecker::build(&list.banned_phrases).ok());
                    if let Some(checker) = checker {
                        context.banned_phrases.set(Some(Arc::new(checker)));
                    }
                }
                Err(error) => leptos::logging::error!("reading the policy failed: {error}"),
            }
        });
    });
    context
}

pub fn use_policy() -> PolicyContext {
    expect_context::<PolicyContext>()
}
