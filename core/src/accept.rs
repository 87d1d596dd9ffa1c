//! The server's decision on one pushed change, in one pure function: authorize it, validate
//! it against the stored record, stamp what only the server may stamp, and merge. Storage
//! backends only load and save around it, so no backend has its own copy of these rules.

use crate::access::{may_change, team_for_new};
use crate::account::UserInfo;
use crate::kinds::case::incident::incident_for;
use crate::kinds::{Context, RecordKind, with_kind};
use crate::lang::Bilingual;
use crate::policy::Policy;
use crate::record::{Receipt, Record, apply};
use crate::sync::Change;
use crate::validate::check_change;
use chrono::{DateTime, Utc};

/// The record after `change`, or why `user` may not make it. `existing` is the stored record.
/// A text a customer may read that holds a banned phrase is accepted, with its incident
/// recorded on the record by the same author (`crate::kinds::case::incident`), whether or not the device
/// sent one.
pub fn accept(
    user: &UserInfo,
    existing: Option<&Record>,
    change: Change,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Record, Bilingual> {
    may_change(user, existing, change.record_type, &change.op)
        .map_err(|denied| denied.message())?;
    change.op.photos().map_err(|problem| problem.message())?;
    check_change(existing, &change).map_err(|invalid| invalid.message())?;
    let context = Context {
        user,
        existing,
        op: &change.op,
        policy,
        now,
    };
    with_kind!(change.record_type, |kind| kind.check_in_context(&context))?;
    let team = match existing {
        Some(record) => record.team.clone(),
        None => team_for_new(user, change.record_type),
    };
    let incident = incident_for(&change, policy.banned_phrases());
    let receipt = Receipt::on_server(change, &user.username, &team, now);
    let record = apply(existing.cloned(), &receipt);
    Ok(match incident {
        Some(incident) => apply(
            Some(record),
            &Receipt::on_server(incident, &user.username, &team, now),
        ),
        None => record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::Role;
    use crate::hlc::{CLAMP_TOLERANCE_MS, Hlc};
    use crate::kinds::case::{Case, CaseKind, NewCase, event, field};
    use crate::record::RecordType;
    use crate::sync::Op;
    use chrono::TimeZone;
    use serde_json::json;
    use uuid::Uuid;

    fn policy() -> &'static Policy {
        Policy::default_policy()
    }

    fn user(name: &str, role: Role, team: &str) -> UserInfo {
        UserInfo {
            username: name.into(),
            display_name: name.into(),
            role,
            team: team.into(),
        }
    }

    fn change(n: u128, stamp: Hlc, op: Op) -> Change {
        Change {
            change_id: Uuid::from_u128(n),
            device: Uuid::from_u128(77),
            stamp,
            record_type: RecordType::Case,
            record_id: Uuid::from_u128(1),
            op,
        }
    }

    fn create() -> Op {
        Op::Create {
            fields: NewCase {
                kind: CaseKind::Inquiry,
                title: "咨询运费".into(),
                customer_name: String::new(),
                customer_phone: String::new(),
                order_number: None,
            }
            .fields(),
        }
    }

    #[test]
    fn owner_team_and_time_come_from_the_server_and_stay() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let demo = user("demo", Role::Agent, "east");
        let admin = user("admin", Role::Admin, "hq");
        // The device claims a creation time far in the past: only its stamp travels, and the
        // server's receipt time is what the case shows.
        let created = accept(
            &demo,
            None,
            change(1, Hlc::new(0, 0), create()),
            now,
            policy(),
        )
        .unwrap();
        let later = now + chrono::Duration::minutes(5);
        let edit = Op::Set {
            field: field::TITLE.into(),
            value: json!("改过的标题"),
            supersedes: vec![Uuid::from_u128(1)],
        };
        let edited = accept(
            &admin,
            Some(&created),
            change(2, Hlc::new(1, 0), edit),
            later,
            policy(),
        )
        .unwrap();
        let case = Case::from_record(&edited).unwrap();
        assert_eq!(case.title, "改过的标题");
        assert_eq!(
            (case.owner.as_str(), case.created_at, case.team.as_str()),
            ("demo", now, "east")
        );
        assert_eq!(edited.fields[field::TITLE].current.origin.by, "admin");
    }

    #[test]
    fn a_stamp_from_the_future_is_clamped() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let year_2099 = Hlc::new(4_070_908_800_000, 3);
        let record = accept(
            &user("demo", Role::Agent, "east"),
            None,
            change(1, year_2099, create()),
            now,
            policy(),
        )
        .unwrap();
        let stamp = record.fields[field::TITLE].current.origin.stamp;
        assert_eq!(
            stamp,
            Hlc::new(now.timestamp_millis() + CLAMP_TOLERANCE_MS, 3)
        );
    }

    #[test]
    fn refusals_carry_a_reason_in_both_languages() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let qa = user("qa", Role::Qa, "east");
        let refused = accept(
            &qa,
            None,
            change(1, Hlc::new(1, 0), create()),
            now,
            policy(),
        )
        .unwrap_err();
        assert!(refused.zh.contains("质检"), "{refused:?}");
        let note_on_nothing = Op::Append {
            event: Uuid::from_u128(5),
            kind: "note".into(),
            data: json!({"body": "x"}),
        };
        let demo = user("demo", Role::Agent, "east");
        let missing = accept(
            &demo,
            None,
            change(2, Hlc::new(1, 0), note_on_nothing),
            now,
            policy(),
        )
        .unwrap_err();
        assert_eq!(missing.en, "This record does not exist on the server");
    }

    #[test]
    fn a_text_with_a_banned_phrase_is_kept_with_one_incident_by_its_author() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let demo = user("demo", Role::Agent, "east");
        let case = accept(
            &demo,
            None,
            change(1, Hlc::new(1, 0), create()),
            now,
            policy(),
        )
        .unwrap();
        let note = change(
            2,
            Hlc::new(2, 0),
            Op::Append {
                event: Uuid::from_u128(5),
                kind: event::NOTE.into(),
                data: json!({"body": "这个我不知道，你去问快递吧"}),
            },
        );
        // The device recorded the incident too, with the same derived id.
        let devices_incident =
            crate::kinds::case::incident::incident_for(&note, policy().banned_phrases())
                .expect("the device finds the phrase as the server does");
        let with_note = accept(&demo, Some(&case), note, now, policy()).unwrap();
        let kinds: Vec<&str> = with_note.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                event::NOTE,
                crate::kinds::case::incident::event::BANNED_PHRASE
            ]
        );
        let incident = &with_note.events[1];
        assert_eq!(incident.origin.by, "demo");
        assert_eq!(incident.data["matches"][0]["phrase"], "我不知道");
        assert_eq!(incident.data["text"], "这个我不知道，你去问快递吧");
        let after_device =
            accept(&demo, Some(&with_note), devices_incident, now, policy()).unwrap();
        assert_eq!(after_device.events, with_note.events, "still one incident");
    }
}
