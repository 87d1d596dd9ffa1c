//! Banned-phrase incidents (服务禁语, seed 001 §14; SPEC §7): a text a customer may read that
//! holds a banned phrase is still saved, and an incident is recorded on its record: who, when,
//! which phrases, the text. The device records it as the agent saves; the server records it
//! again for every text it accepts, so a device cannot skip the rule. Both derive the
//! incident's id from the change that carried the text, so the record keeps one incident.

use crate::account::{UserInfo, roles};
use crate::input::InputError;
use crate::kinds::case::customer_readable_text;
use crate::kinds::{CaseWorkflow, EventRule};
use crate::policy::banned_phrases::BannedPhraseChecker;
use crate::record::{Event, Record, RecordType};
use crate::sync::{Change, Op};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

/// The namespace of incident ids (UUIDv5 of the causing change id).
const INCIDENT_NAMESPACE: Uuid = Uuid::from_u128(0x6b65_6675_0000_4000_8000_696e_6364_0001);

/// The incidents' timeline entry.
pub mod event {
    /// A banned phrase in a text a customer may read: `{"change", "source", "text",
    /// "matches": [{"phrase", "alternative", "start", "end"}]}`.
    pub const BANNED_PHRASE: &str = "banned_phrase";
}

/// Banned-phrase incidents as a workflow on a case.
pub struct Incidents;

impl CaseWorkflow for Incidents {
    fn events(&self) -> &'static [EventRule] {
        &[EventRule {
            kind: event::BANNED_PHRASE,
            roles: roles::DESK,
        }]
    }

    /// An incident is read by whoever wrote the text and by those who oversee the team, not
    /// by the rest of the team (issue 27).
    fn may_read(&self, user: &UserInfo, event: &Event) -> bool {
        roles::OVERSIGHT.contains(&user.role) || event.origin.by == user.username
    }

    fn check_event(&self, _kind: &str, data: &Value) -> Result<(), InputError> {
        let names_change = data["change"]
            .as_str()
            .is_some_and(|id| Uuid::parse_str(id).is_ok());
        let found_some = data["matches"]
            .as_array()
            .is_some_and(|found| !found.is_empty());
        if names_change && found_some {
            Ok(())
        } else {
            Err(InputError::IncidentInvalid)
        }
    }
}

/// The incident `change` brings: an event on the same record, made by the same device at the
/// same stamp, or `None` when its text (if any) holds no banned phrase.
pub fn incident_for(change: &Change, checker: &BannedPhraseChecker) -> Option<Change> {
    if change.record_type != RecordType::Case {
        return None;
    }
    let (source, text) = customer_readable_text(&change.op)?;
    let found = checker.find(text);
    if found.is_empty() {
        return None;
    }
    let matches: Vec<Value> = found
        .iter()
        .map(|found| {
            json!({
                "phrase": found.phrase,
                "alternative": found.alternative,
                "start": found.chars.start,
                "end": found.chars.end,
            })
        })
        .collect();
    let id = incident_id(change.change_id);
    Some(Change {
        change_id: id,
        device: change.device,
        stamp: change.stamp,
        record_type: change.record_type,
        record_id: change.record_id,
        op: Op::Append {
            event: id,
            kind: event::BANNED_PHRASE.to_owned(),
            data: json!({
                "change": change.change_id,
                "source": source,
                "text": text,
                "matches": matches,
            }),
        },
    })
}

/// An incident as QA reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub case: Uuid,
    /// Who wrote the text, and when the server received it.
    pub by: String,
    pub at: DateTime<Utc>,
    pub text: String,
    /// The banned phrases found, as the policy lists them.
    pub phrases: Vec<String>,
}

/// The incidents recorded on a record, oldest first.
pub fn incidents(record: &Record) -> Vec<Incident> {
    record
        .events
        .iter()
        .filter(|event| event.kind == event::BANNED_PHRASE)
        .map(|event| Incident {
            case: record.id,
            by: event.origin.by.clone(),
            at: event.origin.at,
            text: event.data["text"].as_str().unwrap_or_default().to_owned(),
            phrases: event.data["matches"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|found| found["phrase"].as_str().map(str::to_owned))
                .collect(),
        })
        .collect()
}

/// The id of the incident caused by `change_id`: the same on every device and server.
pub fn incident_id(change_id: Uuid) -> Uuid {
    Uuid::new_v5(&INCIDENT_NAMESPACE, change_id.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::kinds::case::note_data;
    use crate::policy::Policy;

    fn note(body: &str) -> Change {
        Change {
            change_id: Uuid::from_u128(42),
            device: Uuid::from_u128(7),
            stamp: Hlc::new(1_000, 3),
            record_type: RecordType::Case,
            record_id: Uuid::from_u128(9),
            op: Op::Append {
                event: Uuid::from_u128(43),
                kind: crate::kinds::case::event::NOTE.into(),
                data: note_data(body),
            },
        }
    }

    #[test]
    fn a_text_with_banned_phrases_brings_one_incident_naming_them() {
        let checker = Policy::default_policy().banned_phrases();
        let table: [(&str, &[&str]); 4] = [
            ("客户问物流，我不知道什么时候到。", &["我不知道"]),
            ("您好，谢谢您的耐心等待，马上为您查询。", &[]),
            (
                "我 不 知 道。你问我，我问谁？",
                &["我不知道", "你问我，我问谁？"],
            ),
            ("", &[]),
        ];
        for (text, phrases) in table {
            let change = note(text);
            let incident = incident_for(&change, checker);
            let mut found: Vec<String> = Vec::new();
            if let Some(Change {
                op: Op::Append { data, .. },
                ..
            }) = &incident
            {
                for found_one in data["matches"].as_array().unwrap() {
                    found.push(found_one["phrase"].as_str().unwrap().to_owned());
                }
            }
            assert_eq!(found, *phrases, "{text}");
            if let Some(incident) = incident {
                assert_eq!(incident.change_id, incident_id(change.change_id));
                assert_eq!(incident.record_id, change.record_id);
                assert_eq!(incident.stamp, change.stamp);
            }
        }
    }

    #[test]
    fn only_customer_readable_texts_are_checked() {
        let checker = Policy::default_policy().banned_phrases();
        let review = Change {
            op: Op::Append {
                event: Uuid::from_u128(43),
                kind: crate::kinds::case::qa_review::event::QA_REVIEW.into(),
                data: json!({"score": 60, "comment": "我不知道"}),
            },
            ..note("")
        };
        assert_eq!(incident_for(&review, checker), None);
    }

    #[test]
    fn an_inquiry_s_answer_is_checked_when_logged_and_when_edited() {
        use std::collections::BTreeMap;
        let checker = Policy::default_policy().banned_phrases();
        let with_op = |op: Op| Change { op, ..note("") };
        let logged = |answer: &str, question: &str| {
            with_op(Op::Create {
                fields: BTreeMap::from([
                    (
                        crate::kinds::case::inquiry::field::ANSWER.to_owned(),
                        json!(answer),
                    ),
                    (
                        crate::kinds::case::inquiry::field::QUESTION.to_owned(),
                        json!(question),
                    ),
                ]),
            })
        };
        let edited = |name: &str, text: &str| {
            with_op(Op::Set {
                field: name.into(),
                value: json!(text),
                supersedes: vec![],
            })
        };
        let table = [
            (
                logged("我不知道", ""),
                Some(crate::kinds::case::inquiry::field::ANSWER),
            ),
            (logged("马上为您查询", ""), None),
            // The question is the customer's words, not the agent's.
            (logged("", "你们是不是我不知道的店"), None),
            (
                edited(crate::kinds::case::inquiry::field::ANSWER, "就是这么规定的"),
                Some(crate::kinds::case::inquiry::field::ANSWER),
            ),
            (edited(crate::kinds::case::field::TITLE, "我不知道"), None),
        ];
        for (change, source) in table {
            let found = incident_for(&change, checker).map(|incident| match incident.op {
                Op::Append { data, .. } => data["source"].as_str().unwrap().to_owned(),
                other => panic!("an incident is an event, not {other:?}"),
            });
            assert_eq!(found.as_deref(), source, "{:?}", change.op);
        }
    }

    #[test]
    fn incidents_are_read_back_with_author_text_and_phrases() {
        use crate::record::{Receipt, apply};
        let checker = Policy::default_policy().banned_phrases();
        let at = chrono::DateTime::UNIX_EPOCH;
        let receipt = |change: Change| Receipt {
            change,
            by: "demo".into(),
            team: "east".into(),
            at,
        };
        let rude = note("我不知道，你问我，我问谁？");
        let polite = Change {
            change_id: Uuid::from_u128(50),
            op: Op::Append {
                event: Uuid::from_u128(51),
                kind: crate::kinds::case::event::NOTE.into(),
                data: note_data("马上为您查询"),
            },
            ..note("")
        };
        let mut record = None;
        for change in [rude.clone(), polite] {
            let incident = incident_for(&change, checker);
            record = Some(apply(record, &receipt(change)));
            if let Some(incident) = incident {
                record = Some(apply(record, &receipt(incident)));
            }
        }
        let found = incidents(&record.unwrap());
        assert_eq!(
            found,
            [Incident {
                case: rude.record_id,
                by: "demo".into(),
                at,
                text: "我不知道，你问我，我问谁？".into(),
                phrases: vec!["我不知道".into(), "你问我，我问谁？".into()],
            }]
        );
    }

    #[test]
    fn the_incident_id_is_stable_and_distinct_per_change() {
        let a = incident_id(Uuid::from_u128(1));
        assert_eq!(a, incident_id(Uuid::from_u128(1)));
        assert_ne!(a, incident_id(Uuid::from_u128(2)));
        assert_ne!(a, Uuid::from_u128(1));
    }
}
