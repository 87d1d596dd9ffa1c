//! Router tests of the sync protocol itself: sign-in, idempotent pushes, rejected changes with
//! reasons, protocol versions and paging, driven in-process through the axum router.

use crate::common::{Api, add_note, create_case, on_both_backends};
use axum::http::StatusCode;
use kefu_core::kinds::case::Case;
use kefu_core::sync::{MAX_PUSH_CHANGES, Outcome, PROTOCOL_HEADER, PUSH_BATCH_SIZE};
use kefu_server::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use serde_json::{Value, json};

on_both_backends! {
async fn wrong_password_is_refused_with_a_bilingual_message(db: TestDb) {
    let api = Api::new(&db);
    let (status, body) = api
        .call(Api::request(
            "POST",
            "/api/login",
            None,
            json!({"username": DEMO_USERNAME, "password": "guess"}),
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "bad_credentials");
    assert_eq!(body["message"]["zh"], "用户名或密码错误");
}

async fn sync_without_a_valid_session_is_refused_and_stores_nothing(db: TestDb) {
    let api = Api::new(&db);
    let (id, create) = create_case("未登录");
    for token in [None, Some("not-a-token")] {
        let push = Api::request(
            "POST",
            "/api/sync/push",
            token,
            json!({"changes": [create]}),
        );
        let (status, body) = api.call(push).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(body["code"], "unauthorized");
        let (status, _) = api
            .call(Api::request("GET", "/api/sync/pull", token, Value::Null))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    let token = api.sign_in(DEMO_USERNAME).await;
    assert_eq!(api.record(&token, id).await, None);
}

async fn a_signed_out_session_is_refused_at_once(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (status, _) = api
        .call(Api::request(
            "POST",
            "/api/logout",
            Some(&token),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = api
        .call(Api::request(
            "GET",
            "/api/sync/pull",
            Some(&token),
            Value::Null,
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "session_ended");
    assert_eq!(body["reason"], "signed_out");
}

async fn repeated_push_stores_each_change_once(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (_, before) = api.pull_all(&token, None).await;

    let (id, create) = create_case("重复推送");
    let changes = [create, add_note(id, "第一条"), add_note(id, "第二条")];
    assert_eq!(api.push(&token, &changes).await, vec![Outcome::Applied; 3]);
    assert_eq!(
        api.push(&token, &changes).await,
        vec![Outcome::Duplicate; 3]
    );

    let (after, _) = api.pull_all(&token, Some(&before)).await;
    assert_eq!(after.len(), 1, "one record changed: {after:?}");
    assert_eq!(after[0].id, id);
    assert_eq!(after[0].events.len(), 2);
}

async fn invalid_changes_are_rejected_with_their_reason_and_others_still_apply(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (_, bad) = create_case("   ");
    let (good_id, good) = create_case("正常");
    let outcomes = api.push(&token, &[bad, good, add_note(good_id, "")]).await;
    match &outcomes[..] {
        [
            Outcome::Rejected { reason: title },
            Outcome::Applied,
            Outcome::Rejected { reason: note },
        ] => {
            assert_eq!(title.zh, "请填写标题");
            assert_eq!(note.en, "The note is empty");
        }
        other => panic!("unexpected outcomes {other:?}"),
    }
    let stored = api.record(&token, good_id).await.expect("the good case");
    assert_eq!(Case::from_record(&stored).unwrap().title, "正常");
}

async fn an_unreadable_change_is_rejected_alone_and_the_rest_apply(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (first_id, first) = create_case("读得懂的一");
    let (second_id, second) = create_case("读得懂的二");
    let mut newer_app = serde_json::to_value(add_note(first_id, "新版本的记录")).unwrap();
    newer_app["record_type"] = json!("parcel_photo");
    let newer_id = newer_app["change_id"].clone();
    let changes = json!([first, newer_app, {"garbage": true}, second]);
    let (status, body) = api.push_raw(&token, changes).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let outcomes = body["outcomes"].as_array().unwrap();
    // The one without a change id cannot be answered; the other three are, in order.
    assert_eq!(outcomes.len(), 3, "{body}");
    assert_eq!(outcomes[0]["status"], "applied");
    assert_eq!(outcomes[1]["change_id"], newer_id);
    assert_eq!(outcomes[1]["status"], "rejected");
    assert!(
        outcomes[1]["reason"]["zh"]
            .as_str()
            .unwrap()
            .contains("请更新应用"),
        "{body}"
    );
    assert_eq!(outcomes[2]["status"], "applied");
    for id in [first_id, second_id] {
        assert!(api.record(&token, id).await.is_some());
    }
}

async fn an_old_or_missing_protocol_version_is_told_to_update_the_app(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (_, create) = create_case("旧版本");
    for version in [Some("1"), None, Some("two")] {
        for (method, uri, body) in [
            ("POST", "/api/sync/push", json!({"changes": [create]})),
            ("GET", "/api/sync/pull", Value::Null),
        ] {
            let mut request = Api::request(method, uri, Some(&token), body);
            request.headers_mut().remove(PROTOCOL_HEADER);
            if let Some(version) = version {
                request
                    .headers_mut()
                    .insert(PROTOCOL_HEADER, version.parse().unwrap());
            }
            let (status, answer) = api.call(request).await;
            assert_eq!(status, StatusCode::UPGRADE_REQUIRED, "{method} {version:?}");
            assert_eq!(answer["code"], "update_app");
            assert!(
                answer["message"]["zh"]
                    .as_str()
                    .unwrap()
                    .contains("请更新应用")
            );
        }
    }
}

async fn pull_pages_through_the_feed_in_commit_order_without_splitting_a_commit(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    // One push of three new cases is one commit: a page of 2 must still hold all three.
    let batch: Vec<_> = (0..3)
        .map(|n| create_case(&format!("同批 {n}")).1)
        .collect();
    api.push(&token, &batch).await;
    let (_, later) = create_case("之后一批");
    api.push(&token, &[later]).await;

    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = api.pull_page(&token, cursor.as_deref(), 2).await;
        cursor = Some(page.cursor.clone());
        let more = page.more;
        pages.push(page.records);
        if !more {
            break;
        }
    }
    let titles = |records: &Vec<kefu_core::record::Record>| -> Vec<String> {
        records.iter().map(|record| record.text("title")).collect()
    };
    let all: Vec<String> = pages.iter().flat_map(titles).collect();
    // The policy, the standard phrases (one commit), the three demo customers and cases (one
    // commit), the demo team's four answers (one commit), the batch, the later case.
    assert_eq!(
        all.len(),
        1 + kefu_core::kinds::knowledge::STANDARD_PHRASES.len() + 3 + 3 + 4 + 3 + 1,
        "{all:?}"
    );
    assert_eq!(all.last().unwrap(), "之后一批");
    let batch_page = pages
        .iter()
        .find(|page| titles(page).contains(&"同批 0".to_owned()))
        .unwrap();
    assert_eq!(titles(batch_page), ["同批 0", "同批 1", "同批 2"]);
}

async fn oversized_push_is_a_bad_request(db: TestDb) {
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("批量");
    let notes = |count: usize| -> Vec<_> {
        (0..count)
            .map(|i| add_note(id, &format!("备注 {i}")))
            .collect()
    };
    let (status, body) = api.push_raw(&token, json!(notes(MAX_PUSH_CHANGES + 1))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "bad_request");
    // A device's full batch is taken.
    let mut batch = vec![create];
    batch.extend(notes(PUSH_BATCH_SIZE - 1));
    let outcomes = api.push(&token, &batch).await;
    assert_eq!(outcomes.len(), PUSH_BATCH_SIZE);
    assert!(outcomes.iter().all(|outcome| *outcome == Outcome::Applied));
}

async fn sign_in_tells_the_device_its_team(db: TestDb) {
    let api = Api::new(&db);
    let (status, body) = api
        .call(Api::request(
            "POST",
            "/api/login",
            None,
            json!({"username": "west", "password": DEMO_PASSWORD}),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["team"], "west");
}
}
