//! The receipts a device sends back rebuild what it holds, and the server takes back only
//! what every rule allows.

use super::*;
use crate::account::Role;
use crate::hlc::Hlc;
use crate::record::{RecordType, apply_all};
use chrono::TimeZone;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

const RECORD: Uuid = Uuid::from_u128(0xCA5E);
const FIELDS: [&str; 3] = ["title", "status", "note"];
const PEOPLE: [&str; 2] = ["demo", "lead"];

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, minute % 60, 0)
        .unwrap()
}

fn receipt(n: u128, by: &str, op: Op) -> Receipt {
    Receipt {
        change: Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(9),
            stamp: Hlc::new(n as i64 * 10, 0),
            record_type: RecordType::Case,
            record_id: RECORD,
            op,
        },
        by: by.into(),
        team: "east".into(),
        at: at(n as u32),
    }
}

/// One write of a random history: which op, on which field, by whom, superseding which.
#[derive(Debug, Clone)]
struct Step {
    op: u8,
    field: usize,
    person: usize,
    supersedes: Vec<prop::sample::Index>,
}

fn arb_history() -> impl Strategy<Value = Vec<Receipt>> {
    let step = (
        0u8..10,
        0..FIELDS.len(),
        0..PEOPLE.len(),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    )
        .prop_map(|(op, field, person, supersedes)| Step {
            op,
            field,
            person,
            supersedes,
        });
    prop::collection::vec(step, 0..20).prop_map(|steps| {
        let mut receipts = vec![receipt(
            1,
            "demo",
            Op::Create {
                fields: BTreeMap::from([
                    ("title".to_owned(), json!("茶叶破损")),
                    ("status".to_owned(), json!("open")),
                ]),
            },
        )];
        for (offset, step) in steps.into_iter().enumerate() {
            let n = offset as u128 + 2;
            let op = match step.op {
                0..=5 => Op::Set {
                    field: FIELDS[step.field].into(),
                    value: json!(format!("v{n}")),
                    supersedes: step
                        .supersedes
                        .iter()
                        .map(|pick| Uuid::from_u128(pick.index(n as usize - 1) as u128 + 1))
                        .collect(),
                },
                6..=8 => Op::Append {
                    event: Uuid::from_u128(1000 + n),
                    kind: "note".into(),
                    data: json!({ "body": format!("note {n}") }),
                },
                _ => Op::Delete,
            };
            receipts.push(receipt(n, PEOPLE[step.person], op));
        }
        receipts
    })
}

/// Every change id a record holds, anywhere in it.
fn held_changes(record: &Record) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = held_receipts(record)
        .iter()
        .map(|receipt| receipt.change.change_id)
        .collect();
    ids.sort();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A server that lost everything gets back exactly what the device shows; one that lost
    /// only the later changes gets the same; one that lost nothing is not changed.
    #[test]
    fn what_a_device_sends_back_rebuilds_what_it_holds(
        (history, kept) in arb_history().prop_flat_map(|history| {
            let len = history.len();
            (Just(history), 0..=len)
        })
    ) {
        let held = apply_all(None, &history).expect("a created record");
        let sent = held_receipts(&held);
        let rebuilt = apply_all(None, &sent).expect("a created record");
        prop_assert_eq!(&rebuilt, &held);
        let behind = apply_all(None, &history[..kept]);
        prop_assert_eq!(apply_all(behind, &sent), Some(held.clone()));
        prop_assert_eq!(apply_all(Some(held.clone()), &sent), Some(held.clone()));
        for id in held_changes(&held) {
            prop_assert!(held.contains_change(id));
        }
    }
}

#[test]
fn a_never_restored_record_sends_nothing_it_does_not_hold() {
    let record = apply_all(
        None,
        &[
            receipt(
                1,
                "demo",
                Op::Create {
                    fields: BTreeMap::from([("title".to_owned(), json!("a"))]),
                },
            ),
            receipt(
                2,
                "lead",
                Op::Append {
                    event: Uuid::from_u128(50),
                    kind: "note".into(),
                    data: json!({ "body": "x" }),
                },
            ),
            receipt(3, "demo", Op::Delete),
        ],
    )
    .unwrap();
    let sent = held_receipts(&record);
    let ids: Vec<u128> = sent.iter().map(|r| r.change.change_id.as_u128()).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(sent[1].by, "lead");
    assert_eq!(sent[1].at, at(2));
    assert_eq!(sent[1].team, "east");
}

#[test]
fn a_device_sends_back_only_after_a_restore_it_did_not_see() {
    let table = [
        (None, "e1", false),
        (Some("e1"), "e1", false),
        (Some("e1"), "e2", true),
        (Some("e1"), "", false),
    ];
    for (held, answered, restored) in table {
        assert_eq!(
            restored_since(held, answered),
            restored,
            "{held:?} {answered}"
        );
    }
}

fn user(role: Role, team: &str) -> UserInfo {
    UserInfo {
        username: "someone".into(),
        display_name: String::new(),
        role,
        team: team.into(),
    }
}

/// One row of the server's decision table: who sends what, by whom, and what is answered.
struct Row<'a> {
    name: &'a str,
    caller: UserInfo,
    author: Option<UserInfo>,
    existing: Option<&'a Record>,
    sent: &'a Receipt,
    epoch: &'a Epoch,
    now: DateTime<Utc>,
    refused: Option<RecoveryRefused>,
}

#[test]
fn the_server_takes_back_only_what_every_rule_allows() {
    let restored = Epoch {
        id: "e2".into(),
        restored_at: Some(at(30)),
    };
    let never = Epoch {
        id: "e1".into(),
        restored_at: None,
    };
    let stored = apply_all(
        None,
        &[receipt(
            1,
            "demo",
            Op::Create {
                fields: BTreeMap::from([("title".to_owned(), json!("茶叶破损"))]),
            },
        )],
    )
    .unwrap();
    let note = receipt(
        5,
        "lead",
        Op::Append {
            event: Uuid::from_u128(60),
            kind: "note".into(),
            data: json!({ "body": "客户已回电" }),
        },
    );
    let late = Receipt {
        at: at(31),
        ..note.clone()
    };
    let on_nothing = receipt(
        7,
        "demo",
        Op::Set {
            field: "title".into(),
            value: json!("无处可改"),
            supersedes: vec![],
        },
    );
    let stored_west = Record::empty(RecordType::Case, RECORD, "west");
    let stored_parcel = Record::empty(RecordType::Parcel, RECORD, "east");
    let agent = user(Role::Agent, "east");
    let lead = Some(user(Role::TeamLead, "east"));
    let now = at(40);
    let much_later = at(30) + Duration::days(RECOVERY_WINDOW_DAYS) + Duration::minutes(1);
    let row = |name, caller: &UserInfo, sent| Row {
        name,
        caller: caller.clone(),
        author: lead.clone(),
        existing: Some(&stored),
        sent,
        epoch: &restored,
        now,
        refused: None,
    };
    let table = vec![
        row("taken", &agent, &note),
        Row {
            caller: user(Role::Admin, "hq"),
            ..row("an admin sees every team", &agent, &note)
        },
        Row {
            epoch: &never,
            refused: Some(RecoveryRefused::NotRestored),
            ..row("never restored", &agent, &note)
        },
        Row {
            now: much_later,
            refused: Some(RecoveryRefused::WindowClosed),
            ..row("window closed", &agent, &note)
        },
        Row {
            refused: Some(RecoveryRefused::AfterRestore),
            ..row("after the restore", &agent, &late)
        },
        Row {
            refused: Some(RecoveryRefused::OtherTeam),
            ..row(
                "a team the sender cannot read",
                &user(Role::Agent, "west"),
                &note,
            )
        },
        Row {
            existing: Some(&stored_west),
            refused: Some(RecoveryRefused::OtherTeam),
            ..row("not the stored record's team", &agent, &note)
        },
        Row {
            existing: Some(&stored_parcel),
            refused: Some(RecoveryRefused::OtherTeam),
            ..row("not the stored record's type", &agent, &note)
        },
        Row {
            author: None,
            refused: Some(RecoveryRefused::UnknownAuthor),
            ..row("no such author", &agent, &note)
        },
    ];
    for row in table {
        let decided = accept_recovered(
            &row.caller,
            row.author.as_ref(),
            row.existing,
            row.sent,
            row.epoch,
            row.now,
        );
        match row.refused {
            None => {
                let record = decided.unwrap_or_else(|why| panic!("{}: {why:?}", row.name));
                assert!(
                    record.contains_change(row.sent.change.change_id),
                    "{}",
                    row.name
                );
                let taken = record
                    .events
                    .iter()
                    .find(|e| e.origin.change == row.sent.change.change_id);
                assert_eq!(
                    taken.unwrap().origin.by,
                    "lead",
                    "{}: its author kept",
                    row.name
                );
            }
            Some(refused) => assert_eq!(decided.unwrap_err(), refused, "{}", row.name),
        }
    }
    // Refused as a push would refuse it: a change on a record the server does not hold, or
    // one its author's role may not make, or the sender's may not.
    let missing = accept_recovered(&agent, lead.as_ref(), None, &on_nothing, &restored, now);
    assert!(
        matches!(missing, Err(RecoveryRefused::Invalid(_))),
        "{missing:?}"
    );
    let retitle = receipt(
        9,
        "demo",
        Op::Set {
            field: "title".into(),
            value: json!("改过的标题"),
            supersedes: vec![],
        },
    );
    let qa = user(Role::Qa, "east");
    let by_qa = accept_recovered(&agent, Some(&qa), Some(&stored), &retitle, &restored, now);
    assert!(
        matches!(by_qa, Err(RecoveryRefused::NotAllowed(_))),
        "QA edits no case: {by_qa:?}"
    );
    let packer = user(Role::Packer, "east");
    let sent_by_packer = accept_recovered(
        &packer,
        lead.as_ref(),
        Some(&stored),
        &retitle,
        &restored,
        now,
    );
    assert!(
        matches!(sent_by_packer, Err(RecoveryRefused::NotAllowed(_))),
        "a packer edits no case, not even in a lead's name: {sent_by_packer:?}"
    );
    assert!(
        accept_recovered(
            &agent,
            lead.as_ref(),
            Some(&stored),
            &retitle,
            &restored,
            now
        )
        .is_ok()
    );
    let long = receipt(
        6,
        "demo",
        Op::Set {
            field: "title".into(),
            value: json!("长".repeat(10_001)),
            supersedes: vec![],
        },
    );
    let too_long =
        accept_recovered(&agent, lead.as_ref(), Some(&stored), &long, &restored, now).unwrap_err();
    assert!(matches!(too_long, RecoveryRefused::Invalid(_)));
    assert!(
        too_long.message().en.contains("title"),
        "{:?}",
        too_long.message()
    );
    // A stamp from the far future is clamped, as a push's is: it cannot win every later edit.
    let mut ahead = receipt(
        8,
        "demo",
        Op::Set {
            field: "title".into(),
            value: json!("未来"),
            supersedes: vec![],
        },
    );
    ahead.change.stamp = Hlc::new(now.timestamp_millis() + 365 * 86_400_000, 0);
    let taken =
        accept_recovered(&agent, lead.as_ref(), Some(&stored), &ahead, &restored, now).unwrap();
    assert!(
        taken.fields["title"].current.origin.stamp.wall_ms
            <= now.timestamp_millis() + crate::hlc::CLAMP_TOLERANCE_MS
    );
}

#[test]
fn what_is_sent_back_goes_in_bounded_requests_that_say_where_to_resume() {
    let record = |n: u128, notes: u128| {
        let create = Receipt {
            change: Change {
                record_id: Uuid::from_u128(n),
                ..receipt(
                    n * 100,
                    "demo",
                    Op::Create {
                        fields: BTreeMap::new(),
                    },
                )
                .change
            },
            ..receipt(n * 100, "demo", Op::Delete)
        };
        let mut receipts = vec![create];
        for i in 1..=notes {
            let mut note = receipt(
                n * 100 + i,
                "demo",
                Op::Append {
                    event: Uuid::from_u128(n * 1000 + i),
                    kind: "note".into(),
                    data: json!({ "body": i.to_string() }),
                },
            );
            note.change.record_id = Uuid::from_u128(n);
            receipts.push(note);
        }
        apply_all(None, &receipts).unwrap()
    };
    // Records 1, 2 and 3 hold 3 receipts, 6, then 2: in requests of at most 4.
    let records = vec![record(3, 1), record(1, 2), record(2, 5)];
    let plan = plan_send_back(&records, None, 4);
    let sizes: Vec<usize> = plan.iter().map(|part| part.receipts.len()).collect();
    let through: Vec<Option<u128>> = plan
        .iter()
        .map(|part| part.through.map(|id| id.as_u128()))
        .collect();
    // Record 2's six go in two requests: the first says only record 1 is done.
    assert_eq!(sizes, [3, 4, 4]);
    assert_eq!(through, [Some(1), Some(1), Some(3)]);
    let sent: usize = sizes.iter().sum();
    assert_eq!(
        sent,
        records
            .iter()
            .map(|r| held_receipts(r).len())
            .sum::<usize>()
    );
    // Resumed after record 2: only record 3 is left.
    let resumed = plan_send_back(&records, Some(Uuid::from_u128(2)), 4);
    assert_eq!(resumed.len(), 1);
    assert!(
        resumed[0]
            .receipts
            .iter()
            .all(|r| r.change.record_id == Uuid::from_u128(3))
    );
    assert!(plan_send_back(&records, Some(Uuid::from_u128(3)), 4).is_empty());
}

#[test]
fn a_request_sent_back_is_answered_once_every_change_has_its_answer() {
    use crate::sync::{ChangeOutcome, Outcome, PushResponse};
    let sent = [
        receipt(1, "demo", Op::Delete),
        receipt(2, "demo", Op::Delete),
        receipt(3, "demo", Op::Delete),
    ];
    let reason = Bilingual::new("不行", "no");
    let answer = |n: u128, outcome: Outcome| ChangeOutcome {
        change_id: Uuid::from_u128(n),
        outcome,
    };
    let waiting = Outcome::Waiting {
        reason: Bilingual::new("等待照片", "waiting for a photo"),
    };
    let refused = Outcome::Rejected {
        reason: reason.clone(),
    };
    let all = PushResponse {
        outcomes: vec![
            answer(1, Outcome::Applied),
            answer(2, waiting.clone()),
            answer(3, refused.clone()),
        ],
    };
    assert_eq!(
        answered_send_back(&sent, &all),
        Some(vec![(Uuid::from_u128(3), reason)])
    );
    let cut_short = PushResponse {
        outcomes: vec![answer(1, Outcome::Duplicate), answer(2, waiting)],
    };
    assert_eq!(answered_send_back(&sent, &cut_short), None);
    // An answer for a change not sent counts for nothing.
    let stray = PushResponse {
        outcomes: vec![
            answer(1, Outcome::Applied),
            answer(2, Outcome::Applied),
            answer(9, refused),
        ],
    };
    assert_eq!(answered_send_back(&sent, &stray), None);
}
