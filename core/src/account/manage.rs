//! Who may manage accounts and teams, and what a new account or team must look like. Closed by
//! default: only an admin manages, nobody changes their own role or switches themselves off, and
//! a team lead may only see their own team's members.
//!
//! Accounts are not synced records: a password (even a one-time one) must never sit in a
//! device's database or in an outbox, and ending a user's sessions has to happen in the same
//! transaction as the change that ends them. So this is an online admin task, decided here and
//! enforced by the server's account API.

use crate::account::{Denied, Role, UserInfo};
use crate::lang::Bilingual;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An account as the admin's pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountInfo {
    #[serde(flatten)]
    pub user: UserInfo,
    pub active: bool,
    /// Signs in with a one-time password an admin gave, and must choose their own first.
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: String,
}

/// An admin's change to one account; what is `None` stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountUpdate {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub team: Option<String>,
    pub active: Option<bool>,
}

impl AccountUpdate {
    /// Whether the change ends the account's sessions: a new role or team changes what the user
    /// may do and see, which their devices learn only by signing in again.
    pub fn ends_sessions(&self, before: &AccountInfo) -> bool {
        self.role.is_some_and(|role| role != before.user.role)
            || self
                .team
                .as_ref()
                .is_some_and(|team| *team != before.user.team)
            || self.active == Some(false)
    }
}

/// A password an admin handed out, shown to the admin once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneTimePassword {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInfo {
    /// Stored on users and records: never changes.
    pub id: String,
    /// What people call it: an admin may rename it.
    pub name: String,
}

/// A user's own password change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// One of a user's own sign-ins, for the sessions page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub id: String,
    /// The browser and system it signed in from, as the browser names them.
    pub device: String,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// The session asking.
    pub current: bool,
}

/// Why a session stopped working before it expired; the device tells the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SessionEnd {
    /// The user signed out, here or from another device's sessions page.
    SignedOut,
    AccountDisabled,
    /// An admin changed the user's role or team.
    AccountChanged,
    /// The password changed on another device, or an admin reset it.
    PasswordChanged,
}

impl SessionEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionEnd::SignedOut => "signed_out",
            SessionEnd::AccountDisabled => "account_disabled",
            SessionEnd::AccountChanged => "account_changed",
            SessionEnd::PasswordChanged => "password_changed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            SessionEnd::SignedOut,
            SessionEnd::AccountDisabled,
            SessionEnd::AccountChanged,
            SessionEnd::PasswordChanged,
        ]
        .into_iter()
        .find(|end| end.as_str() == text)
    }

    pub fn message(self) -> Bilingual {
        match self {
            SessionEnd::SignedOut => Bilingual::new(
                "此设备上的登录已在别处退出，请重新登录",
                "This device was signed out elsewhere: please sign in again",
            ),
            SessionEnd::AccountDisabled => Bilingual::new(
                "您的账号已被管理员停用，未同步的更改保留在本机。请联系管理员",
                "Your account was disabled by an admin. Unsynced changes stay on this device; please contact your admin",
            ),
            SessionEnd::AccountChanged => Bilingual::new(
                "管理员修改了您的角色或小组，请重新登录",
                "An admin changed your role or team: please sign in again",
            ),
            SessionEnd::PasswordChanged => Bilingual::new(
                "密码已修改，请用新密码重新登录",
                "Your password was changed: please sign in again with the new one",
            ),
        }
    }
}

/// What someone asks to do to accounts and teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction<'a> {
    ListMembers {
        team: Option<&'a str>,
    },
    CreateAccount,
    /// `target` is the account as stored.
    UpdateAccount {
        target: &'a UserInfo,
        update: &'a AccountUpdate,
    },
    ResetPassword {
        target: &'a UserInfo,
    },
    ManageTeams,
}

/// Whether `caller` may do `action`.
pub fn may_manage(caller: &UserInfo, action: AccountAction<'_>) -> Result<(), Denied> {
    let is_admin = caller.role == Role::Admin;
    match action {
        AccountAction::ListMembers { team } => {
            let own_team = team == Some(caller.team.as_str());
            if is_admin || (caller.role == Role::TeamLead && own_team) {
                Ok(())
            } else {
                Err(Denied::AdminOnly)
            }
        }
        AccountAction::UpdateAccount { target, update } => {
            if !is_admin {
                return Err(Denied::AdminOnly);
            }
            let self_change = target.username == caller.username;
            let changes_role = update.role.is_some_and(|role| role != target.role);
            if self_change && (changes_role || update.active == Some(false)) {
                return Err(Denied::OwnAccount);
            }
            Ok(())
        }
        AccountAction::CreateAccount
        | AccountAction::ResetPassword { .. }
        | AccountAction::ManageTeams => {
            if is_admin {
                Ok(())
            } else {
                Err(Denied::AdminOnly)
            }
        }
    }
}

/// A field of an account or team form that is not right, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: Bilingual,
}

impl FieldProblem {
    pub fn new(field: &'static str, message: Bilingual) -> Self {
        FieldProblem { field, message }
    }
}

/// Usernames and team ids: what people type at sign-in and what is stored on records, so short
/// and plain: lowercase letters, digits, `.`, `_` and `-`, 2 to 32 of them.
fn is_plain_name(text: &str) -> bool {
    (2..=32).contains(&text.len())
        && text.chars().all(|character| {
            character.is_ascii_lowercase()
                || character.is_ascii_digit()
                || matches!(character, '.' | '_' | '-')
        })
}

fn check_display_name(field: &'static str, name: &str) -> Result<(), FieldProblem> {
    let length = name.trim().chars().count();
    if length == 0 || length > 40 {
        return Err(FieldProblem::new(
            field,
            Bilingual::new("名称需要 1 到 40 个字", "A name needs 1 to 40 characters"),
        ));
    }
    Ok(())
}

fn check_team_id(field: &'static str, id: &str) -> Result<(), FieldProblem> {
    if is_plain_name(id) {
        Ok(())
    } else {
        Err(FieldProblem::new(
            field,
            Bilingual::new(
                "小组编号只能用 2 到 32 个小写字母、数字、“.”、“_”或“-”",
                "A team id is 2 to 32 lowercase letters, digits, “.”, “_” or “-”",
            ),
        ))
    }
}

impl NewAccount {
    pub fn check(&self) -> Result<(), FieldProblem> {
        if !is_plain_name(&self.username) {
            return Err(FieldProblem::new(
                "username",
                Bilingual::new(
                    "用户名只能用 2 到 32 个小写字母、数字、“.”、“_”或“-”",
                    "A username is 2 to 32 lowercase letters, digits, “.”, “_” or “-”",
                ),
            ));
        }
        check_display_name("display_name", &self.display_name)?;
        check_team_id("team", &self.team)
    }
}

impl AccountUpdate {
    pub fn check(&self) -> Result<(), FieldProblem> {
        if let Some(name) = &self.display_name {
            check_display_name("display_name", name)?;
        }
        if let Some(team) = &self.team {
            check_team_id("team", team)?;
        }
        Ok(())
    }
}

impl TeamInfo {
    pub fn check(&self) -> Result<(), FieldProblem> {
        check_team_id("id", &self.id)?;
        check_display_name("name", &self.name)
    }
}

#[cfg(test)]
mod tests;
