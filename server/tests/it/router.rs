//! Router tests: requests driven in-process through the axum router, no socket.

use crate::common::{add_note, new_case, put_case, seeded_db};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kefu_core::account::Session;
use kefu_core::sync::{Outcome, PullResponse, PushRequest, PushResponse};
use kefu_server::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use kefu_server::router;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn call(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

fn json_request(method: &str, uri: &str, token: Option<&str>, body: Value) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::from(body.to_string())).expect("request")
}

/// A signed-in pull of the change feed; `query` is what follows `?`.
async fn pull(app: &axum::Router, token: &str, query: &str) -> PullResponse {
    let (status, body) = call(
        app,
        json_request(
            "GET",
            &format!("/api/sync/pull?{query}"),
            Some(token),
            Value::Null,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("pull response")
}

async fn sign_in(app: &axum::Router) -> String {
    let (status, body) = call(
        app,
        json_request(
            "POST",
            "/api/login",
            None,
            json!({"username": DEMO_USERNAME, "password": DEMO_PASSWORD}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let session: Session = serde_json::from_value(body).expect("session");
    assert_eq!(session.user.username, DEMO_USERNAME);
    session.token
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_bilingual_message() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let (status, body) = call(
        &app,
        json_request(
            "POST",
            "/api/login",
            None,
            json!({"username": DEMO_USERNAME, "password": "guess"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "bad_credentials");
    assert_eq!(body["message"]["zh"], "用户名或密码错误");
}

#[tokio::test]
async fn sync_without_a_valid_session_is_refused() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let push = json!({"changes": [put_case(&new_case("未登录"))]});
    for token in [None, Some("not-a-token")] {
        let (status, body) = call(
            &app,
            json_request("POST", "/api/sync/push", token, push.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert_eq!(body["code"], "unauthorized");
        let (status, _) = call(
            &app,
            json_request("GET", "/api/sync/pull", token, Value::Null),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token:?}");
    }
    // Nothing was stored by the refused push.
    let token = sign_in(&app).await;
    let pulled = pull(&app, &token, "since=0").await;
    assert!(pulled.cases.iter().all(|case| case.title != "未登录"));
}

#[tokio::test]
async fn repeated_push_stores_each_change_once() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let token = sign_in(&app).await;
    let before = pull(&app, &token, "since=0").await;

    let case = new_case("重复推送");
    let request = PushRequest {
        changes: vec![
            put_case(&case),
            add_note(&case, "第一条"),
            add_note(&case, "第二条"),
        ],
    };
    let payload = serde_json::to_value(&request).unwrap();
    let (status, first) = call(
        &app,
        json_request("POST", "/api/sync/push", Some(&token), payload.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first: PushResponse = serde_json::from_value(first).unwrap();
    assert!(
        first.outcomes.iter().all(|o| o.outcome == Outcome::Applied),
        "{first:?}"
    );

    let (_, second) = call(
        &app,
        json_request("POST", "/api/sync/push", Some(&token), payload),
    )
    .await;
    let second: PushResponse = serde_json::from_value(second).unwrap();
    assert_eq!(second.outcomes.len(), 3);
    assert!(
        second
            .outcomes
            .iter()
            .all(|o| o.outcome == Outcome::Duplicate),
        "{second:?}"
    );

    let after = pull(&app, &token, &format!("since={}", before.cursor)).await;
    assert_eq!(after.cases.len(), 1);
    assert_eq!(after.notes.len(), 2);
    assert!(!after.more);
    // Authorship comes from the session, not from what the device claimed.
    assert_eq!(after.cases[0].owner, DEMO_USERNAME);
    assert!(after.notes.iter().all(|note| note.author == DEMO_USERNAME));
}

#[tokio::test]
async fn invalid_change_is_rejected_with_its_reason_and_others_still_apply() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let token = sign_in(&app).await;
    let good = new_case("正常");
    let bad = new_case("   ");
    let request = PushRequest {
        changes: vec![put_case(&bad), put_case(&good), add_note(&good, "")],
    };
    let (status, body) = call(
        &app,
        json_request(
            "POST",
            "/api/sync/push",
            Some(&token),
            serde_json::to_value(&request).unwrap(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let response: PushResponse = serde_json::from_value(body).unwrap();
    let outcomes: Vec<_> = response
        .outcomes
        .iter()
        .map(|o| o.outcome.clone())
        .collect();
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
}

#[tokio::test]
async fn pull_pages_through_the_feed_in_order() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let token = sign_in(&app).await;
    let mut seen_cases = 0;
    let mut seen_notes = 0;
    let mut cursor = 0;
    loop {
        let page = pull(&app, &token, &format!("since={cursor}&limit=2")).await;
        assert!(page.cases.len() + page.notes.len() <= 2);
        assert!(page.cursor >= cursor);
        seen_cases += page.cases.len();
        seen_notes += page.notes.len();
        cursor = page.cursor;
        if !page.more {
            break;
        }
    }
    // The demo data: three cases, one note each.
    assert_eq!((seen_cases, seen_notes), (3, 3));
}

#[tokio::test]
async fn oversized_push_is_a_bad_request() {
    let db = seeded_db().await;
    let app = router(db.state.clone(), None);
    let token = sign_in(&app).await;
    let case = new_case("批量");
    let changes: Vec<_> = (0..51)
        .map(|i| add_note(&case, &format!("备注 {i}")))
        .collect();
    let (status, body) = call(
        &app,
        json_request(
            "POST",
            "/api/sync/push",
            Some(&token),
            json!({ "changes": changes }),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "bad_request");
}
