//! Database-level behaviour the API relies on, checked directly on the backend.

use crate::common::seeded_db;
use chrono::{Duration, Utc};
use kefu_server::demo::DEMO_USERNAME;

#[tokio::test]
async fn a_session_is_valid_until_it_expires() {
    let db = seeded_db().await;
    let store = &db.state.db;
    let user = store
        .user_by_name(DEMO_USERNAME)
        .await
        .unwrap()
        .expect("demo user");
    let now = Utc::now();
    store
        .create_session("hash-of-a-token", user.id, now + Duration::hours(1))
        .await
        .unwrap();
    let caller = store.session_caller("hash-of-a-token", now).await.unwrap();
    assert_eq!(
        caller.map(|c| c.info.username),
        Some(DEMO_USERNAME.to_owned())
    );
    let later = now + Duration::hours(1);
    assert!(
        store
            .session_caller("hash-of-a-token", later)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session_caller("unknown", now)
            .await
            .unwrap()
            .is_none()
    );
}
