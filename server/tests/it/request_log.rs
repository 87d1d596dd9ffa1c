//! The log of a real server run (issue 29): one line per request with its id, status and
//! duration, and none of the secrets and personal data the run's requests carried: the
//! password (right and wrong), the session token, a customer's phone number, a note's text.

use crate::common::{add_note, change};
use kefu_core::account::Session;
use kefu_core::kinds::case::{CaseKind, NewCase};
use kefu_core::sync::{Op, PROTOCOL_HEADER, PROTOCOL_VERSION, PushRequest, PushResponse};
use kefu_server::request_log::REQUEST_ID_HEADER;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

const PHONE: &str = "13912345678";
const NOTE: &str = "客户说门牌号是幸福路八十八号";
const WRONG_PASSWORD: &str = "guess-me-wrong-2026";
const USERNAME: &str = "logtest";
const PASSWORD: &str = "Lantern-Orchard-Pebble-93";

#[tokio::test]
async fn the_request_log_names_each_request_and_no_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let database = format!("sqlite://{}/kefu.db", dir.path().display());
    // The first admin, made by the admin command (the demo's password is printed on
    // purpose, as the demo login), its password given on standard input.
    let mut create = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .args([
            "--database",
            &database,
            "admin",
            "create-user",
            "--username",
            USERNAME,
        ])
        .args([
            "--display-name",
            "日志测试员",
            "--role",
            "admin",
            "--team",
            "hq",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .expect("kefu-server admin");
    create
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("the password");
    assert!(create.wait().expect("admin").success());
    let mut server = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .args(["--database", &database])
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .stdout(Stdio::from(log.try_clone().expect("log file")))
        .stderr(Stdio::from(log))
        .spawn()
        .expect("kefu-server");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..200 {
        if client
            .get(format!("{base}/api/health"))
            .send()
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        up,
        "the server did not start: {}",
        std::fs::read_to_string(&log_path).unwrap_or_default()
    );

    let refused = client
        .post(format!("{base}/api/login"))
        .json(&json!({ "username": USERNAME, "password": WRONG_PASSWORD }))
        .send()
        .await
        .expect("sign-in");
    assert_eq!(refused.status(), 401);
    let session: Session = client
        .post(format!("{base}/api/login"))
        .json(&json!({ "username": USERNAME, "password": PASSWORD }))
        .send()
        .await
        .expect("sign-in")
        .json()
        .await
        .expect("a session");
    let id = Uuid::now_v7();
    let fields = NewCase {
        kind: CaseKind::Inquiry,
        title: "日志测试".into(),
        customer_name: "日志客户".into(),
        customer_phone: PHONE.into(),
        order_number: None,
    }
    .fields();
    let push = PushRequest {
        changes: vec![change(id, Op::Create { fields }), add_note(id, NOTE)],
    };
    let pushed = client
        .post(format!("{base}/api/sync/push"))
        .bearer_auth(&session.token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .json(&push)
        .send()
        .await
        .expect("push");
    let request_id = pushed.headers()[REQUEST_ID_HEADER]
        .to_str()
        .expect("an id")
        .to_owned();
    let answer: PushResponse = pushed.json().await.expect("outcomes");
    assert_eq!(answer.outcomes.len(), 2);
    let pulled = client
        .get(format!("{base}/api/sync/pull?limit=5"))
        .bearer_auth(&session.token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .expect("pull");
    assert_eq!(pulled.status(), 200);
    server.kill().expect("stop the server");
    server.wait().expect("stopped");

    let log = std::fs::read_to_string(&log_path).expect("the log");
    let answered: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("answered"))
        .collect();
    // Every request: the health checks, both sign-ins, the push and the pull.
    assert!(answered.len() >= 4, "{log}");
    for line in &answered {
        for field in ["id=", "method=", "path=", "status=", "ms="] {
            assert!(line.contains(field), "{field} missing in {line}");
        }
    }
    let push_line = answered
        .iter()
        .find(|line| line.contains(&request_id))
        .unwrap_or_else(|| panic!("no line for request {request_id} in {log}"));
    assert!(
        push_line.contains("path=/api/sync/push") && push_line.contains("status=200"),
        "{push_line}"
    );
    assert!(
        answered
            .iter()
            .any(|line| line.contains("path=/api/login") && line.contains("status=401")),
        "{log}"
    );
    for secret in [PASSWORD, WRONG_PASSWORD, &session.token, PHONE, NOTE] {
        assert!(!log.contains(secret), "the log holds {secret}:\n{log}");
    }
}
