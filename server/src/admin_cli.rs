//! `kefu-server admin …`: what a shop runs on the server itself before anyone can sign in
//! (the first admin), and when nobody who could do it in the app can (a forgotten admin
//! password). Each command opens the database, does one thing and says what it did.

use crate::auth;
use crate::db::{Database, StoredUser};
use crate::error::ApiError;
use kefu_core::account::Role;
use kefu_core::account::manage::{AccountUpdate, NewAccount, SessionEnd, TeamInfo};
use std::io::Write;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AdminError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Database(#[from] crate::db::DbError),
    #[error(transparent)]
    Output(#[from] std::io::Error),
}

fn refused(message: impl Into<String>) -> AdminError {
    AdminError::Refused(message.into())
}

/// Creates an account with the password given. A team that does not exist yet is made, named
/// by its id, so the first admin's team needs no second command.
pub async fn create_user(
    db: &dyn Database,
    account: &NewAccount,
    password: &str,
    one_time: bool,
    out: &mut impl Write,
) -> Result<(), AdminError> {
    account
        .check()
        .map_err(|problem| refused(format!("{}: {}", problem.field, problem.message.en)))?;
    auth::check_new_password(&account.username, password)
        .map_err(|problem| refused(format!("password: {}", problem.message().en)))?;
    if db.user_by_name(&account.username).await?.is_some() {
        return Err(refused(format!(
            "the username {} is taken",
            account.username
        )));
    }
    let team = TeamInfo {
        id: account.team.clone(),
        name: account.team.clone(),
    };
    if db.create_team(&team).await? {
        writeln!(out, "created team {}", team.id)?;
    }
    auth::create_user(db, account, password, one_time).await?;
    writeln!(
        out,
        "created {} ({}, {}) in team {}",
        account.username,
        account.display_name,
        account.role.as_str(),
        account.team
    )?;
    Ok(())
}

async fn existing_user(db: &dyn Database, username: &str) -> Result<StoredUser, AdminError> {
    db.user_by_name(username)
        .await?
        .ok_or_else(|| refused(format!("there is no user {username}")))
}

pub async fn list_users(db: &dyn Database, out: &mut impl Write) -> Result<(), AdminError> {
    for account in db.users(None).await? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}",
            account.user.username,
            account.user.display_name,
            account.user.role.as_str(),
            account.user.team,
            if account.active { "active" } else { "disabled" }
        )?;
    }
    Ok(())
}

/// Sets a password the operator chose, ending the user's sessions; with `one_time` the user
/// must replace it at their next sign-in.
pub async fn reset_password(
    db: &dyn Database,
    username: &str,
    password: &str,
    one_time: bool,
    out: &mut impl Write,
) -> Result<(), AdminError> {
    let user = existing_user(db, username).await?;
    auth::check_new_password(username, password)
        .map_err(|problem| refused(format!("password: {}", problem.message().en)))?;
    let hash = auth::hash_password(password)?;
    db.set_password(user.id, &hash, one_time, None).await?;
    writeln!(out, "new password set for {username}; their sessions ended")?;
    Ok(())
}

pub async fn deactivate(
    db: &dyn Database,
    username: &str,
    out: &mut impl Write,
) -> Result<(), AdminError> {
    let user = existing_user(db, username).await?;
    if user.account.user.role == Role::Admin
        && user.account.active
        && db.count_active_admins().await? <= 1
    {
        return Err(refused(format!(
            "{username} is the last active admin: create another admin first"
        )));
    }
    let update = AccountUpdate {
        active: Some(false),
        ..AccountUpdate::default()
    };
    db.update_user(username, &update, Some(SessionEnd::AccountDisabled))
        .await?;
    writeln!(out, "{username} disabled; their sessions ended")?;
    Ok(())
}

/// Why the server will not serve a database without an active admin, and what to run.
pub async fn missing_admin(db: &dyn Database) -> Result<Option<String>, AdminError> {
    if db.count_active_admins().await? > 0 {
        return Ok(None);
    }
    Ok(Some(
        "Kefu has no admin account yet, so nobody could sign in or create accounts.\n\
         Create the first admin, then start the server again:\n\
         \n    kefu-server admin create-user --username NAME --display-name \"NAME\" --role admin --team hq\n\
         \n(or start with --demo to try Kefu with demo accounts)"
            .into(),
    ))
}
