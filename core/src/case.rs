//! The case: one customer matter (inquiry, return, complaint, feedback), stored as a
//! [`Record`] of type `case`; this is its typed view, its field names and its timeline.

use crate::inquiry::linked_customer;
use crate::money::Fen;
use crate::record::{Record, RecordType};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The case's fields as stored in its record; each is merged on its own.
pub mod field {
    pub const KIND: &str = "kind";
    pub const TITLE: &str = "title";
    pub const CUSTOMER_NAME: &str = "customer_name";
    pub const CUSTOMER_PHONE: &str = "customer_phone";
    pub const ORDER_NUMBER: &str = "order_number";
    /// The order's amount in fen, as the agent reads it from the shop system, or null; same-day
    /// small orders are merged by it (`rules::order_merge`). Not in every case: optional.
    pub const ORDER_AMOUNT: &str = "order_amount";
    pub const STATUS: &str = "status";
    /// Every case has these from its creation: the facts an agent records and may edit.
    pub const ALL: [&str; 6] = [
        KIND,
        TITLE,
        CUSTOMER_NAME,
        CUSTOMER_PHONE,
        ORDER_NUMBER,
        STATUS,
    ];

    /// The inquiry log's fields (`crate::inquiry`): a policy channel id.
    pub const CHANNEL: &str = "channel";
    /// The linked customer record's id, or null.
    pub const CUSTOMER: &str = "customer";
    /// A policy inquiry category id.
    pub const CATEGORY: &str = "category";
    pub const QUESTION: &str = "question";
    /// The answer given; a text the customer reads, so it is checked for banned phrases.
    pub const ANSWER: &str = "answer";
    /// `crate::inquiry::InquiryOutcome`.
    pub const OUTCOME: &str = "outcome";
    /// The promised reply time (RFC 3339), or null: seed 000 §5.7(5).
    pub const REPLY_DUE: &str = "reply_due";
    /// An unusual, hard problem flagged for review: the problem record list (客户问题记录表,
    /// seed 000 §4.6). `true` or `false`.
    pub const PROBLEM: &str = "problem";

    /// A return's fields (`crate::returns`): a `policy::RequestType`.
    pub const REQUEST_TYPE: &str = "request_type";
    /// A policy return reason id.
    pub const RETURN_REASON: &str = "return_reason";
    /// The order lines concerned: `[{"sku", "quantity"}]`.
    pub const ITEMS: &str = "items";
    /// A policy item class id.
    pub const ITEM_CLASS: &str = "item_class";
    /// Whether the customer says the goods are in their original packaging.
    pub const ORIGINAL_PACKAGING: &str = "original_packaging";
    /// The return parcel's tracking number, normalized, or null until the customer sends it.
    pub const RETURN_TRACKING: &str = "return_tracking";
    /// A policy courier id, or null.
    pub const RETURN_COURIER: &str = "return_courier";
    pub const SHIPPING_INSURANCE: &str = "shipping_insurance";
    /// Whether the order had left the warehouse when the customer asked.
    pub const SHIPPED: &str = "shipped";
    /// The day the customer signed for the order (`YYYY-MM-DD`), or null.
    pub const RECEIVED_ON: &str = "received_on";

    /// Fields a case may have but older cases and other kinds lack.
    pub const OPTIONAL: [&str; 19] = [
        ORDER_AMOUNT,
        CHANNEL,
        CUSTOMER,
        CATEGORY,
        QUESTION,
        ANSWER,
        OUTCOME,
        REPLY_DUE,
        PROBLEM,
        REQUEST_TYPE,
        RETURN_REASON,
        ITEMS,
        ITEM_CLASS,
        ORIGINAL_PACKAGING,
        RETURN_TRACKING,
        RETURN_COURIER,
        SHIPPING_INSURANCE,
        SHIPPED,
        RECEIVED_ON,
    ];
}

/// The case's timeline entries.
pub mod event {
    /// What an agent wrote down: `{"body": "…"}`.
    pub const NOTE: &str = "note";
    /// A QA inspector's review: `{"score": 0–100, "comment": "…"}` (SPEC §7).
    pub const QA_REVIEW: &str = "qa_review";
    /// A banned phrase in a text a customer may read (`crate::incident`): `{"change", "source",
    /// "text", "matches": [{"phrase", "alternative", "start", "end"}]}`.
    pub const BANNED_PHRASE: &str = "banned_phrase";
    /// A step of the case's order (`crate::order_follow_up`): a `rules::order_flow::OrderEvent`.
    pub const ORDER_STEP: &str = "order_step";
    /// A special situation of seed 000 §5.7: `{"situation": "<policy id>", "note": "…"}`.
    pub const SPECIAL_SITUATION: &str = "special_situation";
    /// A sales stage reached (`crate::sales`): `{"stage", "objection", "note"}`.
    pub const SALES_STAGE: &str = "sales_stage";
    /// The packing station's checklist and decision on a returned parcel: a
    /// `crate::returns::Inspection`.
    pub const INSPECTION: &str = "inspection";
    /// An agent's compensation proposal: a `crate::compensations::Proposal`.
    pub const COMPENSATION: &str = "compensation";
    /// A supervisor's answer to a pending proposal: a `crate::compensations::Decision`.
    pub const COMPENSATION_DECISION: &str = "compensation_decision";
    /// An agent's step of a return (`crate::return_follow_up`): a
    /// `rules::return_flow::ReturnEvent` (approve, reject, settle, withdraw, close).
    pub const RETURN_STEP: &str = "return_step";
    /// The after-sales situation and the answers given so far
    /// (`crate::after_sales_situation::SituationEntry`).
    pub const AFTER_SALES_SITUATION: &str = "after_sales_situation";
}

/// What kind of work a case is; each later gets its own flow (SPEC §1, §3, §4, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Inquiry,
    Return,
    Complaint,
    Feedback,
}

impl CaseKind {
    pub const ALL: [CaseKind; 4] = [
        CaseKind::Inquiry,
        CaseKind::Return,
        CaseKind::Complaint,
        CaseKind::Feedback,
    ];

    /// Stable identifier used in storage, URLs and translation keys.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Inquiry => "inquiry",
            CaseKind::Return => "return",
            CaseKind::Complaint => "complaint",
            CaseKind::Feedback => "feedback",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Where a case stands. Richer per-kind state machines refine this later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Pending,
    Resolved,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Open,
        CaseStatus::Pending,
        CaseStatus::Resolved,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Pending => "pending",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// What an agent types to open a case; becomes the record's first field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub kind: CaseKind,
    pub title: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub order_number: Option<String>,
}

impl NewCase {
    pub fn fields(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (field::KIND.to_owned(), json!(self.kind.as_str())),
            (field::TITLE.to_owned(), json!(self.title)),
            (field::CUSTOMER_NAME.to_owned(), json!(self.customer_name)),
            (field::CUSTOMER_PHONE.to_owned(), json!(self.customer_phone)),
            (field::ORDER_NUMBER.to_owned(), json!(self.order_number)),
            (field::STATUS.to_owned(), json!(CaseStatus::Open.as_str())),
        ])
    }
}

/// A case as pages show it, read from its record. Serializable: the device keeps one per
/// confirmed case as the case list's row, so the list does not decode every whole record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: Uuid,
    pub kind: CaseKind,
    pub title: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub order_number: Option<String>,
    pub status: CaseStatus,
    /// Whoever first received the case (首接负责制, SPEC §1): the record's creator, stamped
    /// by the server, never changed by an edit.
    pub owner: String,
    pub created_at: DateTime<Utc>,
    pub team: String,
    /// The linked customer profile. Defaulted: rows stored before it existed lack it.
    #[serde(default)]
    pub customer: Option<Uuid>,
    /// The promised reply time, while a reply is owed.
    #[serde(default)]
    pub reply_due: Option<DateTime<Utc>>,
    /// Flagged into the problem record list.
    #[serde(default)]
    pub problem: bool,
    /// A return's parcel tracking number, so the packing station finds it from the list's rows.
    #[serde(default)]
    pub return_tracking: Option<String>,
    /// The order's amount, once the agent entered it.
    #[serde(default)]
    pub order_amount: Option<Fen>,
}

impl Case {
    /// `None` for another type of record, or one not created yet or deleted.
    pub fn from_record(record: &Record) -> Option<Case> {
        if record.record_type != RecordType::Case || !record.is_live() {
            return None;
        }
        let created = record.created.as_ref()?;
        let order_number = record.text(field::ORDER_NUMBER);
        Some(Case {
            id: record.id,
            kind: CaseKind::parse(&record.text(field::KIND)).unwrap_or(CaseKind::Inquiry),
            title: record.text(field::TITLE),
            customer_name: record.text(field::CUSTOMER_NAME),
            customer_phone: record.text(field::CUSTOMER_PHONE),
            order_number: (!order_number.is_empty()).then_some(order_number),
            status: CaseStatus::parse(&record.text(field::STATUS)).unwrap_or(CaseStatus::Open),
            owner: created.by.clone(),
            created_at: created.at,
            team: record.team.clone(),
            customer: linked_customer(record.value(field::CUSTOMER)),
            reply_due: record
                .value(field::REPLY_DUE)
                .and_then(Value::as_str)
                .and_then(|due| DateTime::parse_from_rfc3339(due).ok())
                .map(|due| due.with_timezone(&Utc)),
            problem: record
                .value(field::PROBLEM)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            return_tracking: record
                .value(field::RETURN_TRACKING)
                .and_then(Value::as_str)
                .map(str::to_owned),
            order_amount: record
                .value(field::ORDER_AMOUNT)
                .and_then(|amount| serde_json::from_value(amount.clone()).ok()),
        })
    }
}

/// One note of a case's timeline. Notes are never edited, so they never conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The case's notes, oldest first.
pub fn notes(record: &Record) -> Vec<Note> {
    record
        .events
        .iter()
        .filter(|event| event.kind == event::NOTE)
        .map(|event| Note {
            id: event.id,
            author: event.origin.by.clone(),
            body: event.data["body"].as_str().unwrap_or_default().to_owned(),
            created_at: event.origin.at,
        })
        .collect()
}

/// The body of a note event.
pub fn note_data(body: &str) -> Value {
    json!({ "body": body })
}

/// What an agent typed into a case search box, normalised once for the whole list: matched
/// case-insensitively against the title, the customer's name and phone and the order number;
/// nothing typed matches every case.
pub struct CaseSearch {
    wanted: String,
}

impl CaseSearch {
    pub fn new(query: &str) -> CaseSearch {
        CaseSearch {
            wanted: query.trim().to_lowercase(),
        }
    }

    pub fn matches(&self, case: &Case) -> bool {
        if self.wanted.is_empty() {
            return true;
        }
        [
            case.title.as_str(),
            case.customer_name.as_str(),
            case.customer_phone.as_str(),
            case.order_number.as_deref().unwrap_or(""),
        ]
        .iter()
        .any(|field| {
            // Lowercased only when it could change the answer: phones, order numbers and
            // Chinese text mostly have no capitals, and 10,000 copies per keystroke add up.
            field.contains(&self.wanted)
                || (field.chars().any(char::is_uppercase)
                    && field.to_lowercase().contains(&self.wanted))
        })
    }
}

/// Newest first, the order of the case list; ties broken by id so the order is stable.
pub fn sort_newest_first(cases: &mut [impl Borrow<Case>]) {
    cases.sort_by(|a, b| newest_first(a.borrow(), b.borrow()));
}

/// The case list's order: `Less` when `a` is listed before `b`.
pub fn newest_first(a: &Case, b: &Case) -> std::cmp::Ordering {
    b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::record::{Receipt, apply};
    use crate::sync::{Change, Op};
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, minute, 0).unwrap()
    }

    fn case(title: &str, name: &str, phone: &str, order: Option<&str>, minute: u32) -> Case {
        Case {
            id: Uuid::from_u128(minute as u128),
            kind: CaseKind::Inquiry,
            title: title.into(),
            customer_name: name.into(),
            customer_phone: phone.into(),
            order_number: order.map(Into::into),
            status: CaseStatus::Open,
            owner: "demo".into(),
            created_at: at(minute),
            team: "east".into(),
            customer: None,
            reply_due: None,
            problem: false,
            return_tracking: None,
            order_amount: None,
        }
    }

    #[test]
    fn search_matches_each_typed_field() {
        let c = case("快递未收到", "王芳", "13800001111", Some("SO-2026-7"), 1);
        let table = [
            ("", true),
            ("  ", true),
            ("快递", true),
            ("王", true),
            ("0001111", true),
            ("so-2026", true),
            ("SO-2026", true),
            (" So-2026-7 ", true),
            ("退款", false),
            ("13900", false),
        ];
        for (query, expected) in table {
            assert_eq!(
                CaseSearch::new(query).matches(&c),
                expected,
                "query {query:?}"
            );
        }
    }

    #[test]
    fn list_is_newest_first() {
        let mut cases = vec![
            case("a", "", "", None, 1),
            case("c", "", "", None, 3),
            case("b", "", "", None, 2),
        ];
        sort_newest_first(&mut cases);
        let titles: Vec<_> = cases.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["c", "b", "a"]);
    }

    #[test]
    fn kind_and_status_round_trip_through_their_names() {
        for kind in CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.as_str()), Some(kind));
        }
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(CaseKind::parse("refund"), None);
        assert_eq!(CaseStatus::parse("done"), None);
    }

    #[test]
    fn the_view_reads_fields_owner_and_notes_from_the_record() {
        let id = Uuid::from_u128(5);
        let receipt = |n: u128, by: &str, op: Op| Receipt {
            change: Change {
                change_id: Uuid::from_u128(n),
                device: Uuid::from_u128(1),
                stamp: Hlc::new(n as i64, 0),
                record_type: RecordType::Case,
                record_id: id,
                op,
            },
            by: by.into(),
            team: "east".into(),
            at: at(n as u32),
        };
        let new = NewCase {
            kind: CaseKind::Return,
            title: "七天无理由退货".into(),
            customer_name: "李雷".into(),
            customer_phone: "13900002222".into(),
            order_number: None,
        };
        let created = apply(
            None,
            &receipt(
                1,
                "demo",
                Op::Create {
                    fields: new.fields(),
                },
            ),
        );
        let edited = apply(
            Some(created),
            &receipt(
                2,
                "admin",
                Op::Set {
                    field: field::STATUS.into(),
                    value: json!("resolved"),
                    supersedes: vec![Uuid::from_u128(1)],
                },
            ),
        );
        let noted = apply(
            Some(edited),
            &receipt(
                3,
                "lead",
                Op::Append {
                    event: Uuid::from_u128(30),
                    kind: event::NOTE.into(),
                    data: note_data("已退款"),
                },
            ),
        );
        let view = Case::from_record(&noted).expect("a live case");
        assert_eq!(view.kind, CaseKind::Return);
        assert_eq!(view.status, CaseStatus::Resolved);
        assert_eq!(view.order_number, None);
        // The first receiver stays owner whoever edits later.
        assert_eq!((view.owner.as_str(), view.created_at), ("demo", at(1)));
        let timeline = notes(&noted);
        assert_eq!(timeline.len(), 1);
        assert_eq!(
            (timeline[0].author.as_str(), timeline[0].body.as_str()),
            ("lead", "已退款")
        );

        let deleted = apply(Some(noted), &receipt(4, "admin", Op::Delete));
        assert_eq!(Case::from_record(&deleted), None);
    }
}
