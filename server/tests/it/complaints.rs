//! The complaint script, escalations and callbacks as the server enforces them, each refusal
//! made by calling the API directly as the wrong user: a step without its required fields or
//! out of order, a step by QA or a packer, a supervisor's decision by an agent or a lead, an
//! escalation on another team's case; and an escalation's deadline counted from the device's
//! stamp, whenever it syncs; a complaint's lesson proposed by an agent only as a draft, which
//! only a lead approves. And a policy an older server stored gains the scripts at start.

use crate::common::{Api, change, on_both_backends};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::callback::{Satisfaction, callbacks, event as callback_event};
use kefu_core::kinds::case::escalation::{escalations, event as escalation_event};
use kefu_core::kinds::case::incident::incidents;
use kefu_core::kinds::case::script_steps::{event::SCRIPT_STEP, steps_done};
use kefu_core::kinds::case::{CaseKind, NewCase};
use kefu_core::kinds::knowledge::{
    Knowledge, KnowledgeKind, NewKnowledge, field as knowledge_field,
};
use kefu_core::policy::{POLICY_DATA_FIELD, POLICY_RECORD_ID, Policy};
use kefu_core::record::{Receipt, Record, RecordType, SHARED_TEAM, apply};
use kefu_core::rules::script::{ScriptPolicy, StepRecord};
use kefu_core::rules::working_hours::{ReplyPromise, WorkingClock};
use kefu_core::sync::{Change, Op, Outcome};
use kefu_server::demo::DEMO_USERNAME;
use kefu_server::policy::{current_policy, ensure_policy};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

fn rejected(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Rejected { reason } => reason.zh.clone(),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn new_complaint() -> (Uuid, Change) {
    let id = Uuid::now_v7();
    let fields = NewCase {
        kind: CaseKind::Complaint,
        title: "快递三天未到".into(),
        customer_name: "投诉客户".into(),
        customer_phone: "13800000001".into(),
        order_number: Some("SO-2001".into()),
    }
    .fields();
    (id, change(id, Op::Create { fields }))
}

fn entry(case: Uuid, kind: &str, data: Value) -> Change {
    change(
        case,
        Op::Append {
            event: Uuid::now_v7(),
            kind: kind.into(),
            data,
        },
    )
}

/// Step `index` of the default complaint script with `values`.
fn step(case: Uuid, index: usize, values: Value) -> Change {
    let policy = ScriptPolicy::from(Policy::default_policy());
    let script = policy.latest("complaint").unwrap();
    let values: BTreeMap<String, Value> = serde_json::from_value(values).unwrap();
    let record = StepRecord::new(script, &script.steps[index], values);
    entry(case, SCRIPT_STEP, serde_json::to_value(record).unwrap())
}

fn listen(case: Uuid) -> Change {
    step(
        case,
        0,
        json!({"mindset": "vent", "facts": "下单三天还没发货"}),
    )
}

on_both_backends! {
async fn a_policy_stored_by_an_older_server_gains_the_scripts_and_keeps_the_shop_s_lists(db: TestDb) {
    let store = db.state.db.as_ref();
    let stored = store.record(POLICY_RECORD_ID).await.unwrap().unwrap();
    let field = &stored.fields[POLICY_DATA_FIELD];
    // What an older server stored: no scripts or escalation reasons, a channel the shop renamed.
    let mut older = field.current.value.clone();
    older.as_object_mut().unwrap().remove("scripts");
    older.as_object_mut().unwrap().remove("escalation_reasons");
    older["channels"][0]["zh"] = json!("本店电话");
    let write = change(POLICY_RECORD_ID, Op::Set {
        field: POLICY_DATA_FIELD.into(),
        value: older,
        supersedes: field.version_ids(),
    });
    let write = Change { record_type: RecordType::Policy, ..write };
    let now = chrono::Utc::now();
    let as_stored = |existing: Option<&Record>, change: &Change| {
        Ok(apply(existing.cloned(), &Receipt::on_server(change.clone(), "system", SHARED_TEAM, now)))
    };
    store.apply_batch("system", &[write], &as_stored, now).await.unwrap();
    assert!(current_policy(store).await.unwrap().channels[0].zh != "本店电话", "unreadable: the default stands in");

    // The next start completes it, as a version every device pulls.
    ensure_policy(store).await.unwrap();
    let policy = current_policy(store).await.unwrap();
    assert_eq!(policy.channels[0].zh, "本店电话");
    assert_eq!(policy.scripts, Policy::default_policy().scripts);
    assert_eq!(policy.escalation_reasons.len(), 4);
    // A second start has nothing to add.
    let version = store.record(POLICY_RECORD_ID).await.unwrap().unwrap().fields[POLICY_DATA_FIELD].current.origin.change;
    ensure_policy(store).await.unwrap();
    let again = store.record(POLICY_RECORD_ID).await.unwrap().unwrap().fields[POLICY_DATA_FIELD].current.origin.change;
    assert_eq!(again, version);
}

async fn a_complaint_step_needs_its_fields_its_turn_and_a_desk_role(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = new_complaint();
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);

    let without_facts = step(id, 0, json!({"mindset": "vent"}));
    let out_of_order = step(id, 1, json!({"need": "safe", "guiding_answers": "希望今天发出"}));
    let outcomes = api.push(&demo, &[without_facts, out_of_order]).await;
    assert_eq!(rejected(&outcomes[0]), "请填写“事实经过”");
    assert!(rejected(&outcomes[1]).contains("下一步是“倾听认知”"), "{outcomes:?}");

    // QA reads and reviews but completes no step; a packer has no script at all.
    for username in ["qa", "packer"] {
        let user = api.sign_in(username).await;
        let outcome = api.push(&user, &[listen(id)]).await;
        assert!(rejected(&outcome[0]).contains("您的角色不能添加“script_step”"), "{username}: {outcome:?}");
    }
    assert!(steps_done(&api.record(&demo, id).await.unwrap()).is_empty());

    // The agent runs the first step, the team lead the second; the agent stays the owner.
    assert_eq!(api.push(&demo, &[listen(id)]).await, [Outcome::Applied]);
    let lead = api.sign_in("lead").await;
    let guide = step(id, 1, json!({"need": "safe", "guiding_answers": "希望今天发出"}));
    assert_eq!(api.push(&lead, &[guide]).await, [Outcome::Applied]);
    // What the customer hears is checked for banned phrases: kept, with an incident.
    let clarify = step(id, 2, json!({
        "fault": "shop", "solutions": "今天补发", "summary": "我不知道为什么没发，今天给您补发", "agreed": true
    }));
    assert_eq!(api.push(&demo, &[clarify]).await, [Outcome::Applied]);
    let stored = api.record(&demo, id).await.unwrap();
    let done = steps_done(&stored);
    let steps: Vec<(&str, &str)> = done.iter().map(|(record, origin)| (record.step.as_str(), origin.by.as_str())).collect();
    assert_eq!(steps, [("listen", DEMO_USERNAME), ("guide", "lead"), ("clarify", DEMO_USERNAME)]);
    assert_eq!(stored.created.as_ref().unwrap().by, DEMO_USERNAME);
    let found = incidents(&stored);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].phrases, ["我不知道"]);
    // A step done twice (two devices offline) is refused the second time.
    let again = step(id, 2, json!({"fault": "shop", "solutions": "补发", "summary": "给您补发", "agreed": true}));
    assert!(rejected(&api.push(&demo, &[again]).await[0]).contains("下一步是“解决感谢”"));
}

async fn only_a_supervisor_decides_an_escalation_whose_deadline_counts_from_the_device(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = new_complaint();
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);

    // Escalated on the device two hours ago, synced only now.
    let two_hours_ago = chrono::Utc::now() - chrono::TimeDelta::hours(2);
    let mut escalate = entry(id, escalation_event::ESCALATION, json!({
        "reason": "customer_demands_leader", "note": "客户要求主管回电", "promise": "half_working_day"
    }));
    escalate.stamp = Hlc::new(two_hours_ago.timestamp_millis(), 0);
    let escalation_id = match &escalate.op { Op::Append { event, .. } => *event, _ => unreachable!() };
    assert_eq!(api.push(&demo, &[escalate]).await, [Outcome::Applied]);
    let stored = api.record(&demo, id).await.unwrap();
    let found = escalations(&stored);
    let acted = chrono::DateTime::from_timestamp_millis(two_hours_ago.timestamp_millis()).unwrap();
    assert_eq!(found[0].acted_at, acted);
    assert_eq!(
        found[0].deadline(&Policy::default_policy().working_hours),
        WorkingClock::new(Policy::default_policy()).reply_deadline(acted, ReplyPromise::HalfWorkingDay)
    );

    // Another team's agent may not escalate this team's case.
    let west = api.sign_in("west").await;
    let foreign = entry(id, escalation_event::ESCALATION, json!({
        "reason": "high_value", "note": "西区上报", "promise": "half_working_day"
    }));
    assert!(rejected(&api.push(&west, &[foreign]).await[0]).contains("其他小组"));

    let decide = || entry(id, escalation_event::ESCALATION_DECISION, json!({
        "escalation": escalation_id, "coordinated": "与仓储部确认", "decision": "今天补发并致电客户"
    }));
    for username in [DEMO_USERNAME, "lead", "qa"] {
        let user = api.sign_in(username).await;
        let outcome = api.push(&user, &[decide()]).await;
        assert!(rejected(&outcome[0]).contains("escalation_decision"), "{username}: {outcome:?}");
    }
    // The first answer within five minutes is the supervisor's too.
    let first_reply = || entry(id, escalation_event::ESCALATION_REPLY, json!({
        "escalation": escalation_id, "reply": "收到，马上协调"
    }));
    assert!(rejected(&api.push(&demo, &[first_reply()]).await[0]).contains("escalation_reply"));
    let supervisor = api.sign_in("supervisor").await;
    assert_eq!(api.push(&supervisor, &[first_reply()]).await, [Outcome::Applied]);
    assert_eq!(api.push(&supervisor, &[decide()]).await, [Outcome::Applied]);
    // The owner reads the decision on the case.
    let stored = api.record(&demo, id).await.unwrap();
    let answer = escalations(&stored)[0].decision.clone().unwrap();
    assert_eq!((answer.decision.as_str(), answer.by.as_str()), ("今天补发并致电客户", "supervisor"));
    assert!(rejected(&api.push(&supervisor, &[decide()]).await[0]).contains("已有主管决定"));
}

async fn an_agent_proposes_a_complaint_s_lesson_as_a_draft_that_only_a_lead_approves(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let entry_id = Uuid::now_v7();
    let lesson = |draft: Option<bool>| {
        let mut fields = NewKnowledge {
            kind: KnowledgeKind::Answer,
            title: "物流慢的投诉".into(),
            body: "先道歉，再加急补发".into(),
            group: "other".into(),
            personal: false,
        }
        .fields();
        if let Some(draft) = draft {
            fields.insert(knowledge_field::DRAFT.into(), json!(draft));
        }
        let create = change(entry_id, Op::Create { fields });
        Change { record_type: RecordType::Knowledge, ..create }
    };
    // Not as a finished team entry, nor as one "approved" at creation: only as a draft.
    for draft in [None, Some(false)] {
        assert!(rejected(&api.push(&demo, &[lesson(draft)]).await[0]).contains("组长"), "{draft:?}");
    }
    assert_eq!(api.push(&demo, &[lesson(Some(true))]).await, [Outcome::Applied]);
    let stored = api.record(&demo, entry_id).await.unwrap();
    assert!(Knowledge::from_record(&stored).unwrap().draft);
    let approve = |record: &Record| {
        let set = change(entry_id, Op::Set {
            field: knowledge_field::DRAFT.into(),
            value: json!(false),
            supersedes: record.fields[knowledge_field::DRAFT].version_ids(),
        });
        Change { record_type: RecordType::Knowledge, ..set }
    };
    assert!(rejected(&api.push(&demo, &[approve(&stored)]).await[0]).contains("组长"));
    let lead = api.sign_in("lead").await;
    assert_eq!(api.push(&lead, &[approve(&stored)]).await, [Outcome::Applied]);
    let approved = api.record(&demo, entry_id).await.unwrap();
    assert!(!Knowledge::from_record(&approved).unwrap().draft);
}

async fn a_callback_is_answered_once_with_a_satisfaction_score(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = new_complaint();
    let plan = entry(id, callback_event::CALLBACK_PLANNED, json!({"due": "2026-12-08T02:00:00Z", "note": "回访处理结果"}));
    let plan_id = match &plan.op { Op::Append { event, .. } => *event, _ => unreachable!() };
    assert_eq!(api.push(&demo, &[create, plan]).await, [Outcome::Applied, Outcome::Applied]);
    let answer = |score: u8| entry(id, callback_event::CALLBACK_MADE, json!({"callback": plan_id, "satisfaction": score, "comment": "还是太慢"}));
    assert!(rejected(&api.push(&demo, &[answer(9)]).await[0]).contains("满意度须为 1 到 5"));
    let packer = api.sign_in("packer").await;
    assert!(rejected(&api.push(&packer, &[answer(2)]).await[0]).contains("callback_made"));
    let supervisor = api.sign_in("supervisor").await;
    assert_eq!(api.push(&supervisor, &[answer(2)]).await, [Outcome::Applied]);
    assert!(rejected(&api.push(&demo, &[answer(5)]).await[0]).contains("已经做过"));
    let stored = api.record(&demo, id).await.unwrap();
    let made = callbacks(&stored);
    assert_eq!(made[0].satisfaction(), Some(Satisfaction::Dissatisfied));
    assert_eq!(made[0].made.as_ref().unwrap().by, "supervisor");
}
}
