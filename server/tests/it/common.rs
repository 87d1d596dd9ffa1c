//! Helpers shared by the server tests: a fresh database on each backend, changes as a device
//! makes them, and an in-process client of the router.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use kefu_core::account::Session;
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::returns::{NewReturn, ReturnItem};
use kefu_core::kinds::case::{CaseKind, NewCase, event, note_data};
use kefu_core::photo::{JPEG_END, JPEG_START, PhotoRef, next_chunk};
use kefu_core::policy::RequestType;
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::{
    Change, ChangeOutcome, NEXT_CURSOR_HEADER, Op, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PullResponse,
};
use kefu_server::demo::DEMO_PASSWORD;
use kefu_server::photos::DirPhotoStore;
use kefu_server::{AppState, db, demo, policy, router};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;
use tower::ServiceExt;
use uuid::Uuid;

/// A seeded database in its own temporary directory (deleted when dropped).
pub struct TestDb {
    pub state: AppState,
    /// Holds the SQLite file and the photo directory (`photos`).
    pub dir: TempDir,
}

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests may use (`scripts/test` starts one), as a URL whose
/// database part is replaced for each test.
fn postgres_server() -> Option<String> {
    let url = std::env::var("KEFU_TEST_POSTGRES_URL").ok();
    if url.is_none() && std::env::var("KEFU_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("KEFU_REQUIRE_POSTGRES=1 but KEFU_TEST_POSTGRES_URL is not set");
    }
    url
}

/// A fresh PostgreSQL database of its own on the test server.
async fn fresh_postgres_database(server: &str) -> String {
    use sqlx::Connection;
    let name = format!("kefu_test_{}", Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .expect("reach the test PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let (base, _) = server.rsplit_once('/').expect("a URL with a database name");
    format!("{base}/{name}")
}

/// A seeded database of a fresh kind: SQLite in its own temporary directory (deleted when
/// dropped), or a new database on the test PostgreSQL; `None` when no PostgreSQL is configured.
pub async fn seeded_db(backend: Backend) -> Option<TestDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("kefu.db").display()),
        Backend::Postgres => fresh_postgres_database(&postgres_server()?).await,
    };
    let db = db::connect(&url).await.expect("open database");
    policy::ensure_policy(db.as_ref()).await.expect("policy");
    policy::ensure_standard_phrases(db.as_ref())
        .await
        .expect("standard phrases");
    assert!(demo::seed(db.as_ref()).await.expect("seed"));
    let photos = Arc::new(DirPhotoStore::new(dir.path().join("photos")));
    Some(TestDb {
        state: AppState::new(db, photos),
        dir,
    })
}

/// Declares each test once and runs it on every backend: `sqlite::name` always,
/// `postgres::name` on the test PostgreSQL (skipped only when none is configured, which
/// `scripts/test` forbids with `KEFU_REQUIRE_POSTGRES=1`).
macro_rules! on_both_backends {
    ($($(#[$meta:meta])* async fn $name:ident($db:ident: TestDb) $body:block)*) => {
        $($(#[$meta])* async fn $name($db: crate::common::TestDb) $body)*

        mod sqlite {
            use crate::common::{Backend, seeded_db};
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(seeded_db(Backend::Sqlite).await.expect("SQLite")).await
                }
            )*
        }

        mod postgres {
            use crate::common::{Backend, seeded_db};
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    if let Some(db) = seeded_db(Backend::Postgres).await {
                        super::$name(db).await
                    }
                }
            )*
        }
    };
}
pub(crate) use on_both_backends;

/// A stamp from now, unique within the test process (the counter orders same-millisecond ones).
pub fn stamp_now() -> Hlc {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    Hlc::new(
        chrono::Utc::now().timestamp_millis(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
    )
}

pub fn change(record_id: Uuid, op: Op) -> Change {
    Change {
        change_id: Uuid::now_v7(),
        device: Uuid::from_u128(0xDE7),
        stamp: stamp_now(),
        record_type: RecordType::Case,
        record_id,
        op,
    }
}

/// Bytes standing in for a photo: a JPEG's opening and closing markers around a pattern (the
/// server sniffs those, and checks the hash and size, not the pixels). `seed` makes each
/// test's photos its own.
pub fn photo_bytes(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len)
        .map(|i| (i as u8).wrapping_mul(31) ^ seed)
        .collect();
    bytes[..JPEG_START.len()].copy_from_slice(&JPEG_START);
    bytes[len - JPEG_END.len()..].copy_from_slice(&JPEG_END);
    bytes
}

/// A new case's id and the change that creates it.
pub fn create_case(title: &str) -> (Uuid, Change) {
    let id = Uuid::now_v7();
    let fields = NewCase {
        kind: CaseKind::Inquiry,
        title: title.into(),
        customer_name: "测试客户".into(),
        customer_phone: "13800000000".into(),
        order_number: None,
    }
    .fields();
    (id, change(id, Op::Create { fields }))
}

/// A quality-defect return of one cup, shipped, from the test customer; tests change what
/// they are about.
pub fn new_return(title: &str, order_number: &str, return_tracking: &str) -> NewReturn {
    NewReturn {
        title: title.into(),
        request_type: RequestType::ReturnRefund,
        reason: "quality_defect".into(),
        customer_name: "测试客户".into(),
        customer_phone: "13800000000".into(),
        order_number: Some(order_number.into()),
        items: vec![ReturnItem {
            sku: "CUP-1".into(),
            quantity: 1,
        }],
        item_class: "normal".into(),
        original_packaging: true,
        return_tracking: return_tracking.into(),
        return_courier: String::new(),
        shipping_insurance: false,
        shipped: true,
        received_on: None,
    }
}

pub fn set_field(id: Uuid, field: &str, value: Value, supersedes: Vec<Uuid>) -> Change {
    change(
        id,
        Op::Set {
            field: field.into(),
            value,
            supersedes,
        },
    )
}

pub fn add_note(id: Uuid, body: &str) -> Change {
    change(
        id,
        Op::Append {
            event: Uuid::now_v7(),
            kind: event::NOTE.into(),
            data: note_data(body),
        },
    )
}

/// A QA review of `agent`'s work marking every item of the default score sheet `mark` of 5.
pub fn qa_review_data(agent: &str, mark: u8) -> Value {
    let items: Vec<Value> = kefu_core::policy::Policy::default_policy()
        .qa_score_sheet
        .iter()
        .map(|item| {
            serde_json::json!({"item": item.id, "weight": item.weight, "mark": mark, "comment": ""})
        })
        .collect();
    serde_json::json!({"agent": agent, "items": items, "comment": "开场白规范"})
}

/// The router, spoken to in-process, as devices would over HTTP.
pub struct Api {
    pub app: axum::Router,
}

impl Api {
    pub fn new(db: &TestDb) -> Self {
        Api {
            app: router(db.state.clone(), None),
        }
    }

    pub async fn call(&self, request: Request<Body>) -> (StatusCode, Value) {
        let (status, _, bytes) = self.answer(request).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// The whole answer to `request`: status, headers and body.
    pub async fn answer(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Bytes) {
        let response = self.app.clone().oneshot(request).await.expect("response");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (parts.status, parts.headers, bytes)
    }

    /// A JSON request with the current protocol version and, if given, a session token.
    pub fn request(method: &str, uri: &str, token: Option<&str>, body: Value) -> Request<Body> {
        let mut builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        builder.body(Body::from(body.to_string())).expect("request")
    }

    /// A GET answered with text (a CSV file): its status, content type and body.
    pub async fn get_text(&self, uri: &str, token: &str) -> (StatusCode, String, String) {
        let request = Self::request("GET", uri, Some(token), Value::Null);
        let (status, headers, bytes) = self.answer(request).await;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            status,
            content_type,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub async fn sign_in(&self, username: &str) -> String {
        let (status, body) = self
            .call(Self::request(
                "POST",
                "/api/login",
                None,
                json!({"username": username, "password": DEMO_PASSWORD}),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let session: Session = serde_json::from_value(body).expect("session");
        assert_eq!(session.user.username, username);
        session.token
    }

    /// Pushes raw JSON changes; the answer's status and body.
    pub async fn push_raw(&self, token: &str, changes: Value) -> (StatusCode, Value) {
        self.call(Self::request(
            "POST",
            "/api/sync/push",
            Some(token),
            json!({ "changes": changes }),
        ))
        .await
    }

    /// Pushes changes and returns the outcomes, in order.
    pub async fn push(&self, token: &str, changes: &[Change]) -> Vec<Outcome> {
        let (status, body) = self.push_raw(token, json!(changes)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let outcomes: Vec<ChangeOutcome> =
            serde_json::from_value(body["outcomes"].clone()).expect("outcomes");
        outcomes.into_iter().map(|answer| answer.outcome).collect()
    }

    pub async fn pull_page(&self, token: &str, cursor: Option<&str>, limit: usize) -> PullResponse {
        let mut uri = format!("/api/sync/pull?limit={limit}");
        if let Some(cursor) = cursor {
            uri.push_str(&format!("&cursor={cursor}"));
        }
        let request = Self::request("GET", &uri, Some(token), Value::Null);
        let (status, headers, bytes) = self.answer(request).await;
        let announced = headers
            .get(NEXT_CURSOR_HEADER)
            .map(|value| value.to_str().expect("an ASCII cursor").to_owned());
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        let page: PullResponse = serde_json::from_slice(&bytes).expect("pull response");
        // Every page announces the next one in its headers, exactly when there is more.
        assert_eq!(announced, page.more.then(|| page.cursor.clone()));
        page
    }

    /// Every record the caller receives after `cursor`, following pages; and the last cursor.
    pub async fn pull_all(&self, token: &str, cursor: Option<&str>) -> (Vec<Record>, String) {
        let mut records = Vec::new();
        let mut cursor = cursor.map(str::to_owned);
        loop {
            let page = self.pull_page(token, cursor.as_deref(), 200).await;
            records.extend(page.records);
            cursor = Some(page.cursor);
            if !page.more {
                return (records, cursor.unwrap_or_default());
            }
        }
    }

    /// Uploads `bytes` as a photo, chunk by chunk as a device does; its reference.
    pub async fn upload_photo(&self, token: &str, bytes: &[u8]) -> PhotoRef {
        let hash = hex::encode(Sha256::digest(bytes));
        let size = bytes.len() as u64;
        let mut received = 0;
        while received < size {
            let range = next_chunk(size, received);
            let (status, body) = self
                .put_chunk(
                    token,
                    &hash,
                    size,
                    range.start,
                    &bytes[range.start as usize..range.end as usize],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            received = body["received"].as_u64().expect("received");
        }
        PhotoRef { hash, bytes: size }
    }

    /// One upload chunk; the answer's status and body.
    pub async fn put_chunk(
        &self,
        token: &str,
        hash: &str,
        size: u64,
        offset: u64,
        chunk: &[u8],
    ) -> (StatusCode, Value) {
        let request = Request::builder()
            .method("PUT")
            .uri(format!(
                "/api/photos/{hash}/upload?offset={offset}&size={size}"
            ))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(chunk.to_vec()))
            .expect("request");
        self.call(request).await
    }

    /// A photo as `token`'s user is served it through `record`: the status and the bytes.
    pub async fn view_photo(
        &self,
        token: Option<&str>,
        hash: &str,
        record: Uuid,
    ) -> (StatusCode, Vec<u8>) {
        let mut builder = Request::builder().uri(format!("/api/photos/{hash}?record={record}"));
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let (status, _, bytes) = self
            .answer(builder.body(Body::empty()).expect("request"))
            .await;
        (status, bytes.to_vec())
    }

    pub async fn record(&self, token: &str, id: Uuid) -> Option<Record> {
        let (records, _) = self.pull_all(token, None).await;
        records.into_iter().find(|record| record.id == id)
    }
}
