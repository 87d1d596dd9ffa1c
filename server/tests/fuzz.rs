//! A bounded fuzz of what the server decides on input nobody vetted (issue 29, must-show 3):
//! the push decoder (`sync::decode_changes`) on arbitrary bytes and on valid changes damaged at
//! random, and the plan of a push (`db::batch::plan_batch`, deciding each change by `accept`,
//! which authorizes, validates, stamps and merges) on arbitrary changes by arbitrary users
//! against stored records. Nothing may panic; every change sent gets its answer; a record no
//! change of the push was applied to is not written (a refused change leaves the stored record
//! as it was); a written record keeps its id, type and team; and the same push sent again is
//! all duplicates and writes nothing. It runs for a fixed time (`KEFU_FUZZ_SECONDS`, 20 by
//! default) and prints how many cases it ran.

use chrono::{DateTime, TimeZone, Utc};
use kefu_core::accept::accept;
use kefu_core::account::{Role, UserInfo};
use kefu_core::hlc::Hlc;
use kefu_core::kinds::case::{CaseKind, NewCase, event, field, note_data};
use kefu_core::policy::Policy;
use kefu_core::record::{Record, RecordType};
use kefu_core::sync::{Change, Op, Outcome};
use kefu_server::db::Decide;
use kefu_server::db::batch::plan_batch;
use kefu_server::sync::decode_changes;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};
use uuid::Uuid;

const RECORD_TYPES: [RecordType; 8] = [
    RecordType::Case,
    RecordType::Policy,
    RecordType::Customer,
    RecordType::Knowledge,
    RecordType::Parcel,
    RecordType::Handover,
    RecordType::CallLog,
    RecordType::DailyReport,
];
/// Names the kinds know, so that damaged changes reach their checks, and some they do not.
const NAMES: [&str; 16] = [
    field::KIND,
    field::TITLE,
    field::CUSTOMER_NAME,
    field::CUSTOMER_PHONE,
    field::ORDER_NUMBER,
    field::STATUS,
    event::NOTE,
    "body",
    "photos",
    "hash",
    "bytes",
    "tracking",
    "data",
    "pin",
    "__proto__",
    "",
];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn user(role: Role, team: &str, username: &str) -> UserInfo {
    UserInfo {
        username: username.into(),
        display_name: username.into(),
        role,
        team: team.into(),
    }
}

/// Record `n` of the fuzz: the first two are cases stored in two teams, the rest unknown.
fn record_id(n: u8) -> Uuid {
    Uuid::from_u128(0x1000 + u128::from(n % 4))
}

fn stored_cases(policy: &Policy) -> HashMap<Uuid, Record> {
    [(0, "east"), (1, "west")]
        .into_iter()
        .map(|(n, team)| {
            let fields = NewCase {
                kind: CaseKind::Inquiry,
                title: format!("案件 {n}"),
                customer_name: "客户".into(),
                customer_phone: "13800000000".into(),
                order_number: None,
            }
            .fields();
            let create = Change {
                change_id: Uuid::from_u128(0x2000 + n),
                device: Uuid::from_u128(1),
                stamp: Hlc::new(1_700_000_000_000, 0),
                record_type: RecordType::Case,
                record_id: record_id(n as u8),
                op: Op::Create { fields },
            };
            let agent = user(Role::Agent, team, "seed");
            let record = accept(&agent, None, create, now(), policy).expect("a valid case");
            (record.id, record)
        })
        .collect()
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|number| json!(number)),
        "\\PC{0,24}".prop_map(Value::from),
        prop::sample::select(&["closed", "open", "inquiry", "13800000000", "催什么催"][..])
            .prop_map(Value::from),
        (1usize..3).prop_map(|n| Value::from("长".repeat(n * 6_000))),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(name(), inner, 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(&NAMES[..]).prop_map(String::from),
        "[a-z_]{1,10}",
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => prop::collection::btree_map(name(), json_value(), 0..7)
            .prop_map(|fields| Op::Create { fields }),
        1 => (
            name(),
            json_value(),
            prop::collection::vec(any::<u128>(), 0..3)
        )
            .prop_map(|(field, value, supersedes)| Op::Set {
                field,
                value,
                supersedes: supersedes.into_iter().map(Uuid::from_u128).collect(),
            }),
        1 => (any::<u128>(), name(), json_value()).prop_map(|(event, kind, data)| Op::Append {
            event: Uuid::from_u128(event),
            kind,
            data,
        }),
        // Mostly what devices send, so changes get past the first checks to the merge.
        3 => ("\\PC{0,40}", any::<u128>()).prop_map(|(body, event)| Op::Append {
            event: Uuid::from_u128(event),
            kind: event::NOTE.into(),
            data: note_data(&body),
        }),
        2 => prop::sample::select(&["open", "closed", "waiting", "无"][..]).prop_map(|status| {
            Op::Set {
                field: field::STATUS.into(),
                value: json!(status),
                supersedes: Vec::new(),
            }
        }),
        1 => Just(Op::Delete),
    ]
}

fn change() -> impl Strategy<Value = Change> {
    (
        0u128..6,
        // Mostly cases, which the two stored records are.
        prop_oneof![3 => Just(RecordType::Case), 1 => prop::sample::select(&RECORD_TYPES[..])],
        any::<u8>(),
        op(),
        // From before 1970 to centuries ahead: stamps from the future are clamped.
        (-1_000_000i64..i64::MAX / 2, any::<u32>()),
    )
        .prop_map(|(id, record_type, record, op, (wall, counter))| Change {
            // A small pool, so a push repeats change ids now and then.
            change_id: Uuid::from_u128(0x3000 + id + u128::from(record) * 8),
            device: Uuid::from_u128(2),
            stamp: Hlc::new(wall, counter),
            record_type,
            record_id: record_id(record),
            op,
        })
}

/// A change as the wire has it, damaged or not: a member dropped, replaced by any value, or one
/// added that no change has.
fn sent_change() -> impl Strategy<Value = Value> {
    (change(), 0u8..8, name(), json_value()).prop_map(|(change, damage, member, value)| {
        let mut sent = serde_json::to_value(&change).expect("a change encodes");
        let object = sent.as_object_mut().expect("an object");
        match damage {
            // Half arrive whole.
            0..=3 => {}
            4 => {
                object.remove(&member);
            }
            5 => {
                let key = object
                    .keys()
                    .nth(member.len() % object.len().max(1))
                    .cloned();
                if let Some(key) = key {
                    object.insert(key, value);
                }
            }
            _ => {
                object.insert(member, value);
            }
        }
        sent
    })
}

#[derive(Debug, Clone)]
enum Input {
    Bytes(Vec<u8>),
    Push {
        changes: Vec<Value>,
        role: Role,
        team: &'static str,
        username: &'static str,
    },
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Input::Bytes),
        1 => prop::collection::vec(sent_change(), 0..4)
            .prop_map(|changes| Input::Bytes(serde_json::to_vec(&changes).unwrap())),
        6 => (
            prop::collection::vec(sent_change(), 1..10),
            prop::sample::select(&Role::ALL[..]),
            prop::sample::select(&["east", "west"][..]),
            prop::sample::select(&["demo", "agent2", "lead"][..]),
        )
            .prop_map(|(changes, role, team, username)| Input::Push {
                changes,
                role,
                team,
                username,
            }),
    ]
}

#[derive(Default)]
struct Tally {
    cases: u64,
    changes: u64,
    applied: u64,
    rejected: u64,
    duplicate: u64,
    unanswered: u64,
}

fn run_case(input: Input, policy: &Policy, tally: &mut Tally) -> Result<(), TestCaseError> {
    tally.cases += 1;
    let (raw, decider) = match input {
        Input::Bytes(bytes) => {
            // As the push's JSON extractor: a body that is not a list of values never gets
            // further; one that is goes through the decoder.
            match serde_json::from_slice::<Vec<Value>>(&bytes) {
                Ok(raw) => (raw, user(Role::Agent, "east", "demo")),
                Err(_) => return Ok(()),
            }
        }
        Input::Push {
            changes,
            role,
            team,
            username,
        } => (changes, user(role, team, username)),
    };
    let sent = raw.len();
    let (readable, answers) = decode_changes(raw);
    prop_assert_eq!(answers.len(), sent);
    // A readable change is answered later; an unreadable one without an id never is.
    let open = answers.iter().filter(|answer| answer.is_none()).count();
    prop_assert!(open >= readable.len());
    tally.changes += sent as u64;
    tally.unanswered += (open - readable.len()) as u64;
    for answer in answers.iter().flatten() {
        let Outcome::Rejected { reason } = &answer.outcome else {
            return Err(TestCaseError::fail(format!(
                "an unreadable change not rejected: {answer:?}"
            )));
        };
        prop_assert!(!reason.zh.is_empty() && !reason.en.is_empty());
        tally.rejected += 1;
    }

    let stored = stored_cases(policy);
    let decide: &Decide<'_> = &|existing: Option<&Record>, change: &Change| {
        accept(&decider, existing, change.clone(), now(), policy)
    };
    let plan = plan_batch(&readable, &HashSet::new(), stored.clone(), decide);
    prop_assert_eq!(plan.outcomes.len(), readable.len());
    let mut applied_to: BTreeMap<Uuid, Vec<&Change>> = BTreeMap::new();
    for (change, answer) in readable.iter().zip(&plan.outcomes) {
        prop_assert_eq!(answer.change_id, change.change_id);
        match &answer.outcome {
            Outcome::Applied => {
                tally.applied += 1;
                applied_to.entry(change.record_id).or_default().push(change);
            }
            Outcome::Rejected { reason } => {
                tally.rejected += 1;
                prop_assert!(
                    !reason.zh.is_empty() && !reason.en.is_empty(),
                    "{:?}",
                    reason
                );
            }
            Outcome::Duplicate => tally.duplicate += 1,
            Outcome::Waiting { .. } => {
                return Err(TestCaseError::fail("the plan never makes a change wait"));
            }
        }
    }
    // Only records a change was applied to are written: a refused change leaves its record
    // as stored.
    let written: BTreeMap<Uuid, &Record> = plan
        .records
        .iter()
        .map(|record| (record.id, record))
        .collect();
    prop_assert_eq!(
        written.keys().collect::<Vec<_>>(),
        applied_to.keys().collect::<Vec<_>>()
    );
    for (id, record) in &written {
        let changes = &applied_to[id];
        prop_assert!(
            changes
                .iter()
                .all(|change| change.record_type == record.record_type)
        );
        if let Some(before) = stored.get(id) {
            prop_assert_eq!(
                &record.team,
                &before.team,
                "a change moved a record to another team"
            );
            prop_assert_eq!(record.record_type, before.record_type);
        }
    }
    // Sent again (a lost answer): every applied change is a duplicate, and nothing is written.
    let already: HashSet<Uuid> = plan.applied.iter().map(|(change, _)| *change).collect();
    let mut after = stored.clone();
    after.extend(
        plan.records
            .iter()
            .map(|record| (record.id, record.clone())),
    );
    let again = plan_batch(&readable, &already, after, decide);
    for (first, second) in plan.outcomes.iter().zip(&again.outcomes) {
        if first.outcome == Outcome::Applied {
            prop_assert_eq!(&second.outcome, &Outcome::Duplicate);
        }
    }
    let applied_again = again
        .outcomes
        .iter()
        .filter(|answer| answer.outcome == Outcome::Applied)
        .count();
    prop_assert_eq!(!again.records.is_empty(), applied_again > 0);
    Ok(())
}

#[test]
fn nothing_sent_to_a_push_panics_or_writes_what_was_refused() {
    let seconds: u64 = std::env::var("KEFU_FUZZ_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(20);
    let budget = Duration::from_secs(seconds);
    let policy = Policy::default_policy();
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = input();
    let tally = RefCell::new(Tally::default());
    let started = Instant::now();
    while started.elapsed() < budget {
        let case = strategy.new_tree(&mut runner).expect("an input");
        let result = runner.run_one(case, |input| {
            run_case(input, policy, &mut tally.borrow_mut())
        });
        if let Err(failure) = result {
            panic!(
                "fuzz failure after {} cases: {failure}",
                tally.borrow().cases
            );
        }
    }
    let tally = tally.into_inner();
    println!(
        "fuzz: {} cases in {:.1} s ({} changes sent: {} applied, {} rejected, {} duplicates, {} unreadable without an id); no panic, nothing refused was written",
        tally.cases,
        started.elapsed().as_secs_f64(),
        tally.changes,
        tally.applied,
        tally.rejected,
        tally.duplicate,
        tally.unanswered,
    );
    assert!(tally.cases > 0);
}
