//! The limits a device never meets and an attacker does (issue 29), called on the API directly:
//! a session syncing faster than any device is told to wait, and others are not; entries beyond
//! the limit one push may add to a record wait for a later push and are then applied; a text
//! over the limit in a field no kind bounds itself is refused, and the stored record is left
//! as it was.

use crate::common::{Api, add_note, create_case, on_both_backends, set_field};
use axum::http::{StatusCode, header};
use kefu_core::limits::{
    MAX_ENTRIES_PER_RECORD_PER_PUSH, SYNC_BURST, SYNC_REQUESTS_PER_SECOND, TEXT_MAX_CHARS,
};
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID};
use kefu_core::record::RecordType;
use kefu_core::sync::{Change, Outcome};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::{Value, json};
use std::time::Instant;

on_both_backends! {
    async fn a_session_syncing_faster_than_any_device_is_told_to_wait(db: TestDb) {
        let api = Api::new(&db);
        let runaway = api.sign_in(DEMO_USERNAME).await;
        let other_device = api.sign_in(DEMO_USERNAME).await;
        let started = Instant::now();
        let mut let_through = 0u32;
        // Pushes and pulls alike, as fast as the router answers.
        let refused = loop {
            let request = if let_through.is_multiple_of(2) {
                Api::request("POST", "/api/sync/push", Some(&runaway), json!({ "changes": [] }))
            } else {
                Api::request("GET", "/api/sync/pull?limit=1", Some(&runaway), Value::Null)
            };
            let (status, headers, body) = api.answer(request).await;
            if status != StatusCode::OK {
                break (status, headers, body);
            }
            let_through += 1;
            assert!(let_through < 10 * SYNC_BURST.get(), "never refused");
        };
        // The burst, plus what the rate refilled while the loop ran, and not one more.
        let refilled = started.elapsed().as_secs_f64() * f64::from(SYNC_REQUESTS_PER_SECOND.get());
        assert!(let_through >= SYNC_BURST.get(), "refused after {let_through}");
        assert!(f64::from(let_through) <= f64::from(SYNC_BURST.get()) + refilled + 1.0, "{let_through} let through");
        let (status, headers, body) = refused;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["code"], "rate_limited", "{body}");
        assert!(!body["message"]["zh"].as_str().unwrap().is_empty());
        let retry: u64 = headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
        assert!((1..=2).contains(&retry), "Retry-After: {retry}");
        // Another session of the same user is not slowed by it.
        let (status, _) = api.push_raw(&other_device, json!([])).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn entries_beyond_the_limit_for_one_record_wait_and_then_apply(db: TestDb) {
        let api = Api::new(&db);
        let token = api.sign_in(DEMO_USERNAME).await;
        let (id, create) = create_case("很多备注的案件");
        assert_eq!(api.push(&token, &[create]).await, [Outcome::Applied]);
        let notes: Vec<Change> = (0..=MAX_ENTRIES_PER_RECORD_PER_PUSH)
            .map(|n| add_note(id, &format!("备注 {n}")))
            .collect();
        let outcomes = api.push(&token, &notes).await;
        let applied = outcomes.iter().filter(|outcome| **outcome == Outcome::Applied).count();
        assert_eq!(applied, MAX_ENTRIES_PER_RECORD_PER_PUSH);
        let Outcome::Waiting { reason } = outcomes.last().unwrap() else {
            panic!("the last entry should wait: {:?}", outcomes.last());
        };
        assert!(reason.zh.contains(&MAX_ENTRIES_PER_RECORD_PER_PUSH.to_string()), "{reason:?}");
        let stored = api.record(&token, id).await.unwrap();
        assert_eq!(stored.events.len(), MAX_ENTRIES_PER_RECORD_PER_PUSH);
        // The device sends it again in its next push: applied, nothing lost.
        let last = notes.last().unwrap().clone();
        assert_eq!(api.push(&token, &[last]).await, [Outcome::Applied]);
        assert_eq!(api.record(&token, id).await.unwrap().events.len(), MAX_ENTRIES_PER_RECORD_PER_PUSH + 1);
    }

    async fn a_text_over_the_limit_is_refused_in_a_field_no_kind_bounds(db: TestDb) {
        let api = Api::new(&db);
        let admin = api.sign_in("admin").await;
        let before = api.record(&admin, POLICY_RECORD_ID).await.unwrap();
        let field = &before.fields[POLICY_DATA_FIELD];
        let mut data = field.current.value.clone();
        data["item_classes"][0]["zh"] = json!("茶".repeat(TEXT_MAX_CHARS + 1));
        let mut edit = set_field(POLICY_RECORD_ID, POLICY_DATA_FIELD, data, field.version_ids());
        edit.record_type = RecordType::Policy;
        let outcomes = api.push(&admin, &[edit]).await;
        let [Outcome::Rejected { reason }] = outcomes.as_slice() else {
            panic!("refused, not {outcomes:?}");
        };
        assert!(reason.zh.contains(&TEXT_MAX_CHARS.to_string()) && reason.en.contains(POLICY_DATA_FIELD), "{reason:?}");
        assert_eq!(api.record(&admin, POLICY_RECORD_ID).await.unwrap(), before);
    }
}
