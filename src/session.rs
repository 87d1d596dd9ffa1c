//! Who is signed in on this device, kept in IndexedDB so the app works offline after one
//! online sign-in.

use crate::store::Store;
use kefu_core::account::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Debug, Clone, Copy)]
pub struct SessionContext {
    pub session: RwSignal<Option<Session>>,
    /// False until the stored session (if any) has been read at start-up.
    pub loaded: RwSignal<bool>,
}

impl SessionContext {
    pub fn username(&self) -> String {
        self.session
            .get_untracked()
            .map(|session| session.user.username)
            .unwrap_or_default()
    }
}

pub fn provide_session_context(store: Store) -> SessionContext {
    let context = SessionContext {
        session: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    provide_context(context);
    spawn_local(async move {
        match store.session().await {
            Ok(session) => context.session.set(session),
            Err(error) => leptos::logging::error!("reading the session failed: {error}"),
        }
        context.loaded.set(true);
    });
    context
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}
