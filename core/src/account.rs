//! Accounts as both sides see them: roles and the groups of roles that do each kind of work,
//! the signed-in user, the sign-in exchange, and why a change was refused to a user.

use crate::input::InputError;
use crate::lang::Bilingual;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod manage;
pub mod password;
pub mod sign_in_limit;

/// The five roles of SPEC §8; what each may do is enforced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Agent,
    TeamLead,
    Qa,
    Supervisor,
    Admin,
    /// Inspects returned parcels at the packing station (SPEC §3): reads the team's cases,
    /// records inspections and notes, changes nothing else.
    Packer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Agent,
        Role::TeamLead,
        Role::Qa,
        Role::Supervisor,
        Role::Admin,
        Role::Packer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::TeamLead => "team_lead",
            Role::Qa => "qa",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Packer => "packer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The team the user works in (an outsourced project or the shop's own group, seed 001
    /// §二): they see that team's records.
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// What a device keeps after signing in: with it, it works offline until the session expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub token: String,
    pub user: UserInfo,
    pub expires_at: DateTime<Utc>,
    /// Signed in with a one-time password: the server serves nothing else until it is changed.
    #[serde(default)]
    pub must_change_password: bool,
}

/// The roles that do each kind of work, as the kinds declare who may add an entry.
pub mod roles {
    use crate::account::Role::{self, *};

    /// The desk: agents and everyone above them who works cases.
    pub const DESK: &[Role] = &[Agent, TeamLead, Supervisor, Admin];
    /// The desk and the packing station.
    pub const DESK_AND_STATION: &[Role] = &[Agent, TeamLead, Supervisor, Admin, Packer];
    /// Who decides what the manuals leave to the supervisor (主管).
    pub const SUPERVISORS: &[Role] = &[Supervisor, Admin];
    /// Who reviews cases for quality (质检).
    pub const QA: &[Role] = &[Qa, Admin];
    /// Who reads what concerns one agent's conduct (their banned-phrase incidents, their QA
    /// scores) besides that agent: QA, leads, supervisors (seed 001 §14).
    pub const OVERSIGHT: &[Role] = &[Qa, TeamLead, Supervisor, Admin];
    /// Who runs a team and reads its figures (运营日报, 绩效考核): leads, supervisors, admins.
    pub const LEADS: &[Role] = &[TeamLead, Supervisor, Admin];
}

/// Whether `role` decides what the manuals leave to the supervisor (主管): an escalated parcel,
/// compensation above the tier, an after-sales resolution that needs one. An admin may too.
pub fn decides_as_supervisor(role: Role) -> bool {
    roles::SUPERVISORS.contains(&role)
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
    #[error("nobody changes their own role or disables their own account")]
    OwnAccount,
    #[error("this role may not add {kind} entries")]
    EventNotAllowed { kind: String },
    #[error("only a team lead, supervisor or admin may change the team's knowledge base")]
    LeadsOnly,
    #[error("a personal entry is changed only by whoever made it")]
    NotYours,
    #[error("an escalated parcel is decided by a supervisor")]
    SupervisorDecides,
    #[error("only a team lead, supervisor or admin may import the phone system's call log")]
    CallLogLeadsOnly,
    #[error("only a team lead, supervisor or admin may read a team's figures")]
    FiguresLeadsOnly,
    #[error("only a supervisor or admin sees every team's reports")]
    SupervisorsOnly,
    /// Closed by default: a field no record kind or case workflow declares…
    #[error("no kind declares the field {field}")]
    UndeclaredField { field: String },
    /// …or a timeline entry none declares.
    #[error("no kind declares the entry {kind}")]
    UndeclaredEvent { kind: String },
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
            Denied::OwnAccount => Bilingual::new(
                "不能修改自己的角色或停用自己的账号，请另一位管理员操作",
                "Nobody changes their own role or disables their own account: ask another admin",
            ),
            Denied::EventNotAllowed { kind } => Bilingual::new(
                format!("您的角色不能添加“{kind}”记录"),
                format!("Your role may not add “{kind}” entries"),
            ),
            Denied::LeadsOnly => Bilingual::new(
                "只有组长、主管或管理员可以修改小组的知识库和快捷短语",
                "Only a team lead, supervisor or admin may change the team's knowledge base and phrases",
            ),
            Denied::SupervisorsOnly => Bilingual::new(
                "只有主管或管理员可以查看各组日报的发送情况",
                "Only a supervisor or admin sees which teams have sent their reports",
            ),
            Denied::FiguresLeadsOnly => Bilingual::new(
                "只有组长、主管或管理员可以查看小组的运营日报和绩效",
                "Only a team lead, supervisor or admin may read a team's reports and KPIs",
            ),
            Denied::CallLogLeadsOnly => Bilingual::new(
                "只有组长、主管或管理员可以导入通话记录",
                "Only a team lead, supervisor or admin may import the call log",
            ),
            Denied::SupervisorDecides => Bilingual::new(
                "这件退货已转主管，由主管决定收货或退回",
                "This parcel was escalated: a supervisor decides whether to accept or send it back",
            ),
            // Told as the input check tells it: to the user, both say there is no such thing.
            Denied::UndeclaredField { field } => InputError::UnknownField {
                field: field.clone(),
            }
            .message(),
            Denied::UndeclaredEvent { kind } => {
                InputError::UnknownEvent { kind: kind.clone() }.message()
            }
            Denied::NotYours => Bilingual::new(
                "个人短语只能由创建人修改",
                "A personal entry can be changed only by whoever made it",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json, role.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }
}
