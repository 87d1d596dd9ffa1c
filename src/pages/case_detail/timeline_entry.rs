//! Adding one entry to a case's timeline from a panel: kept on the device as the signed-in
//! user, then synced soon. Every panel that records steps (order, sales, compensation, return)
//! goes through this, so each only checks its own rule and says what to clear afterwards.

use crate::i18n::{Locale, localized, use_i18n};
use crate::session::{SessionContext, may_make_on, use_session};
use crate::store::{StoreContext, use_store};
use crate::sync::{SyncContext, use_sync};
use chrono::Utc;
use kefu_core::kinds::case::Case;
use kefu_core::lang::Bilingual;
use kefu_core::record::Record;
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_i18n::I18nContext;
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
    i18n: I18nContext<Locale>,
}

impl TimelineEntry {
    pub fn new(error: RwSignal<Option<String>>) -> Self {
        TimelineEntry {
            store: use_store(),
            session: use_session(),
            sync: use_sync(),
            error,
            i18n: use_i18n(),
        }
    }

    /// Appends `kind` with `data` to the shown `record` once `check` (the shared rule the
    /// server runs) passes it; otherwise shows the rule's reason and keeps nothing.
    pub fn append_checked(
        &self,
        record: Signal<Option<Record>>,
        kind: &str,
        data: Value,
        check: impl FnOnce(&Record, &Op) -> Result<(), Bilingual>,
        done: impl FnOnce() + 'static,
    ) {
        let Some(existing) = record.get_untracked() else {
            return;
        };
        if let Err(message) = check(&existing, &probe_append(kind, data.clone())) {
            self.error.set(Some(localized(self.i18n, &message)));
            return;
        }
        self.append(existing.id, kind, data, done);
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

/// Whether the signed-in user may add `kind` entries to the case: the shared access rule, so a
/// panel offers only what the server will take. A memo, tracked, so it follows a sign-in or a
/// reloaded record without rebuilding what it guards unless the verdict changes.
pub fn may_add(record: Signal<Option<Record>>, kind: &'static str) -> Memo<bool> {
    may_make_on(record, move || Op::Append {
        event: Uuid::nil(),
        kind: kind.to_owned(),
        data: Value::Null,
    })
}

/// The operation an entry would be, for a panel to ask a shared rule about it before keeping
/// it (the event id does not matter to the rules).
pub fn probe_append(kind: &str, data: Value) -> Op {
    Op::Append {
        event: Uuid::nil(),
        kind: kind.to_owned(),
        data,
    }
}

/// One part of the shown case's list row (its escalations, its callbacks, …), as a memo: a
/// panel rebuilds its list only when that part changes. Empty while no case is shown.
pub fn case_part<T>(record: Signal<Option<Record>>, part: fn(Case) -> T) -> Memo<T>
where
    T: Default + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        record.with(|record| {
            record
                .as_ref()
                .and_then(Case::from_record)
                .map(part)
                .unwrap_or_default()
        })
    })
}
