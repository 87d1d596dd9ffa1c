//! Authorization, in one place: which records a user sees, and which changes they may make.
//! The server calls these for every change and every pull; the device uses them to offer only
//! what will be accepted. Hiding a button is not enforcement: the server's call is.

use crate::account::{Role, UserInfo};
use crate::case::event;
use crate::knowledge;
use crate::lang::Bilingual;
use crate::record::{Record, RecordType, SHARED_TEAM};
use crate::return_follow_up::return_state;
use crate::rules::return_flow::ReturnState;
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
        RecordType::Case | RecordType::Customer | RecordType::Parcel => user.team.clone(),
        RecordType::Policy => SHARED_TEAM.to_owned(),
        // An admin's entries are the whole shop's (the standard phrases); a lead's, the team's.
        RecordType::Knowledge if user.role == Role::Admin => SHARED_TEAM.to_owned(),
        RecordType::Knowledge => user.team.clone(),
    }
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    #[error("the record belongs to another team")]
    OtherTeam,
    #[error("this role may read cases but not change their facts")]
    ReadOnlyRole,
    #[error("the packing station records inspections, notes and unmatched parcels only")]
    StationOnly,
    #[error("only an admin may do this")]
    AdminOnly,
    #[error("this role may not add {kind} entries")]
    EventNotAllowed { kind: String },
    #[error("only a team lead, supervisor or admin may change the team's knowledge base")]
    LeadsOnly,
    #[error("a personal entry is changed only by whoever made it")]
    NotYours,
    #[error("an escalated parcel is decided by a supervisor")]
    SupervisorDecides,
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
            Denied::StationOnly => Bilingual::new(
                "打包员只能验货、添加备注和登记未匹配包裹，不能修改案件、客户或知识库",
                "The packing station records inspections, notes and unmatched parcels only; it cannot change cases, customers or the knowledge base",
            ),
            Denied::AdminOnly => {
                Bilingual::new("只有管理员可以这样做", "Only an admin may do this")
            }
            Denied::EventNotAllowed { kind } => Bilingual::new(
                format!("您的角色不能添加“{kind}”记录"),
                format!("Your role may not add “{kind}” entries"),
            ),
            Denied::LeadsOnly => Bilingual::new(
                "只有组长、主管或管理员可以修改小组的知识库和快捷短语",
                "Only a team lead, supervisor or admin may change the team's knowledge base and phrases",
            ),
            Denied::SupervisorDecides => Bilingual::new(
                "这件退货已转主管，由主管决定收货或退回",
                "This parcel was escalated: a supervisor decides whether to accept or send it back",
            ),
            Denied::NotYours => Bilingual::new(
                "个人短语只能由创建人修改",
                "A personal entry can be changed only by whoever made it",
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
        (RecordType::Case, Op::Append { kind, .. })
            if kind == event::INSPECTION
                && existing
                    .is_some_and(|record| return_state(record) == ReturnState::Escalated)
                && !decides_as_supervisor(user.role) =>
        {
            // Seed 002/003: what the station cannot decide goes to the supervisor (主管).
            Err(Denied::SupervisorDecides)
        }
        (RecordType::Case, Op::Append { kind, .. }) => may_add_case_event(user.role, kind),
        (RecordType::Case, Op::Create { .. } | Op::Set { .. }) if user.role == Role::Qa => {
            Err(Denied::ReadOnlyRole)
        }
        (RecordType::Case | RecordType::Customer | RecordType::Knowledge, _)
            if user.role == Role::Packer =>
        {
            Err(Denied::StationOnly)
        }
        (RecordType::Case, _) => Ok(()),
        (RecordType::Customer, Op::Delete) if !admin => Err(Denied::AdminOnly),
        (RecordType::Customer, _) if user.role == Role::Qa => Err(Denied::ReadOnlyRole),
        (RecordType::Customer, _) => Ok(()),
        (RecordType::Knowledge, op) => may_change_knowledge(user, existing, op),
        // The station records a parcel; agents match it to a case.
        (RecordType::Parcel, Op::Delete) if !admin => Err(Denied::AdminOnly),
        (RecordType::Parcel, _) if user.role == Role::Qa => Err(Denied::ReadOnlyRole),
        (RecordType::Parcel, Op::Create { .. }) => Ok(()),
        (RecordType::Parcel, _) if user.role == Role::Packer => Err(Denied::StationOnly),
        (RecordType::Parcel, _) => Ok(()),
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
            return if kind == knowledge::event::RECURRENCE {
                Ok(())
            } else {
                Err(Denied::EventNotAllowed { kind: kind.clone() })
            };
        }
        (Op::Create { fields }, _) => fields
            .get(knowledge::field::PERSONAL)
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        (_, Some(record)) => knowledge::is_personal(record),
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
        (false, _) => Err(Denied::LeadsOnly),
    }
}

/// Whether `role` decides what the manuals leave to the supervisor (主管): an escalated parcel,
/// compensation above the tier, an after-sales resolution that needs one. An admin may too.
pub fn decides_as_supervisor(role: Role) -> bool {
    matches!(role, Role::Supervisor | Role::Admin)
}

fn may_add_case_event(role: Role, kind: &str) -> Result<(), Denied> {
    let allowed = match kind {
        event::QA_REVIEW => matches!(role, Role::Qa | Role::Admin),
        // Seed 002: an amount above the tier goes to the supervisor (主管).
        event::COMPENSATION_DECISION => decides_as_supervisor(role),
        event::NOTE | event::INSPECTION => role != Role::Qa,
        _ => !matches!(role, Role::Qa | Role::Packer),
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

    /// A knowledge entry of team east made by `by`, personal or the team's.
    fn east_entry(by: &str, personal: bool) -> Record {
        let fields = crate::knowledge::NewKnowledge {
            kind: crate::knowledge::KnowledgeKind::Phrase,
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
                may_change(&who, existing, &change),
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
