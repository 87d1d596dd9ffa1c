//! One test per rule the server enforces, each calling the API directly as the wrong user:
//! team scope on pull and push, QA's read-only facts, the policy for admins only, fields only
//! the server stamps, notes only on cases that exist, clamped stamps, the knowledge base kept
//! by team leads, personal phrases by their makers, customers read-only for QA, the packing
//! station's inspections only, and a return's reasons and inspections checked by the rules.

use crate::common::{
    Api, add_note, change, create_case, new_return, on_both_backends, photo_bytes, qa_review_data,
    set_field,
};
use kefu_core::account::manage::{AccountUpdate, SessionEnd};
use kefu_core::hlc::{CLAMP_TOLERANCE_MS, Hlc};
use kefu_core::kinds::case::after_sales_situation::{SituationEntry, case_situation};
use kefu_core::kinds::case::compensations::{CompensationState, Decision, Proposal, compensations};
use kefu_core::kinds::case::incident::incident_id;
use kefu_core::kinds::case::inquiry::{InquiryOutcome, NewInquiry};
use kefu_core::kinds::case::order_follow_up::{
    order_state, order_step_data, special_situation_data,
};
use kefu_core::kinds::case::return_follow_up::{return_state, return_step_data};
use kefu_core::kinds::case::returns::{
    Inspection, InspectionDecision, ItemCondition, NewReturn, ReturnItem, find_open_return,
    inspections,
};
use kefu_core::kinds::case::sales::{SalesStage, current_stage, sales_stage_data};
use kefu_core::kinds::case::{Case, field, notes};
use kefu_core::kinds::customer::{Customer, NewCustomer};
use kefu_core::kinds::knowledge::{
    Knowledge, KnowledgeKind, NewKnowledge, STANDARD_PHRASES, standard_phrase_id,
};
use kefu_core::kinds::parcel::{self, NewParcel, Parcel};
use kefu_core::money::Fen;
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID};
use kefu_core::record::RecordType;
use kefu_core::rules::after_sales_guide::{Answers, Situation};
use kefu_core::rules::compensation::CompensationFor;
use kefu_core::rules::order_flow::{OrderEvent, OrderState};
use kefu_core::rules::return_flow::{ReturnEvent, ReturnState, Settlement};
use kefu_core::sync::{Change, Op, Outcome};
use kefu_server::demo::{DEMO_RETURN_TRACKING, DEMO_USERNAME};
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

async fn a_case_event_or_field_no_kind_declares_is_refused_for_everyone(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("无人声明的字段");
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);
    // Closed by default: whatever no record kind or case workflow declares is refused, even
    // to an admin, with its name in the reason; the case is left as it was.
    for username in [DEMO_USERNAME, "lead", "admin"] {
        let user = api.sign_in(username).await;
        let undeclared_entry = change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: "refund_now".into(),
                data: json!({"amount": 100}),
            },
        );
        let undeclared_field = set_field(id, "vip_level", json!(3), vec![]);
        let outcomes = api
            .push(&user, &[undeclared_entry, undeclared_field])
            .await;
        let expected = [
            "There is no entry of kind “refund_now”; the app may need an update",
            "There is no field “vip_level”; the app may need an update",
        ];
        for ((outcome, expected), name) in outcomes.iter().zip(expected).zip(["refund_now", "vip_level"]) {
            let reason = rejected_reason(outcome);
            assert_eq!(reason.en, expected, "{username}");
            assert!(reason.zh.contains(name), "{username}: {reason:?}");
        }
    }
    let stored = api.record(&demo, id).await.unwrap();
    assert!(stored.events.is_empty(), "{:?}", stored.events);
    assert!(!stored.fields.contains_key("vip_level"));
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
            kind: kefu_core::kinds::case::qa_review::event::QA_REVIEW.into(),
            data: qa_review_data(DEMO_USERNAME, 4),
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

async fn a_phrase_an_admin_bans_is_checked_from_the_next_push_on(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let admin = api.sign_in("admin").await;
    let (id, create) = create_case("新禁语");
    let before = add_note(id, "这单我们包办到底");
    api.push(&demo, &[create, before]).await;
    let policy = api.record(&admin, POLICY_RECORD_ID).await.unwrap();
    let mut edited = policy.value(POLICY_DATA_FIELD).unwrap().clone();
    edited["banned_phrases"]
        .as_array_mut()
        .unwrap()
        .push(json!({"phrase": "包办到底", "alternative": "我们会跟进到问题解决"}));
    let mut change = set_field(POLICY_RECORD_ID, POLICY_DATA_FIELD, edited, vec![]);
    change.record_type = RecordType::Policy;
    assert_eq!(api.push(&admin, &[change]).await, [Outcome::Applied]);
    // The server read the policy for the first push; the admin's change is in force at once.
    let after = add_note(id, "放心，这单我们包办到底");
    api.push(&demo, std::slice::from_ref(&after)).await;
    let stored = api.record(&demo, id).await.unwrap();
    let incidents: Vec<_> = stored
        .events
        .iter()
        .filter(|event| event.kind == kefu_core::kinds::case::incident::event::BANNED_PHRASE)
        .collect();
    assert_eq!(incidents.len(), 1, "{:?}", stored.events);
    assert_eq!(incidents[0].id, incident_id(after.change_id));
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

    // The west agent moves to the east team, which ends their session; signed in again, their
    // device's old cursor must not hide older records.
    let to_east = AccountUpdate {
        team: Some("east".into()),
        ..AccountUpdate::default()
    };
    let end = Some(SessionEnd::AccountChanged);
    assert!(db.state.db.update_user("west", &to_east, end).await.unwrap());
    let west = api.sign_in("west").await;
    let (seen, _) = api.pull_all(&west, Some(&cursor)).await;
    assert!(seen.iter().any(|record| record.id == id), "{seen:?}");
}

async fn only_team_leads_change_the_team_s_knowledge_base(db: TestDb) {
    let api = Api::new(&db);
    let agent = api.sign_in(DEMO_USERNAME).await;
    let lead = api.sign_in("lead").await;
    let (id, create) = new_entry(false);

    // An agent calling the API directly cannot add a team entry…
    let refused = api.push(&agent, std::slice::from_ref(&create)).await;
    assert!(rejected_reason(&refused[0]).zh.contains("组长"), "{refused:?}");
    assert!(api.record(&lead, id).await.is_none());
    // …a lead can, and then the agent can neither edit nor delete it, only record a reuse.
    assert_eq!(api.push(&lead, &[create]).await, [Outcome::Applied]);
    let edit = knowledge(id, Op::Set {
        field: kefu_core::kinds::knowledge::field::BODY.into(),
        value: json!("全国包邮"),
        supersedes: vec![],
    });
    let outcomes = api.push(&agent, &[edit.clone(), knowledge(id, Op::Delete)]).await;
    for outcome in &outcomes {
        assert!(rejected_reason(outcome).en.contains("team lead"), "{outcome:?}");
    }
    let reuse = knowledge(id, Op::Append {
        event: Uuid::now_v7(),
        kind: kefu_core::kinds::knowledge::event::RECURRENCE.into(),
        data: kefu_core::kinds::knowledge::recurrence_data(Uuid::now_v7()),
    });
    assert_eq!(api.push(&agent, &[reuse]).await, [Outcome::Applied]);
    let stored = api.record(&lead, id).await.unwrap();
    let entry = Knowledge::from_record(&stored).unwrap();
    assert_eq!((entry.body.as_str(), entry.recurrences), ("江浙沪满 59 元包邮。", 1));
    assert_eq!(api.push(&lead, &[edit]).await, [Outcome::Applied]);
}

async fn a_personal_phrase_is_changed_only_by_whoever_made_it(db: TestDb) {
    let api = Api::new(&db);
    let agent = api.sign_in(DEMO_USERNAME).await;
    let lead = api.sign_in("lead").await;
    let qa = api.sign_in("qa").await;
    let (id, create) = new_entry(true);
    assert_eq!(api.push(&agent, &[create]).await, [Outcome::Applied]);
    let edit = knowledge(id, Op::Set {
        field: kefu_core::kinds::knowledge::field::TITLE.into(),
        value: json!("组长改的"),
        supersedes: vec![],
    });
    let refused = api.push(&lead, std::slice::from_ref(&edit)).await;
    assert!(rejected_reason(&refused[0]).zh.contains("创建人"), "{refused:?}");
    // Nor may it be turned into a team entry (or back) after the fact.
    let made_shared = knowledge(id, Op::Set {
        field: kefu_core::kinds::knowledge::field::PERSONAL.into(),
        value: json!(false),
        supersedes: vec![],
    });
    assert!(matches!(
        api.push(&agent, &[made_shared]).await[0],
        Outcome::Rejected { .. }
    ));
    let (_, qa_entry) = new_entry(true);
    assert!(matches!(api.push(&qa, &[qa_entry]).await[0], Outcome::Rejected { .. }));
    assert_eq!(api.push(&agent, &[edit]).await, [Outcome::Applied]);
    let stored = api.record(&agent, id).await.unwrap();
    assert_eq!(Knowledge::from_record(&stored).unwrap().title, "组长改的");
}

async fn the_server_records_a_banned_phrase_the_device_did_not(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let (id, create) = create_case("物流咨询");
    let rude = add_note(id, "这个我不知道，你去问快递吧");
    let polite = add_note(id, "您好，谢谢您的耐心等待，马上为您查询。");
    // The device sends only the texts, as one that skipped the check would.
    let outcomes = api.push(&demo, &[create, rude.clone(), polite]).await;
    assert!(
        outcomes.iter().all(|o| *o == Outcome::Applied),
        "the note is saved all the same: {outcomes:?}"
    );
    let stored = api.record(&qa, id).await.expect("QA reads the case");
    let incidents: Vec<_> = stored
        .events
        .iter()
        .filter(|event| event.kind == kefu_core::kinds::case::incident::event::BANNED_PHRASE)
        .collect();
    assert_eq!(incidents.len(), 1, "{:?}", stored.events);
    let incident = incidents[0];
    assert_eq!(incident.id, incident_id(rude.change_id));
    assert_eq!(incident.origin.by, DEMO_USERNAME);
    assert_eq!(incident.data["text"], "这个我不知道，你去问快递吧");
    assert_eq!(incident.data["matches"][0]["phrase"], "我不知道");
    let alternative = incident.data["matches"][0]["alternative"].as_str();
    assert!(alternative.is_some_and(|text| !text.is_empty()), "{incident:?}");
    assert_eq!(notes(&stored).len(), 2);
}

async fn the_server_records_a_banned_phrase_in_a_logged_inquiry_s_answer(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let id = Uuid::now_v7();
    let inquiry = NewInquiry {
        channel: "phone".into(),
        customer: None,
        order_number: None,
        category: "receiving".into(),
        question: "包裹怎么还没到？".into(),
        answer: "快递的事我不清楚，你自己去看物流。".into(),
        outcome: InquiryOutcome::FollowUp,
        reply_due: Some(chrono::Utc::now() + chrono::Duration::hours(4)),
        reply_policy: None,
        problem: false,
    };
    let logged = change(id, Op::Create { fields: inquiry.fields() });
    let rewritten = set_field(id, kefu_core::kinds::case::inquiry::field::ANSWER, json!("不行就是不行"), vec![logged.change_id]);
    let outcomes = api.push(&demo, &[logged.clone(), rewritten.clone()]).await;
    assert_eq!(outcomes, [Outcome::Applied, Outcome::Applied]);
    let stored = api.record(&qa, id).await.expect("QA reads the case");
    let found: Vec<(Uuid, &str)> = stored
        .events
        .iter()
        .filter(|event| event.kind == kefu_core::kinds::case::incident::event::BANNED_PHRASE)
        .map(|event| (event.id, event.data["source"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            (incident_id(logged.change_id), kefu_core::kinds::case::inquiry::field::ANSWER),
            (incident_id(rewritten.change_id), kefu_core::kinds::case::inquiry::field::ANSWER),
        ]
    );
    let case = Case::from_record(&stored).unwrap();
    assert_eq!(case.status.as_str(), "pending");
    assert!(case.reply_due.is_some());
}

async fn an_order_moves_only_step_by_step_and_qa_moves_none(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let (id, mut create) = create_case("下单咨询");
    if let Op::Create { fields } = &mut create.op {
        fields.insert(field::ORDER_NUMBER.into(), json!("SO-20261124-0042"));
    }
    let step = |event: OrderEvent| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::order_follow_up::event::ORDER_STEP.into(),
                data: order_step_data(&event),
            },
        )
    };
    let ship = || {
        step(OrderEvent::Ship {
            courier: "sf".into(),
            tracking_number: "SF1234567".into(),
        })
    };
    let review = || step(OrderEvent::Review { reviewer: "小王".into() });
    let outcomes = api.push(&demo, &[create, ship()]).await;
    assert_eq!(outcomes[0], Outcome::Applied);
    assert!(rejected_reason(&outcomes[1]).zh.contains("不能执行"), "{outcomes:?}");
    let refused = api.push(&qa, &[review()]).await;
    rejected_reason(&refused[0]);
    assert_eq!(api.push(&demo, &[review()]).await, [Outcome::Applied]);
    let situation = change(
        id,
        Op::Append {
            event: Uuid::now_v7(),
            kind: kefu_core::kinds::case::order_follow_up::event::SPECIAL_SITUATION.into(),
            data: special_situation_data("weather", "下雨"),
        },
    );
    let unknown = api.push(&demo, &[situation]).await;
    assert!(rejected_reason(&unknown[0]).zh.contains("weather"), "{unknown:?}");
    let stored = api.record(&demo, id).await.unwrap();
    let policy = kefu_core::policy::Policy::default_policy();
    assert_eq!(order_state(policy.into(), &stored), OrderState::Reviewed);
}

async fn an_objection_is_recorded_only_with_one_of_the_four_kinds(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("询价");
    let stage = |data| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::sales::event::SALES_STAGE.into(),
                data,
            },
        )
    };
    let outcomes = api
        .push(
            &demo,
            &[
                create,
                stage(sales_stage_data(SalesStage::Objection, None, "嫌贵")),
                stage(sales_stage_data(SalesStage::Objection, Some("price"), "嫌贵")),
            ],
        )
        .await;
    assert_eq!(outcomes[0], Outcome::Applied);
    assert!(rejected_reason(&outcomes[1]).zh.contains("异议类型"), "{outcomes:?}");
    assert_eq!(outcomes[2], Outcome::Applied);
    let stored = api.record(&demo, id).await.unwrap();
    assert_eq!(current_stage(&stored), Some(SalesStage::Objection));
}

async fn the_packing_station_inspects_returns_and_changes_nothing_else(db: TestDb) {
    let api = Api::new(&db);
    let packer = api.sign_in("packer").await;
    let qa = api.sign_in("qa").await;
    let (records, _) = api.pull_all(&packer, None).await;
    let cases: Vec<Case> = records.iter().filter_map(Case::from_record).collect();
    let demo_return = find_open_return(&cases, "sf 1234 5678 90").expect("the demo return");
    let id = demo_return.id;
    let inspect = |inspection: &Inspection| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::returns::event::INSPECTION.into(),
                data: json!(inspection),
            },
        )
    };
    let accepted = Inspection {
        tracking: DEMO_RETURN_TRACKING.into(),
        tracking_matches: true,
        items_match: true,
        original_packaging: true,
        tags_intact: true,
        condition: ItemCondition::AsNew,
        note: String::new(),
        decision: InspectionDecision::AcceptRefund,
        supplier: "杭州茶厂".into(),
        style_code: "TG-01".into(),
        photos: vec![api.upload_photo(&packer, &photo_bytes(10, 2000)).await],
        other_checks: Default::default(),
    };
    let unlabelled = Inspection {
        style_code: String::new(),
        ..accepted.clone()
    };
    let outcomes = api
        .push(
            &packer,
            &[
                inspect(&unlabelled),
                inspect(&accepted),
                set_field(id, field::STATUS, json!("closed"), vec![]),
                create_case("打包员建的案件").1,
            ],
        )
        .await;
    assert!(rejected_reason(&outcomes[0]).zh.contains("款号"), "{outcomes:?}");
    assert_eq!(outcomes[1], Outcome::Applied);
    assert!(rejected_reason(&outcomes[2]).zh.contains("打包员"), "{outcomes:?}");
    assert!(rejected_reason(&outcomes[3]).zh.contains("打包员"), "{outcomes:?}");
    let refused = api.push(&qa, &[inspect(&accepted)]).await;
    rejected_reason(&refused[0]);
    let stored = api.record(&packer, id).await.unwrap();
    let recorded = inspections(&stored);
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].0, "packer");
    assert_eq!(recorded[0].2, accepted);
}

async fn a_return_names_the_policy_s_reasons_and_a_one_off_needs_its_packaging(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let packer = api.sign_in("packer").await;
    let id = Uuid::now_v7();
    let request = NewReturn {
        items: vec![ReturnItem {
            sku: "VASE-1".into(),
            quantity: 1,
        }],
        item_class: "one_off".into(),
        ..new_return("孤品退货", "SO-20261130-0001", "YT0000000001")
    };
    let mut bored = request.fields();
    bored.insert(kefu_core::kinds::case::returns::field::RETURN_REASON.into(), json!("bored"));
    let outcomes = api
        .push(
            &demo,
            &[
                change(Uuid::now_v7(), Op::Create { fields: bored }),
                change(id, Op::Create { fields: request.fields() }),
            ],
        )
        .await;
    assert!(rejected_reason(&outcomes[0]).zh.contains("bored"), "{outcomes:?}");
    assert_eq!(outcomes[1], Outcome::Applied);
    let without_box = Inspection {
        tracking: "YT0000000001".into(),
        tracking_matches: true,
        items_match: true,
        original_packaging: false,
        tags_intact: true,
        condition: ItemCondition::AsNew,
        note: "盒子丢了".into(),
        decision: InspectionDecision::AcceptRefund,
        supplier: "景德镇".into(),
        style_code: "V-1".into(),
        photos: vec![api.upload_photo(&packer, &photo_bytes(11, 2000)).await],
        other_checks: Default::default(),
    };
    let refused = api
        .push(
            &packer,
            &[change(
                id,
                Op::Append {
                    event: Uuid::now_v7(),
                    kind: kefu_core::kinds::case::returns::event::INSPECTION.into(),
                    data: json!(without_box),
                },
            )],
        )
        .await;
    assert!(rejected_reason(&refused[0]).zh.contains("孤品"), "{refused:?}");
}

async fn a_return_is_refunded_only_after_its_parcel_passed_inspection(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let packer = api.sign_in("packer").await;
    let supervisor = api.sign_in("supervisor").await;
    let id = Uuid::now_v7();
    let request = new_return("退货流程", "SO-20261130-0002", "YT0000000002");
    let photo = api.upload_photo(&packer, &photo_bytes(13, 2000)).await;
    let inspect = |decision, note: &str| {
        change(id, Op::Append {
            event: Uuid::now_v7(),
            kind: kefu_core::kinds::case::returns::event::INSPECTION.into(),
            data: json!(Inspection {
                tracking: "YT0000000002".into(),
                tracking_matches: true,
                items_match: true,
                original_packaging: true,
                tags_intact: false,
                condition: ItemCondition::Defective,
                note: note.into(),
                decision,
                supplier: "景德镇".into(),
                style_code: "C-1".into(),
                photos: vec![photo.clone()],
                other_checks: Default::default(),
            }),
        })
    };
    let step = |step: ReturnEvent| {
        change(id, Op::Append {
            event: Uuid::now_v7(),
            kind: kefu_core::kinds::case::return_follow_up::event::RETURN_STEP.into(),
            data: return_step_data(&step),
        })
    };
    let approve = step(ReturnEvent::Approve {
        reviewer: "demo".into(),
        review_note: "质量问题，我方承担运费".into(),
        parcel_expected: true,
    });
    let refund = || step(ReturnEvent::Settle { settlement: Some(Settlement::Refund { amount: Fen::from_yuan(59) }) });
    let created = api.push(&demo, &[change(id, Op::Create { fields: request.fields() })]).await;
    assert_eq!(created, [Outcome::Applied]);
    // Not reviewed yet: the station cannot inspect it, nobody can refund it.
    let early = api.push(&packer, &[inspect(InspectionDecision::AcceptRefund, "杯口有裂纹")]).await;
    assert!(rejected_reason(&early[0]).zh.contains("已申请"), "{early:?}");
    let early = api.push(&demo, &[refund()]).await;
    assert!(rejected_reason(&early[0]).zh.contains("已申请"), "{early:?}");
    // The station records inspections, not the agent's steps.
    let by_packer = api.push(&packer, std::slice::from_ref(&approve)).await;
    assert!(rejected_reason(&by_packer[0]).zh.contains("不能添加"), "{by_packer:?}");
    assert_eq!(api.push(&demo, &[approve]).await, [Outcome::Applied]);
    let awaiting = api.push(&demo, &[refund()]).await;
    assert!(rejected_reason(&awaiting[0]).zh.contains("等待退货"), "{awaiting:?}");
    assert_eq!(
        api.push(&packer, &[inspect(InspectionDecision::Escalate, "吊牌不见了，请主管判断")]).await,
        [Outcome::Applied]
    );
    // Escalated: the packer (or the agent) may not decide it; the supervisor does.
    for token in [&packer, &demo] {
        let refused = api.push(token, &[inspect(InspectionDecision::AcceptRefund, "收货")]).await;
        assert!(rejected_reason(&refused[0]).zh.contains("主管"), "{refused:?}");
    }
    assert_eq!(
        api.push(&supervisor, &[inspect(InspectionDecision::AcceptRefund, "主管同意收货")]).await,
        [Outcome::Applied]
    );
    assert_eq!(
        api.push(&demo, &[refund(), step(ReturnEvent::Close)]).await,
        [Outcome::Applied, Outcome::Applied]
    );
    let stored = api.record(&demo, id).await.unwrap();
    assert_eq!(return_state(&stored), ReturnState::Closed);
}

async fn an_unmatched_parcel_is_recorded_by_the_station_and_matched_by_an_agent(db: TestDb) {
    let api = Api::new(&db);
    let packer = api.sign_in("packer").await;
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let west = api.sign_in("west").await;
    let id = Uuid::now_v7();
    let fields = NewParcel {
        tracking: "zt 0000 0001".into(),
        note: "寄件人：李".into(),
        photos: vec![api.upload_photo(&packer, &photo_bytes(12, 2000)).await],
    }
    .fields();
    let parcel_change = |op| Change {
        record_type: RecordType::Parcel,
        ..change(id, op)
    };
    let (case_id, create_case_change) = create_case("李的退货");
    let link = || {
        parcel_change(Op::Set {
            field: parcel::field::CASE.into(),
            value: json!(case_id),
            supersedes: vec![],
        })
    };
    let refused_qa = api
        .push(
            &qa,
            &[Change {
                record_type: RecordType::Parcel,
                ..change(Uuid::now_v7(), Op::Create { fields: fields.clone() })
            }],
        )
        .await;
    rejected_reason(&refused_qa[0]);
    let by_packer = api
        .push(&packer, &[parcel_change(Op::Create { fields }), link()])
        .await;
    assert_eq!(by_packer[0], Outcome::Applied);
    assert!(rejected_reason(&by_packer[1]).zh.contains("打包员"), "{by_packer:?}");
    let (seen_by_west, _) = api.pull_all(&west, None).await;
    assert!(seen_by_west.iter().all(|record| record.id != id));
    assert_eq!(
        api.push(&demo, &[create_case_change, link()]).await,
        [Outcome::Applied, Outcome::Applied]
    );
    let stored = Parcel::from_record(&api.record(&demo, id).await.unwrap()).unwrap();
    assert_eq!((stored.tracking.as_str(), stored.case), ("ZT00000001", Some(case_id)));
    assert_eq!(stored.found_by, "packer");
}

async fn above_the_tier_compensation_waits_for_a_supervisor_s_decision(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let lead = api.sign_in("lead").await;
    let supervisor = api.sign_in("supervisor").await;
    let (id, create) = create_case("质量问题补偿");
    let propose = |amount_yuan| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::compensations::event::COMPENSATION.into(),
                data: json!(Proposal {
                    compensation_for: CompensationFor::QualityDefect,
                    item_class: "normal".into(),
                    unit_price: Fen::from_yuan(50),
                    amount: Fen::from_yuan(amount_yuan),
                    note: "袖口开线".into(),
                    policy: None,
                }),
            },
        )
    };
    let event_id = |change: &Change| match &change.op {
        Op::Append { event, .. } => *event,
        _ => unreachable!(),
    };
    let (within, over) = (propose(8), propose(20));
    let (within_id, over_id) = (event_id(&within), event_id(&over));
    let outcomes = api.push(&demo, &[create, within, over]).await;
    assert_eq!(outcomes, [Outcome::Applied, Outcome::Applied, Outcome::Applied]);
    let policy = kefu_core::policy::Policy::default_policy();
    let state_of = |record: &kefu_core::record::Record, compensation: Uuid| {
        compensations(policy.into(), record)
            .into_iter()
            .find(|entry| entry.id == compensation)
            .map(|entry| entry.state)
    };
    let stored = api.record(&demo, id).await.unwrap();
    assert_eq!(state_of(&stored, within_id), Some(CompensationState::Final));
    assert_eq!(
        state_of(&stored, over_id),
        Some(CompensationState::Pending {
            above_tier_by: Fen::from_yuan(10)
        }),
        "20 yuan is above the 5–10 tier: not final"
    );
    let decide = |approved| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: kefu_core::kinds::case::compensations::event::COMPENSATION_DECISION.into(),
                data: json!(Decision {
                    compensation: over_id,
                    approved,
                    note: String::new(),
                }),
            },
        )
    };
    for (who, name) in [(&demo, "agent"), (&lead, "team lead")] {
        let refused = api.push(who, &[decide(true)]).await;
        assert!(
            rejected_reason(&refused[0]).zh.contains("不能添加"),
            "{name}: {refused:?}"
        );
    }
    let still = api.record(&demo, id).await.unwrap();
    assert!(matches!(
        state_of(&still, over_id),
        Some(CompensationState::Pending { .. })
    ));
    assert_eq!(api.push(&supervisor, &[decide(true)]).await, [Outcome::Applied]);
    let approved = api.record(&demo, id).await.unwrap();
    assert_eq!(
        state_of(&approved, over_id),
        Some(CompensationState::Approved {
            by: "supervisor".into()
        })
    );
    let twice = api.push(&supervisor, &[decide(false)]).await;
    assert!(rejected_reason(&twice[0]).zh.contains("待审批"), "{twice:?}");
}

async fn the_demo_team_s_answers_are_its_lead_s_and_its_cases_link_customers(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (records, _) = api.pull_all(&demo, None).await;
    let answers: Vec<Knowledge> = records
        .iter()
        .filter_map(Knowledge::from_record)
        .filter(|entry| entry.kind == KnowledgeKind::Answer)
        .collect();
    assert_eq!(answers.len(), 4, "{answers:?}");
    assert!(answers.iter().all(|entry| entry.owner == "lead" && !entry.personal));
    let customers: Vec<Customer> = records.iter().filter_map(Customer::from_record).collect();
    let cases: Vec<Case> = records.iter().filter_map(Case::from_record).collect();
    assert_eq!((customers.len(), cases.len()), (3, 3));
    for customer in &customers {
        let theirs = kefu_core::kinds::customer::cases_of(customer, &cases);
        assert_eq!(theirs.len(), 1, "{customer:?}");
        assert_eq!(theirs[0].customer, Some(customer.id));
    }
}

async fn the_standard_phrases_reach_every_team_and_only_an_admin_changes_them(db: TestDb) {
    // Seeding again (a second server starting) stores nothing twice.
    kefu_server::policy::ensure_standard_phrases(db.state.db.as_ref())
        .await
        .unwrap();
    let api = Api::new(&db);
    for username in [DEMO_USERNAME, "west", "qa"] {
        let token = api.sign_in(username).await;
        let (records, _) = api.pull_all(&token, None).await;
        // The demo team's standard answers are answers, not phrases.
        let phrases: Vec<Knowledge> = records
            .iter()
            .filter_map(Knowledge::from_record)
            .filter(|entry| entry.kind == KnowledgeKind::Phrase)
            .collect();
        assert_eq!(phrases.len(), STANDARD_PHRASES.len(), "{username}: {phrases:?}");
        assert!(phrases.iter().any(|p| p.body == "谢谢您的耐心等待。"), "{username}");
    }
    let lead = api.sign_in("lead").await;
    let id = standard_phrase_id(3);
    let edit = knowledge(
        id,
        Op::Set {
            field: kefu_core::kinds::knowledge::field::BODY.into(),
            value: json!("等一下"),
            supersedes: vec![],
        },
    );
    let refused = api.push(&lead, std::slice::from_ref(&edit)).await;
    assert!(rejected_reason(&refused[0]).en.contains("admin"), "{refused:?}");
    let admin = api.sign_in("admin").await;
    assert_eq!(api.push(&admin, &[edit]).await, [Outcome::Applied]);
}

async fn qa_reads_customers_but_does_not_change_them(db: TestDb) {
    let api = Api::new(&db);
    let agent = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let id = Uuid::now_v7();
    let fields = NewCustomer {
        name: "王芳".into(),
        phone: "13800138000".into(),
        ..Default::default()
    }
    .fields();
    let create = Change {
        record_type: RecordType::Customer,
        ..change(id, Op::Create { fields })
    };
    let refused = api.push(&qa, std::slice::from_ref(&create)).await;
    assert!(rejected_reason(&refused[0]).zh.contains("质检"), "{refused:?}");
    assert_eq!(api.push(&agent, &[create]).await, [Outcome::Applied]);
    let stored = api.record(&qa, id).await.expect("QA reads the team's customers");
    assert_eq!(Customer::from_record(&stored).unwrap().name, "王芳");
}

async fn an_after_sales_resolution_left_to_a_supervisor_is_agreed_only_by_one(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let lead = api.sign_in("lead").await;
    let packer = api.sign_in("packer").await;
    let supervisor = api.sign_in("supervisor").await;
    let id = Uuid::now_v7();
    let request = NewReturn {
        reason: "missing_item".into(),
        ..new_return("少件 · 小赠品", "SO-20261130-0003", "")
    };
    let create = change(id, Op::Create { fields: request.fields() });
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);
    // A small item the weight cannot tell about, for a customer who refuses a favour: the
    // manual says refund, once the supervisor agrees.
    let entry = |supervisor_agrees| {
        change(id, Op::Append {
            event: Uuid::now_v7(),
            kind: kefu_core::kinds::case::after_sales_situation::event::AFTER_SALES_SITUATION.into(),
            data: json!(SituationEntry {
                situation: Situation::MissingItem,
                answers: Answers {
                    item_value: Some(Fen::from_yuan(1)),
                    weight_checkable: Some(false),
                    difficult_customer: Some(true),
                    ..Answers::default()
                },
                supervisor_agrees,
            }),
        })
    };
    assert_eq!(api.push(&demo, &[entry(false)]).await, [Outcome::Applied]);
    for (who, name) in [(&demo, "agent"), (&lead, "team lead")] {
        let refused = api.push(who, &[entry(true)]).await;
        assert!(rejected_reason(&refused[0]).zh.contains("主管同意"), "{name}: {refused:?}");
    }
    let refused = api.push(&packer, &[entry(false)]).await;
    assert!(rejected_reason(&refused[0]).zh.contains("不能添加"), "{refused:?}");
    let policy = kefu_core::policy::Policy::default_policy();
    let state = |record: &kefu_core::record::Record| {
        case_situation(policy.into(), record).map(|situation| situation.state.as_str())
    };
    assert_eq!(state(&api.record(&demo, id).await.unwrap()), Some("awaiting_supervisor"));
    assert_eq!(api.push(&supervisor, &[entry(true)]).await, [Outcome::Applied]);
    let agreed = api.record(&demo, id).await.unwrap();
    assert_eq!(state(&agreed), Some("resolved"));
    assert_eq!(case_situation(policy.into(), &agreed).unwrap().by, "supervisor");
    // Only a return records a situation.
    let (inquiry, create_inquiry) = create_case("咨询");
    let on_inquiry = Change { record_id: inquiry, ..entry(false) };
    let outcomes = api.push(&demo, &[create_inquiry, on_inquiry]).await;
    assert!(rejected_reason(&outcomes[1]).zh.contains("只有退换货"), "{outcomes:?}");
}
}

fn knowledge(id: Uuid, op: Op) -> Change {
    Change {
        record_type: RecordType::Knowledge,
        ..change(id, op)
    }
}

/// A new knowledge entry's id and the change that creates it.
fn new_entry(personal: bool) -> (Uuid, Change) {
    let id = Uuid::now_v7();
    let fields = NewKnowledge {
        kind: KnowledgeKind::Answer,
        title: "江浙沪运费".into(),
        body: "江浙沪满 59 元包邮。".into(),
        group: "shipping_fee".into(),
        personal,
    }
    .fields();
    (id, knowledge(id, Op::Create { fields }))
}
