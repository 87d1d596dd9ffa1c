//! The IndexedDB layer in a real browser (wasm-bindgen-test in headless Chromium): writes are
//! queued with author, team and stamps and read back with the pending changes applied; the
//! outbox survives reopening; settling, rejecting and discarding keep what the user sees
//! right; a pull never overwrites a pending edit; stamps only ever go up; the case list kept
//! beside the records always shows what the records do, also read step by step and from
//! another tab through folds and a new user's sign-in; photos wait on the device until
//! uploaded, and one removed before anything names it is not sent.

#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Duration, TimeZone, Utc};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use kefu::store::{FieldEdit, OutboxCounts, Store, StoreError};
use kefu_core::account::{Role, Session, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::{
    Case, CaseKind, NewCase, event, field, note_data, notes, sort_newest_first,
};
use kefu_core::lang::Bilingual;
use kefu_core::photo::PhotoRef;
use kefu_core::record::{Receipt, Record, RecordType, apply};
use kefu_core::sync::{Change, Op, OutboxEntry, PullResponse, Settlement};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn user(username: &str, team: &str) -> UserInfo {
    UserInfo {
        username: username.into(),
        display_name: username.into(),
        role: Role::Agent,
        team: team.into(),
    }
}

fn demo() -> UserInfo {
    user("demo", "east")
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap()
}

fn new_case(title: &str) -> NewCase {
    NewCase {
        kind: CaseKind::Return,
        title: title.into(),
        customer_name: "王芳".into(),
        customer_phone: "13800001111".into(),
        order_number: None,
    }
}

/// A change as another device made it and the server received it.
fn receipt(record_id: Uuid, by: &str, stamp: Hlc, op: Op) -> Receipt {
    Receipt {
        change: Change {
            change_id: Uuid::now_v7(),
            device: Uuid::from_u128(77),
            stamp,
            record_type: RecordType::Case,
            record_id,
            op,
        },
        by: by.into(),
        team: "east".into(),
        at: at(30),
    }
}

/// A case as the server would send it in a pull, created by a colleague.
fn server_case(title: &str, stamp: Hlc) -> Record {
    let fields = new_case(title).fields();
    apply(
        None,
        &receipt(Uuid::now_v7(), "lead", stamp, Op::Create { fields }),
    )
}

fn set(field: &str, value: &str, supersedes: Vec<Uuid>) -> Op {
    Op::Set {
        field: field.into(),
        value: json!(value),
        supersedes,
    }
}

fn page(records: Vec<Record>, cursor: &str) -> PullResponse {
    PullResponse {
        records,
        cursor: cursor.into(),
        more: false,
        epoch: "epoch-1".into(),
    }
}

fn sorted(mut outbox: Vec<OutboxEntry>) -> Vec<OutboxEntry> {
    outbox.sort_by_key(|entry| entry.change.change_id);
    outbox
}

/// Opens a case as the new-case page does.
async fn create_case(
    store: &Store,
    case: &NewCase,
    author: &UserInfo,
    now: DateTime<Utc>,
) -> Result<Record, StoreError> {
    store
        .create(RecordType::Case, case.fields(), author, now)
        .await
}

/// Each test gets its own database so tests cannot see each other's data.
async fn fresh(name: &str) -> Store {
    Store::delete(name).await.expect("delete old database");
    Store::open(name).await.expect("open database")
}

#[wasm_bindgen_test]
async fn writes_read_back_with_pending_applied_and_are_queued_with_author_team_and_stamps() {
    let store = fresh("kefu-test-read-back").await;
    let created = create_case(&store, &new_case("退货咨询"), &demo(), at(1))
        .await
        .unwrap();
    let older = created.id;
    // What the write returns is what the device shows from then on.
    assert_eq!(Some(created), store.record(older).await.unwrap());
    let newer = create_case(&store, &new_case("投诉快递"), &demo(), at(2))
        .await
        .unwrap()
        .id;
    let shown = store.record(older).await.unwrap().unwrap();
    let title_version = shown.fields[field::TITLE].current.origin.change;
    store
        .set_field(
            older,
            field::TITLE,
            json!("退货咨询（已寄回）"),
            vec![title_version],
            &demo(),
            at(3),
        )
        .await
        .unwrap();
    store
        .append_event(older, event::NOTE, note_data("客户已寄回"), &demo(), at(4))
        .await
        .unwrap();

    let cases = store.cases().await.unwrap();
    let titles: Vec<&str> = cases.iter().map(|case| case.title.as_str()).collect();
    assert_eq!(titles, ["投诉快递", "退货咨询（已寄回）"]);
    assert_eq!(cases[1].id, older);
    assert_eq!(
        (cases[1].owner.as_str(), cases[1].team.as_str()),
        ("demo", "east")
    );
    let record = store.record(older).await.unwrap().unwrap();
    let timeline = notes(&record);
    assert_eq!(timeline.len(), 1);
    assert_eq!(
        (timeline[0].author.as_str(), timeline[0].body.as_str()),
        ("demo", "客户已寄回")
    );
    assert!(store.record(newer).await.unwrap().is_some());
    assert_eq!(store.record(Uuid::now_v7()).await.unwrap(), None);
    // Nothing is confirmed yet: it all lives in the outbox.
    assert_eq!(store.confirmed(older).await.unwrap(), None);

    let outbox = sorted(store.outbox().await.unwrap());
    assert_eq!(outbox.len(), 4);
    for entry in &outbox {
        assert_eq!(
            (entry.author.as_str(), entry.team.as_str()),
            ("demo", "east")
        );
        assert_eq!(entry.change.device, store.device_id());
        assert_eq!(entry.rejection, None);
    }
    let stamps: Vec<Hlc> = outbox.iter().map(|entry| entry.change.stamp).collect();
    assert!(
        stamps.windows(2).all(|pair| pair[0] < pair[1]),
        "{stamps:?}"
    );
    assert!(matches!(
        &outbox[2].change.op,
        Op::Set { supersedes, .. } if supersedes == &vec![title_version]
    ));
    assert_eq!(store.clock().await.unwrap(), stamps[3]);
    store.close();
}

#[wasm_bindgen_test]
async fn outbox_and_device_id_survive_reopening() {
    let name = "kefu-test-reopen";
    let store = fresh(name).await;
    let device = store.device_id();
    let id = create_case(&store, &new_case("断网时登记"), &demo(), at(5))
        .await
        .unwrap()
        .id;
    store
        .append_event(id, event::NOTE, note_data("离线备注"), &demo(), at(6))
        .await
        .unwrap();
    let shown = store.record(id).await.unwrap();
    store.close();

    let reopened = Store::open(name).await.unwrap();
    assert_eq!(reopened.device_id(), device);
    assert_eq!(reopened.outbox().await.unwrap().len(), 2);
    assert_eq!(reopened.record(id).await.unwrap(), shown);
    reopened.close();
}

#[wasm_bindgen_test]
async fn settled_changes_leave_the_outbox_and_the_view_stays() {
    let store = fresh("kefu-test-settle").await;
    let id = create_case(&store, &new_case("已送达"), &demo(), at(7))
        .await
        .unwrap()
        .id;
    store
        .append_event(id, event::NOTE, note_data("已联系客户"), &demo(), at(8))
        .await
        .unwrap();
    let before = store.record(id).await.unwrap();
    let done: Vec<Uuid> = store
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.change.change_id)
        .collect();
    store
        .settle(&Settlement {
            done,
            rejected: vec![],
            waiting: vec![],
        })
        .await
        .unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(store.confirmed(id).await.unwrap(), before);
    assert_eq!(store.record(id).await.unwrap(), before);
    assert_eq!(store.cases().await.unwrap().len(), 1);
    store.close();
}

#[wasm_bindgen_test]
async fn a_rejected_change_stays_with_its_reason_and_discarding_it_rolls_the_record_back() {
    let store = fresh("kefu-test-reject").await;
    let id = create_case(&store, &new_case("原标题"), &demo(), at(9))
        .await
        .unwrap()
        .id;
    let create = store.outbox().await.unwrap()[0].change.change_id;
    store
        .settle(&Settlement {
            done: vec![create],
            rejected: vec![],
            waiting: vec![],
        })
        .await
        .unwrap();
    let shown = store.record(id).await.unwrap().unwrap();
    let edit = FieldEdit {
        field: field::TITLE.into(),
        value: json!("改过的标题"),
        supersedes: vec![shown.fields[field::TITLE].current.origin.change],
    };
    let ids = store
        .set_fields(id, vec![edit], &demo(), at(10))
        .await
        .unwrap();
    assert_eq!(
        store.record(id).await.unwrap().unwrap().text(field::TITLE),
        "改过的标题"
    );

    let reason = Bilingual::new(
        "标题不能超过 200 个字",
        "The title can be at most 200 characters",
    );
    store
        .settle(&Settlement {
            done: vec![],
            rejected: vec![(ids[0], reason.clone())],
            waiting: vec![],
        })
        .await
        .unwrap();
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].rejection, Some(reason));
    // The status badge counts it as refused, not as waiting to be sent.
    assert_eq!(
        store.outbox_counts("demo").await.unwrap(),
        OutboxCounts {
            mine: 0,
            others: 0,
            rejected: 1
        }
    );
    // A rejected change no longer shows: the record is what the server holds.
    assert_eq!(
        store.record(id).await.unwrap().unwrap().text(field::TITLE),
        "原标题"
    );

    store.discard(ids[0]).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(store.record(id).await.unwrap(), Some(shown));
    store.close();
}

#[wasm_bindgen_test]
async fn discarding_a_pending_change_rolls_the_shown_record_back() {
    let store = fresh("kefu-test-discard").await;
    let pulled = server_case("同事建的案件", Hlc::new(1_000, 0));
    let id = pulled.id;
    store
        .apply_pull(&page(vec![pulled.clone()], "c-1"))
        .await
        .unwrap();
    let change = store
        .set_field(
            id,
            field::STATUS,
            json!("resolved"),
            vec![],
            &demo(),
            at(11),
        )
        .await
        .unwrap();
    assert_eq!(
        store.record(id).await.unwrap().unwrap().text(field::STATUS),
        "resolved"
    );
    store.discard(change).await.unwrap();
    assert_eq!(store.record(id).await.unwrap(), Some(pulled));
    store.close();
}

#[wasm_bindgen_test]
async fn a_pull_never_overwrites_a_pending_edit_and_moves_the_cursor() {
    let store = fresh("kefu-test-pull").await;
    assert_eq!(store.sync_meta().await.unwrap().cursor, None);
    let first = server_case("本地看到的标题", Hlc::new(1_000, 0));
    let id = first.id;
    store
        .apply_pull(&page(vec![first.clone()], "c-1"))
        .await
        .unwrap();
    let name_version = first.fields[field::CUSTOMER_NAME].current.origin.change;
    // Edited here, not sent yet.
    store
        .set_field(
            id,
            field::CUSTOMER_NAME,
            json!("李雷"),
            vec![name_version],
            &demo(),
            Utc::now(),
        )
        .await
        .unwrap();
    // Meanwhile a colleague renamed the case; the next pull brings the server's copy.
    let title_version = first.fields[field::TITLE].current.origin.change;
    let renamed = apply(
        Some(first),
        &receipt(
            id,
            "lead",
            Hlc::new(2_000, 0),
            set(field::TITLE, "服务器上的新标题", vec![title_version]),
        ),
    );
    store
        .apply_pull(&page(vec![renamed.clone()], "c-2"))
        .await
        .unwrap();

    let shown = store.record(id).await.unwrap().unwrap();
    assert_eq!(shown.text(field::TITLE), "服务器上的新标题");
    assert_eq!(shown.text(field::CUSTOMER_NAME), "李雷");
    assert_eq!(store.confirmed(id).await.unwrap(), Some(renamed));
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    assert_eq!(
        store.sync_meta().await.unwrap().cursor.as_deref(),
        Some("c-2")
    );
    store.close();
}

#[wasm_bindgen_test]
async fn stamps_only_go_up_and_come_after_every_pulled_stamp() {
    let store = fresh("kefu-test-stamps").await;
    // A colleague whose clock runs ten minutes ahead of ours.
    let now = Utc::now();
    let ahead = Hlc::new((now + Duration::minutes(10)).timestamp_millis(), 3);
    let pulled = server_case("时钟超前的同事", ahead);
    let id = pulled.id;
    store
        .apply_pull(&page(vec![pulled.clone()], "c-1"))
        .await
        .unwrap();
    assert_eq!(store.clock().await.unwrap(), ahead);

    let first = store
        .set_field(id, field::TITLE, json!("第一次修改"), vec![], &demo(), now)
        .await
        .unwrap();
    // Our clock even runs back a little: the stamps still increase.
    let second = store
        .append_event(
            id,
            event::NOTE,
            note_data("第二次"),
            &demo(),
            now - Duration::seconds(5),
        )
        .await
        .unwrap();
    let created = create_case(&store, &new_case("新的案件"), &demo(), now)
        .await
        .unwrap()
        .id;
    let outbox = store.outbox().await.unwrap();
    let stamp_of = |change_id: Uuid| {
        outbox
            .iter()
            .find(|entry| entry.change.change_id == change_id)
            .unwrap()
            .change
            .stamp
    };
    let create_stamp = outbox
        .iter()
        .find(|entry| entry.change.record_id == created)
        .unwrap()
        .change
        .stamp;
    assert!(stamp_of(first) > pulled.latest_stamp());
    assert!(stamp_of(second) > stamp_of(first));
    assert!(create_stamp > stamp_of(second));
    // The edit made after seeing the colleague's version wins the field.
    assert_eq!(
        store.record(id).await.unwrap().unwrap().text(field::TITLE),
        "第一次修改"
    );
    assert_eq!(store.clock().await.unwrap(), create_stamp);
    store.close();
}

#[wasm_bindgen_test]
async fn resolving_a_conflict_supersedes_every_shown_version() {
    let store = fresh("kefu-test-conflict").await;
    let base = server_case("原标题", Hlc::new(1_000, 0));
    let id = base.id;
    let title_version = base.fields[field::TITLE].current.origin.change;
    // Two colleagues renamed the case at the same time, each over the original.
    let one = apply(
        Some(base),
        &receipt(
            id,
            "lead",
            Hlc::new(2_000, 0),
            set(field::TITLE, "甲的标题", vec![title_version]),
        ),
    );
    let both = apply(
        Some(one),
        &receipt(
            id,
            "qa",
            Hlc::new(2_000, 1),
            set(field::TITLE, "乙的标题", vec![title_version]),
        ),
    );
    let shown_versions = both.fields[field::TITLE].version_ids();
    assert_eq!(shown_versions.len(), 2);
    store.apply_pull(&page(vec![both], "c-1")).await.unwrap();
    assert_eq!(
        store
            .record(id)
            .await
            .unwrap()
            .unwrap()
            .conflicted_fields()
            .count(),
        1
    );

    store
        .resolve_conflict(id, field::TITLE, json!("甲的标题"), &demo(), Utc::now())
        .await
        .unwrap();
    let outbox = store.outbox().await.unwrap();
    assert!(matches!(
        &outbox[0].change.op,
        Op::Set { supersedes, .. } if supersedes == &shown_versions
    ));
    let resolved = store.record(id).await.unwrap().unwrap();
    assert_eq!(resolved.conflicted_fields().count(), 0);
    assert_eq!(resolved.text(field::TITLE), "甲的标题");
    assert!(
        store
            .resolve_conflict(id, "no_such_field", json!("x"), &demo(), Utc::now())
            .await
            .is_err()
    );
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    store.close();
}

#[wasm_bindgen_test]
async fn an_edit_of_a_record_the_device_does_not_hold_queues_nothing() {
    let store = fresh("kefu-test-missing").await;
    let missing = Uuid::now_v7();
    assert!(
        store
            .append_event(
                missing,
                event::NOTE,
                note_data("无处可记"),
                &demo(),
                Utc::now()
            )
            .await
            .is_err()
    );
    assert!(store.outbox().await.unwrap().is_empty());
    store.close();
}

#[wasm_bindgen_test]
async fn another_users_changes_keep_their_author() {
    let store = fresh("kefu-test-authors").await;
    let id = create_case(
        &store,
        &new_case("两人同用一台电脑"),
        &user("night", "west"),
        at(12),
    )
    .await
    .unwrap()
    .id;
    store
        .append_event(id, event::NOTE, note_data("早班补充"), &demo(), at(13))
        .await
        .unwrap();
    let outbox = sorted(store.outbox().await.unwrap());
    let authors: Vec<(&str, &str)> = outbox
        .iter()
        .map(|entry| (entry.author.as_str(), entry.team.as_str()))
        .collect();
    // The note belongs to the record's team, whoever writes it.
    assert_eq!(authors, [("night", "west"), ("demo", "west")]);
    // Each user's waiting changes are counted apart (the status badge's "waiting" is theirs).
    assert_eq!(
        store.outbox_counts("night").await.unwrap(),
        OutboxCounts {
            mine: 1,
            others: 1,
            rejected: 0
        }
    );
    store.close();
}

#[wasm_bindgen_test]
async fn upgrading_from_schema_1_drops_the_old_stores_and_starts_clean() {
    let name = "kefu-test-upgrade";
    Store::delete(name).await.unwrap();
    let old = Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store("cases")
                .with_key_path("id".into())
                .build()?;
            db.create_object_store("notes")
                .with_key_path("id".into())
                .build()?;
            db.create_object_store("outbox")
                .with_key_path("change.change_id".into())
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let tx = old
        .transaction("meta")
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put(as_schema_2_wrote(&42))
        .with_key("cursor")
        .without_key_type()
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    old.close();

    let store = Store::open(name).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
    assert!(store.cases().await.unwrap().is_empty());
    assert_eq!(store.sync_meta().await.unwrap().cursor, None);
    let id = create_case(&store, &new_case("升级后新建"), &demo(), at(14))
        .await
        .unwrap()
        .id;
    assert!(store.record(id).await.unwrap().is_some());
    store.close();
}

fn session_of(user: UserInfo) -> Session {
    Session {
        token: format!("token-of-{}", user.username),
        user,
        expires_at: at(59),
        must_change_password: false,
    }
}

#[wasm_bindgen_test]
async fn another_user_signing_in_drops_the_confirmed_records_but_keeps_the_outbox() {
    let store = fresh("kefu-test-switch-user").await;
    store.set_session(&session_of(demo())).await.unwrap();
    let east_case = server_case("东区的案件", Hlc::new(1_000, 0));
    store
        .apply_pull(&page(vec![east_case.clone()], "c-east"))
        .await
        .unwrap();
    store
        .append_event(
            east_case.id,
            event::NOTE,
            note_data("demo 待发的记录"),
            &demo(),
            Utc::now(),
        )
        .await
        .unwrap();

    // The same user signing in again keeps everything.
    store.set_session(&session_of(demo())).await.unwrap();
    assert!(store.confirmed(east_case.id).await.unwrap().is_some());
    assert_eq!(
        store.sync_meta().await.unwrap().cursor.as_deref(),
        Some("c-east")
    );

    // Another user (of another team) must not see what was fetched for demo.
    store
        .set_session(&session_of(user("west", "west")))
        .await
        .unwrap();
    assert_eq!(store.confirmed(east_case.id).await.unwrap(), None);
    assert!(store.cases().await.unwrap().is_empty());
    assert_eq!(store.sync_meta().await.unwrap().cursor, None);
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].author, "demo");
    store.close();
}

/// The case list as the records themselves show it: what `Store::cases` must always equal.
async fn cases_from_records(store: &Store) -> Vec<Arc<Case>> {
    let mut cases: Vec<Arc<Case>> = store
        .records_of_type(RecordType::Case)
        .await
        .unwrap()
        .iter()
        .filter_map(Case::from_record)
        .map(Arc::new)
        .collect();
    sort_newest_first(&mut cases);
    cases
}

#[wasm_bindgen_test]
async fn the_case_list_shows_what_the_records_do_through_pulls_edits_settles_and_deletions() {
    let store = fresh("kefu-test-case-list").await;
    // More pulls than the list's log holds before it is folded into one entry, read after
    // each: a read takes only what was appended since the last, across the fold too.
    let mut pulled = Vec::new();
    for n in 0..80 {
        let case = server_case(&format!("拉取的案件 {n}"), Hlc::new(1_000 + n, 0));
        store
            .apply_pull(&page(vec![case.clone()], &format!("c-{n}")))
            .await
            .unwrap();
        pulled.push(case);
        assert_eq!(store.cases().await.unwrap().len(), pulled.len());
    }
    assert_eq!(
        store.cases().await.unwrap(),
        cases_from_records(&store).await
    );

    // A colleague renamed one and deleted another; the next page brings both.
    let renamed = apply(
        Some(pulled[3].clone()),
        &receipt(
            pulled[3].id,
            "lead",
            Hlc::new(5_000, 0),
            set(field::TITLE, "改过的标题", vec![]),
        ),
    );
    let deleted = apply(
        Some(pulled[4].clone()),
        &receipt(pulled[4].id, "admin", Hlc::new(5_001, 0), Op::Delete),
    );
    store
        .apply_pull(&page(vec![renamed, deleted], "c-80"))
        .await
        .unwrap();
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 79);
    assert!(cases.iter().all(|case| case.id != pulled[4].id));
    assert!(cases.iter().any(|case| case.title == "改过的标题"));
    assert_eq!(cases, cases_from_records(&store).await);

    // Pending here: an edit of a pulled case and a new case; they show before they are sent.
    let edit = store
        .set_field(
            pulled[5].id,
            field::STATUS,
            json!("resolved"),
            vec![],
            &demo(),
            at(40),
        )
        .await
        .unwrap();
    let mine = create_case(&store, &new_case("本机新建"), &demo(), at(41))
        .await
        .unwrap()
        .id;
    let cases = store.cases().await.unwrap();
    assert_eq!(cases.len(), 80);
    assert!(cases.iter().any(|case| case.id == mine));
    assert_eq!(cases, cases_from_records(&store).await);

    // Once the server has both, the list still shows them, now from the confirmed records.
    let done = store
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|entry| entry.change.change_id)
        .collect();
    store
        .settle(&Settlement {
            done,
            rejected: vec![],
            waiting: vec![],
        })
        .await
        .unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
    assert_eq!(store.cases().await.unwrap(), cases);
    assert_eq!(cases, cases_from_records(&store).await);
    assert!(store.confirmed(mine).await.unwrap().is_some());
    assert!(!edit.is_nil());

    // Reopened, the list is read back the same.
    store.close();
    let reopened = Store::open("kefu-test-case-list").await.unwrap();
    assert_eq!(reopened.cases().await.unwrap(), cases);
    reopened.close();
}

#[wasm_bindgen_test]
async fn another_tab_reading_the_case_list_sees_every_append_fold_deletion_and_new_user() {
    let name = "kefu-test-case-list-tabs";
    let writer = fresh(name).await;
    let reader = Store::open(name).await.unwrap();
    writer.set_session(&session_of(demo())).await.unwrap();
    let mut pulled = Vec::new();
    for n in 0..10 {
        pulled.push(server_case(&format!("第一批 {n}"), Hlc::new(1_000 + n, 0)));
    }
    writer
        .apply_pull(&page(pulled.clone(), "c-1"))
        .await
        .unwrap();
    assert_eq!(
        reader.cases().await.unwrap(),
        cases_from_records(&writer).await
    );

    // The writer's pulls fold the log (a rewrite the reader has not seen) and delete a case
    // the reader holds from its last read.
    let deleted = apply(
        Some(pulled[2].clone()),
        &receipt(pulled[2].id, "admin", Hlc::new(3_000, 0), Op::Delete),
    );
    writer
        .apply_pull(&page(vec![deleted], "c-2"))
        .await
        .unwrap();
    for n in 0..70 {
        let case = server_case(&format!("第二批 {n}"), Hlc::new(2_000 + n, 0));
        writer
            .apply_pull(&page(vec![case], &format!("c-3-{n}")))
            .await
            .unwrap();
    }
    let cases = reader.cases().await.unwrap();
    assert_eq!(cases.len(), 79);
    assert!(cases.iter().all(|case| case.id != pulled[2].id));
    assert_eq!(cases, cases_from_records(&writer).await);

    // A pending edit made in the writer's tab shows in the reader's list.
    writer
        .set_field(
            pulled[5].id,
            field::TITLE,
            json!("另一个标签页改的"),
            vec![],
            &demo(),
            at(40),
        )
        .await
        .unwrap();
    let cases = reader.cases().await.unwrap();
    assert!(cases.iter().any(|case| case.title == "另一个标签页改的"));
    assert_eq!(cases, cases_from_records(&writer).await);

    // Another user signs in there: the confirmed cases go; demo's pending edit of a case the
    // device no longer holds shows nothing; the new user's first pull shows alone.
    writer
        .set_session(&session_of(user("west", "west")))
        .await
        .unwrap();
    assert!(reader.cases().await.unwrap().is_empty());
    let west = server_case("西区的案件", Hlc::new(4_000, 0));
    writer
        .apply_pull(&page(vec![west.clone()], "c-west"))
        .await
        .unwrap();
    let cases = reader.cases().await.unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].id, west.id);
    reader.close();
    writer.close();
}

#[wasm_bindgen_test]
async fn upgrading_from_schema_2_builds_the_case_list_from_the_records_and_keeps_the_rest() {
    let name = "kefu-test-upgrade-2";
    Store::delete(name).await.unwrap();
    let old = Database::open(name)
        .with_version(2u32)
        .with_on_upgrade_needed(|_, db| {
            let records = db
                .create_object_store("records")
                .with_key_path("id".into())
                .build()?;
            records
                .create_index("by_type", "record_type".into())
                .build()?;
            let outbox = db
                .create_object_store("outbox")
                .with_key_path("change.change_id".into())
                .build()?;
            outbox
                .create_index("by_record", "change.record_id".into())
                .build()?;
            db.create_object_store("meta").build()?;
            Ok(())
        })
        .await
        .unwrap();
    let confirmed = server_case("升级前拉取的", Hlc::new(1_000, 0));
    // A pending creation whose fields hold a JSON null (no order number).
    let waiting = OutboxEntry {
        change: Change {
            change_id: Uuid::now_v7(),
            device: Uuid::from_u128(5),
            stamp: Hlc::new(2_000, 0),
            record_type: RecordType::Case,
            record_id: Uuid::now_v7(),
            op: Op::Create {
                fields: new_case("升级前待发的").fields(),
            },
        },
        author: "demo".into(),
        team: "east".into(),
        queued_at: at(12),
        rejection: None,
    };
    let tx = old
        .transaction(["records", "outbox", "meta"])
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    // As schema 2 wrote them (serde-wasm-bindgen objects).
    tx.object_store("records")
        .unwrap()
        .put(as_schema_2_wrote(&confirmed))
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.object_store("outbox")
        .unwrap()
        .put(as_schema_2_wrote(&waiting))
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put(as_schema_2_wrote(&"c-7"))
        .with_key("cursor")
        .without_key_type()
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    old.close();

    let store = Store::open(name).await.unwrap();
    let cases = store.cases().await.unwrap();
    let mut titles: Vec<&str> = cases.iter().map(|case| case.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["升级前待发的", "升级前拉取的"]);
    assert_eq!(cases, cases_from_records(&store).await);
    assert_eq!(store.outbox().await.unwrap(), [waiting]);
    assert_eq!(
        store.confirmed(confirmed.id).await.unwrap(),
        Some(confirmed)
    );
    assert_eq!(
        store.sync_meta().await.unwrap().cursor.as_deref(),
        Some("c-7")
    );
    store.close();
}

#[wasm_bindgen_test]
async fn records_kept_as_objects_by_the_first_schema_3_build_still_read_and_take_edits() {
    let name = "kefu-test-records-as-objects";
    Store::delete(name).await.unwrap();
    let store = Store::open(name).await.unwrap();
    let pulled = server_case("对象形式保存的", Hlc::new(1_000, 0));
    // The newer build stores what it pulls in its own form; this one is an object, as the
    // first schema 3 build wrote it (its JSON parsed by the browser).
    store
        .apply_pull(&page(
            vec![server_case("新形式保存的", Hlc::new(2_000, 0))],
            "c-1",
        ))
        .await
        .unwrap();
    store.close();
    let db = Database::open(name).await.unwrap();
    let tx = db
        .transaction("records")
        .with_mode(indexed_db_futures::transaction::TransactionMode::Readwrite)
        .build()
        .unwrap();
    let as_object = js_sys::JSON::parse(&serde_json::to_string(&pulled).unwrap()).unwrap();
    tx.object_store("records")
        .unwrap()
        .put(as_object)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    let store = Store::open(name).await.unwrap();
    assert_eq!(
        store.confirmed(pulled.id).await.unwrap(),
        Some(pulled.clone())
    );
    let mut titles: Vec<String> = store
        .records_of_type(RecordType::Case)
        .await
        .unwrap()
        .iter()
        .map(|record| record.text(field::TITLE))
        .collect();
    titles.sort();
    assert_eq!(titles, ["对象形式保存的", "新形式保存的"]);
    store
        .append_event(
            pulled.id,
            event::NOTE,
            note_data("旧记录上的备注"),
            &demo(),
            at(9),
        )
        .await
        .unwrap();
    let shown = store.record(pulled.id).await.unwrap().unwrap();
    assert_eq!(notes(&shown)[0].body, "旧记录上的备注");
    store.close();
}

#[wasm_bindgen_test]
async fn photos_wait_on_the_device_until_uploaded_and_a_removed_one_is_not_sent() {
    let store = fresh("kefu-test-photos").await;
    let photo = |n: u8| PhotoRef {
        hash: format!("{n:02x}").repeat(32),
        bytes: 3,
    };
    let (taken, named, fetched) = (photo(1), photo(2), photo(3));
    store.add_photo(&taken, &[1, 1, 1]).await.unwrap();
    store.add_photo(&named, &[2, 2, 2]).await.unwrap();
    store.cache_photo(&fetched, &[3, 3, 3]).await.unwrap();
    let waiting = |store: Store| async move {
        store
            .photos_to_upload()
            .await
            .unwrap()
            .into_iter()
            .map(|(photo, bytes)| (photo.hash, bytes))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        waiting(store.clone()).await,
        [
            (taken.hash.clone(), vec![1, 1, 1]),
            (named.hash.clone(), vec![2, 2, 2])
        ]
    );
    // A pending change names one photo: removing that one from a form keeps it.
    let id = create_case(&store, &new_case("验货"), &demo(), at(0))
        .await
        .unwrap()
        .id;
    store
        .append_event(
            id,
            event::NOTE,
            json!({ "body": "见照片", "photos": [named] }),
            &demo(),
            at(1),
        )
        .await
        .unwrap();
    store.discard_photo(&named.hash).await.unwrap();
    store.discard_photo(&taken.hash).await.unwrap();
    store.discard_photo(&fetched.hash).await.unwrap();
    assert_eq!(
        waiting(store.clone()).await,
        [(named.hash.clone(), vec![2, 2, 2])]
    );
    assert_eq!(store.photo(&taken.hash).await.unwrap(), None);
    assert_eq!(
        store.photo(&fetched.hash).await.unwrap(),
        Some(vec![3, 3, 3])
    );

    store.photo_uploaded(&named.hash).await.unwrap();
    assert!(store.photos_waiting().await.unwrap().is_empty());
    assert_eq!(store.photo(&named.hash).await.unwrap(), Some(vec![2, 2, 2]));
    // Taken again after it went up: it is not sent twice.
    store.add_photo(&named, &[2, 2, 2]).await.unwrap();
    assert!(store.photos_waiting().await.unwrap().is_empty());
    store.close();
}

/// A value as schema 2 wrote it: through indexed_db_futures's serde support (serde-wasm-bindgen,
/// maps as objects), which this build no longer uses.
fn as_schema_2_wrote(value: &impl serde::Serialize) -> wasm_bindgen::JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .unwrap()
}

#[wasm_bindgen_test]
async fn after_a_restore_everything_held_is_offered_back_then_dropped_for_the_restored_copy() {
    let store = fresh("kefu-test-recovery").await;
    let case = server_case("恢复前的案件", Hlc::new(1_000, 0));
    let note = apply(
        Some(case.clone()),
        &receipt(
            case.id,
            "lead",
            Hlc::new(2_000, 0),
            Op::Append {
                event: Uuid::now_v7(),
                kind: event::NOTE.into(),
                data: note_data("已回电"),
            },
        ),
    );
    store
        .apply_pull(&page(vec![note.clone()], "c-9"))
        .await
        .unwrap();
    let meta = store.sync_meta().await.unwrap();
    assert_eq!(meta.epoch.as_deref(), Some("epoch-1"));
    assert_eq!(meta.recovering, None);
    let photo = PhotoRef {
        hash: "c".repeat(64),
        bytes: 3,
    };
    store.cache_photo(&photo, &[3, 3, 3]).await.unwrap();
    assert!(store.photos_to_upload().await.unwrap().is_empty());

    store.begin_recovery("epoch-2").await.unwrap();
    let meta = store.sync_meta().await.unwrap();
    assert_eq!(meta.recovering.as_deref(), Some("epoch-2"));
    assert_eq!(
        meta.epoch.as_deref(),
        Some("epoch-1"),
        "not adopted before sending back"
    );
    let waiting: Vec<String> = store
        .photos_to_upload()
        .await
        .unwrap()
        .into_iter()
        .map(|(photo, _)| photo.hash)
        .collect();
    assert_eq!(
        waiting,
        [photo.hash],
        "the restored server may lack the photo"
    );
    let offered: Vec<Uuid> = store
        .confirmed_records()
        .await
        .unwrap()
        .iter()
        .map(|record| record.id)
        .collect();
    assert_eq!(offered, [note.id]);
    store.recovered_through(note.id).await.unwrap();
    assert_eq!(
        store.sync_meta().await.unwrap().recovered_through,
        Some(note.id),
        "a round cut short resumes after it"
    );
    // Made while sending back: it stays in the outbox whatever happens to the records.
    store
        .set_field(
            note.id,
            field::STATUS,
            json!("resolved"),
            vec![],
            &demo(),
            Utc::now(),
        )
        .await
        .unwrap();

    store.end_recovery().await.unwrap();
    let meta = store.sync_meta().await.unwrap();
    assert_eq!(meta.epoch.as_deref(), Some("epoch-2"));
    assert_eq!(meta.recovering, None);
    assert_eq!(
        meta.cursor, None,
        "the feed starts over from the restored copy"
    );
    assert_eq!(meta.recovered_through, None);
    // What it held is dropped, for the restored server's copy; the pending edit stays.
    assert_eq!(store.confirmed(note.id).await.unwrap(), None);
    assert_eq!(store.outbox().await.unwrap().len(), 1);
    store.close();
}
