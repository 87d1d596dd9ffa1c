//! Database-level behaviour the API relies on, checked directly on the backend: sessions
//! expire, the pull cursor never skips a commit that finished late, and SQLite's stored times
//! keep the form they have always had.

use crate::common::{Backend, create_case, on_both_backends, seeded_db};
use chrono::{Duration, SubsecRound, Utc};
use kefu_core::access::visibility;
use kefu_core::account::manage::SessionEnd;
use kefu_core::record::Record;
use kefu_core::sync::{Change, Outcome};
use kefu_server::db::SessionLookup;
use kefu_server::demo::DEMO_USERNAME;
use kefu_server::sync::apply_changes;
use sqlx::SqlitePool;
use std::sync::mpsc;

on_both_backends! {
async fn a_session_is_valid_until_it_expires(db: TestDb) {
    let store = &db.state.db;
    let user = store
        .user_by_name(DEMO_USERNAME)
        .await
        .unwrap()
        .expect("demo user");
    let now = Utc::now();
    store
        .create_session("hash-of-a-token", user.id, "Chrome · Android", now, now + Duration::hours(1))
        .await
        .unwrap();
    let caller = store.session_caller("hash-of-a-token", now).await.unwrap();
    let SessionLookup::Active(caller) = caller else {
        panic!("{caller:?}")
    };
    assert_eq!(caller.info.username, DEMO_USERNAME);
    let later = now + Duration::hours(1);
    let expired = store.session_caller("hash-of-a-token", later).await.unwrap();
    assert!(matches!(expired, SessionLookup::Unknown), "{expired:?}");
    let unknown = store.session_caller("unknown", now).await.unwrap();
    assert!(matches!(unknown, SessionLookup::Unknown), "{unknown:?}");
}

/// A session seen again after a few minutes notes when; an ended one says why until it expires.
async fn sessions_note_when_they_were_last_seen_and_why_they_ended(db: TestDb) {
    let store = &db.state.db;
    let user = store.user_by_name(DEMO_USERNAME).await.unwrap().unwrap();
    // PostgreSQL keeps microseconds.
    let now = Utc::now().trunc_subsecs(6);
    let expires = now + Duration::days(1);
    store.create_session("first", user.id, "Chrome · Android", now, expires).await.unwrap();
    store.create_session("second", user.id, "Safari · iPad", now, expires).await.unwrap();
    let seen = now + Duration::minutes(6);
    assert!(matches!(store.session_caller("first", seen).await.unwrap(), SessionLookup::Active(_)));
    let sessions = store.sessions_of(user.id, seen).await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!((sessions[0].token_hash.as_str(), sessions[0].last_seen), ("first", seen));
    assert_eq!(sessions[1].last_seen, now);
    assert!(store.end_session(user.id, "second", SessionEnd::SignedOut).await.unwrap());
    assert!(!store.end_session(user.id, "second", SessionEnd::SignedOut).await.unwrap());
    let ended = store.session_caller("second", seen).await.unwrap();
    assert!(matches!(ended, SessionLookup::Ended(SessionEnd::SignedOut)), "{ended:?}");
    assert_eq!(store.sessions_of(user.id, seen).await.unwrap().len(), 1);
    // Someone else's session is not theirs to end.
    let lead = store.user_by_name("lead").await.unwrap().unwrap();
    assert!(!store.end_session(lead.id, "first", SessionEnd::SignedOut).await.unwrap());
}

/// Transaction A starts first and is held open mid-write; transaction B starts later and
/// commits as soon as the backend lets it; a device pulls after that, then A commits. The
/// device's next pull from the cursor it got in between must still deliver A: a cursor moved
/// past a later commit must not have skipped an earlier-numbered one that was still open.
async fn a_commit_that_finishes_late_is_still_delivered(db: TestDb) {
    let store = db.state.db.clone();
    let demo = store.user_by_name(DEMO_USERNAME).await.unwrap().unwrap().account.user;
    let scope = visibility(&demo);
    let before = store.pull(&scope, 0, 1_000).await.unwrap();

    let (a_id, a_create) = create_case("先开始、后提交");
    let (b_id, b_create) = create_case("后开始、先提交");
    let (entered_tx, entered) = mpsc::channel::<()>();
    let (release_tx, release) = mpsc::channel::<()>();
    let release = std::sync::Mutex::new(release);
    let entered_tx = std::sync::Mutex::new(entered_tx);

    let a_store = store.clone();
    let a_user = demo.clone();
    let slow = tokio::spawn(async move {
        // Decides like the server, but stops inside the transaction until released.
        let decide = |existing: Option<&Record>, change: &Change| {
            entered_tx.lock().unwrap().send(()).unwrap();
            release.lock().unwrap().recv().unwrap();
            kefu_core::accept::accept(
                &a_user,
                existing,
                change.clone(),
                Utc::now(),
                kefu_core::policy::Policy::default_policy(),
            )
        };
        a_store
            .apply_batch(DEMO_USERNAME, &[a_create], &decide, Utc::now())
            .await
            .unwrap()
    });
    tokio::task::spawn_blocking(move || entered.recv().unwrap())
        .await
        .unwrap();

    // A is open. B would commit now if writers were not ordered by commit.
    let b_store = store.clone();
    let b_user = demo.clone();
    let fast = tokio::spawn(async move {
        apply_changes(
            b_store.as_ref(),
            &b_user,
            &[b_create],
            Utc::now(),
            kefu_core::policy::Policy::default_policy(),
        )
            .await
            .unwrap()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // A device pulls in between.
    let between = store.pull(&scope, before.last_seq, 1_000).await.unwrap();
    assert!(
        between.records.iter().all(|record| record.id != a_id),
        "A is not committed yet"
    );

    release_tx.send(()).unwrap();
    assert_eq!(slow.await.unwrap()[0].outcome, Outcome::Applied);
    assert_eq!(fast.await.unwrap()[0].outcome, Outcome::Applied);

    let after = store.pull(&scope, between.last_seq, 1_000).await.unwrap();
    let delivered: Vec<_> = between
        .records
        .iter()
        .chain(&after.records)
        .map(|record| record.id)
        .collect();
    assert!(
        delivered.contains(&a_id),
        "the late commit was skipped: {delivered:?}"
    );
    assert!(delivered.contains(&b_id));
}
}

/// SQLite keeps times as RFC 3339 text, as the server has always written them (the backends
/// now share one query that binds a time), so rows stored before and after read alike.
#[tokio::test]
async fn sqlite_stores_times_as_rfc3339_text() {
    let db = seeded_db(Backend::Sqlite).await.expect("SQLite");
    let store = &db.state.db;
    let user = store.user_by_name(DEMO_USERNAME).await.unwrap().unwrap();
    let signed_in_at = Utc::now();
    let expires_at = signed_in_at + Duration::days(30);
    store
        .create_session(
            "hash-of-a-token",
            user.id,
            "Firefox · Linux",
            signed_in_at,
            expires_at,
        )
        .await
        .unwrap();
    let (_, create) = create_case("时间的写法");
    let applied_at = Utc::now();
    let outcomes = apply_changes(
        store.as_ref(),
        &user.account.user,
        std::slice::from_ref(&create),
        applied_at,
        kefu_core::policy::Policy::default_policy(),
    )
    .await
    .unwrap();
    assert_eq!(outcomes[0].outcome, Outcome::Applied);

    let file = db.dir.path().join("kefu.db");
    let file = SqlitePool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let stored: String =
        sqlx::query_scalar("SELECT expires_at FROM sessions WHERE token_hash = 'hash-of-a-token'")
            .fetch_one(&file)
            .await
            .unwrap();
    assert_eq!(stored, expires_at.to_rfc3339());
    let stored: String =
        sqlx::query_scalar("SELECT applied_at FROM applied_changes WHERE change_id = ?")
            .bind(create.change_id.to_string())
            .fetch_one(&file)
            .await
            .unwrap();
    assert_eq!(stored, applied_at.to_rfc3339());
}
