//! Adding one entry to a case's timeline from a panel: kept on the device as the signed-in
//! user, then synced soon. Every panel that records steps (order, sales, compensation, return)
//! goes through this, so each only checks its own rule and says what to clear afterwards.

use crate::session::{SessionContext, use_session};
use crate::store::{StoreContext, use_store};
use crate::sync::{SyncContext, use_sync};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

/// Made while a panel is set up (it reads the contexts then); used from its handlers.
#[derive(Clone, Copy)]
pub struct TimelineEntry {
    store: StoreContext,
    session: SessionContext,
    sync: SyncContext,
    /// Where the panel shows why an entry could not be kept.
    error: RwSignal<Option<String>>,
}

impl TimelineEntry {
    pub fn new(error: RwSignal<Option<String>>) -> Self {
        TimelineEntry {
            store: use_store(),
            session: use_session(),
            sync: use_sync(),
            error,
        }
    }

    /// Appends `kind` with `data` to `record_id`; `done` runs once the device holds it.
    pub fn append(&self, record_id: Uuid, kind: &str, data: Value, done: impl FnOnce() + 'static) {
        let Some(user) = self.session.user_now() else {
            return;
        };
        let (store, sync, error, kind) =
            (self.store.store(), self.sync, self.error, kind.to_owned());
        spawn_local(async move {
            match store
                .append_event(record_id, &kind, data, &user, Utc::now())
                .await
            {
                Ok(_) => {
                    error.set(None);
                    done();
                    sync.after_local_write();
                }
                Err(store_error) => error.set(Some(store_error.to_string())),
            }
        });
    }
}
