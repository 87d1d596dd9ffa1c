//! The IndexedDB layer in a real browser (wasm-bindgen-test in headless Chromium): writes
//! read back, every write is queued in the outbox, and the outbox survives reopening.

#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use kefu::store::Store;
use kefu_core::case::{Case, CaseKind, CaseStatus, Note};
use kefu_core::lang::Bilingual;
use kefu_core::sync::{Op, PullResponse, Settlement};
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn case(title: &str, minute: u32) -> Case {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap();
    Case {
        id: Uuid::now_v7(),
        kind: CaseKind::Return,
        title: title.into(),
        customer_name: "王芳".into(),
        customer_phone: "13800001111".into(),
        order_number: None,
        status: CaseStatus::Open,
        owner: "demo".into(),
        created_at: at,
        updated_at: at,
        revision: Uuid::now_v7(),
    }
}

fn note(case: &Case, body: &str) -> Note {
    Note {
        id: Uuid::now_v7(),
        case_id: case.id,
        author: "demo".into(),
        body: body.into(),
        created_at: Utc::now(),
    }
}

/// Each test gets its own database so tests cannot see each other's data.
async fn fresh(name: &str) -> Store {
    Store::delete(name).await.expect("delete old database");
    Store::open(name).await.expect("open database")
}

#[wasm_bindgen_test]
async fn writes_read_back_and_are_queued() {
    let store = fresh("kefu-test-read-back").await;
    let older = case("退货咨询", 1);
    let newer = case("投诉快递", 2);
    store.save_case(&older, Utc::now()).await.unwrap();
    store.save_case(&newer, Utc::now()).await.unwrap();
    let first = note(&older, "客户已寄回");
    let second = note(&older, "仓库已收货");
    store.add_note(&first, Utc::now()).await.unwrap();
    store.add_note(&second, Utc::now()).await.unwrap();
    store
        .add_note(&note(&newer, "另一案"), Utc::now())
        .await
        .unwrap();

    assert_eq!(
        store.cases().await.unwrap(),
        vec![newer.clone(), older.clone()]
    );
    assert_eq!(store.case(older.id).await.unwrap(), Some(older.clone()));
    assert_eq!(store.case(Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(
        store.notes_for(older.id).await.unwrap(),
        vec![first, second]
    );

    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 5);
    let queued_cases = outbox
        .iter()
        .filter(|entry| matches!(&entry.change.op, Op::PutCase { case } if case.id == older.id))
        .count();
    assert_eq!(queued_cases, 1);
    store.close();
}

#[wasm_bindgen_test]
async fn outbox_and_data_survive_reopening() {
    let name = "kefu-test-reopen";
    let store = fresh(name).await;
    let saved = case("断网时登记", 3);
    store.save_case(&saved, Utc::now()).await.unwrap();
    store
        .add_note(&note(&saved, "离线备注"), Utc::now())
        .await
        .unwrap();
    store.close();

    let reopened = Store::open(name).await.unwrap();
    assert_eq!(reopened.outbox().await.unwrap().len(), 2);
    assert_eq!(reopened.case(saved.id).await.unwrap(), Some(saved.clone()));
    assert_eq!(reopened.notes_for(saved.id).await.unwrap().len(), 1);
    reopened.close();
}

#[wasm_bindgen_test]
async fn settled_changes_leave_and_rejected_ones_stay_with_their_reason() {
    let store = fresh("kefu-test-settle").await;
    let kept = case("被拒绝", 4);
    let sent = case("已送达", 5);
    store.save_case(&kept, Utc::now()).await.unwrap();
    store.save_case(&sent, Utc::now()).await.unwrap();
    let reason = Bilingual::new("请填写标题", "Please enter a title");
    store
        .settle(&Settlement {
            done: vec![sent.revision],
            rejected: vec![(kept.revision, reason.clone())],
        })
        .await
        .unwrap();
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].change.change_id, kept.revision);
    assert_eq!(outbox[0].rejection, Some(reason));
    store.close();
}

#[wasm_bindgen_test]
async fn pulled_pages_merge_and_move_the_cursor() {
    let store = fresh("kefu-test-pull").await;
    let local = case("本地版本", 6);
    store.save_case(&local, Utc::now()).await.unwrap();
    let mut remote = local.clone();
    remote.title = "服务器上更新的版本".into();
    remote.updated_at = local.updated_at + chrono::Duration::minutes(5);
    remote.revision = Uuid::now_v7();
    let remote_note = note(&local, "同事的备注");
    store
        .apply_pull(&PullResponse {
            cases: vec![remote.clone()],
            notes: vec![remote_note.clone()],
            cursor: 42,
            more: false,
        })
        .await
        .unwrap();
    assert_eq!(store.case(local.id).await.unwrap(), Some(remote));
    assert_eq!(store.notes_for(local.id).await.unwrap(), vec![remote_note]);
    assert_eq!(store.sync_meta().await.unwrap().cursor, 42);
    store.close();
}
