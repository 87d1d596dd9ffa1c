//! The cases the device shows, read once per data change and shared by every page that lists
//! or searches them (the case list, the inquiry log's customer search, customer profiles,
//! replies owed), so moving between pages does not read 10,000 rows again. A case this device
//! has just written is put in at once, so it is in the list before the re-read finishes.
//!
//! The first read of 10,000 rows takes about 150 ms; later ones parse only what was written
//! since (`Store::cases`), but still copy the list, so reading happens only while a page that
//! shows the cases is open (`watch`), and never twice at once: writes made meanwhile (a burst
//! of notes) are covered by one more read after the running one. Cases are shared (`Arc`), so
//! a new list costs no copy of any case.

use crate::store::{StoreError, use_store};
use crate::sync::use_sync;
use kefu_core::kinds::case::{Case, newest_first};
use kefu_core::record::Record;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub struct CasesContext {
    /// `None` until first read; the last read's error is in `error`.
    pub cases: RwSignal<Option<Arc<Vec<Arc<Case>>>>>,
    pub error: RwSignal<Option<StoreError>>,
    /// Pages showing the cases now: reading is for them.
    watchers: RwSignal<usize>,
    /// The data version the shown cases were read at.
    read_at: StoredValue<Option<u64>>,
    reading: StoredValue<bool>,
    /// Counts local insertions: a read started before one is stale when it ends.
    inserted: StoredValue<u64>,
}

impl CasesContext {
    /// Call in a page that shows the cases: they are kept fresh while it is open.
    pub fn watch(&self) {
        self.watchers.update(|count| *count += 1);
        let watchers = self.watchers;
        on_cleanup(move || watchers.update(|count| *count -= 1));
    }

    /// Whether the page shown has the cases it needs: read (or failed to be), or not wanted by
    /// it at all. Reactive.
    pub fn first_read_done(&self) -> bool {
        self.cases.with(Option::is_some)
            || self.error.with(Option::is_some)
            || self.watchers.get() == 0
    }

    /// A record this device has just written (as the store returned it): a case shows in the
    /// list at once, before the re-read that the write starts brings it.
    pub fn insert(&self, record: &Record) {
        let Some(case) = Case::from_record(record) else {
            return;
        };
        self.inserted.update_value(|count| *count += 1);
        self.cases.update(|cases| {
            let mut updated: Vec<Arc<Case>> = cases.as_deref().cloned().unwrap_or_default();
            updated.retain(|shown| shown.id != case.id);
            let position = updated.partition_point(|shown| newest_first(shown, &case).is_lt());
            updated.insert(position, Arc::new(case));
            *cases = Some(Arc::new(updated));
        });
    }
}

pub fn provide_cases_context() -> CasesContext {
    let context = CasesContext {
        cases: RwSignal::new(None),
        error: RwSignal::new(None),
        watchers: RwSignal::new(0),
        read_at: StoredValue::new(None),
        reading: StoredValue::new(false),
        inserted: StoredValue::new(0),
    };
    provide_context(context);
    let store = use_store();
    let sync = use_sync();
    Effect::new(move |_| {
        let version = sync.data_version.get();
        if context.watchers.get() == 0
            || context.read_at.get_value() == Some(version)
            || context.reading.get_value()
        {
            return;
        }
        context.reading.set_value(true);
        let store = store.store();
        spawn_local(async move {
            // Until a read saw the latest version: a write during a read needs one more.
            loop {
                let version = sync.data_version.get_untracked();
                let inserted = context.inserted.get_value();
                let read = store.cases().await;
                match read {
                    // A local write landed meanwhile: its insert is newer than this read.
                    Ok(_) if context.inserted.get_value() != inserted => {}
                    Ok(cases) => {
                        context.cases.set(Some(Arc::new(cases)));
                        context.error.set(None);
                    }
                    Err(error) => context.error.set(Some(error)),
                }
                context.read_at.set_value(Some(version));
                if sync.data_version.get_untracked() == version {
                    break;
                }
            }
            context.reading.set_value(false);
        });
    });
    context
}

pub fn use_cases() -> CasesContext {
    expect_context::<CasesContext>()
}
