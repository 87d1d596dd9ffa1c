//! Who is signed in on this device, kept in IndexedDB so the app works offline after one
//! online sign-in.

use crate::store::Store;
use kefu_core::access::may_change;
use kefu_core::account::Denied;
use kefu_core::account::{Session, UserInfo};
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::Op;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
pub struct SessionContext {
    pub session: RwSignal<Option<Session>>,
    /// False until the stored session (if any) has been read at start-up.
    pub loaded: RwSignal<bool>,
}

impl SessionContext {
    /// Takes `session` as this tab's: the drafts forms show become its user's first.
    pub fn adopt(&self, session: Option<Session>) {
        let username = session
            .as_ref()
            .map(|session| session.user.username.as_str())
            .unwrap_or_default();
        crate::drafts::set_owner(username);
        self.session.set(session);
    }

    /// The signed-in user, tracked: views showing what this user may do update on sign-in.
    pub fn user(&self) -> Option<UserInfo> {
        self.session
            .with(|session| session.as_ref().map(|session| session.user.clone()))
    }

    /// The signed-in user now, untracked: for event handlers and writes.
    pub fn user_now(&self) -> Option<UserInfo> {
        self.session
            .with_untracked(|session| session.as_ref().map(|session| session.user.clone()))
    }

    /// The session's token now, for the online-only pages' requests.
    pub fn token(&self) -> String {
        self.session
            .get_untracked()
            .map(|session| session.token)
            .unwrap_or_default()
    }

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
            Ok(session) => context.adopt(session),
            Err(error) => leptos::logging::error!("reading the session failed: {error}"),
        }
        context.loaded.set(true);
    });
    context
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// Whether the signed-in user may make a change like `probe()` to the shown record, as a memo:
/// it follows a sign-in or a reloaded record, and rebuilds what it guards only when the
/// verdict itself changes. False while nobody is signed in or no record is shown.
pub fn may_make_on(
    record: Signal<Option<Record>>,
    probe: impl Fn() -> Op + Send + Sync + 'static,
) -> Memo<bool> {
    let session = use_session();
    Memo::new(move |_| {
        let Some(user) = session.user() else {
            return false;
        };
        record.with(|record| {
            record.as_ref().is_some_and(|record| {
                may_make(&user, record.record_type, Some(record), probe()).is_ok()
            })
        })
    })
}

/// Whether `user` may open a case with `fields`, as the server's `accept` will ask of the
/// create (the new-case and return pages check before saving).
pub fn may_open_case(user: &UserInfo, fields: &BTreeMap<String, Value>) -> Result<(), Denied> {
    may_make(
        user,
        RecordType::Case,
        None,
        Op::Create {
            fields: fields.clone(),
        },
    )
}

/// Whether `user` may make a change like `op` to `record` (`None`: a new record), by the
/// server's own rule, so pages offer only what the server will accept. Hiding a control is
/// a courtesy; the server still decides.
pub fn may_make(
    user: &UserInfo,
    record_type: RecordType,
    record: Option<&Record>,
    op: Op,
) -> Result<(), Denied> {
    may_change(user, record, record_type, &op)
}
