//! The merge's table tests, and the property that replicas converge: any interleaving,
//! duplication and reordering of the same changes gives every replica the same record, with
//! the same conflicts.

use super::*;
use crate::hlc::Hlc;
use crate::record::{RecordType, SHARED_TEAM};
use chrono::TimeZone;
use proptest::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

const RECORD: Uuid = Uuid::from_u128(0xCA5E);

fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, second % 60)
        .unwrap()
}

fn receipt(n: u128, by: &str, stamp: Hlc, op: Op) -> Receipt {
    Receipt {
        change: Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(n % 3),
            stamp,
            record_type: RecordType::Case,
            record_id: RECORD,
            op,
        },
        by: by.into(),
        team: "east".into(),
        at: at(n as u32),
    }
}

fn create(n: u128, by: &str, wall: i64) -> Receipt {
    let fields = BTreeMap::from([
        ("title".to_owned(), json!("快递未到")),
        ("status".to_owned(), json!("open")),
        ("customer_phone".to_owned(), json!("13800000000")),
    ]);
    receipt(n, by, Hlc::new(wall, 0), Op::Create { fields })
}

fn set(n: u128, by: &str, wall: i64, field: &str, value: &str, supersedes: &[u128]) -> Receipt {
    receipt(
        n,
        by,
        Hlc::new(wall, 0),
        Op::Set {
            field: field.into(),
            value: json!(value),
            supersedes: supersedes.iter().map(|n| Uuid::from_u128(*n)).collect(),
        },
    )
}

fn note(n: u128, by: &str, wall: i64, body: &str) -> Receipt {
    receipt(
        n,
        by,
        Hlc::new(wall, 0),
        Op::Append {
            event: Uuid::from_u128(1000 + n),
            kind: "note".into(),
            data: json!({ "body": body }),
        },
    )
}

fn fold(receipts: &[&Receipt]) -> Record {
    apply_all(None, receipts.iter().copied()).expect("at least one change")
}

fn values(record: &Record, field: &str) -> (String, Vec<String>) {
    let field = &record.fields[field];
    let text = |version: &Version| version.value.as_str().unwrap().to_owned();
    (
        text(&field.current),
        field.conflicts.iter().map(text).collect(),
    )
}

#[test]
fn edits_of_different_fields_both_survive() {
    let base = create(1, "demo", 10);
    let status = set(2, "lead", 20, "status", "pending", &[1]);
    let phone = set(3, "admin", 15, "customer_phone", "13911112222", &[1]);
    for order in [[&base, &status, &phone], [&phone, &status, &base]] {
        let record = fold(&order);
        assert_eq!(values(&record, "status"), ("pending".into(), vec![]));
        assert_eq!(
            values(&record, "customer_phone"),
            ("13911112222".into(), vec![])
        );
        assert_eq!(record.conflicted_fields().count(), 0);
    }
}

#[test]
fn concurrent_edits_of_one_field_keep_the_loser_as_a_conflict() {
    let base = create(1, "demo", 10);
    // Both saw the created title; the later stamp wins, though its author's name and its
    // change id both sort first.
    let by_zoe = set(3, "zoe", 20, "title", "zoe 的标题", &[1]);
    let by_adam = set(2, "adam", 30, "title", "adam 的标题", &[1]);
    for order in [[&base, &by_zoe, &by_adam], [&by_adam, &base, &by_zoe]] {
        let record = fold(&order);
        assert_eq!(
            values(&record, "title"),
            ("adam 的标题".into(), vec!["zoe 的标题".into()])
        );
        let loser = &record.fields["title"].conflicts[0].origin;
        assert_eq!((loser.by.as_str(), loser.at), ("zoe", at(3)));
    }
}

#[test]
fn equal_stamps_are_broken_by_change_id_not_by_name() {
    let base = create(1, "demo", 10);
    let first = set(5, "adam", 30, "title", "五", &[1]);
    let second = set(4, "zoe", 30, "title", "四", &[1]);
    assert_eq!(
        values(&fold(&[&base, &first, &second]), "title"),
        ("五".into(), vec!["四".into()])
    );
    assert_eq!(
        values(&fold(&[&second, &first, &base]), "title"),
        ("五".into(), vec!["四".into()])
    );
}

#[test]
fn choosing_a_value_resolves_the_conflict_everywhere() {
    let base = create(1, "demo", 10);
    let a = set(2, "demo", 20, "title", "A", &[1]);
    let b = set(3, "lead", 30, "title", "B", &[1]);
    let choice = set(4, "lead", 40, "title", "A", &[3, 2]);
    for order in [[&base, &a, &b, &choice], [&choice, &b, &base, &a]] {
        assert_eq!(values(&fold(&order), "title"), ("A".into(), vec![]));
    }
}

#[test]
fn an_edit_made_over_a_version_arriving_late_is_not_a_conflict() {
    let base = create(1, "demo", 10);
    let first = set(2, "demo", 20, "title", "一改", &[1]);
    let second = set(3, "demo", 30, "title", "二改", &[2]);
    let record = fold(&[&base, &second, &first]);
    assert_eq!(values(&record, "title"), ("二改".into(), vec![]));
}

#[test]
fn a_slow_clock_still_wins_over_what_it_saw() {
    let base = create(1, "demo", 50_000);
    let seen = fold(&[&base]);
    // The device's clock says 1 000 ms, far behind the stamp it saw; its edit still sorts later.
    let stamp = Hlc::next(seen.latest_stamp(), 1_000);
    let edit = receipt(
        2,
        "demo",
        stamp,
        Op::Set {
            field: "title".into(),
            value: json!("慢钟改的"),
            supersedes: vec![Uuid::from_u128(1)],
        },
    );
    assert_eq!(
        values(&fold(&[&base, &edit]), "title"),
        ("慢钟改的".into(), vec![])
    );
}

#[test]
fn creation_and_events_are_order_independent_and_deduplicated() {
    let base = create(1, "zoe", 10);
    let n1 = note(2, "adam", 20, "第一条");
    let n2 = note(3, "zoe", 15, "第二条");
    let forward = fold(&[&base, &n1, &n2, &n1]);
    let backward = fold(&[&n2, &n1, &base]);
    assert_eq!(forward, backward);
    let bodies: Vec<_> = forward
        .events
        .iter()
        .map(|e| e.data["body"].clone())
        .collect();
    assert_eq!(bodies, [json!("第二条"), json!("第一条")]);
    assert_eq!(forward.created.as_ref().unwrap().by, "zoe");
}

#[test]
fn a_record_first_seen_through_an_edit_takes_its_team_from_the_creation() {
    let mut base = create(1, "admin", 10);
    base.team = SHARED_TEAM.into();
    let edit = set(2, "admin", 20, "title", "t", &[1]);
    assert_eq!(fold(&[&edit, &base]).team, SHARED_TEAM);
}

// --- convergence -----------------------------------------------------------------------

const FIELDS: [&str; 3] = ["title", "status", "customer_phone"];
const PEOPLE: [&str; 3] = ["zoe", "adam", "mei"];
/// The "server's" clock for clamping: stamps beyond it plus the tolerance are pulled back.
const SERVER_NOW_MS: i64 = 100_000;

#[derive(Debug, Clone)]
struct Step {
    op: u8,
    field: usize,
    wall: i64,
    from_future: bool,
    supersedes: Vec<prop::sample::Index>,
    value: u8,
    person: usize,
}

fn arb_step() -> impl Strategy<Value = Step> {
    (
        0u8..10,
        0usize..FIELDS.len(),
        0i64..200_000,
        prop::bool::weighted(0.2),
        prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        0u8..3,
        0usize..PEOPLE.len(),
    )
        .prop_map(
            |(op, field, wall, from_future, supersedes, value, person)| Step {
                op,
                field,
                wall,
                from_future,
                supersedes,
                value,
                person,
            },
        )
}

/// A history as the server would hand it out: a creation, then edits (some superseding
/// earlier versions, some concurrent), notes (now and then reusing an event id) and perhaps
/// a deletion, with stamps from devices whose clocks run ahead clamped on receipt.
fn history(steps: &[Step]) -> Vec<Receipt> {
    let mut receipts = vec![create(1, "zoe", 0)];
    for (index, step) in steps.iter().enumerate() {
        let n = index as u128 + 2;
        let wall = if step.from_future {
            step.wall * 1_000_000
        } else {
            step.wall
        };
        let stamp = Hlc::new(wall, step.value as u32).clamp(SERVER_NOW_MS);
        let op = match step.op {
            0..=5 => Op::Set {
                field: FIELDS[step.field].into(),
                value: json!(format!("v{}", step.value)),
                supersedes: step
                    .supersedes
                    .iter()
                    .map(|pick| Uuid::from_u128(pick.index(n as usize - 1) as u128 + 1))
                    .collect(),
            },
            6..=8 => Op::Append {
                event: Uuid::from_u128(1000 + (n % 5)),
                kind: "note".into(),
                data: json!({ "n": n }),
            },
            _ => Op::Delete,
        };
        receipts.push(receipt(n, PEOPLE[step.person], stamp, op));
    }
    receipts
}

/// The conflicts of a field straight from the definition: every version but the winner that
/// no edit superseded, in merge order.
fn expected_conflicts(receipts: &[Receipt], field: &str) -> Vec<Uuid> {
    let mut versions = Vec::new();
    let mut superseded = BTreeSet::new();
    for receipt in receipts {
        let key = (receipt.change.stamp, receipt.change.change_id);
        match &receipt.change.op {
            Op::Create { fields } if fields.contains_key(field) => versions.push(key),
            Op::Set {
                field: name,
                supersedes,
                ..
            } if name == field => {
                versions.push(key);
                superseded.extend(supersedes.iter().copied());
            }
            _ => {}
        }
    }
    versions.sort();
    versions.dedup();
    versions.pop();
    versions
        .into_iter()
        .map(|(_, change)| change)
        .filter(|change| !superseded.contains(change))
        .collect()
}

fn arb_replicas() -> impl Strategy<Value = (Vec<Receipt>, Vec<Vec<usize>>)> {
    prop::collection::vec(arb_step(), 0..24).prop_flat_map(|steps| {
        let receipts = history(&steps);
        let n = receipts.len();
        // Three replicas, each receiving every change in its own order, some more than once.
        let replica = (
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            prop::collection::vec(0..n, 0..6),
        )
            .prop_map(|(mut order, repeats)| {
                for (offset, again) in repeats.into_iter().enumerate() {
                    let at = (offset * 7) % (order.len() + 1);
                    order.insert(at, again);
                }
                order
            });
        (Just(receipts), prop::collection::vec(replica, 3))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn replicas_converge_with_the_same_conflicts((receipts, replicas) in arb_replicas()) {
        let states: Vec<Record> = replicas
            .iter()
            .map(|order| fold(&order.iter().map(|&i| &receipts[i]).collect::<Vec<_>>()))
            .collect();
        prop_assert_eq!(&states[0], &states[1]);
        prop_assert_eq!(&states[1], &states[2]);
        for field in FIELDS {
            let conflicts: Vec<Uuid> = states[0].fields[field]
                .conflicts
                .iter()
                .map(|version| version.origin.change)
                .collect();
            prop_assert_eq!(conflicts, expected_conflicts(&receipts, field), "field {}", field);
        }
        for receipt in &receipts {
            prop_assert!(receipt.change.stamp.wall_ms <= SERVER_NOW_MS + crate::hlc::CLAMP_TOLERANCE_MS);
        }
    }
}

#[test]
fn a_record_is_written_flat_and_reads_back_the_same() {
    // A conflict, a superseded version, a note, a null value and a deletion: every part the
    // hand-written readers (`FlatVersion`, `FlatEvent`) must read back as they were written.
    let record = apply_all(
        None,
        &[
            create(1, "demo", 1_000),
            set(2, "demo", 2_000, "title", "改过", &[1]),
            set(3, "lead", 2_000, "title", "并发", &[1]),
            note(4, "qa", 3_000, "已回访"),
            receipt(
                5,
                "demo",
                Hlc::new(4_000, 0),
                Op::Set {
                    field: "order_number".into(),
                    value: serde_json::Value::Null,
                    supersedes: vec![],
                },
            ),
            receipt(6, "admin", Hlc::new(5_000, 0), Op::Delete),
        ],
    )
    .unwrap();
    assert!(!record.fields["title"].conflicts.is_empty());
    let json = serde_json::to_value(&record).unwrap();
    let title = &json["fields"]["title"]["current"];
    assert!(title["by"].is_string() && title["stamp"].is_object() && title["change"].is_string());
    assert!(json["events"][0]["by"].is_string() && json["events"][0]["data"].is_object());
    assert_eq!(
        json["fields"]["order_number"]["current"]["value"],
        serde_json::Value::Null
    );
    let back: Record = serde_json::from_value(json).unwrap();
    assert_eq!(back, record);
}
