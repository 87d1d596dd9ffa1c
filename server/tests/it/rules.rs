//! One test per rule the server enforces, each calling the API directly as the wrong user:
//! team scope on pull and push, QA's read-only facts, the policy for admins only, fields only
//! the server stamps, notes only on cases that exist, clamped stamps.

use crate::common::{Api, add_note, change, create_case, on_both_backends, set_field};
use kefu_core::case::{Case, event, field, notes};
use kefu_core::hlc::{CLAMP_TOLERANCE_MS, Hlc};
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID};
use kefu_core::record::RecordType;
use kefu_core::sync::{Op, Outcome};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::json;
use uuid::Uuid;

fn rejected_reason(outcome: &Outcome) -> &kefu_core::lang::Bilingual {
    match outcome {
        Outcome::Rejected { reason } => reason,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

on_both_backends! {
async fn a_user_neither_pulls_nor_pushes_another_teams_records(db: TestDb) {
    let api = Api::new(&db);
    let east = api.sign_in(DEMO_USERNAME).await;
    let west = api.sign_in("west").await;
    let (id, create) = create_case("东区的案件");
    assert_eq!(api.push(&east, &[create]).await, [Outcome::Applied]);

    let (seen_by_west, _) = api.pull_all(&west, None).await;
    assert!(
        seen_by_west.iter().all(|record| record.team != "east"),
        "{seen_by_west:?}"
    );
    // The shared policy still reaches everyone.
    assert!(
        seen_by_west
            .iter()
            .any(|record| record.id == POLICY_RECORD_ID)
    );

    let outcomes = api
        .push(
            &west,
            &[
                set_field(id, field::TITLE, json!("西区改的"), vec![]),
                add_note(id, "西区的记录"),
            ],
        )
        .await;
    for outcome in &outcomes {
        assert!(
            rejected_reason(outcome).zh.contains("其他小组"),
            "{outcome:?}"
        );
    }
    let stored = api.record(&east, id).await.unwrap();
    assert_eq!(Case::from_record(&stored).unwrap().title, "东区的案件");
    assert!(stored.events.is_empty());

    // An admin sees every team.
    let admin = api.sign_in("admin").await;
    assert!(api.record(&admin, id).await.is_some());
}

async fn qa_may_read_and_review_but_not_change_case_facts(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let (id, create) = create_case("质检抽查");
    api.push(&demo, &[create]).await;
    assert!(
        api.record(&qa, id).await.is_some(),
        "QA reads the team's cases"
    );

    let (_, qa_create) = create_case("质检新建");
    let review = change(
        id,
        Op::Append {
            event: Uuid::now_v7(),
            kind: event::QA_REVIEW.into(),
            data: json!({"score": 92, "comment": "开场白规范"}),
        },
    );
    let outcomes = api
        .push(
            &qa,
            &[
                set_field(id, field::STATUS, json!("closed"), vec![]),
                qa_create,
                add_note(id, "质检写的备注"),
                review,
            ],
        )
        .await;
    for outcome in &outcomes[..3] {
        rejected_reason(outcome);
    }
    assert_eq!(outcomes[3], Outcome::Applied);
    let stored = api.record(&demo, id).await.unwrap();
    assert_eq!(Case::from_record(&stored).unwrap().status.as_str(), "open");
    assert_eq!(stored.events.len(), 1);
    assert_eq!(stored.events[0].origin.by, "qa");
}

async fn only_an_admin_changes_the_policy(db: TestDb) {
    let api = Api::new(&db);
    let policy = api
        .record(&api.sign_in("admin").await, POLICY_RECORD_ID)
        .await
        .expect("seeded policy");
    let data = policy.value(POLICY_DATA_FIELD).unwrap().clone();
    let mut edited = data.clone();
    edited["returns"]["no_reason_window_days"] = json!(15);
    let edit = || {
        let mut change = set_field(POLICY_RECORD_ID, POLICY_DATA_FIELD, edited.clone(), vec![]);
        change.record_type = RecordType::Policy;
        change
    };
    for username in ["supervisor", "lead", DEMO_USERNAME] {
        let token = api.sign_in(username).await;
        let outcomes = api.push(&token, &[edit()]).await;
        assert_eq!(
            rejected_reason(&outcomes[0]).en,
            "Only an admin may do this",
            "{username}"
        );
    }
    let admin = api.sign_in("admin").await;
    assert_eq!(api.push(&admin, &[edit()]).await, [Outcome::Applied]);
    // Every user receives the new version.
    let demo = api.sign_in(DEMO_USERNAME).await;
    let seen = api.record(&demo, POLICY_RECORD_ID).await.unwrap();
    assert_eq!(
        seen.value(POLICY_DATA_FIELD).unwrap()["returns"]["no_reason_window_days"],
        15
    );
}

async fn owner_creation_time_and_authors_cannot_be_forged(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let admin = api.sign_in("admin").await;
    let (id, create) = create_case("首接负责");
    // Extra keys claiming another author or an old creation are not part of a change.
    let mut forged = serde_json::to_value(&create).unwrap();
    forged["by"] = json!("admin");
    forged["created"] = json!({"by": "admin", "at": "2020-01-01T00:00:00Z"});
    let (status, body) = api.push_raw(&demo, json!([forged])).await;
    assert_eq!(
        (status.as_u16(), &body["outcomes"][0]["status"]),
        (200, &json!("applied"))
    );

    // Fields only the server stamps cannot be set, and a second creation cannot take over.
    let (_, mut takeover) = create_case("抢案件");
    takeover.record_id = id;
    let outcomes = api
        .push(
            &admin,
            &[
                set_field(id, "owner", json!("admin"), vec![]),
                set_field(id, "created_at", json!("2020-01-01T00:00:00Z"), vec![]),
                takeover,
                set_field(id, field::TITLE, json!("管理员改的标题"), vec![]),
                add_note(id, "管理员的记录"),
            ],
        )
        .await;
    for outcome in &outcomes[..3] {
        rejected_reason(outcome);
    }
    assert_eq!(outcomes[3..], [Outcome::Applied, Outcome::Applied]);

    let stored = api.record(&demo, id).await.unwrap();
    let case = Case::from_record(&stored).unwrap();
    assert_eq!(case.title, "管理员改的标题");
    assert_eq!(case.owner, DEMO_USERNAME, "an edit never moves the owner");
    assert!(case.created_at > chrono::Utc::now() - chrono::Duration::minutes(1));
    assert_eq!(notes(&stored)[0].author, "admin");
    assert_eq!(stored.fields[field::TITLE].current.origin.by, "admin");
}

async fn a_note_onto_a_case_that_does_not_exist_is_rejected(db: TestDb) {
    let api = Api::new(&db);
    let qa = api.sign_in("qa").await;
    let demo = api.sign_in(DEMO_USERNAME).await;
    let nowhere = Uuid::now_v7();
    // The demo QA account's old exploit: a note on a made-up id, dated 2099.
    let mut note = add_note(nowhere, "不存在的案件");
    note.stamp = Hlc::new(4_070_908_800_000, 0);
    assert!(matches!(
        api.push(&qa, &[note.clone()]).await[0],
        Outcome::Rejected { .. }
    ));
    let outcomes = api.push(&demo, &[note]).await;
    assert_eq!(rejected_reason(&outcomes[0]).zh, "这个案件在服务器上不存在");
    assert_eq!(api.record(&demo, nowhere).await, None);
}

async fn a_stamp_from_a_clock_far_ahead_is_clamped(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("时钟超前");
    let mut ahead = set_field(
        id,
        field::TITLE,
        json!("2099 年的修改"),
        vec![create.change_id],
    );
    ahead.stamp = Hlc::new(4_070_908_800_000, 0);
    api.push(&demo, &[create, ahead]).await;
    let before_edit = chrono::Utc::now().timestamp_millis();
    let stored = api.record(&demo, id).await.unwrap();
    let stamp = stored.fields[field::TITLE].current.origin.stamp;
    assert!(
        stamp.wall_ms <= before_edit + CLAMP_TOLERANCE_MS,
        "{stamp:?}"
    );
    // So a normal edit made after it, having seen it, still wins.
    let later = set_field(
        id,
        field::TITLE,
        json!("之后的修改"),
        vec![stored.fields[field::TITLE].current.origin.change],
    );
    let mut later = later;
    later.stamp = Hlc::next(stored.latest_stamp(), before_edit);
    api.push(&demo, &[later]).await;
    let stored = api.record(&demo, id).await.unwrap();
    assert_eq!(stored.text(field::TITLE), "之后的修改");
}

async fn records_that_become_visible_later_still_reach_the_user(db: TestDb) {
    let api = Api::new(&db);
    let east = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("早就存在的东区案件");
    api.push(&east, &[create]).await;
    let west = api.sign_in("west").await;
    let (seen, cursor) = api.pull_all(&west, None).await;
    assert!(seen.iter().all(|record| record.id != id));

    // The west agent moves to the east team; their old cursor must not hide older records.
    db.state.db.set_user_team("west", "east").await.unwrap();
    let (seen, _) = api.pull_all(&west, Some(&cursor)).await;
    assert!(seen.iter().any(|record| record.id == id), "{seen:?}");
}
}
