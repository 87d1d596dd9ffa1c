//! What concerns one agent's conduct (their banned-phrase incidents, their QA reviews) reaches
//! that agent and those who oversee the team, never the rest of the team: tested by pulling as
//! each of them, the wrong colleague included, and by a colleague's cursor that must start
//! over when they become a lead. QA reviews are QA's, with the policy's weights, and a reply is
//! the reviewed agent's, once. The phone system's call log is imported by leads only. And the shift handover: the team's, written by the desk,
//! acknowledged, never edited.

use crate::common::{Api, add_note, change, create_case, on_both_backends, qa_review_data};
use kefu_core::account::Role;
use kefu_core::account::manage::AccountUpdate;
use kefu_core::figures::calls::answer_rate;
use kefu_core::figures::period::Period;
use kefu_core::kinds::call_log::{call_log_fields, calls_in, parse_csv};
use kefu_core::kinds::case::Case;
use kefu_core::kinds::case::incident::event::BANNED_PHRASE;
use kefu_core::kinds::case::qa_review::event::{QA_REPLY, QA_REVIEW};
use kefu_core::kinds::handover::event::ACKNOWLEDGED;
use kefu_core::kinds::handover::{Handover, NewHandover};
use kefu_core::record::Record;
use kefu_core::record::RecordType;
use kefu_core::sync::{Op, Outcome, PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse};
use kefu_server::demo::DEMO_USERNAME;
use serde_json::json;
use uuid::Uuid;

/// The kinds of the entries `username` receives on case `id`, in timeline order.
async fn entries_seen(api: &Api, username: &str, id: Uuid) -> Vec<String> {
    let token = api.sign_in(username).await;
    let record: Record = api
        .record(&token, id)
        .await
        .expect("the case is the team's");
    record.events.into_iter().map(|event| event.kind).collect()
}

/// A change to handover `id`.
fn handover_change(id: Uuid, op: Op) -> kefu_core::sync::Change {
    kefu_core::sync::Change {
        record_type: kefu_core::record::RecordType::Handover,
        ..change(id, op)
    }
}

on_both_backends! {
async fn an_incident_and_a_review_reach_the_agent_concerned_and_oversight_only(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let (id, create) = create_case("物流咨询");
    let rude = add_note(id, "这个我不知道，你去问快递吧");
    assert_eq!(api.push(&demo, &[create, rude]).await, [Outcome::Applied, Outcome::Applied]);
    let review = change(
        id,
        Op::Append {
            event: Uuid::now_v7(),
            kind: QA_REVIEW.into(),
            data: qa_review_data(DEMO_USERNAME, 3),
        },
    );
    assert_eq!(api.push(&qa, &[review]).await, [Outcome::Applied]);

    let everything = ["note", BANNED_PHRASE, QA_REVIEW];
    for reader in [DEMO_USERNAME, "lead", "qa", "supervisor", "admin"] {
        assert_eq!(entries_seen(&api, reader, id).await, everything, "as {reader}");
    }
    assert_eq!(
        entries_seen(&api, "agent2", id).await,
        ["note"],
        "a colleague sees the case and its note, not the incident or the review"
    );
}

async fn a_colleague_who_becomes_a_lead_receives_what_was_hidden(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let (id, create) = create_case("物流咨询");
    let rude = add_note(id, "这个我不知道，你去问快递吧");
    assert_eq!(api.push(&demo, &[create, rude]).await, [Outcome::Applied, Outcome::Applied]);
    let colleague = api.sign_in("agent2").await;
    let (records, cursor) = api.pull_all(&colleague, None).await;
    let seen = records.iter().find(|record| record.id == id).expect("the case");
    assert!(seen.events.iter().all(|event| event.kind != BANNED_PHRASE));

    let admin = api.sign_in("admin").await;
    let (status, body) = api
        .call(Api::request(
            "PATCH",
            "/api/accounts/agent2",
            Some(&admin),
            serde_json::to_value(AccountUpdate {
                role: Some(Role::TeamLead),
                ..AccountUpdate::default()
            })
            .unwrap(),
        ))
        .await;
    assert!(status.is_success(), "{status} {body}");

    // The record did not change since the colleague's cursor; the new role starts the feed
    // over, so the incident reaches them now.
    let lead = api.sign_in("agent2").await;
    let (records, _) = api.pull_all(&lead, Some(&cursor)).await;
    let seen = records.iter().find(|record| record.id == id).expect("pulled again");
    assert!(seen.events.iter().any(|event| event.kind == BANNED_PHRASE));
}

async fn a_handover_is_the_team_s_acknowledged_never_edited_and_written_by_the_desk(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let id = Uuid::now_v7();
    let new = NewHandover::from_cases("赠品已催仓库，明早回电", "evening", &[] as &[Case], chrono::Utc::now());
    let create = handover_change(id, Op::Create { fields: new.fields() });
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);
    let acknowledge = || {
        handover_change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: ACKNOWLEDGED.into(),
                data: json!({}),
            },
        )
    };

    let qa = api.sign_in("qa").await;
    let (_, qa_writes) = {
        let id = Uuid::now_v7();
        (id, handover_change(id, Op::Create { fields: new.fields() }))
    };
    let west = api.sign_in("west").await;
    let edit = handover_change(
        id,
        Op::Set {
            field: kefu_core::kinds::handover::field::NOTE.into(),
            value: json!("改过的交接"),
            supersedes: vec![],
        },
    );
    for (token, change, who) in [
        (&qa, qa_writes, "QA writes no handover"),
        (&west, acknowledge(), "another team's agent"),
        (&demo, edit, "nobody edits a handover, its writer neither"),
    ] {
        let outcomes = api.push(token, &[change]).await;
        assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "{who}: {outcomes:?}");
    }

    let colleague = api.sign_in("agent2").await;
    assert_eq!(api.push(&colleague, &[acknowledge()]).await, [Outcome::Applied]);
    let lead = api.sign_in("lead").await;
    let stored = api.record(&lead, id).await.expect("the lead reads the team's handover");
    let handover = Handover::from_record(&stored).expect("a handover");
    assert_eq!(handover.by, DEMO_USERNAME);
    assert!(handover.is_acknowledged_by("agent2"));
    assert!(handover.waits_for("lead", chrono::Utc::now()));
    let (seen_by_west, _) = api.pull_all(&west, None).await;
    assert!(seen_by_west.iter().all(|record| record.id != id), "west never receives it");
}

async fn qa_reviews_are_qa_s_and_a_reply_is_the_reviewed_agent_s_once(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let qa = api.sign_in("qa").await;
    let colleague = api.sign_in("agent2").await;
    let (id, create) = create_case("退款进度");
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);
    let review_id = Uuid::now_v7();
    let review = |event: Uuid| {
        change(
            id,
            Op::Append {
                event,
                kind: QA_REVIEW.into(),
                data: qa_review_data(DEMO_USERNAME, 4),
            },
        )
    };
    let reply = |text: &str| {
        change(
            id,
            Op::Append {
                event: Uuid::now_v7(),
                kind: QA_REPLY.into(),
                data: json!({"review": review_id, "text": text}),
            },
        )
    };
    for (token, who) in [(&demo, "the agent"), (&colleague, "a colleague")] {
        let outcomes = api.push(token, &[review(Uuid::now_v7())]).await;
        assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "{who} writes no review");
    }
    let mut sheet_changed = qa_review_data(DEMO_USERNAME, 4);
    sheet_changed["items"][0]["weight"] = json!(99);
    let tampered = change(
        id,
        Op::Append {
            event: Uuid::now_v7(),
            kind: QA_REVIEW.into(),
            data: sheet_changed,
        },
    );
    let outcomes = api.push(&qa, &[tampered, review(review_id)]).await;
    assert!(matches!(outcomes[0], Outcome::Rejected { .. }), "weights are the policy's: {outcomes:?}");
    assert_eq!(outcomes[1], Outcome::Applied);

    let outcomes = api.push(&colleague, &[reply("不是我接的")]).await;
    assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "only the agent reviewed replies");
    assert_eq!(api.push(&demo, &[reply("收到，下次注意")]).await, [Outcome::Applied]);
    let outcomes = api.push(&demo, &[reply("再补充一句")]).await;
    assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "one reply per review");

    assert_eq!(entries_seen(&api, DEMO_USERNAME, id).await, [QA_REVIEW, QA_REPLY]);
    assert_eq!(entries_seen(&api, "lead", id).await, [QA_REVIEW, QA_REPLY]);
    assert!(entries_seen(&api, "agent2", id).await.is_empty(), "a colleague reads neither");
}

async fn only_a_lead_supervisor_or_admin_imports_a_call_log(db: TestDb) {
    let api = Api::new(&db);
    let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let text = "时间,坐席,结果,等待秒数\n2026-12-01 09:30:00,demo,接通,12\n2026-12-01 09:40:00,demo,未接,40\n";
    let calls = parse_csv(text, offset).expect("a call log").calls;
    let import = || {
        let id = Uuid::now_v7();
        kefu_core::sync::Change {
            record_type: kefu_core::record::RecordType::CallLog,
            ..change(id, Op::Create { fields: call_log_fields("12月.csv", &calls) })
        }
    };
    for who in [DEMO_USERNAME, "qa", "packer"] {
        let token = api.sign_in(who).await;
        let outcomes = api.push(&token, &[import()]).await;
        assert!(matches!(outcomes[..], [Outcome::Rejected { .. }]), "{who} imports no call log");
    }
    let lead = api.sign_in("lead").await;
    assert_eq!(api.push(&lead, &[import()]).await, [Outcome::Applied]);
    let (records, _) = api.pull_all(&lead, None).await;
    let held = calls_in(&records);
    assert_eq!(held.len(), 2);
    let december = Period::month(2026, 12, offset).unwrap();
    let rate = answer_rate(&held, DEMO_USERNAME, &december).expect("calls offered");
    assert_eq!((rate.offered, rate.answered), (2, 1));
    let west = api.sign_in("west").await;
    let (seen_by_west, _) = api.pull_all(&west, None).await;
    assert!(calls_in(&seen_by_west).is_empty(), "another team's call log never reaches west");
}

async fn a_device_of_an_older_protocol_is_not_sent_a_handover_until_it_updates(db: TestDb) {
    let api = Api::new(&db);
    let demo = api.sign_in(DEMO_USERNAME).await;
    let id = Uuid::now_v7();
    let new = NewHandover::from_cases("交接", "day", &[] as &[Case], chrono::Utc::now());
    let create = handover_change(id, Op::Create { fields: new.fields() });
    assert_eq!(api.push(&demo, &[create]).await, [Outcome::Applied]);
    let pull = |protocol: u32, cursor: Option<String>| {
        let uri = match &cursor {
            Some(cursor) => format!("/api/sync/pull?cursor={cursor}"),
            None => "/api/sync/pull".to_owned(),
        };
        let mut request = Api::request("GET", &uri, Some(&demo), serde_json::Value::Null);
        request
            .headers_mut()
            .insert(PROTOCOL_HEADER, protocol.to_string().parse().unwrap());
        api.call(request)
    };
    let (status, old) = pull(2, None).await;
    assert!(status.is_success(), "{status} {old}");
    let old: PullResponse = serde_json::from_value(old).unwrap();
    assert!(!old.more);
    assert!(old.records.iter().any(|record| record.record_type == RecordType::Case));
    assert!(
        old.records.iter().all(|record| record.record_type != RecordType::Handover),
        "a device of protocol 2 could not decode a handover"
    );
    // Updated, the same device's cursor starts the feed over, and the handover comes.
    let (_, updated) = pull(PROTOCOL_VERSION, Some(old.cursor)).await;
    let updated: PullResponse = serde_json::from_value(updated).unwrap();
    assert!(updated.records.iter().any(|record| record.id == id));
}
}
