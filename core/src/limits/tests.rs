//! Table and property tests of the limits every change and push keeps.

use super::*;
use crate::record::RecordType;
use crate::test_fixtures::change_to;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

fn long(chars: usize) -> String {
    "话".repeat(chars)
}

#[test]
fn no_text_anywhere_in_a_change_is_over_the_limit() {
    let at_limit = long(TEXT_MAX_CHARS);
    let over = long(TEXT_MAX_CHARS + 1);
    let set = |value: Value| Op::Set {
        field: "title".into(),
        value,
        supersedes: vec![],
    };
    let entry = |data: Value| Op::Append {
        event: Uuid::from_u128(1),
        kind: "note".into(),
        data,
    };
    let create = |value: Value| Op::Create {
        fields: BTreeMap::from([("a".to_owned(), json!(1)), ("summary".to_owned(), value)]),
    };
    let too_long = |field: &str| {
        Err(InputError::TextTooLong {
            field: field.into(),
            max: TEXT_MAX_CHARS,
        })
    };
    let table: Vec<(&str, Op, Result<(), InputError>)> = vec![
        ("a text at the limit", set(json!(at_limit)), Ok(())),
        ("a text over it", set(json!(over)), too_long("title")),
        // Counted in characters, not bytes: 10,000 Chinese characters are 30,000 bytes.
        (
            "ASCII at the limit",
            set(json!("a".repeat(TEXT_MAX_CHARS))),
            Ok(()),
        ),
        (
            "ASCII over it",
            set(json!("a".repeat(TEXT_MAX_CHARS + 1))),
            too_long("title"),
        ),
        (
            "deep in a list",
            set(json!([{ "x": [[over]] }])),
            too_long("title"),
        ),
        (
            "an entry's member",
            entry(json!({ "text": "ok", "extra": over })),
            too_long("note"),
        ),
        (
            "an entry within it",
            entry(json!({ "text": at_limit })),
            Ok(()),
        ),
        (
            "a created field",
            create(json!({ "deep": over })),
            too_long("summary"),
        ),
        (
            "numbers and flags",
            create(json!([1, true, null, 2.5])),
            Ok(()),
        ),
        ("a deletion", Op::Delete, Ok(())),
    ];
    for (what, op, expected) in table {
        assert_eq!(check_texts(&op), expected, "{what}");
    }
}

fn entry_to(record: u128, n: u128) -> Change {
    change_to(
        RecordType::Case,
        Uuid::from_u128(record),
        n,
        Op::Append {
            event: Uuid::from_u128(5000 + n),
            kind: "note".into(),
            data: json!({ "text": "x" }),
        },
    )
}

#[test]
fn entries_beyond_the_limit_for_one_record_wait() {
    let limit = MAX_ENTRIES_PER_RECORD_PER_PUSH as u128;
    let status = change_to(
        RecordType::Case,
        Uuid::from_u128(1),
        0,
        Op::Set {
            field: "status".into(),
            value: json!("closed"),
            supersedes: vec![],
        },
    );
    // The limit's entries for record 1, one more for it, then one for record 2 and a field
    // edit of record 1: only the one more waits.
    let mut push: Vec<Change> = (1..=limit).map(|n| entry_to(1, n)).collect();
    push.push(entry_to(1, limit + 1));
    push.push(entry_to(2, limit + 2));
    push.push(status);
    let over = entries_over_limit(&push);
    assert_eq!(over.len(), push.len());
    assert_eq!(over.iter().filter(|over| **over).count(), 1);
    assert!(over[MAX_ENTRIES_PER_RECORD_PER_PUSH]);
    assert!(!entries_wait().zh.is_empty() && !entries_wait().en.is_empty());
}

proptest! {
    /// However a push mixes records, no record gets more than the limit's entries through,
    /// and every entry within the limit goes through.
    #[test]
    fn no_record_gets_more_than_the_limit_through(records in prop::collection::vec(0u128..4, 0..900)) {
        let push: Vec<Change> = records.iter().enumerate().map(|(n, record)| entry_to(*record, n as u128)).collect();
        let over = entries_over_limit(&push);
        for record in 0..4 {
            let sent = records.iter().filter(|r| **r == record).count();
            let through = records.iter().zip(&over).filter(|(r, over)| **r == record && !**over).count();
            prop_assert_eq!(through, sent.min(MAX_ENTRIES_PER_RECORD_PER_PUSH));
        }
    }
}
