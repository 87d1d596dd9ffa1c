//! What the server answers to requests no device sends (issue 29): every error is JSON with a
//! stable code and a bilingual message, whatever refused it, and every answer carries the safe
//! headers. Driven in-process through the axum router, as an attacker's requests would come.

use crate::common::{Api, Backend, TestDb, seeded_db};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kefu_core::sync::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use kefu_server::demo::DEMO_USERNAME;
use kefu_server::router;
use serde_json::Value;

async fn sqlite() -> TestDb {
    seeded_db(Backend::Sqlite).await.expect("SQLite")
}

/// The API with the built client served beside it, whose fallback is the app's `index.html`
/// (a stand-in, in the directory returned with it).
fn with_the_client(db: &TestDb) -> (Api, tempfile::TempDir) {
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<html>kefu shell</html>").expect("index");
    let app = router(db.state.clone(), Some(dist.path()));
    (Api { app }, dist)
}

/// A request as an attacker might send it: any method, path, content type and body.
fn raw(
    method: &str,
    uri: &str,
    token: Option<&str>,
    content_type: &str,
    body: Body,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(body).expect("request")
}

/// Sends `request` and checks the answer is a JSON error with `status` and `code`, its
/// message in both languages.
async fn assert_json_error(api: &Api, request: Request<Body>, status: StatusCode, code: &str) {
    let what = format!("{} {}", request.method(), request.uri());
    let (answered, headers, bytes) = api.answer(request).await;
    assert_eq!(answered, status, "{what}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{what}");
    let body: Value = serde_json::from_slice(&bytes).expect("a JSON body");
    assert_eq!(body["code"], code, "{what}: {body}");
    for language in ["zh", "en"] {
        let message = body["message"][language].as_str().unwrap_or_default();
        assert!(
            !message.is_empty(),
            "{what}: no {language} message in {body}"
        );
    }
}

#[tokio::test]
async fn bad_bodies_are_answered_as_json_errors() {
    let db = sqlite().await;
    let api = Api::new(&db);
    let token = api.sign_in(DEMO_USERNAME).await;
    let json = "application/json";
    let cases = [
        (
            raw(
                "POST",
                "/api/login",
                None,
                json,
                Body::from("{\"username\": "),
            ),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
        (
            raw("POST", "/api/login", None, "text/plain", Body::from("{}")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            raw(
                "POST",
                "/api/login",
                None,
                json,
                Body::from("{\"username\": \"demo\"}"),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            raw(
                "POST",
                "/api/sync/push",
                Some(&token),
                json,
                Body::from(format!("{{\"changes\": [\"{}\"]}}", "x".repeat(3 << 20))),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            raw(
                "GET",
                "/api/sync/pull?limit=many",
                Some(&token),
                json,
                Body::empty(),
            ),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
    ];
    for (request, status, code) in cases {
        assert_json_error(&api, request, status, code).await;
    }
}

#[tokio::test]
async fn an_unknown_api_path_or_method_is_a_json_error_not_the_app() {
    let db = sqlite().await;
    let (api, _dist) = with_the_client(&db);
    let json = "application/json";
    for path in ["/api/nope", "/api/sync/nope", "/api/accounts/demo/nope"] {
        assert_json_error(
            &api,
            raw("GET", path, None, json, Body::empty()),
            StatusCode::NOT_FOUND,
            "unknown_path",
        )
        .await;
    }
    for (method, path, allowed) in [
        ("DELETE", "/api/login", "POST"),
        ("GET", "/api/sync/push", "POST"),
        ("POST", "/api/sync/pull", "GET,HEAD"),
    ] {
        assert_json_error(
            &api,
            raw(method, path, None, json, Body::empty()),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
        // The answer still says which methods the path takes.
        let (_, headers, _) = api
            .answer(raw(method, path, None, json, Body::empty()))
            .await;
        assert_eq!(headers[header::ALLOW], allowed, "{method} {path}");
    }
    // A client route still reloads into the app.
    let (status, _, page) = api
        .answer(raw("GET", "/cases/0193", None, "text/html", Body::empty()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&page[..], b"<html>kefu shell</html>");
}

#[tokio::test]
async fn every_answer_carries_the_safe_headers() {
    let db = sqlite().await;
    let (api, _dist) = with_the_client(&db);
    let json = "application/json";
    let requests = [
        raw("GET", "/", None, "text/html", Body::empty()),
        raw("GET", "/cases/0193", None, "text/html", Body::empty()),
        raw("GET", "/api/health", None, json, Body::empty()),
        raw("GET", "/api/me", None, json, Body::empty()),
        raw("GET", "/api/nope", None, json, Body::empty()),
        raw("POST", "/api/login", None, json, Body::from("{")),
    ];
    let expected = [
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
        ),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        (
            "permissions-policy",
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    for request in requests {
        let what = format!("{} {}", request.method(), request.uri());
        let (_, headers, _) = api.answer(request).await;
        // Only over HTTPS (`with_hsts`, which tests/e2e/https.spec.ts checks).
        assert!(!headers.contains_key("strict-transport-security"), "{what}");
        for (name, value) in expected {
            assert_eq!(
                headers.get(name).map(|v| v.to_str().unwrap()),
                Some(value),
                "{what}: {name}"
            );
        }
    }
}
