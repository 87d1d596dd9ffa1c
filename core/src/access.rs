//! Authorization, in one place: which records a user sees, and which changes they may make.
//! The server calls these for every change and every pull; the device uses them to offer only
//! what will be accepted. Hiding a button is not enforcement: the server's call is.

use crate::account::{Role, UserInfo};
use crate::case::event;
use crate::lang::Bilingual;
use crate::record::{Record, RecordType, SHARED_TEAM};
use crate::sync::{Change, Op};
use thiserror::Error;

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

/// The team a record a user creates belongs to.
pub fn team_for_new(user: &UserInfo, record_type: RecordType) -> String {
    match record_type {
        RecordType::Case => user.team.clone(),
        RecordType::Policy => SHARED_TEAM.to_owned(),
    }
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    #[error("the record belongs to another team")]
    OtherTeam,
    #[error("this role may read cases but not change their facts")]
    ReadOnlyRole,
    #[error("only an admin may do this")]
    AdminOnly,
    #[error("this role may not add {kind} entries")]
    EventNotAllowed { kind: String },
}

impl Denied {
    pub fn message(&self) -> Bilingual {
        match self {
            Denied::OtherTeam => Bilingual::new(
                "这条记录属于其他小组，您无权查看或修改",
                "This record belongs to another team; you may not see or change it",
            ),
            Denied::ReadOnlyRole => Bilingual::new(
                "质检只能查看案件和添加质检记录，不能修改案件内容",
                "QA may read cases and add QA reviews, but not change a case's facts",
            ),
            Denied::AdminOnly => {
                Bilingual::new("只有管理员可以这样做", "Only an admin may do this")
            }
            Denied::EventNotAllowed { kind } => Bilingual::new(
                format!("您的角色不能添加“{kind}”记录"),
                format!("Your role may not add “{kind}” entries"),
            ),
        }
    }
}

/// Whether `user` may make `change` to `existing` (the stored record, `None` if new).
pub fn may_change(
    user: &UserInfo,
    existing: Option<&Record>,
    change: &Change,
) -> Result<(), Denied> {
    if let Some(record) = existing
        && !visibility(user).includes(&record.team)
    {
        return Err(Denied::OtherTeam);
    }
    let admin = user.role == Role::Admin;
    match (change.record_type, &change.op) {
        (RecordType::Policy, _) if !admin => Err(Denied::AdminOnly),
        (RecordType::Policy, _) => Ok(()),
        (RecordType::Case, Op::Delete) if !admin => Err(Denied::AdminOnly),
        (RecordType::Case, Op::Append { kind, .. }) => may_add_case_event(user.role, kind),
        (RecordType::Case, Op::Create { .. } | Op::Set { .. }) if user.role == Role::Qa => {
            Err(Denied::ReadOnlyRole)
        }
        (RecordType::Case, _) => Ok(()),
    }
}

fn may_add_case_event(role: Role, kind: &str) -> Result<(), Denied> {
    let allowed = match kind {
        event::QA_REVIEW => matches!(role, Role::Qa | Role::Admin),
        _ => role != Role::Qa,
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::EventNotAllowed {
            kind: kind.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseKind, NewCase, field};
    use crate::hlc::Hlc;
    use crate::record::{Receipt, apply};
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
                may_change(&user, existing, &change),
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
    fn new_records_belong_to_the_creators_team_and_the_policy_to_all() {
        let agent = user(Role::Agent, "east");
        assert_eq!(team_for_new(&agent, RecordType::Case), "east");
        assert_eq!(team_for_new(&agent, RecordType::Policy), SHARED_TEAM);
    }
}
