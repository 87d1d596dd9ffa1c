//! The case record kind: one customer matter (inquiry, return, complaint, feedback), stored as
//! a [`Record`] of type `case`. Here are its common fields, its notes, its typed view for the
//! case list, and `in_workflows!`: the one table of the workflows a case can carry, each in its
//! own file below, which own every other field and event of a case.

pub mod after_sales_situation;
pub mod callback;
pub mod compensations;
pub mod complaint_report;
pub mod escalation;
pub mod incident;
pub mod inquiry;
pub mod order_follow_up;
pub mod pin;
pub mod qa_review;
pub mod return_follow_up;
pub mod returns;
pub mod sales;
pub mod script_steps;

use crate::account::{Denied, Role, UserInfo, roles};
use crate::input::{
    InputError, NAME_MAX_CHARS, check_customer_name, check_note_body, check_order_number,
    check_phone, check_title,
};
use crate::kinds::{CaseWorkflow, Context, EventRule, RecordKind};
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::record::{Event, Record, RecordType};
use crate::sync::Op;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The fields every case has from its creation: the facts an agent records and may edit.
/// Each is merged on its own; the workflows' fields are named in their files.
pub mod field {
    pub const KIND: &str = "kind";
    pub const TITLE: &str = "title";
    pub const CUSTOMER_NAME: &str = "customer_name";
    pub const CUSTOMER_PHONE: &str = "customer_phone";
    pub const ORDER_NUMBER: &str = "order_number";
    pub const STATUS: &str = "status";
    pub const ALL: [&str; 6] = [
        KIND,
        TITLE,
        CUSTOMER_NAME,
        CUSTOMER_PHONE,
        ORDER_NUMBER,
        STATUS,
    ];
}

/// The timeline entry every case has; the workflows' entries are named in their files.
pub mod event {
    /// What an agent wrote down: `{"body": "…"}`.
    pub const NOTE: &str = "note";
}

/// Every workflow a case can carry, in the order their checks run: the one table. A new
/// workflow is a file beside this one and a line here.
///
/// `in_workflows!(find |w| body)` runs `body` with `w` bound to each workflow in turn and
/// gives the first `Some` it returns; `in_workflows!(each |w| body)` gives an array of every
/// workflow's `body`. A macro rather than a slice of `&dyn CaseWorkflow`, for the reason
/// [`crate::kinds::with_kind`] is one: each call links only the methods it calls, so the device,
/// which asks who may add an entry, does not carry every workflow's policy checks.
macro_rules! in_workflows {
    ($how:ident |$workflow:ident| $body:expr) => {
        in_workflows!(@$how |$workflow| $body;
            Notes,
            inquiry::InquiryLog,
            order_follow_up::OrderFollowUp,
            sales::SalesStages,
            returns::Returns,
            return_follow_up::ReturnFollowUp,
            after_sales_situation::AfterSalesSituations,
            compensations::Compensations,
            script_steps::ScriptSteps,
            escalation::Escalations,
            callback::Callbacks,
            pin::Pins,
            incident::Incidents,
            qa_review::QaReviews,
        )
    };
    (@find |$workflow:ident| $body:expr; $($each:path,)+) => {
        'found: {
            $(
                let $workflow = &$each;
                if let Some(found) = $body {
                    break 'found Some(found);
                }
            )+
            None
        }
    };
    (@each |$workflow:ident| $body:expr; $($each:path,)+) => {
        [$({
            let $workflow = &$each;
            $body
        }),+]
    };
}

/// The case record kind.
pub struct Cases;

impl RecordKind for Cases {
    fn may_change(
        &self,
        user: &UserInfo,
        existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        match op {
            Op::Delete if user.role != Role::Admin => Err(Denied::AdminOnly),
            Op::Delete => Ok(()),
            Op::Append { kind, .. } => in_workflows!(
                find | workflow | {
                    let rule = workflow.events().iter().find(|rule| rule.kind == kind);
                    rule.map(|rule| {
                        workflow.may_append(user, existing, kind)?;
                        if rule.roles.contains(&user.role) {
                            Ok(())
                        } else {
                            Err(Denied::EventNotAllowed { kind: kind.clone() })
                        }
                    })
                }
            )
            .unwrap_or_else(|| Err(Denied::UndeclaredEvent { kind: kind.clone() })),
            Op::Create { .. } | Op::Set { .. } if user.role == Role::Qa => {
                Err(Denied::ReadOnlyRole)
            }
            Op::Create { .. } | Op::Set { .. } if user.role == Role::Packer => {
                Err(Denied::StationOnly)
            }
            Op::Create { fields } => match fields.keys().find(|name| !is_case_field(name)) {
                Some(name) => Err(Denied::UndeclaredField {
                    field: name.clone(),
                }),
                None => Ok(()),
            },
            Op::Set { field, .. } if !is_case_field(field) => Err(Denied::UndeclaredField {
                field: field.clone(),
            }),
            Op::Set { .. } => Ok(()),
        }
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        match op {
            Op::Create { fields } => check_new_case(fields),
            Op::Set { field, value, .. } => check_case_field(field, value),
            Op::Append { kind, data, .. } => check_case_event(kind, data),
            Op::Delete => Ok(()),
        }
    }

    fn check_in_context(&self, context: &Context) -> Result<(), Bilingual> {
        match in_workflows!(find | workflow | workflow.check_in_context(context).err()) {
            Some(refused) => Err(refused),
            None => Ok(()),
        }
    }

    fn hide_unreadable(&self, user: &UserInfo, record: &mut Record) {
        record.events.retain(|event| may_read_event(user, event));
    }
}

/// Whether `user`, who sees the case, may read `event`: as the workflow that declares it
/// says; an entry no workflow declares is read by nobody.
fn may_read_event(user: &UserInfo, event: &Event) -> bool {
    in_workflows!(
        find | workflow | {
            let declares = workflow.events().iter().any(|rule| rule.kind == event.kind);
            declares.then(|| workflow.may_read(user, event))
        }
    )
    .unwrap_or(false)
}

/// The text a customer may read that `op` writes to a case, and where it sits (a field or
/// entry name): each such text is checked for banned phrases (`incident`).
pub fn customer_readable_text(op: &Op) -> Option<(&'static str, &str)> {
    in_workflows!(find | workflow | workflow.customer_readable(op))
}

/// Whether a case has the field `name`: a common one, or one a workflow owns.
fn is_case_field(name: &str) -> bool {
    field::ALL.contains(&name) || is_workflow_field(name)
}

/// Whether a workflow owns the optional field `name`.
fn is_workflow_field(name: &str) -> bool {
    in_workflows!(find | workflow | workflow.fields().contains(&name).then_some(())).is_some()
}

/// One case field's value, common or a workflow's.
pub fn check_case_field(name: &str, value: &Value) -> Result<(), InputError> {
    if !field::ALL.contains(&name) {
        let owner_check = in_workflows!(
            find | workflow | {
                let owns = workflow.fields().contains(&name);
                owns.then(|| workflow.check_field(name, value))
            }
        );
        return owner_check.unwrap_or_else(|| {
            Err(InputError::UnknownField {
                field: name.to_owned(),
            })
        });
    }
    let text = value.as_str();
    match name {
        field::TITLE => check_title(text.ok_or(InputError::TitleEmpty)?),
        field::CUSTOMER_NAME => check_customer_name(text.ok_or(InputError::NameTooLong {
            max: NAME_MAX_CHARS,
        })?),
        field::CUSTOMER_PHONE => check_phone(text.ok_or(InputError::PhoneInvalid)?),
        field::ORDER_NUMBER if value.is_null() => Ok(()),
        field::ORDER_NUMBER => {
            check_order_number(Some(text.ok_or(InputError::OrderNumberInvalid)?))
        }
        field::KIND => text
            .and_then(CaseKind::parse)
            .map(drop)
            .ok_or(InputError::KindInvalid),
        _ => text
            .and_then(CaseStatus::parse)
            .map(drop)
            .ok_or(InputError::StatusInvalid),
    }
}

/// One case timeline entry's data, by the workflow that owns its kind.
pub fn check_case_event(kind: &str, data: &Value) -> Result<(), InputError> {
    let owner_check = in_workflows!(
        find | workflow | {
            let owns = workflow.events().iter().any(|rule| rule.kind == kind);
            owns.then(|| workflow.check_event(kind, data))
        }
    );
    owner_check.unwrap_or_else(|| {
        Err(InputError::UnknownEvent {
            kind: kind.to_owned(),
        })
    })
}

/// A new case's first values: every common field present, the workflows' where given, each
/// valid, nothing else.
pub fn check_new_case(fields: &BTreeMap<String, Value>) -> Result<(), InputError> {
    fields
        .iter()
        .filter(|(name, _)| is_workflow_field(name))
        .try_for_each(|(name, value)| check_case_field(name, value))?;
    for name in field::ALL {
        let value = fields.get(name).ok_or_else(|| InputError::MissingField {
            field: name.to_owned(),
        })?;
        check_case_field(name, value)?;
    }
    match fields.keys().find(|name| !is_case_field(name)) {
        Some(unknown) => Err(InputError::UnknownField {
            field: unknown.clone(),
        }),
        None => Ok(()),
    }
}

/// Notes: what anyone working the case, at the desk or the station, writes down.
pub struct Notes;

impl CaseWorkflow for Notes {
    fn events(&self) -> &'static [EventRule] {
        &[EventRule {
            kind: event::NOTE,
            roles: roles::DESK_AND_STATION,
        }]
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        check_note_body(data["body"].as_str().ok_or(InputError::NoteEmpty)?)
    }

    fn customer_readable<'a>(&self, op: &'a Op) -> Option<(&'static str, &'a str)> {
        match op {
            Op::Append { kind, data, .. } if kind == event::NOTE => {
                data["body"].as_str().map(|body| (event::NOTE, body))
            }
            _ => None,
        }
    }
}

/// What kind of work a case is; each later gets its own flow (SPEC §1, §3, §4, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

    /// Its name, as reports and their CSV files write it (the screens use the locale files).
    pub fn name(self) -> Bilingual {
        let (zh, en) = match self {
            CaseKind::Inquiry => ("咨询", "Inquiry"),
            CaseKind::Return => ("退换货", "Return / exchange"),
            CaseKind::Complaint => ("投诉", "Complaint"),
            CaseKind::Feedback => ("反馈建议", "Feedback"),
        };
        Bilingual::new(zh, en)
    }

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
    /// Its escalations to the supervisor, for the supervisor's queue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<escalation::Escalated>,
    /// Its callbacks, for the supervisor's list and the monthly figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callbacks: Vec<callback::Callback>,
    /// Where its guided script stands, for the complaints page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<script_steps::ScriptSummary>,
    /// Its open pin (置顶), for the pinned list every shift reads first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<pin::Pin>,
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
            customer: inquiry::linked_customer(record.value(inquiry::field::CUSTOMER)),
            reply_due: record
                .value(inquiry::field::REPLY_DUE)
                .and_then(Value::as_str)
                .and_then(|due| DateTime::parse_from_rfc3339(due).ok())
                .map(|due| due.with_timezone(&Utc)),
            problem: record
                .value(inquiry::field::PROBLEM)
                .and_then(Value::as_bool)
                .unwrap_or(false),
            return_tracking: record
                .value(returns::field::RETURN_TRACKING)
                .and_then(Value::as_str)
                .map(str::to_owned),
            order_amount: record
                .value(order_follow_up::field::ORDER_AMOUNT)
                .and_then(|amount| serde_json::from_value(amount.clone()).ok()),
            escalations: escalation::escalations(record),
            callbacks: callback::callbacks(record),
            script: script_steps::script_summary(record),
            pin: pin::open_pin(record),
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

    #[test]
    fn each_field_and_entry_belongs_to_one_workflow() {
        let mut fields: Vec<&str> = field::ALL.to_vec();
        let mut kinds: Vec<&str> = Vec::new();
        for (owned_fields, owned_events) in in_workflows!(each | w | (w.fields(), w.events())) {
            fields.extend(owned_fields);
            kinds.extend(owned_events.iter().map(|rule| rule.kind));
        }
        let (field_count, kind_count) = (fields.len(), kinds.len());
        fields.sort();
        fields.dedup();
        kinds.sort();
        kinds.dedup();
        assert_eq!(fields.len(), field_count, "a field owned twice: {fields:?}");
        assert_eq!(kinds.len(), kind_count, "an entry owned twice: {kinds:?}");
        // Every name the case list and the other kinds read is declared by someone.
        assert!(is_case_field(inquiry::field::REPLY_DUE));
        assert!(is_case_field(returns::field::RETURN_TRACKING));
        assert!(kinds.contains(&returns::event::INSPECTION));
        assert!(!is_case_field("vip_level"));
        assert!(matches!(
            check_case_event("refund_now", &json!({})),
            Err(InputError::UnknownEvent { .. })
        ));
    }

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
            escalations: Vec::new(),
            callbacks: Vec::new(),
            script: None,
            pin: None,
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
