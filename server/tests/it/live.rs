//! Tests against a real server process-in-test: bound to port 0, spoken to over HTTP.

use crate::common::{TestDb, add_note, create_case, on_both_backends};
use kefu_core::account::Session;
use kefu_core::sync::{
    Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse,
};
use kefu_server::demo::{DEMO_PASSWORD, DEMO_USERNAME};
use kefu_server::router;
use serde_json::json;

async fn start(db: TestDb, dist: Option<&std::path::Path>) -> (String, TestDb) {
    let app = router(db.state.clone(), dist);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    (base, db)
}

/// Sends a request and decodes its JSON answer.
async fn json_of<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json body")
}

on_both_backends! {
async fn sign_in_push_and_pull_over_http(db: TestDb) {
    let (base, _db) = start(db, None).await;
    let client = reqwest::Client::new();
    let session: Session = json_of(
        client
            .post(format!("{base}/api/login"))
            .json(&json!({"username": DEMO_USERNAME, "password": DEMO_PASSWORD})),
    )
    .await;

    let (id, create) = create_case("真实端口");
    let request = PushRequest {
        changes: vec![create, add_note(id, "客户已回电")],
    };
    for expected in [Outcome::Applied, Outcome::Duplicate] {
        let response: PushResponse = json_of(
            client
                .post(format!("{base}/api/sync/push"))
                .bearer_auth(&session.token)
                .json(&request),
        )
        .await;
        assert!(
            response.outcomes.iter().all(|o| o.outcome == expected),
            "{response:?}"
        );
    }

    let pulled: PullResponse = json_of(
        client
            .get(format!("{base}/api/sync/pull"))
            .bearer_auth(&session.token),
    )
    .await;
    let stored: Vec<_> = pulled.records.iter().filter(|r| r.id == id).collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].events.len(), 1);
    assert_eq!(stored[0].events[0].origin.by, DEMO_USERNAME);
}

async fn pulls_are_sent_gzipped_to_devices_that_accept_it(db: TestDb) {
    let (base, _db) = start(db, None).await;
    let client = reqwest::Client::new();
    let session: Session = json_of(
        client
            .post(format!("{base}/api/login"))
            .json(&json!({"username": DEMO_USERNAME, "password": DEMO_PASSWORD})),
    )
    .await;
    let mut changes = Vec::new();
    for n in 0..50 {
        let (id, create) = create_case(&format!("压缩 {n}"));
        changes.extend([create, add_note(id, "客户来电询问物流进度，已告知预计明天送达。")]);
    }
    let pushed: PushResponse = json_of(
        client
            .post(format!("{base}/api/sync/push"))
            .bearer_auth(&session.token)
            .json(&PushRequest { changes }),
    )
    .await;
    assert!(pushed.outcomes.iter().all(|o| o.outcome == Outcome::Applied));

    let pull = |encoding: &'static str| {
        client
            .get(format!("{base}/api/sync/pull"))
            .bearer_auth(&session.token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .header("accept-encoding", encoding)
            .send()
    };
    // reqwest here has no decompression: it sees the bytes on the wire.
    let plain = pull("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();
    let zipped = pull("gzip, deflate, br").await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let zipped = zipped.bytes().await.unwrap();
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut unzipped)
        .unwrap();
    let plain: PullResponse = serde_json::from_slice(&plain).unwrap();
    let unzipped: PullResponse = serde_json::from_slice(&unzipped).unwrap();
    assert_eq!(unzipped, plain);
    let pushed_cases = plain
        .records
        .iter()
        .filter(|record| record.text("title").starts_with("压缩"))
        .count();
    assert_eq!(pushed_cases, 50);
    assert!(
        zipped.len() * 4 < serde_json::to_vec(&plain).unwrap().len(),
        "gzip should shrink a page of records at least 4×, got {} bytes",
        zipped.len()
    );
}

async fn serves_the_client_and_falls_back_to_index_for_client_routes(db: TestDb) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>kefu shell</html>").unwrap();
    std::fs::write(dist.path().join("sw.js"), "// worker").unwrap();
    let (base, _db) = start(db, Some(dist.path())).await;
    let client = reqwest::Client::new();

    let deep_link = client
        .get(format!("{base}/cases/0193"))
        .send()
        .await
        .unwrap();
    assert_eq!(deep_link.status(), 200);
    assert_eq!(deep_link.headers()["cache-control"], "no-cache");
    assert_eq!(deep_link.text().await.unwrap(), "<html>kefu shell</html>");

    let worker = client.get(format!("{base}/sw.js")).send().await.unwrap();
    assert_eq!(worker.text().await.unwrap(), "// worker");

    let api = client
        .get(format!("{base}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.text().await.unwrap(), "ok");
}

async fn sends_the_shell_compressed_to_browsers_that_accept_it(db: TestDb) {
    // The server sends the compressed copies the build writes (scripts/precache.sh); it never
    // compresses itself. So the copies here are stand-ins, told apart by their bytes.
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>kefu shell</html>").unwrap();
    let wasm = "(module)".repeat(50_000);
    let js = "export function start() {}\n".repeat(5_000);
    let (wasm_name, js_name) = ("app-0123456789abcdef/kefu_bg.wasm", "app-0123456789abcdef/kefu.js");
    std::fs::write(dist.path().join("sw.js"), "// worker").unwrap();
    std::fs::create_dir(dist.path().join("app-0123456789abcdef")).unwrap();
    for (name, body) in [(wasm_name, &wasm), (js_name, &js)] {
        std::fs::write(dist.path().join(name), body).unwrap();
        std::fs::write(dist.path().join(format!("{name}.br")), format!("br of {name}")).unwrap();
        std::fs::write(dist.path().join(format!("{name}.gz")), format!("gz of {name}")).unwrap();
    }
    let (base, _db) = start(db, Some(dist.path())).await;
    // reqwest here has no decompression: it sees the bytes on the wire.
    let client = reqwest::Client::new();
    for (name, body, content_type) in [
        (wasm_name, &wasm, "application/wasm"),
        (js_name, &js, "text/javascript"),
    ] {
        for (accept, encoding, sent) in [
            (Some("br, gzip"), Some("br"), format!("br of {name}")),
            (Some("gzip, deflate"), Some("gzip"), format!("gz of {name}")),
            (Some("identity"), None, body.clone()),
            (None, None, body.clone()),
        ] {
            let mut request = client.get(format!("{base}/{name}"));
            if let Some(accept) = accept {
                request = request.header("accept-encoding", accept);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{name} {accept:?}");
            let headers = response.headers().clone();
            assert_eq!(
                headers.get("content-encoding").map(|v| v.to_str().unwrap()),
                encoding,
                "{name} {accept:?}"
            );
            assert_eq!(headers["content-type"], content_type, "{name} {accept:?}");
            assert_eq!(headers["vary"], "accept-encoding", "{name} {accept:?}");
            // In a directory named by their content: they never change, so browsers keep them.
            assert_eq!(
                headers["cache-control"],
                "public, max-age=31536000, immutable",
                "{name} {accept:?}"
            );
            assert_eq!(response.text().await.unwrap(), sent, "{name} {accept:?}");
        }
    }
    // The shell's entry points are asked for again every time, or a device would stay on an
    // old build.
    for path in ["", "index.html", "sw.js", "cases/123"] {
        let response = client.get(format!("{base}/{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "/{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "/{path}");
    }
}

/// The per-account wait (after 3 free tries, 1 s, 2 s…) and the per-address one (after 20),
/// over a real socket so the server sees the caller's address.
async fn repeated_wrong_passwords_are_refused_unchecked_until_the_wait_is_over(db: TestDb) {
    let (base, _db) = start(db, None).await;
    let http = reqwest::Client::new();
    let sign_in = |username: &str, password: &str| {
        let request = http
            .post(format!("{base}/api/login"))
            .json(&json!({"username": username, "password": password}));
        async move {
            let response = request.send().await.expect("send");
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.expect("json");
            (status, body)
        }
    };
    for _ in 0..4 {
        let (status, body) = sign_in(DEMO_USERNAME, "not-the-password").await;
        assert_eq!((status, &body["code"]), (401, &json!("bad_credentials")));
    }
    // The fourth wrong password began a one-second wait: the right one is refused within it,
    // before any hash is checked, with how long to wait.
    let (status, body) = sign_in(DEMO_USERNAME, DEMO_PASSWORD).await;
    assert_eq!((status, &body["code"]), (429, &json!("too_many_tries")), "{body}");
    assert_eq!(body["message"]["en"], "Too many failed sign-ins: try again in 1 s");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let (status, body) = sign_in(DEMO_USERNAME, DEMO_PASSWORD).await;
    assert_eq!(status, 200, "{body}");

    // One address trying many accounts: after 20 free tries (demo's 4 wrong ones count too),
    // even an untouched account waits.
    for attempt in 0..17 {
        let (status, _) = sign_in(&format!("guess-{attempt}"), "x").await;
        assert_eq!(status, 401);
    }
    let (status, body) = sign_in("lead", DEMO_PASSWORD).await;
    assert_eq!((status, &body["code"]), (429, &json!("too_many_tries")), "{body}");
}
}
