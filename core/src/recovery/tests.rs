//! The receipts a device sends back rebuild what it holds, and the server takes back only
//! what every rule allows.

use super::*;
use crate::account::Role;
use crate::hlc::Hlc;
use crate::record::{RecordType, apply_all};
use chrono::TimeZone;
use proptest::prelude::*;
use serde_json::json;

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
    let long = receipt(
        6,
        "demo",
        Op::Set {
            field: "title".into(),
            value: json!("长".repeat(10_001)),
            supersedes: vec![],
        },
    );
    let stored_west = Record::empty(RecordType::Case, RECORD, "west");
    let stored_parcel = Record::empty(RecordType::Parcel, RECORD, "east");
    let agent = user(Role::Agent, "east");
    let now = at(40);
    let much_later = at(30) + Duration::days(RECOVERY_WINDOW_DAYS) + Duration::minutes(1);
    type Case<'a> = (
        &'a str,
        UserInfo,
        bool,
        Option<&'a Record>,
        &'a Receipt,
        &'a Epoch,
        DateTime<Utc>,
        Option<RecoveryRefused>,
    );
    let table: Vec<Case> = vec![
        (
            "taken",
            agent.clone(),
            true,
            None,
            &note,
            &restored,
            now,
            None,
        ),
        (
            "an admin sees every team",
            user(Role::Admin, "hq"),
            true,
            None,
            &note,
            &restored,
            now,
            None,
        ),
        (
            "never restored",
            agent.clone(),
            true,
            None,
            &note,
            &never,
            now,
            Some(RecoveryRefused::NotRestored),
        ),
        (
            "window closed",
            agent.clone(),
            true,
            None,
            &note,
            &restored,
            much_later,
            Some(RecoveryRefused::WindowClosed),
        ),
        (
            "after the restore",
            agent.clone(),
            true,
            None,
            &late,
            &restored,
            now,
            Some(RecoveryRefused::AfterRestore),
        ),
        (
            "a team the sender cannot read",
            user(Role::Agent, "west"),
            true,
            None,
            &note,
            &restored,
            now,
            Some(RecoveryRefused::OtherTeam),
        ),
        (
            "not the stored record's team",
            agent.clone(),
            true,
            Some(&stored_west),
            &note,
            &restored,
            now,
            Some(RecoveryRefused::OtherTeam),
        ),
        (
            "not the stored record's type",
            agent.clone(),
            true,
            Some(&stored_parcel),
            &note,
            &restored,
            now,
            Some(RecoveryRefused::OtherTeam),
        ),
        (
            "no such author",
            agent.clone(),
            false,
            None,
            &note,
            &restored,
            now,
            Some(RecoveryRefused::UnknownAuthor),
        ),
    ];
    for (name, caller, author_exists, existing, sent, epoch, now, refused) in table {
        let decided = accept_recovered(&caller, author_exists, existing, sent, epoch, now);
        match refused {
            None => {
                let record = decided.unwrap_or_else(|why| panic!("{name}: {why:?}"));
                assert!(record.contains_change(sent.change.change_id), "{name}");
                assert_eq!(
                    record.events[0].origin.by, "lead",
                    "{name}: its author kept"
                );
            }
            Some(refused) => assert_eq!(decided.unwrap_err(), refused, "{name}"),
        }
    }
    let too_long = accept_recovered(&agent, true, None, &long, &restored, now).unwrap_err();
    assert!(matches!(too_long, RecoveryRefused::Invalid(_)));
    assert!(
        too_long.message().en.contains("title"),
        "{:?}",
        too_long.message()
    );
}
