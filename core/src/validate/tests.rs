//! Table tests of the input rules: each field's values, new records, and which changes fit
//! the stored record.

use super::*;
use crate::hlc::Hlc;
use crate::input::{NAME_MAX_CHARS, NOTE_MAX_CHARS, ORDER_AMOUNT_MAX_FEN, TITLE_MAX_CHARS};
use crate::kinds::case::{
    CaseKind, NewCase, check_case_event, check_case_field, check_new_case, field,
};
use crate::kinds::customer::check_customer_field;
use crate::kinds::knowledge::check_knowledge_field;
use crate::limits::TEXT_MAX_CHARS;
use crate::policy::DEFAULT_POLICY_TOML;
use crate::policy::{POLICY_DATA_FIELD, Policy};
use crate::record::{Receipt, RecordType, apply};
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

fn new_case(title: &str, name: &str, phone: &str, order: Option<&str>) -> BTreeMap<String, Value> {
    NewCase {
        kind: CaseKind::Inquiry,
        title: title.into(),
        customer_name: name.into(),
        customer_phone: phone.into(),
        order_number: order.map(Into::into),
    }
    .fields()
}

#[test]
fn new_case_table() {
    let long_title = "退".repeat(TITLE_MAX_CHARS + 1);
    let max_title = "退".repeat(TITLE_MAX_CHARS);
    let long_name = "王".repeat(NAME_MAX_CHARS + 1);
    let table: Vec<(BTreeMap<String, Value>, Result<(), InputError>)> = vec![
        (
            new_case("咨询运费", "王芳", "138 0000 1111", Some("SO-1")),
            Ok(()),
        ),
        (new_case("咨询运费", "", "", None), Ok(())),
        (new_case(&max_title, "", "", None), Ok(())),
        (new_case("   ", "", "", None), Err(InputError::TitleEmpty)),
        (
            new_case(&long_title, "", "", None),
            Err(InputError::TitleTooLong { max: 200 }),
        ),
        (
            new_case("t", &long_name, "", None),
            Err(InputError::NameTooLong { max: 100 }),
        ),
        (new_case("t", "", "+86-138-0000-1111", None), Ok(())),
        (
            new_case("t", "", "1234", None),
            Err(InputError::PhoneInvalid),
        ),
        (new_case("t", "", "12345", None), Ok(())),
        (
            new_case("t", "", "138abc00001", None),
            Err(InputError::PhoneInvalid),
        ),
        (
            new_case("t", "", "123456789012345678901", None),
            Err(InputError::PhoneInvalid),
        ),
        (
            new_case("t", "", "", Some("")),
            Err(InputError::OrderNumberInvalid),
        ),
        (
            new_case("t", "", "", Some("SO 1")),
            Err(InputError::OrderNumberInvalid),
        ),
        (
            new_case("t", "", "", Some(&"9".repeat(65))),
            Err(InputError::OrderNumberInvalid),
        ),
        (new_case("t", "", "", Some(&"9".repeat(64))), Ok(())),
    ];
    for (fields, expected) in table {
        assert_eq!(check_new_case(&fields), expected, "{fields:?}");
    }
}

#[test]
fn new_case_needs_every_field_and_nothing_else() {
    let mut missing = new_case("t", "", "", None);
    missing.remove(field::STATUS);
    assert_eq!(
        check_new_case(&missing),
        Err(InputError::MissingField {
            field: "status".into()
        })
    );
    let mut extra = new_case("t", "", "", None);
    extra.insert("owner".into(), json!("admin"));
    assert_eq!(
        check_new_case(&extra),
        Err(InputError::UnknownField {
            field: "owner".into()
        })
    );
    // The inquiry's fields may be given, and are checked when they are.
    let mut inquiry = new_case("t", "", "", None);
    inquiry.insert(
        crate::kinds::case::inquiry::field::OUTCOME.into(),
        json!("answered"),
    );
    assert_eq!(check_new_case(&inquiry), Ok(()));
    inquiry.insert(
        crate::kinds::case::inquiry::field::OUTCOME.into(),
        json!("maybe"),
    );
    assert_eq!(check_new_case(&inquiry), Err(InputError::OutcomeInvalid));
}

#[test]
fn case_field_table() {
    let table = [
        (field::STATUS, json!("resolved"), Ok(())),
        (field::STATUS, json!("done"), Err(InputError::StatusInvalid)),
        (field::STATUS, json!(3), Err(InputError::StatusInvalid)),
        (field::KIND, json!("complaint"), Ok(())),
        (field::KIND, json!("refund"), Err(InputError::KindInvalid)),
        (field::TITLE, json!(null), Err(InputError::TitleEmpty)),
        (field::ORDER_NUMBER, json!(null), Ok(())),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!(null),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!(990),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!(ORDER_AMOUNT_MAX_FEN),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!(-1),
            Err(InputError::OrderAmountInvalid {
                max: ORDER_AMOUNT_MAX_FEN,
            }),
        ),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!(ORDER_AMOUNT_MAX_FEN + 1),
            Err(InputError::OrderAmountInvalid {
                max: ORDER_AMOUNT_MAX_FEN,
            }),
        ),
        (
            crate::kinds::case::order_follow_up::field::ORDER_AMOUNT,
            json!("9.90"),
            Err(InputError::OrderAmountInvalid {
                max: ORDER_AMOUNT_MAX_FEN,
            }),
        ),
        (
            field::ORDER_NUMBER,
            json!(42),
            Err(InputError::OrderNumberInvalid),
        ),
        (field::CUSTOMER_PHONE, json!("13800001111"), Ok(())),
        (
            crate::kinds::case::inquiry::field::CHANNEL,
            json!("phone"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::CHANNEL,
            json!(null),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::CATEGORY,
            json!(""),
            Err(InputError::ListIdInvalid {
                field: crate::kinds::case::inquiry::field::CATEGORY.into(),
            }),
        ),
        (
            crate::kinds::case::inquiry::field::CATEGORY,
            json!("x".repeat(51)),
            Err(InputError::ListIdInvalid {
                field: crate::kinds::case::inquiry::field::CATEGORY.into(),
            }),
        ),
        (
            crate::kinds::case::inquiry::field::CUSTOMER,
            json!(null),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::CUSTOMER,
            json!("0190a0b0-0000-7000-8000-000000000001"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::CUSTOMER,
            json!("王芳"),
            Err(InputError::LinkInvalid),
        ),
        (
            crate::kinds::case::inquiry::field::QUESTION,
            json!(""),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::ANSWER,
            json!("好的"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::ANSWER,
            json!("字".repeat(10_001)),
            Err(InputError::BodyTooLong { max: 10_000 }),
        ),
        (
            crate::kinds::case::inquiry::field::OUTCOME,
            json!("follow_up"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::OUTCOME,
            json!("later"),
            Err(InputError::OutcomeInvalid),
        ),
        (
            crate::kinds::case::inquiry::field::PROBLEM,
            json!(true),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::PROBLEM,
            json!("yes"),
            Err(InputError::FlagInvalid {
                field: crate::kinds::case::inquiry::field::PROBLEM.into(),
            }),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_DUE,
            json!(null),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_DUE,
            json!("2026-11-24T06:30:00Z"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_DUE,
            json!("明天上午"),
            Err(InputError::ReplyDueInvalid),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_POLICY,
            json!("0193a5c0-7b1e-7000-8000-000000000001"),
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_POLICY,
            Value::Null,
            Ok(()),
        ),
        (
            crate::kinds::case::inquiry::field::REPLY_POLICY,
            json!("最新政策"),
            Err(InputError::PolicyVersionInvalid),
        ),
        (
            "owner",
            json!("admin"),
            Err(InputError::UnknownField {
                field: "owner".into(),
            }),
        ),
        (
            "created_at",
            json!("2000-01-01T00:00:00Z"),
            Err(InputError::UnknownField {
                field: "created_at".into(),
            }),
        ),
    ];
    for (name, value, expected) in table {
        assert_eq!(check_case_field(name, &value), expected, "{name} = {value}");
    }
}

#[test]
fn note_and_review_table() {
    let table = [
        (
            crate::kinds::case::event::NOTE,
            json!({"body": "已回电，客户同意换货"}),
            Ok(()),
        ),
        (
            crate::kinds::case::event::NOTE,
            json!({"body": ""}),
            Err(InputError::NoteEmpty),
        ),
        (
            crate::kinds::case::event::NOTE,
            json!({"body": " \n\t"}),
            Err(InputError::NoteEmpty),
        ),
        (
            crate::kinds::case::event::NOTE,
            json!({}),
            Err(InputError::NoteEmpty),
        ),
        (
            crate::kinds::case::event::NOTE,
            json!({"body": "字".repeat(NOTE_MAX_CHARS + 1)}),
            Err(InputError::NoteTooLong {
                max: NOTE_MAX_CHARS,
            }),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"agent": "demo", "items": [{"item": "greeting", "weight": 15, "mark": 5, "comment": ""}], "comment": "规范"}),
            Ok(()),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"agent": "demo", "items": [{"item": "greeting", "weight": 15, "mark": 0, "comment": "没有问候"}], "comment": ""}),
            Ok(()),
        ),
        (
            crate::kinds::case::incident::event::BANNED_PHRASE,
            json!({"change": Uuid::from_u128(1), "matches": [{"phrase": "我不知道"}]}),
            Ok(()),
        ),
        (
            crate::kinds::case::incident::event::BANNED_PHRASE,
            json!({"change": Uuid::from_u128(1), "matches": []}),
            Err(InputError::IncidentInvalid),
        ),
        (
            crate::kinds::case::incident::event::BANNED_PHRASE,
            json!({"change": "yesterday", "matches": [{"phrase": "我不知道"}]}),
            Err(InputError::IncidentInvalid),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"score": 92}),
            Err(InputError::ReviewInvalid),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"agent": "demo", "items": [{"item": "greeting", "weight": 15, "mark": 6, "comment": ""}], "comment": ""}),
            Err(InputError::ReviewInvalid),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"agent": " ", "items": [{"item": "greeting", "weight": 15, "mark": 5, "comment": ""}], "comment": ""}),
            Err(InputError::ReviewInvalid),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REVIEW,
            json!({"agent": "demo", "items": [], "comment": ""}),
            Err(InputError::ReviewInvalid),
        ),
        (
            crate::kinds::case::qa_review::event::QA_REPLY,
            json!({"review": Uuid::from_u128(1), "text": "收到，下次注意"}),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::event::ORDER_STEP,
            json!({"event": "review", "reviewer": "小王"}),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::event::ORDER_STEP,
            json!({"event": "confirm_receipt"}),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::event::ORDER_STEP,
            json!({"event": "teleport"}),
            Err(InputError::OrderStepInvalid),
        ),
        (
            crate::kinds::case::order_follow_up::event::SPECIAL_SITUATION,
            json!({"situation": "difficult", "note": "客户要求找主管"}),
            Ok(()),
        ),
        (
            crate::kinds::case::order_follow_up::event::SPECIAL_SITUATION,
            json!({"note": "没有写情况"}),
            Err(InputError::ListIdInvalid {
                field: "situation".into(),
            }),
        ),
        (
            crate::kinds::case::sales::event::SALES_STAGE,
            json!({"stage": "probe", "objection": null, "note": "问了预算"}),
            Ok(()),
        ),
        (
            crate::kinds::case::sales::event::SALES_STAGE,
            json!({"stage": "closing", "note": ""}),
            Err(InputError::SalesStageInvalid),
        ),
        (
            "photo",
            json!({}),
            Err(InputError::UnknownEvent {
                kind: "photo".into(),
            }),
        ),
    ];
    for (kind, data, expected) in table {
        assert_eq!(check_case_event(kind, &data), expected, "{kind} {data}");
    }
}

fn change(record_type: RecordType, op: Op) -> Change {
    Change {
        change_id: Uuid::from_u128(2),
        device: Uuid::from_u128(9),
        stamp: Hlc::new(1, 0),
        record_type,
        record_id: Uuid::from_u128(7),
        op,
    }
}

fn stored_case(deleted: bool) -> Record {
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let receipt = |n: u128, op: Op| Receipt {
        change: Change {
            change_id: Uuid::from_u128(n),
            ..change(RecordType::Case, op)
        },
        by: "demo".into(),
        team: "east".into(),
        at,
    };
    let record = apply(
        None,
        &receipt(
            1,
            Op::Create {
                fields: new_case("t", "", "", None),
            },
        ),
    );
    if deleted {
        apply(Some(record), &receipt(3, Op::Delete))
    } else {
        record
    }
}

#[test]
fn change_fits_the_stored_record_table() {
    let set_status = || Op::Set {
        field: field::STATUS.into(),
        value: json!("closed"),
        supersedes: vec![],
    };
    let note = || Op::Append {
        event: Uuid::from_u128(50),
        kind: crate::kinds::case::event::NOTE.into(),
        data: json!({"body": "客户已回电"}),
    };
    let create = || Op::Create {
        fields: new_case("新案件", "", "", None),
    };
    let live = stored_case(false);
    let deleted = stored_case(true);
    let table = [
        (None, change(RecordType::Case, create()), Ok(())),
        (
            Some(&live),
            change(RecordType::Case, create()),
            Err(InputError::RecordExists),
        ),
        (
            None,
            change(RecordType::Case, note()),
            Err(InputError::RecordMissing),
        ),
        (
            None,
            change(RecordType::Case, set_status()),
            Err(InputError::RecordMissing),
        ),
        (Some(&live), change(RecordType::Case, note()), Ok(())),
        (Some(&live), change(RecordType::Case, set_status()), Ok(())),
        (
            Some(&live),
            change(RecordType::Policy, set_status()),
            Err(InputError::WrongRecordType),
        ),
        (
            Some(&deleted),
            change(RecordType::Case, note()),
            Err(InputError::RecordDeleted),
        ),
        (Some(&live), change(RecordType::Case, Op::Delete), Ok(())),
    ];
    for (existing, change, expected) in table {
        assert_eq!(check_change(existing, &change), expected, "{change:?}");
    }
}

#[test]
fn policy_changes_carry_a_valid_policy() {
    let valid = serde_json::to_value(Policy::from_toml_str(DEFAULT_POLICY_TOML).unwrap()).unwrap();
    let mut broken = valid.clone();
    broken["working_hours"] = json!("always");
    let create = |value: &Value| Op::Create {
        fields: BTreeMap::from([(POLICY_DATA_FIELD.to_owned(), value.clone())]),
    };
    assert_eq!(
        check_change(None, &change(RecordType::Policy, create(&valid))),
        Ok(())
    );
    assert!(matches!(
        check_change(None, &change(RecordType::Policy, create(&broken))),
        Err(InputError::PolicyInvalid { .. })
    ));
    assert_eq!(
        check_change(
            None,
            &change(
                RecordType::Policy,
                Op::Create {
                    fields: BTreeMap::new()
                }
            )
        ),
        Err(InputError::MissingField {
            field: POLICY_DATA_FIELD.into()
        })
    );
}

/// A text the policy's own checks do not bound (an item class's Chinese name) is still held to the
/// limit every field keeps: the device refuses it before saving, the server before storing.
#[test]
fn a_text_over_the_limit_is_refused_in_any_field() {
    let mut policy = serde_json::to_value(Policy::default_policy()).unwrap();
    policy["item_classes"][0]["zh"] = json!("茶".repeat(TEXT_MAX_CHARS + 1));
    let create = Op::Create {
        fields: BTreeMap::from([(POLICY_DATA_FIELD.to_owned(), policy.clone())]),
    };
    assert_eq!(
        check_change(None, &change(RecordType::Policy, create)),
        Err(InputError::TextTooLong {
            field: POLICY_DATA_FIELD.into(),
            max: TEXT_MAX_CHARS
        })
    );
    policy["item_classes"][0]["zh"] = json!("茶".repeat(TEXT_MAX_CHARS));
    let create = Op::Create {
        fields: BTreeMap::from([(POLICY_DATA_FIELD.to_owned(), policy)]),
    };
    assert_eq!(
        check_change(None, &change(RecordType::Policy, create)),
        Ok(())
    );
}

/// An edit of the policy's JSON.
type PolicyEdit = fn(&mut Value);

/// Must-show 4 of issue 26: each bad value an admin may type is refused by the check both the
/// device and the server run, naming the field in both languages.
#[test]
fn a_policy_edit_with_a_bad_value_is_refused_naming_the_field() {
    let valid = serde_json::to_value(Policy::default_policy()).unwrap();
    let table: [(&str, PolicyEdit, &str, &str); 4] = [
        (
            "a negative tier",
            |data| data["item_classes"][0]["compensation_tiers"][0]["min_fen"] = json!(-500),
            "item_classes[0].compensation_tiers[0].min_fen",
            "不能为负数",
        ),
        (
            "a holiday outside the year",
            |data| {
                data["working_hours"]["years"][0]["holidays"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("2027-10-01"))
            },
            "working_hours.years[0].holidays[33]",
            "2027-10-01 不在 2026 年内",
        ),
        (
            "an empty phrase",
            |data| data["banned_phrases"][0]["phrase"] = json!(" "),
            "banned_phrases[0].phrase",
            "不能为空",
        ),
        (
            "a script step without a name",
            |data| data["scripts"][0]["steps"][1]["zh"] = json!(""),
            "scripts[0].steps[1].zh",
            "不能为空",
        ),
    ];
    for (what, edit, field, zh) in table {
        let mut data = valid.clone();
        edit(&mut data);
        let op = Op::Create {
            fields: BTreeMap::from([(POLICY_DATA_FIELD.to_owned(), data)]),
        };
        let error = check_change(None, &change(RecordType::Policy, op)).unwrap_err();
        let InputError::PolicyInvalid {
            field: named,
            reason,
        } = &error
        else {
            panic!("{what}: {error:?}");
        };
        assert_eq!(named, field, "{what}");
        assert!(
            reason.zh.contains(field) && reason.zh.contains(zh),
            "{what}: {reason:?}"
        );
        assert!(reason.en.contains(field), "{what}: {reason:?}");
    }
}

#[test]
fn every_error_has_both_languages() {
    let all = [
        InputError::TitleEmpty,
        InputError::TitleTooLong { max: 1 },
        InputError::TextTooLong {
            field: "x".into(),
            max: 1,
        },
        InputError::NameTooLong { max: 1 },
        InputError::PhoneInvalid,
        InputError::OrderNumberInvalid,
        InputError::KindInvalid,
        InputError::StatusInvalid,
        InputError::NoteEmpty,
        InputError::NoteTooLong { max: 1 },
        InputError::ReviewInvalid,
        InputError::PinInvalid,
        InputError::HandoverInvalid,
        InputError::UnknownField { field: "x".into() },
        InputError::MissingField { field: "x".into() },
        InputError::UnknownEvent { kind: "x".into() },
        InputError::RecordMissing,
        InputError::RecordExists,
        InputError::RecordDeleted,
        InputError::WrongRecordType,
        InputError::PolicyInvalid {
            field: "x".into(),
            reason: crate::lang::Bilingual::new("政策有误", "policy is wrong"),
        },
        InputError::CustomerNameEmpty,
        InputError::AccountTooLong { max: 1 },
        InputError::AddressTooLong { max: 1 },
        InputError::BodyEmpty,
        InputError::BodyTooLong { max: 1 },
        InputError::KnowledgeKindInvalid,
        InputError::GroupInvalid { max: 1 },
        InputError::FieldFixed { field: "x".into() },
        InputError::LinkInvalid,
        InputError::IncidentInvalid,
        InputError::OutcomeInvalid,
        InputError::ReplyDueInvalid,
        InputError::PolicyVersionInvalid,
        InputError::ListIdInvalid { field: "x".into() },
        InputError::QuestionEmpty,
        InputError::CategoryMissing,
        InputError::ChannelMissing,
        InputError::OrderStepInvalid,
        InputError::FlagInvalid { field: "x".into() },
        InputError::SalesStageInvalid,
    ];
    for error in all {
        let message = error.message();
        assert!(
            !message.zh.is_empty() && !message.en.is_empty(),
            "{error:?}"
        );
        assert_ne!(message.zh, message.en, "{error:?}");
    }
}

#[test]
fn customer_field_table() {
    use crate::kinds::customer::field;
    let long = |n: usize| json!("长".repeat(n));
    let table = [
        (field::NAME, json!("王芳"), Ok(())),
        (field::NAME, json!("  "), Err(InputError::CustomerNameEmpty)),
        (field::NAME, json!(null), Err(InputError::CustomerNameEmpty)),
        (
            field::NAME,
            long(101),
            Err(InputError::NameTooLong { max: 100 }),
        ),
        (field::PHONE, json!(""), Ok(())),
        (field::PHONE, json!("138-0013 8000"), Ok(())),
        (
            field::PHONE,
            json!("call me"),
            Err(InputError::PhoneInvalid),
        ),
        (field::ACCOUNT, json!("wangfang88"), Ok(())),
        (
            field::ACCOUNT,
            long(101),
            Err(InputError::AccountTooLong { max: 100 }),
        ),
        (field::ADDRESS, long(300), Ok(())),
        (
            field::ADDRESS,
            long(301),
            Err(InputError::AddressTooLong { max: 300 }),
        ),
        (
            field::ADDRESS,
            json!(7),
            Err(InputError::AddressTooLong { max: 300 }),
        ),
        (
            "owner",
            json!("demo"),
            Err(InputError::UnknownField {
                field: "owner".into(),
            }),
        ),
    ];
    for (name, value, expected) in table {
        assert_eq!(
            check_customer_field(name, &value),
            expected,
            "{name} = {value}"
        );
    }
}

#[test]
fn knowledge_field_table() {
    use crate::kinds::knowledge::field;
    let table = [
        (field::KIND, json!("answer"), Ok(())),
        (field::KIND, json!("phrase"), Ok(())),
        (
            field::KIND,
            json!("script"),
            Err(InputError::KnowledgeKindInvalid),
        ),
        (field::TITLE, json!("运费"), Ok(())),
        (field::TITLE, json!(""), Err(InputError::TitleEmpty)),
        (field::BODY, json!("谢谢您的耐心等待"), Ok(())),
        (field::BODY, json!("  "), Err(InputError::BodyEmpty)),
        (
            field::BODY,
            json!("字".repeat(10_001)),
            Err(InputError::BodyTooLong { max: 10_000 }),
        ),
        (field::GROUP, json!("holding"), Ok(())),
        (
            field::GROUP,
            json!(""),
            Err(InputError::GroupInvalid { max: 50 }),
        ),
        (
            field::GROUP,
            json!("x".repeat(51)),
            Err(InputError::GroupInvalid { max: 50 }),
        ),
        (field::PERSONAL, json!(true), Ok(())),
        (
            field::PERSONAL,
            json!("yes"),
            Err(InputError::FieldFixed {
                field: "personal".into(),
            }),
        ),
    ];
    for (name, value, expected) in table {
        assert_eq!(
            check_knowledge_field(name, &value),
            expected,
            "{name} = {value}"
        );
    }
}

#[test]
fn knowledge_changes_table() {
    use crate::kinds::knowledge::{KnowledgeKind, NewKnowledge, event, field};
    let fields = NewKnowledge {
        kind: KnowledgeKind::Answer,
        title: "江浙沪运费".into(),
        body: "江浙沪满 59 元包邮。".into(),
        group: "shipping_fee".into(),
        personal: false,
    }
    .fields();
    let create = change(
        RecordType::Knowledge,
        Op::Create {
            fields: fields.clone(),
        },
    );
    assert_eq!(check_change(None, &create), Ok(()));
    let mut without_body = fields;
    without_body.remove(field::BODY);
    assert_eq!(
        check_change(
            None,
            &change(
                RecordType::Knowledge,
                Op::Create {
                    fields: without_body
                }
            )
        ),
        Err(InputError::MissingField {
            field: "body".into()
        })
    );
    let receipt = Receipt {
        change: create,
        by: "lead".into(),
        team: "east".into(),
        at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
    };
    let stored = apply(None, &receipt);
    let table = [
        (
            Op::Set {
                field: field::PERSONAL.into(),
                value: json!(true),
                supersedes: vec![],
            },
            Err(InputError::FieldFixed {
                field: "personal".into(),
            }),
        ),
        (
            Op::Set {
                field: field::BODY.into(),
                value: json!("全国包邮"),
                supersedes: vec![],
            },
            Ok(()),
        ),
        (
            Op::Append {
                event: Uuid::from_u128(5),
                kind: event::RECURRENCE.into(),
                data: json!({ "case": Uuid::from_u128(9) }),
            },
            Ok(()),
        ),
        (
            Op::Append {
                event: Uuid::from_u128(5),
                kind: event::RECURRENCE.into(),
                data: json!({ "case": "case 9" }),
            },
            Err(InputError::LinkInvalid),
        ),
        (
            Op::Append {
                event: Uuid::from_u128(5),
                kind: "note".into(),
                data: json!({}),
            },
            Err(InputError::UnknownEvent {
                kind: "note".into(),
            }),
        ),
    ];
    for (op, expected) in table {
        let change = change(RecordType::Knowledge, op);
        assert_eq!(
            check_change(Some(&stored), &change),
            expected,
            "{:?}",
            change.op
        );
    }
}
