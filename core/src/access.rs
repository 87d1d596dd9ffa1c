//! Authorization, in one place: which records a user sees, and which changes they may make.
//! The server calls these for every change and every pull; the device uses them to offer only
//! what will be accepted. Hiding a button is not enforcement: the server's call is. Who may do
//! what to each kind of record is that kind's (`kinds`); here is what holds for all of them.

use crate::account::{Denied, Role, UserInfo, roles};
use crate::kinds::{RecordKind, with_kind};
use crate::record::{Record, RecordType, SHARED_TEAM};
use crate::sync::Op;

/// Which records a user sees, in a form a storage query filters on, so a pull never loads
/// what it would then hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every record (admins).
    All,
    /// Records of these teams; always includes [`SHARED_TEAM`].
    Teams(Vec<String>),
}

impl Visibility {
    pub fn includes(&self, team: &str) -> bool {
        match self {
            Visibility::All => true,
            Visibility::Teams(teams) => teams.iter().any(|known| known == team),
        }
    }

    /// A short stable name of this scope. A pull cursor carries it: when a user's scope
    /// changes (they move team, become admin), their old cursor no longer applies and the
    /// pull starts over, so records that became visible still reach them.
    pub fn scope_key(&self) -> String {
        match self {
            Visibility::All => "all".to_owned(),
            Visibility::Teams(teams) => {
                let mut teams = teams.clone();
                teams.sort();
                teams.join(",")
            }
        }
    }
}

pub fn visibility(user: &UserInfo) -> Visibility {
    match user.role {
        Role::Admin => Visibility::All,
        _ => Visibility::Teams(vec![user.team.clone(), SHARED_TEAM.to_owned()]),
    }
}

/// `record`, one `user` sees, as they may read it: without what its kind hides from them
/// (a colleague's incidents and QA reviews). Every pull sends records through this.
pub fn as_read_by(user: &UserInfo, mut record: Record) -> Record {
    with_kind!(record.record_type, |kind| kind
        .hide_unreadable(user, &mut record));
    record
}

/// A short stable name of what `user` receives: the teams they see, and whether they read
/// what concerns others' conduct. A pull cursor carries it, so when either changes (they move
/// team, become a lead) the feed starts over and every record reaches them as they now may
/// read it.
pub fn reading_scope(user: &UserInfo) -> String {
    let reads = if roles::OVERSIGHT.contains(&user.role) {
        "oversight"
    } else {
        "own"
    };
    format!("{}|{reads}", visibility(user).scope_key())
}

/// The team a record a user creates belongs to.
pub fn team_for_new(user: &UserInfo, record_type: RecordType) -> String {
    with_kind!(record_type, |kind| kind.team_for_new(user))
}

/// Whether `user` may make `op` to `existing` (the stored record, `None` if new), a record
/// of type `record_type`: the record's team is theirs, and its kind allows it.
pub fn may_change(
    user: &UserInfo,
    existing: Option<&Record>,
    record_type: RecordType,
    op: &Op,
) -> Result<(), Denied> {
    if let Some(record) = existing
        && !visibility(user).includes(&record.team)
    {
        return Err(Denied::OtherTeam);
    }
    with_kind!(record_type, |kind| kind.may_change(user, existing, op))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use crate::kinds::case::{CaseKind, NewCase, field};
    use crate::kinds::knowledge;
    use crate::record::{Receipt, apply};
    use crate::sync::Change;
    use serde_json::json;
    use uuid::Uuid;

    fn user(role: Role, team: &str) -> UserInfo {
        UserInfo {
            username: format!("{}-{team}", role.as_str()),
            display_name: String::new(),
            role,
            team: team.into(),
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

    fn east_case() -> Record {
        let fields = NewCase {
            kind: CaseKind::Complaint,
            title: "快递三天未更新".into(),
            customer_name: String::new(),
            customer_phone: String::new(),
            order_number: None,
        }
        .fields();
        let receipt = Receipt {
            change: change(RecordType::Case, Op::Create { fields }),
            by: "agent-east".into(),
            team: "east".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        apply(None, &receipt)
    }

    /// Who, on what stored record, makes which change, and the verdict.
    type Row<'a> = (UserInfo, Option<&'a Record>, Change, Result<(), Denied>);

    #[test]
    fn change_table() {
        let case = east_case();
        let set = || Op::Set {
            field: field::STATUS.into(),
            value: json!("closed"),
            supersedes: vec![],
        };
        let append = |kind: &str| Op::Append {
            event: Uuid::from_u128(3),
            kind: kind.into(),
            data: json!({}),
        };
        let create = || Op::Create {
            fields: Default::default(),
        };
        use Role::*;
        let table: Vec<Row> = vec![
            (
                user(Agent, "east"),
                Some(&case),
                change(RecordType::Case, set()),
                Ok(()),
            ),
            (
                user(Agent, "west"),
                Some(&case),
                change(RecordType::Case, set()),
                Err(Denied::OtherTeam),
            ),
            (
                user(Agent, "west"),
                Some(&case),
                change(RecordType::Case, append("note")),
                Err(Denied::OtherTeam),
            ),
            (
                user(TeamLead, "west"),
                Some(&case),
                change(RecordType::Case, set()),
                Err(Denied::OtherTeam),
            ),
            (
                user(Admin, "west"),
                Some(&case),
                change(RecordType::Case, set()),
                Ok(()),
            ),
            (
                user(Agent, "west"),
                None,
                change(RecordType::Case, create()),
                Ok(()),
            ),
            (
                user(Qa, "east"),
                None,
                change(RecordType::Case, create()),
                Err(Denied::ReadOnlyRole),
            ),
            (
                user(Qa, "east"),
                Some(&case),
                change(RecordType::Case, set()),
                Err(Denied::ReadOnlyRole),
            ),
            (
                user(Qa, "east"),
                Some(&case),
                change(RecordType::Case, append("qa_review")),
                Ok(()),
            ),
            (
                user(Qa, "east"),
                Some(&case),
                change(RecordType::Case, append("note")),
                Err(Denied::EventNotAllowed {
                    kind: "note".into(),
                }),
            ),
            (
                user(Agent, "east"),
                Some(&case),
                change(RecordType::Case, append("qa_review")),
                Err(Denied::EventNotAllowed {
                    kind: "qa_review".into(),
                }),
            ),
            (
                user(Supervisor, "east"),
                Some(&case),
                change(RecordType::Case, append("note")),
                Ok(()),
            ),
            (
                user(Agent, "east"),
                Some(&case),
                change(RecordType::Case, Op::Delete),
                Err(Denied::AdminOnly),
            ),
            (
                user(Admin, "east"),
                Some(&case),
                change(RecordType::Case, Op::Delete),
                Ok(()),
            ),
            (
                user(Packer, "east"),
                Some(&case),
                change(RecordType::Case, append("inspection")),
                Ok(()),
            ),
            (
                user(Packer, "east"),
                Some(&case),
                change(RecordType::Case, append("note")),
                Ok(()),
            ),
            (
                user(Packer, "west"),
                Some(&case),
                change(RecordType::Case, append("inspection")),
                Err(Denied::OtherTeam),
            ),
            (
                user(Qa, "east"),
                Some(&case),
                change(RecordType::Case, append("inspection")),
                Err(Denied::EventNotAllowed {
                    kind: "inspection".into(),
                }),
            ),
            (
                user(Packer, "east"),
                Some(&case),
                change(RecordType::Case, append("order_step")),
                Err(Denied::EventNotAllowed {
                    kind: "order_step".into(),
                }),
            ),
            (
                user(Packer, "east"),
                Some(&case),
                change(RecordType::Case, set()),
                Err(Denied::StationOnly),
            ),
            (
                user(Packer, "east"),
                None,
                change(RecordType::Case, create()),
                Err(Denied::StationOnly),
            ),
            (
                user(Packer, "east"),
                None,
                change(RecordType::Customer, create()),
                Err(Denied::StationOnly),
            ),
            (
                user(Packer, "east"),
                None,
                change(RecordType::Knowledge, create()),
                Err(Denied::StationOnly),
            ),
            (
                user(Packer, "east"),
                None,
                change(RecordType::Parcel, create()),
                Ok(()),
            ),
            (
                user(Packer, "east"),
                Some(&case),
                change(RecordType::Parcel, set()),
                Err(Denied::StationOnly),
            ),
            (
                user(Qa, "east"),
                None,
                change(RecordType::Parcel, create()),
                Err(Denied::ReadOnlyRole),
            ),
            (
                user(TeamLead, "east"),
                Some(&case),
                change(RecordType::Case, append("compensation_decision")),
                Err(Denied::EventNotAllowed {
                    kind: "compensation_decision".into(),
                }),
            ),
            (
                user(Agent, "east"),
                Some(&case),
                change(RecordType::Case, append("compensation_decision")),
                Err(Denied::EventNotAllowed {
                    kind: "compensation_decision".into(),
                }),
            ),
            (
                user(Supervisor, "east"),
                Some(&case),
                change(RecordType::Case, append("compensation_decision")),
                Ok(()),
            ),
            (
                user(Supervisor, "east"),
                None,
                change(RecordType::Policy, create()),
                Err(Denied::AdminOnly),
            ),
            (
                user(TeamLead, "east"),
                None,
                change(RecordType::Policy, set()),
                Err(Denied::AdminOnly),
            ),
            (
                user(Admin, "east"),
                None,
                change(RecordType::Policy, set()),
                Ok(()),
            ),
        ];
        for (user, existing, change, expected) in table {
            assert_eq!(
                may_change(&user, existing, change.record_type, &change.op),
                expected,
                "{} on {:?}",
                user.username,
                change.op
            );
        }
    }

    #[test]
    fn visibility_table() {
        let table = [
            (user(Role::Agent, "east"), "east", true),
            (user(Role::Agent, "east"), "west", false),
            (user(Role::Agent, "east"), SHARED_TEAM, true),
            (user(Role::Qa, "east"), "east", true),
            (user(Role::Supervisor, "east"), "west", false),
            (user(Role::Admin, "east"), "west", true),
        ];
        for (user, team, visible) in table {
            assert_eq!(
                visibility(&user).includes(team),
                visible,
                "{} sees {team}",
                user.username
            );
        }
    }

    #[test]
    fn the_scope_key_changes_with_the_team_and_role() {
        let east = visibility(&user(Role::Agent, "east")).scope_key();
        assert_eq!(east, visibility(&user(Role::TeamLead, "east")).scope_key());
        assert_ne!(east, visibility(&user(Role::Agent, "west")).scope_key());
        assert_ne!(east, visibility(&user(Role::Admin, "east")).scope_key());
    }

    #[test]
    fn the_reading_scope_changes_when_a_user_starts_to_oversee() {
        let agent = reading_scope(&user(Role::Agent, "east"));
        assert_ne!(agent, reading_scope(&user(Role::TeamLead, "east")));
        assert_ne!(agent, reading_scope(&user(Role::Agent, "west")));
        assert_eq!(
            reading_scope(&user(Role::TeamLead, "east")),
            reading_scope(&user(Role::Supervisor, "east")),
            "both read the same records whole"
        );
    }

    /// `record` with its `n`th event, of `kind`, made by `by`.
    fn with_event(
        record: Record,
        n: u128,
        kind: &str,
        by: &str,
        data: serde_json::Value,
    ) -> Record {
        let receipt = Receipt {
            change: Change {
                change_id: Uuid::from_u128(100 + n),
                ..change(
                    RecordType::Case,
                    Op::Append {
                        event: Uuid::from_u128(200 + n),
                        kind: kind.into(),
                        data,
                    },
                )
            },
            by: by.into(),
            team: "east".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        apply(Some(record), &receipt)
    }

    #[test]
    fn what_concerns_an_agent_s_conduct_is_read_by_them_and_oversight_only() {
        let case = with_event(
            east_case(),
            1,
            "note",
            "agent-east",
            json!({"body": "已回复"}),
        );
        let case = with_event(case, 2, "banned_phrase", "agent-east", json!({}));
        let case = with_event(
            case,
            3,
            "qa_review",
            "qa-east",
            json!({"agent": "agent-east"}),
        );
        let case = with_event(case, 4, "no_such_entry", "admin-east", json!({}));
        let colleague = UserInfo {
            username: "agent2-east".into(),
            ..user(Role::Agent, "east")
        };
        let whole = ["note", "banned_phrase", "qa_review"];
        let table: [(UserInfo, &[&str]); 7] = [
            (user(Role::Agent, "east"), &whole),
            (colleague, &["note"]),
            (user(Role::TeamLead, "east"), &whole),
            (user(Role::Qa, "east"), &whole),
            (user(Role::Supervisor, "east"), &whole),
            (user(Role::Admin, "hq"), &whole),
            (user(Role::Packer, "east"), &["note"]),
        ];
        for (reader, expected) in table {
            let read = as_read_by(&reader, case.clone());
            let kinds: Vec<_> = read
                .events
                .iter()
                .map(|event| event.kind.as_str())
                .collect();
            assert_eq!(kinds, expected, "as {}", reader.username);
            assert_eq!(read.fields, case.fields, "fields are never hidden");
        }
    }

    #[test]
    fn new_records_belong_to_the_creators_team_and_the_policy_to_all() {
        let agent = user(Role::Agent, "east");
        assert_eq!(team_for_new(&agent, RecordType::Case), "east");
        assert_eq!(team_for_new(&agent, RecordType::Policy), SHARED_TEAM);
    }

    /// A knowledge entry of team east made by `by`, personal or the team's.
    fn east_entry(by: &str, personal: bool) -> Record {
        let fields = crate::kinds::knowledge::NewKnowledge {
            kind: crate::kinds::knowledge::KnowledgeKind::Phrase,
            title: "稍候".into(),
            body: "谢谢您的耐心等待".into(),
            group: "holding".into(),
            personal,
        }
        .fields();
        let receipt = Receipt {
            change: change(RecordType::Knowledge, Op::Create { fields }),
            by: by.into(),
            team: "east".into(),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        apply(None, &receipt)
    }

    #[test]
    fn knowledge_and_customer_table() {
        let team_entry = east_entry("teamlead-east", false);
        let my_entry = east_entry("agent-east", true);
        let mut shop_entry = east_entry("system", false);
        shop_entry.team = SHARED_TEAM.into();
        let create = |personal: bool| Op::Create {
            fields: [(knowledge::field::PERSONAL.to_owned(), json!(personal))]
                .into_iter()
                .collect(),
        };
        let set = || Op::Set {
            field: knowledge::field::BODY.into(),
            value: json!("请稍等"),
            supersedes: vec![],
        };
        let append = |kind: &str| Op::Append {
            event: Uuid::from_u128(3),
            kind: kind.into(),
            data: json!({}),
        };
        let knowledge = |op| change(RecordType::Knowledge, op);
        let customer = |op| change(RecordType::Customer, op);
        let mut other_agent = user(Role::Agent, "east");
        other_agent.username = "agent2-east".into();
        use Role::*;
        let table: Vec<Row> = vec![
            // The team's entries: its leads (and supervisors, admins) keep them.
            (
                user(Agent, "east"),
                None,
                knowledge(create(false)),
                Err(Denied::LeadsOnly),
            ),
            (
                user(TeamLead, "east"),
                None,
                knowledge(create(false)),
                Ok(()),
            ),
            (
                user(Supervisor, "east"),
                None,
                knowledge(create(false)),
                Ok(()),
            ),
            (
                user(Agent, "east"),
                Some(&team_entry),
                knowledge(set()),
                Err(Denied::LeadsOnly),
            ),
            (
                user(Agent, "east"),
                Some(&team_entry),
                knowledge(Op::Delete),
                Err(Denied::LeadsOnly),
            ),
            (
                user(TeamLead, "east"),
                Some(&team_entry),
                knowledge(set()),
                Ok(()),
            ),
            (
                user(TeamLead, "west"),
                Some(&team_entry),
                knowledge(set()),
                Err(Denied::OtherTeam),
            ),
            (
                user(Admin, "hq"),
                Some(&team_entry),
                knowledge(set()),
                Ok(()),
            ),
            // The shop's entries (the standard phrases): only an admin changes them.
            (
                user(TeamLead, "east"),
                Some(&shop_entry),
                knowledge(set()),
                Err(Denied::AdminOnly),
            ),
            (
                user(Admin, "hq"),
                Some(&shop_entry),
                knowledge(set()),
                Ok(()),
            ),
            (
                user(Agent, "west"),
                Some(&shop_entry),
                knowledge(append("recurrence")),
                Ok(()),
            ),
            // Personal entries: anyone but QA makes them; only their maker changes them.
            (user(Agent, "east"), None, knowledge(create(true)), Ok(())),
            (
                user(Agent, "east"),
                Some(&my_entry),
                knowledge(set()),
                Ok(()),
            ),
            (
                other_agent.clone(),
                Some(&my_entry),
                knowledge(set()),
                Err(Denied::NotYours),
            ),
            (
                user(TeamLead, "east"),
                Some(&my_entry),
                knowledge(set()),
                Err(Denied::NotYours),
            ),
            // Any agent records that an inquiry reused an entry; nothing else is appended.
            (
                other_agent,
                Some(&team_entry),
                knowledge(append("recurrence")),
                Ok(()),
            ),
            (
                user(Agent, "east"),
                Some(&team_entry),
                knowledge(append("note")),
                Err(Denied::EventNotAllowed {
                    kind: "note".into(),
                }),
            ),
            // QA reads the knowledge base and customers, changes neither.
            (
                user(Qa, "east"),
                None,
                knowledge(create(true)),
                Err(Denied::ReadOnlyRole),
            ),
            (
                user(Qa, "east"),
                Some(&team_entry),
                knowledge(append("recurrence")),
                Err(Denied::ReadOnlyRole),
            ),
            (user(Agent, "east"), None, customer(create(false)), Ok(())),
            (
                user(Qa, "east"),
                None,
                customer(create(false)),
                Err(Denied::ReadOnlyRole),
            ),
            (
                user(Agent, "east"),
                None,
                customer(Op::Delete),
                Err(Denied::AdminOnly),
            ),
        ];
        for (who, existing, change, expected) in table {
            assert_eq!(
                may_change(&who, existing, change.record_type, &change.op),
                expected,
                "{} ({:?}) {:?}",
                who.username,
                who.role,
                change.op
            );
        }
    }

    #[test]
    fn new_entries_belong_to_the_team_and_an_admin_s_to_the_whole_shop() {
        let lead = user(Role::TeamLead, "east");
        let admin = user(Role::Admin, "hq");
        assert_eq!(team_for_new(&lead, RecordType::Knowledge), "east");
        assert_eq!(team_for_new(&admin, RecordType::Knowledge), SHARED_TEAM);
        assert_eq!(team_for_new(&lead, RecordType::Customer), "east");
        assert_eq!(team_for_new(&admin, RecordType::Customer), "hq");
    }
}
