//! Knowledge-base entries and quick phrases (快捷短语; seed 000 §4.6, §11; seed 002): standard
//! answers registered once and reused, and phrases inserted into an answer or a note with one
//! tap. Stored as records of type `knowledge`; this is their typed view, fields and search.
//!
//! An entry is team-wide (the team's leads keep it) or personal (its creator keeps it). Linking an entry from an inquiry records a recurrence on the
//! entry instead of registering the question again.

use crate::account::{Denied, Role, UserInfo};
use crate::input::{
    GROUP_MAX_CHARS, InputError, NOTE_MAX_CHARS, check_new_fields, check_title, text_within,
};
use crate::kinds::RecordKind;
use crate::record::{Record, RecordType, SHARED_TEAM};
use crate::sync::Op;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

pub mod field {
    /// `answer` or `phrase` ([`super::KnowledgeKind`]).
    pub const KIND: &str = "kind";
    pub const TITLE: &str = "title";
    /// The text inserted into an answer or a note.
    pub const BODY: &str = "body";
    /// An answer's inquiry category (policy `inquiry_categories`) or a phrase's moment
    /// (greeting, holding, closing…), for grouping in the picker.
    pub const GROUP: &str = "group";
    /// `true`: the creator's own entry; `false`: the team's. Fixed at creation.
    pub const PERSONAL: &str = "personal";
    pub const ALL: [&str; 5] = [KIND, TITLE, BODY, GROUP, PERSONAL];
    /// `true`: a lesson an agent drew from a resolved complaint (seed 000 §10.4), proposed for
    /// the team's knowledge base and not offered until a lead approves it (sets it `false`).
    /// Optional: entries made before it, and every other entry, have none.
    pub const DRAFT: &str = "draft";
    /// The complaint a draft was drawn from (a case id). Optional, like `draft`.
    pub const FROM_CASE: &str = "from_case";
    pub const OPTIONAL: [&str; 2] = [DRAFT, FROM_CASE];
}

pub mod event {
    /// An inquiry reused the entry (seed 000 §4.6: each main question is registered once):
    /// `{"case": "<case id>"}`.
    pub const RECURRENCE: &str = "recurrence";
}

/// The knowledge-base record kind.
pub struct KnowledgeBase;

impl RecordKind for KnowledgeBase {
    /// An admin's entries are the whole shop's (the standard phrases); a lead's, the team's.
    fn team_for_new(&self, user: &UserInfo) -> String {
        if user.role == Role::Admin {
            SHARED_TEAM.to_owned()
        } else {
            user.team.clone()
        }
    }

    fn may_change(
        &self,
        user: &UserInfo,
        existing: Option<&Record>,
        op: &Op,
    ) -> Result<(), Denied> {
        if user.role == Role::Packer {
            return Err(Denied::StationOnly);
        }
        may_change_knowledge(user, existing, op)
    }

    fn check_op(&self, op: &Op) -> Result<(), InputError> {
        match op {
            Op::Create { fields } => {
                let mut required = fields.clone();
                for name in field::OPTIONAL {
                    if let Some(value) = required.remove(name) {
                        check_knowledge_field(name, &value)?;
                    }
                }
                check_new_fields(&required, &field::ALL, check_knowledge_field)
            }
            Op::Set { field, .. } if field == field::PERSONAL => Err(InputError::FieldFixed {
                field: field.clone(),
            }),
            Op::Set { field, value, .. } => check_knowledge_field(field, value),
            Op::Append { kind, data, .. } => check_knowledge_event(kind, data),
            Op::Delete => Ok(()),
        }
    }
}

/// The knowledge base (seed 000 §4.6): the shop's entries (the standard phrases) are kept by
/// admins, the team's by its leads, a personal entry by whoever made it; any agent records
/// that an inquiry reused an entry. QA reads.
fn may_change_knowledge(user: &UserInfo, existing: Option<&Record>, op: &Op) -> Result<(), Denied> {
    if user.role == Role::Qa {
        return Err(Denied::ReadOnlyRole);
    }
    let keeps_team_entries = matches!(user.role, Role::TeamLead | Role::Supervisor | Role::Admin);
    let personal = match (op, existing) {
        (Op::Append { kind, .. }, _) => {
            return if kind == event::RECURRENCE {
                Ok(())
            } else {
                Err(Denied::EventNotAllowed { kind: kind.clone() })
            };
        }
        (Op::Create { fields }, _) => fields
            .get(field::PERSONAL)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        (_, Some(record)) => is_personal(record),
        // Changing an entry that does not exist: validation refuses it.
        (_, None) => return Ok(()),
    };
    let shop_wide = existing.is_some_and(|record| record.team == SHARED_TEAM);
    if shop_wide && user.role != Role::Admin {
        return Err(Denied::AdminOnly);
    }
    match (
        personal,
        existing.and_then(|record| record.created.as_ref()),
    ) {
        (true, Some(created)) if created.by != user.username && user.role != Role::Admin => {
            Err(Denied::NotYours)
        }
        (true, _) => Ok(()),
        (false, _) if keeps_team_entries => Ok(()),
        // An agent proposes a lesson for the team's knowledge base; only a lead approves it.
        (false, None) if proposes_a_draft(op) => Ok(()),
        (false, _) => Err(Denied::LeadsOnly),
    }
}

/// Whether `op` creates an entry as a draft waiting for a lead.
fn proposes_a_draft(op: &Op) -> bool {
    matches!(op, Op::Create { fields } if fields.get(field::DRAFT) == Some(&Value::Bool(true)))
}

/// One knowledge entry's field value. `personal` is only ever given at creation.
pub fn check_knowledge_field(name: &str, value: &Value) -> Result<(), InputError> {
    match name {
        field::KIND => value
            .as_str()
            .and_then(KnowledgeKind::parse)
            .map(drop)
            .ok_or(InputError::KnowledgeKindInvalid),
        field::TITLE => check_title(value.as_str().ok_or(InputError::TitleEmpty)?),
        field::BODY => {
            let body = value.as_str().ok_or(InputError::BodyEmpty)?;
            let chars = body.trim().chars().count();
            if chars == 0 {
                Err(InputError::BodyEmpty)
            } else if chars > NOTE_MAX_CHARS {
                Err(InputError::BodyTooLong {
                    max: NOTE_MAX_CHARS,
                })
            } else {
                Ok(())
            }
        }
        field::GROUP => {
            let invalid = InputError::GroupInvalid {
                max: GROUP_MAX_CHARS,
            };
            let group = text_within(value, GROUP_MAX_CHARS, invalid.clone())?;
            if group.trim().is_empty() {
                Err(invalid)
            } else {
                Ok(())
            }
        }
        field::PERSONAL | field::DRAFT if value.is_boolean() => Ok(()),
        field::DRAFT => Err(InputError::FlagInvalid {
            field: name.to_owned(),
        }),
        field::FROM_CASE => value
            .as_str()
            .and_then(|id| Uuid::parse_str(id).ok())
            .map(drop)
            .ok_or(InputError::LinkInvalid),
        field::PERSONAL => Err(InputError::FieldFixed {
            field: name.to_owned(),
        }),
        other => Err(InputError::UnknownField {
            field: other.to_owned(),
        }),
    }
}

fn check_knowledge_event(kind: &str, data: &Value) -> Result<(), InputError> {
    match kind {
        event::RECURRENCE => data["case"]
            .as_str()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map(drop)
            .ok_or(InputError::LinkInvalid),
        other => Err(InputError::UnknownEvent {
            kind: other.to_owned(),
        }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnowledgeKind {
    /// A standard answer to a recurring question.
    Answer,
    /// A quick phrase (greeting, holding, closing…).
    Phrase,
}

impl KnowledgeKind {
    pub const ALL: [KnowledgeKind; 2] = [KnowledgeKind::Answer, KnowledgeKind::Phrase];

    pub fn as_str(self) -> &'static str {
        match self {
            KnowledgeKind::Answer => "answer",
            KnowledgeKind::Phrase => "phrase",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// The moments a quick phrase is for (seed 001 "标准用语"): a phrase's `group`. An answer's
/// group is an inquiry category of the policy instead.
pub const PHRASE_GROUPS: [(&str, &str, &str); 4] = [
    ("greeting", "问候", "Greeting"),
    ("holding", "等候", "Holding"),
    ("closing", "结束", "Closing"),
    ("other", "其他", "Other"),
];

/// The shop's standard phrases (seed 001 "标准用语", seed 000 §6.4): greeting, holding and
/// closing, which every team sees and only an admin changes. Each has a fixed record id, so
/// servers that seed them at once (several instances) store each once.
pub const STANDARD_PHRASES: [(u128, &str, &str, &str); 6] = [
    (
        1,
        "greeting",
        "问候",
        "您好，很高兴为您服务，请问有什么可以帮您？",
    ),
    (2, "holding", "请稍候", "请您稍等，我马上为您查询。"),
    (3, "holding", "等候后致谢", "谢谢您的耐心等待。"),
    (
        4,
        "closing",
        "复述并询问",
        "跟您确认一下刚才说的信息。请问还有其他可以帮您的吗？",
    ),
    (
        5,
        "closing",
        "欢迎再联系",
        "如果您还有其他问题，请随时通过在线客服或电话联系我们。感谢您提出的宝贵意见和建议！",
    ),
    (6, "closing", "感谢来电", "感谢您的来电，祝您生活愉快！"),
];

/// The record id of standard phrase `n` of [`STANDARD_PHRASES`].
pub fn standard_phrase_id(n: u128) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_7000_8000_0000_0001_0000 + n)
}

/// Each standard phrase as a new shop-wide entry, with its record id.
pub fn standard_phrases() -> impl Iterator<Item = (Uuid, NewKnowledge)> {
    STANDARD_PHRASES.into_iter().map(|(n, group, title, body)| {
        let phrase = NewKnowledge {
            kind: KnowledgeKind::Phrase,
            title: title.into(),
            body: body.into(),
            group: group.into(),
            personal: false,
        };
        (standard_phrase_id(n), phrase)
    })
}

/// What a user types to add an entry; becomes the record's first field values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKnowledge {
    pub kind: KnowledgeKind,
    pub title: String,
    pub body: String,
    pub group: String,
    pub personal: bool,
}

impl NewKnowledge {
    pub fn fields(&self) -> BTreeMap<String, Value> {
        BTreeMap::from([
            (field::KIND.to_owned(), json!(self.kind.as_str())),
            (field::TITLE.to_owned(), json!(self.title)),
            (field::BODY.to_owned(), json!(self.body)),
            (field::GROUP.to_owned(), json!(self.group)),
            (field::PERSONAL.to_owned(), json!(self.personal)),
        ])
    }
}

/// An entry as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Knowledge {
    pub id: Uuid,
    pub kind: KnowledgeKind,
    pub title: String,
    pub body: String,
    pub group: String,
    pub personal: bool,
    /// Who created it: for a personal entry, the only one who may change it.
    pub owner: String,
    pub team: String,
    /// How many inquiries reused it.
    pub recurrences: usize,
    /// Waiting for a lead's approval: shown on the knowledge page, offered nowhere else.
    #[serde(default)]
    pub draft: bool,
}

impl Knowledge {
    /// `None` for another type of record, or one not created yet or deleted.
    pub fn from_record(record: &Record) -> Option<Knowledge> {
        if record.record_type != RecordType::Knowledge || !record.is_live() {
            return None;
        }
        let created = record.created.as_ref()?;
        Some(Knowledge {
            id: record.id,
            kind: KnowledgeKind::parse(&record.text(field::KIND)).unwrap_or(KnowledgeKind::Answer),
            title: record.text(field::TITLE),
            body: record.text(field::BODY),
            group: record.text(field::GROUP),
            personal: is_personal(record),
            owner: created.by.clone(),
            team: record.team.clone(),
            recurrences: record
                .events
                .iter()
                .filter(|event| event.kind == event::RECURRENCE)
                .count(),
            draft: record
                .value(field::DRAFT)
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }
}

/// Whether a stored entry is its creator's own.
pub fn is_personal(record: &Record) -> bool {
    record
        .value(field::PERSONAL)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Search as an agent types: every word of the query (split on spaces) must appear in the
/// title or the body, ignoring case. Chinese is written without spaces, so a word is matched
/// as a substring, not as a whole word: "运费" finds "江浙沪运费说明".
pub fn knowledge_matches(entry: &Knowledge, query: &str) -> bool {
    let haystack = format!("{}\n{}", entry.title, entry.body).to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

/// The standard answers an agent may mean while typing a customer's question (seed 000 §4.6:
/// register each main question once), best first, at most `limit`. A question rarely repeats
/// an entry's words exactly, and Chinese has no spaces, so they are compared by the pairs of
/// neighbouring characters (bigrams) they share, a title's counting double; Latin words count
/// whole. Entries sharing nothing are left out; ties keep `entries`' order.
pub fn suggest_answers<'a>(
    entries: &'a [Knowledge],
    question: &str,
    limit: usize,
) -> Vec<&'a Knowledge> {
    let wanted = terms(question);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, usize, &Knowledge)> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.kind == KnowledgeKind::Answer && !entry.draft)
        .filter_map(|(index, entry)| {
            let title = terms(&entry.title);
            let body = terms(&entry.body);
            let score: usize = wanted
                .iter()
                .map(|term| {
                    2 * usize::from(title.contains(term)) + usize::from(body.contains(term))
                })
                .sum();
            (score > 0).then_some((score, index, entry))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, _, entry)| entry)
        .collect()
}

/// A text's search terms: lowercase Latin words and digit runs, and each pair of neighbouring
/// CJK characters (a lone one counts alone). Punctuation separates terms.
fn terms(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut word = String::new();
    let mut previous_cjk: Option<char> = None;
    for c in text.to_lowercase().chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                found.insert(std::mem::take(&mut word));
            }
            match previous_cjk {
                Some(previous) => {
                    found.insert(format!("{previous}{c}"));
                }
                None => {
                    found.insert(c.to_string());
                }
            }
            previous_cjk = Some(c);
        } else {
            previous_cjk = None;
            if c.is_alphanumeric() {
                word.push(c);
            } else if !word.is_empty() {
                found.insert(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        found.insert(word);
    }
    found
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The data of a recurrence event linking `case`.
pub fn recurrence_data(case: Uuid) -> Value {
    json!({ "case": case })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, body: &str) -> Knowledge {
        Knowledge {
            id: Uuid::from_u128(1),
            kind: KnowledgeKind::Answer,
            title: title.into(),
            body: body.into(),
            group: "shipping_fee".into(),
            personal: false,
            owner: "lead".into(),
            team: "east".into(),
            recurrences: 0,
            draft: false,
        }
    }

    #[test]
    fn an_agent_proposes_a_lesson_as_a_draft_and_only_a_lead_approves_it() {
        use crate::account::UserInfo;
        use crate::record::{Receipt, apply};
        use crate::sync::Change;
        let user = |role: Role| UserInfo {
            username: role.as_str().into(),
            display_name: String::new(),
            role,
            team: "east".into(),
        };
        let mut fields = NewKnowledge {
            kind: KnowledgeKind::Answer,
            title: "物流慢的投诉".into(),
            body: "先道歉，再查物流并加急".into(),
            group: "other".into(),
            personal: false,
        }
        .fields();
        let plain = Op::Create {
            fields: fields.clone(),
        };
        fields.insert(field::DRAFT.into(), json!(true));
        fields.insert(field::FROM_CASE.into(), json!(Uuid::from_u128(7)));
        let draft = Op::Create {
            fields: fields.clone(),
        };
        let kind = KnowledgeBase;
        assert_eq!(kind.check_op(&draft), Ok(()));
        assert_eq!(kind.may_change(&user(Role::Agent), None, &draft), Ok(()));
        assert_eq!(
            kind.may_change(&user(Role::Agent), None, &plain),
            Err(Denied::LeadsOnly)
        );
        assert_eq!(
            kind.may_change(&user(Role::Qa), None, &draft),
            Err(Denied::ReadOnlyRole)
        );
        let stored = apply(
            None,
            &Receipt::on_server(
                Change {
                    change_id: Uuid::from_u128(1),
                    device: Uuid::from_u128(2),
                    stamp: crate::hlc::Hlc::new(1, 0),
                    record_type: RecordType::Knowledge,
                    record_id: Uuid::from_u128(3),
                    op: draft,
                },
                "agent",
                "east",
                chrono::DateTime::UNIX_EPOCH,
            ),
        );
        assert!(Knowledge::from_record(&stored).unwrap().draft);
        let approve = Op::Set {
            field: field::DRAFT.into(),
            value: json!(false),
            supersedes: vec![],
        };
        assert_eq!(
            kind.may_change(&user(Role::Agent), Some(&stored), &approve),
            Err(Denied::LeadsOnly)
        );
        assert_eq!(
            kind.may_change(&user(Role::TeamLead), Some(&stored), &approve),
            Ok(())
        );
        let mut broken = fields;
        broken.insert(field::FROM_CASE.into(), json!("not a case"));
        assert_eq!(
            kind.check_op(&Op::Create { fields: broken }),
            Err(InputError::LinkInvalid)
        );
    }

    #[test]
    fn a_draft_is_not_suggested_until_approved() {
        let draft = Knowledge {
            draft: true,
            ..entry("退货运费谁出", "草稿：江浙沪补贴 6 元")
        };
        let approved = entry("退货运费说明", "江浙沪补贴 6 元");
        let entries = [draft, approved];
        let titles: Vec<&str> = suggest_answers(&entries, "退货运费", 5)
            .into_iter()
            .map(|entry| entry.title.as_str())
            .collect();
        assert_eq!(titles, ["退货运费说明"]);
    }

    #[test]
    fn search_matches_substrings_in_chinese_and_words_in_english() {
        let fee = entry("江浙沪运费说明", "江浙沪满 59 元包邮，其他地区 8 元。");
        let wait = entry("Holding", "Thank you for your patience 谢谢您的耐心等待");
        let cases = [
            (&fee, "运费", true),
            (&fee, "江浙沪", true),
            (&fee, "包邮", true),
            (&fee, "运费 包邮", true),
            (&fee, "运费 退货", false),
            (&fee, "快递", false),
            (&wait, "patience", true),
            (&wait, "PATIENCE", true),
            (&wait, "thank patience", true),
            (&wait, "耐心", true),
            (&wait, "refund", false),
            (&wait, "", true),
            (&wait, "   ", true),
        ];
        for (entry, query, expected) in cases {
            assert_eq!(
                knowledge_matches(entry, query),
                expected,
                "{query:?} in {:?}",
                entry.title
            );
        }
    }

    #[test]
    fn standard_phrases_are_valid_new_entries_with_distinct_ids() {
        let mut ids = std::collections::BTreeSet::new();
        for (id, phrase) in standard_phrases() {
            let create = crate::sync::Change {
                change_id: id,
                device: Uuid::nil(),
                stamp: crate::hlc::Hlc::new(0, 0),
                record_type: RecordType::Knowledge,
                record_id: id,
                op: crate::sync::Op::Create {
                    fields: phrase.fields(),
                },
            };
            assert_eq!(
                crate::validate::check_change(None, &create),
                Ok(()),
                "{phrase:?}"
            );
            assert!(ids.insert(id), "{phrase:?}");
        }
        assert_eq!(ids.len(), STANDARD_PHRASES.len());
    }

    #[test]
    fn no_standard_phrase_is_banned() {
        let checker = crate::policy::Policy::default_policy().banned_phrases();
        for (_, _, title, body) in STANDARD_PHRASES {
            assert_eq!(checker.find(body), Vec::new(), "{title}");
        }
    }

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_refused() {
        for kind in KnowledgeKind::ALL {
            assert_eq!(KnowledgeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(KnowledgeKind::parse("script"), None);
    }

    #[test]
    fn answers_are_suggested_by_shared_character_pairs_best_first() {
        let phrase = Knowledge {
            kind: KnowledgeKind::Phrase,
            ..entry("运费问候", "您好，运费马上为您查询")
        };
        let entries = [
            entry("江浙沪退货运费补贴", "江浙沪补贴 6 元，其他地区 10–15 元。"),
            entry("发货时间", "下单后 48 小时内发货。"),
            entry("偏远地区运费", "新疆、西藏运费另计。"),
            entry("Password reset", "Use the reset link on the login page."),
            phrase,
        ];
        let table: [(&str, &[&str]); 7] = [
            ("退货的运费谁出？", &["江浙沪退货运费补贴", "偏远地区运费"]),
            ("新疆运费多少", &["偏远地区运费", "江浙沪退货运费补贴"]),
            ("什么时候发货", &["发货时间"]),
            ("how do I reset my PASSWORD", &["Password reset"]),
            ("你好", &[]),
            ("", &[]),
            ("！？", &[]),
        ];
        for (question, expected) in table {
            let found: Vec<&str> = suggest_answers(&entries, question, 5)
                .iter()
                .map(|entry| entry.title.as_str())
                .collect();
            assert_eq!(found, expected, "{question:?}");
        }
        assert_eq!(suggest_answers(&entries, "运费", 1).len(), 1);
    }

    #[test]
    fn every_standard_phrase_has_a_known_moment() {
        for (_, group, title, _) in STANDARD_PHRASES {
            assert!(
                PHRASE_GROUPS.iter().any(|(id, _, _)| *id == group),
                "{title}: {group}"
            );
        }
    }
}
