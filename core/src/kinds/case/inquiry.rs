//! The quick inquiry log (咨询登记, seed 000 §4, §8.3; SPEC §1): what an agent records of one
//! inquiry, stored as a case of kind `inquiry` with the inquiry fields named here.
//! Here: the outcomes, how an inquiry becomes a case's first values, and how a case's title
//! is made from the question, so the agent types each thing once; and which cases still owe
//! the customer a promised reply.

use crate::input::{InputError, NOTE_MAX_CHARS, check_list_id, text_within};
use crate::kinds::CaseWorkflow;
use crate::kinds::case::{Case, CaseKind, CaseStatus, check_new_case, field as case_field};
use crate::kinds::customer::Customer;
use crate::lang::Bilingual;
use crate::rules::reply_promise::{PromiseState, promise_state};
use crate::rules::working_hours::WorkingClock;
use crate::sync::Op;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The inquiry log's fields on a case.
pub mod field {
    /// A policy channel id.
    pub const CHANNEL: &str = "channel";
    /// The linked customer record's id, or null.
    pub const CUSTOMER: &str = "customer";
    /// A policy inquiry category id.
    pub const CATEGORY: &str = "category";
    pub const QUESTION: &str = "question";
    /// The answer given; a text the customer reads, so it is checked for banned phrases.
    pub const ANSWER: &str = "answer";
    /// [`super::InquiryOutcome`].
    pub const OUTCOME: &str = "outcome";
    /// The promised reply time (RFC 3339), or null: seed 000 §5.7(5).
    pub const REPLY_DUE: &str = "reply_due";
    /// The policy version (its id) the promised reply time was counted under, or null: what
    /// answers "why this deadline?" once holidays or working hours have changed.
    pub const REPLY_POLICY: &str = "reply_policy";
    /// An unusual, hard problem flagged for review: the problem record list (客户问题记录表,
    /// seed 000 §4.6). `true` or `false`.
    pub const PROBLEM: &str = "problem";
    pub const ALL: [&str; 9] = [
        CHANNEL,
        CUSTOMER,
        CATEGORY,
        QUESTION,
        ANSWER,
        OUTCOME,
        REPLY_DUE,
        REPLY_POLICY,
        PROBLEM,
    ];
}

/// The inquiry log as a workflow on a case.
pub struct InquiryLog;

impl CaseWorkflow for InquiryLog {
    fn fields(&self) -> &'static [&'static str] {
        &field::ALL
    }

    fn check_field(&self, name: &str, value: &Value) -> Result<(), InputError> {
        let text = value.as_str();
        match name {
            field::CHANNEL | field::CATEGORY => check_list_id(name, value),
            field::CUSTOMER if value.is_null() => Ok(()),
            field::CUSTOMER => text
                .and_then(|id| Uuid::parse_str(id).ok())
                .map(drop)
                .ok_or(InputError::LinkInvalid),
            field::QUESTION | field::ANSWER => text_within(
                value,
                NOTE_MAX_CHARS,
                InputError::BodyTooLong {
                    max: NOTE_MAX_CHARS,
                },
            )
            .map(drop),
            field::OUTCOME => text
                .and_then(InquiryOutcome::parse)
                .map(drop)
                .ok_or(InputError::OutcomeInvalid),
            field::PROBLEM if value.is_boolean() => Ok(()),
            field::REPLY_DUE | field::REPLY_POLICY if value.is_null() => Ok(()),
            field::REPLY_POLICY => text
                .and_then(|id| Uuid::parse_str(id).ok())
                .map(drop)
                .ok_or(InputError::PolicyVersionInvalid),
            field::REPLY_DUE => text
                .and_then(|due| DateTime::parse_from_rfc3339(due).ok())
                .map(drop)
                .ok_or(InputError::ReplyDueInvalid),
            _ => Err(InputError::FlagInvalid {
                field: name.to_owned(),
            }),
        }
    }

    fn customer_readable<'a>(&self, op: &'a Op) -> Option<(&'static str, &'a str)> {
        let answer = match op {
            Op::Create { fields } => fields.get(field::ANSWER),
            Op::Set { field, value, .. } if field == field::ANSWER => Some(value),
            _ => None,
        };
        answer
            .and_then(Value::as_str)
            .map(|answer| (field::ANSWER, answer))
    }
}

/// The longest title made from a question; the whole question stays in its own field.
pub const TITLE_FROM_QUESTION_CHARS: usize = 40;

/// How an inquiry ended (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryOutcome {
    Answered,
    /// The answer could not be given now: a reply is promised (seed 000 §5.7(5)).
    FollowUp,
    OrderPlaced,
    HandedOver,
}

impl InquiryOutcome {
    pub const ALL: [InquiryOutcome; 4] = [
        InquiryOutcome::Answered,
        InquiryOutcome::FollowUp,
        InquiryOutcome::OrderPlaced,
        InquiryOutcome::HandedOver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InquiryOutcome::Answered => "answered",
            InquiryOutcome::FollowUp => "follow_up",
            InquiryOutcome::OrderPlaced => "order_placed",
            InquiryOutcome::HandedOver => "handed_over",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }

    pub fn name(self) -> Bilingual {
        match self {
            InquiryOutcome::Answered => Bilingual::new("已解答", "Answered"),
            InquiryOutcome::FollowUp => Bilingual::new("需跟进", "Needs follow-up"),
            InquiryOutcome::OrderPlaced => Bilingual::new("已下单", "Order placed"),
            InquiryOutcome::HandedOver => {
                Bilingual::new("转其他部门", "Handed to another department")
            }
        }
    }

    /// The case's status once logged: an answered inquiry or a placed order is done; one that
    /// waits for a reply or for another department stays pending, and its owner keeps it
    /// (首接负责制).
    pub fn status(self) -> CaseStatus {
        match self {
            InquiryOutcome::Answered | InquiryOutcome::OrderPlaced => CaseStatus::Resolved,
            InquiryOutcome::FollowUp | InquiryOutcome::HandedOver => CaseStatus::Pending,
        }
    }

    /// Whether this outcome promises the customer a reply, so the log asks for its deadline.
    pub fn promises_reply(self) -> bool {
        self == InquiryOutcome::FollowUp
    }
}

/// One logged inquiry, as the agent typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInquiry {
    /// A policy channel id (`channels`).
    pub channel: String,
    pub customer: Option<Customer>,
    pub order_number: Option<String>,
    /// A policy inquiry category id (`inquiry_categories`).
    pub category: String,
    pub question: String,
    pub answer: String,
    pub outcome: InquiryOutcome,
    /// The promised reply time, for [`InquiryOutcome::FollowUp`] (`working_hours`).
    pub reply_due: Option<DateTime<Utc>>,
    /// The policy version `reply_due` was counted under.
    pub reply_policy: Option<Uuid>,
    /// An unusual, hard problem for the problem record list (seed 000 §4.6).
    pub problem: bool,
}

impl NewInquiry {
    /// What the log itself requires before saving (the server checks each field's value):
    /// a channel, a category and the question, so reports can count inquiries by both.
    pub fn check(&self) -> Result<(), InputError> {
        if self.channel.trim().is_empty() {
            return Err(InputError::ChannelMissing);
        }
        if self.category.trim().is_empty() {
            return Err(InputError::CategoryMissing);
        }
        if self.question.trim().is_empty() {
            return Err(InputError::QuestionEmpty);
        }
        check_new_case(&self.fields())
    }

    /// The case's first field values: the common case fields (the customer's name and phone
    /// copied, so the list and its search need no second lookup) and the inquiry's own.
    pub fn fields(&self) -> BTreeMap<String, Value> {
        let (customer_id, name, phone) = match &self.customer {
            Some(customer) => (
                json!(customer.id),
                customer.name.clone(),
                customer.phone.clone(),
            ),
            None => (Value::Null, String::new(), String::new()),
        };
        BTreeMap::from([
            (
                case_field::KIND.to_owned(),
                json!(CaseKind::Inquiry.as_str()),
            ),
            (
                case_field::TITLE.to_owned(),
                json!(title_from_question(&self.question)),
            ),
            (case_field::CUSTOMER_NAME.to_owned(), json!(name)),
            (case_field::CUSTOMER_PHONE.to_owned(), json!(phone)),
            (
                case_field::ORDER_NUMBER.to_owned(),
                json!(self.order_number),
            ),
            (
                case_field::STATUS.to_owned(),
                json!(self.outcome.status().as_str()),
            ),
            (field::CHANNEL.to_owned(), json!(self.channel)),
            (field::CUSTOMER.to_owned(), customer_id),
            (field::CATEGORY.to_owned(), json!(self.category)),
            (field::QUESTION.to_owned(), json!(self.question.trim())),
            (field::ANSWER.to_owned(), json!(self.answer.trim())),
            (field::OUTCOME.to_owned(), json!(self.outcome.as_str())),
            (field::REPLY_DUE.to_owned(), reply_due_value(self.reply_due)),
            (field::REPLY_POLICY.to_owned(), json!(self.reply_policy)),
            (field::PROBLEM.to_owned(), json!(self.problem)),
        ])
    }
}

/// The policy version a case's promised reply time was counted under, if it says.
pub fn reply_policy(record: &crate::record::Record) -> Option<Uuid> {
    record
        .value(field::REPLY_POLICY)
        .and_then(Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// A promised reply time as stored: RFC 3339 in UTC, or null for none.
pub fn reply_due_value(due: Option<DateTime<Utc>>) -> Value {
    due.map_or(Value::Null, |due| {
        json!(due.to_rfc3339_opts(SecondsFormat::Secs, true))
    })
}

/// A case's title from the question: its first line, cut at [`TITLE_FROM_QUESTION_CHARS`]
/// with an ellipsis, so the list shows what was asked.
pub fn title_from_question(question: &str) -> String {
    let first_line = question.trim().lines().next().unwrap_or_default().trim();
    if first_line.chars().count() <= TITLE_FROM_QUESTION_CHARS {
        return first_line.to_owned();
    }
    let mut title: String = first_line
        .chars()
        .take(TITLE_FROM_QUESTION_CHARS - 1)
        .collect();
    title.push('…');
    title
}

/// The customer a case links, if any.
pub fn linked_customer(value: Option<&Value>) -> Option<Uuid> {
    value
        .and_then(Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// One reply still owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwedReply<'a> {
    pub case: &'a Case,
    pub due: DateTime<Utc>,
    pub state: PromiseState,
}

/// The replies still owed at `now`: cases with a promised time that are not resolved or
/// closed, the earliest deadline first (overdue ones lead).
pub fn owed_replies<'a>(
    cases: &'a [impl Borrow<Case>],
    clock: &WorkingClock,
    now: DateTime<Utc>,
) -> Vec<OwedReply<'a>> {
    let mut owed: Vec<OwedReply> = cases
        .iter()
        .map(Borrow::<Case>::borrow)
        .filter(|case| matches!(case.status, CaseStatus::Open | CaseStatus::Pending))
        .filter_map(|case| {
            let due = case.reply_due?;
            Some(OwedReply {
                case,
                due,
                state: promise_state(clock, due, now),
            })
        })
        .collect();
    owed.sort_by(|a, b| a.due.cmp(&b.due).then(a.case.id.cmp(&b.case.id)));
    owed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_clock::local;
    use chrono::TimeZone;

    fn inquiry(outcome: InquiryOutcome) -> NewInquiry {
        NewInquiry {
            channel: "online_chat".into(),
            customer: Some(Customer {
                id: Uuid::from_u128(3),
                name: "王芳".into(),
                phone: "13800138000".into(),
                account: String::new(),
                address: String::new(),
                team: "east".into(),
            }),
            order_number: Some("SO-1".into()),
            category: "shipping_fee".into(),
            question: "偏远地区运费多少？\n收货地址是新疆".into(),
            answer: "新疆运费 15 元。".into(),
            outcome,
            reply_due: None,
            reply_policy: None,
            problem: false,
        }
    }

    #[test]
    fn each_outcome_sets_the_status_and_whether_a_reply_is_promised() {
        let table = [
            (InquiryOutcome::Answered, CaseStatus::Resolved, false),
            (InquiryOutcome::FollowUp, CaseStatus::Pending, true),
            (InquiryOutcome::OrderPlaced, CaseStatus::Resolved, false),
            (InquiryOutcome::HandedOver, CaseStatus::Pending, false),
        ];
        for (outcome, status, promises) in table {
            assert_eq!(outcome.status(), status, "{outcome:?}");
            assert_eq!(outcome.promises_reply(), promises, "{outcome:?}");
            assert_eq!(InquiryOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(InquiryOutcome::parse("done"), None);
    }

    #[test]
    fn the_title_is_the_question_s_first_line_cut_short() {
        let long = "请问".repeat(30);
        let table = [
            ("运费多少？", "运费多少？".to_owned()),
            ("  运费多少？\n在新疆  ", "运费多少？".to_owned()),
            (
                long.as_str(),
                format!(
                    "{}…",
                    "请问".repeat(20).chars().take(39).collect::<String>()
                ),
            ),
            ("", String::new()),
        ];
        for (question, title) in table {
            assert_eq!(title_from_question(question), title, "{question:?}");
        }
        assert_eq!(
            title_from_question(&long).chars().count(),
            TITLE_FROM_QUESTION_CHARS
        );
    }

    #[test]
    fn the_log_needs_a_channel_a_category_and_the_question() {
        let complete = inquiry(InquiryOutcome::Answered);
        let table = [
            (complete.clone(), Ok(())),
            (
                NewInquiry {
                    channel: " ".into(),
                    ..complete.clone()
                },
                Err(InputError::ChannelMissing),
            ),
            (
                NewInquiry {
                    category: String::new(),
                    ..complete.clone()
                },
                Err(InputError::CategoryMissing),
            ),
            (
                NewInquiry {
                    question: "\n".into(),
                    ..complete.clone()
                },
                Err(InputError::QuestionEmpty),
            ),
            (
                NewInquiry {
                    order_number: Some("SO 1".into()),
                    ..complete.clone()
                },
                Err(InputError::OrderNumberInvalid),
            ),
        ];
        for (inquiry, expected) in table {
            assert_eq!(inquiry.check(), expected, "{inquiry:?}");
        }
    }

    #[test]
    fn a_logged_inquiry_is_a_valid_new_case_linking_its_customer() {
        let mut follow_up = inquiry(InquiryOutcome::FollowUp);
        follow_up.reply_due = Some(Utc.with_ymd_and_hms(2026, 11, 24, 6, 30, 0).unwrap());
        let fields = follow_up.fields();
        assert_eq!(check_new_case(&fields), Ok(()));
        assert_eq!(fields[case_field::TITLE], json!("偏远地区运费多少？"));
        assert_eq!(fields[case_field::CUSTOMER_NAME], json!("王芳"));
        assert_eq!(fields[case_field::STATUS], json!("pending"));
        assert_eq!(fields[field::REPLY_DUE], json!("2026-11-24T06:30:00Z"));
        assert_eq!(
            linked_customer(fields.get(field::CUSTOMER)),
            Some(Uuid::from_u128(3))
        );

        let mut anonymous = inquiry(InquiryOutcome::Answered);
        anonymous.customer = None;
        let fields = anonymous.fields();
        assert_eq!(check_new_case(&fields), Ok(()));
        assert_eq!(fields[field::CUSTOMER], Value::Null);
        assert_eq!(fields[field::REPLY_DUE], Value::Null);
        assert_eq!(fields[field::PROBLEM], json!(false));
    }

    fn case(n: u128, status: CaseStatus, due: Option<&str>) -> Case {
        Case {
            id: Uuid::from_u128(n),
            kind: CaseKind::Inquiry,
            title: format!("case {n}"),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
            status,
            owner: "demo".into(),
            created_at: local("2026-03-02 09:00"),
            team: "east".into(),
            customer: None,
            reply_due: due.map(local),
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
    fn owed_replies_are_open_promises_earliest_first() {
        let cases = [
            case(1, CaseStatus::Pending, Some("2026-03-02 17:00")),
            case(2, CaseStatus::Pending, None),
            case(3, CaseStatus::Resolved, Some("2026-03-02 10:00")),
            case(4, CaseStatus::Open, Some("2026-03-02 11:00")),
            case(5, CaseStatus::Pending, Some("2026-03-02 16:30")),
            case(6, CaseStatus::Closed, Some("2026-03-02 09:30")),
        ];
        let owed = owed_replies(
            &cases,
            &WorkingClock::new(crate::policy::Policy::default_policy()),
            local("2026-03-02 15:45"),
        );
        let found: Vec<(u128, PromiseState)> = owed
            .iter()
            .map(|owed| (owed.case.id.as_u128(), owed.state))
            .collect();
        assert_eq!(
            found,
            [
                (4, PromiseState::Overdue),
                (5, PromiseState::DueSoon),
                (1, PromiseState::OnTime),
            ]
        );
    }
}
