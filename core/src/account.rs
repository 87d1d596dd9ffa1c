//! Accounts as both sides see them: roles, the signed-in user, and the sign-in exchange.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The five roles of SPEC §8; what each may do is enforced by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
pub struct UserInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The team the user works in (an outsourced project or the shop's own group, seed 001
    /// §二): they see that team's records.
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// What a device keeps after signing in: with it, it works offline until the session expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub user: UserInfo,
    pub expires_at: DateTime<Utc>,
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
