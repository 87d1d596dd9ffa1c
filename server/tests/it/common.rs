//! Helpers shared by the server tests: a fresh temporary database and request builders.

use kefu_core::case::{Case, CaseKind, CaseStatus, Note};
use kefu_core::sync::{Change, Op};
use kefu_server::{AppState, db, demo};
use tempfile::TempDir;
use uuid::Uuid;

/// A seeded database in its own temporary directory (deleted when dropped).
pub struct TestDb {
    pub state: AppState,
    _dir: TempDir,
}

pub async fn seeded_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("kefu.db").display());
    let db = db::connect(&url).await.expect("open database");
    assert!(demo::seed(db.as_ref()).await.expect("seed"));
    TestDb {
        state: AppState { db },
        _dir: dir,
    }
}

pub fn new_case(title: &str) -> Case {
    let now = chrono::Utc::now();
    Case {
        id: Uuid::now_v7(),
        kind: CaseKind::Inquiry,
        title: title.into(),
        customer_name: "测试客户".into(),
        customer_phone: "13800000000".into(),
        order_number: None,
        status: CaseStatus::Open,
        owner: "someone-else".into(),
        created_at: now,
        updated_at: now,
        revision: Uuid::now_v7(),
    }
}

pub fn put_case(case: &Case) -> Change {
    Change {
        change_id: Uuid::now_v7(),
        op: Op::PutCase { case: case.clone() },
    }
}

pub fn add_note(case: &Case, body: &str) -> Change {
    Change {
        change_id: Uuid::now_v7(),
        op: Op::AddNote {
            note: Note {
                id: Uuid::now_v7(),
                case_id: case.id,
                author: "someone-else".into(),
                body: body.into(),
                created_at: chrono::Utc::now(),
            },
        },
    }
}
