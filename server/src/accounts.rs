//! The account API: admins manage users and teams, a team lead sees their team's members, and
//! every user changes their own password and sees and ends their own sessions. Who may do what
//! is `kefu_core::account::manage::may_manage`, asked before anything is read or written.

use crate::AppState;
use crate::auth::{self, AnySession};
use crate::db::{Caller, Database, StoredUser};
use crate::error::ApiError;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use kefu_core::account::manage::{
    AccountAction, AccountInfo, AccountUpdate, FieldProblem, NewAccount, OneTimePassword,
    PasswordChange, SessionEnd, SessionInfo, TeamInfo, may_manage,
};
use kefu_core::account::password::PasswordProblem;
use kefu_core::lang::Bilingual;
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    team: Option<String>,
}

#[utoipa::path(get, path = "/api/accounts", tag = "accounts", params(MembersQuery), responses((status = 200, description = "Accounts, by username", body = Vec<AccountInfo>)))]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<MembersQuery>,
) -> Result<Json<Vec<AccountInfo>>, ApiError> {
    let team = query.team.as_deref();
    may_manage(&caller.info, AccountAction::ListMembers { team })?;
    Ok(Json(state.db.users(team).await?))
}

/// The account named in the path, or 404.
async fn stored_user(db: &dyn Database, username: &str) -> Result<StoredUser, ApiError> {
    db.user_by_name(username).await?.ok_or(ApiError::NotFound)
}

async fn known_team(db: &dyn Database, team: &str) -> Result<(), ApiError> {
    if db.teams().await?.iter().any(|known| known.id == team) {
        Ok(())
    } else {
        Err(ApiError::Invalid(FieldProblem::new(
            "team",
            Bilingual::new(
                format!("没有小组“{team}”"),
                format!("There is no team “{team}”"),
            ),
        )))
    }
}

/// Creates an account with a one-time password, shown once to the admin who made it.
#[utoipa::path(post, path = "/api/accounts", tag = "accounts", request_body = NewAccount, responses((status = 201, description = "Created, with a one-time password", body = OneTimePassword)))]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    Json(account): Json<NewAccount>,
) -> Result<(StatusCode, Json<OneTimePassword>), ApiError> {
    may_manage(&caller.info, AccountAction::CreateAccount)?;
    account.check().map_err(ApiError::Invalid)?;
    known_team(state.db.as_ref(), &account.team).await?;
    if state.db.user_by_name(&account.username).await?.is_some() {
        return Err(ApiError::Exists(FieldProblem::new(
            "username",
            Bilingual::new("这个用户名已被使用", "This username is taken"),
        )));
    }
    let password = auth::one_time_password()?;
    auth::create_user(state.db.as_ref(), &account, &password, true).await?;
    Ok((
        StatusCode::CREATED,
        Json(OneTimePassword {
            username: account.username,
            password,
        }),
    ))
}

#[utoipa::path(patch, path = "/api/accounts/{username}", tag = "accounts", params(("username" = String, Path)), request_body = AccountUpdate, responses((status = 200, description = "Changed", body = AccountInfo)))]
pub async fn update(
    caller: Caller,
    State(state): State<AppState>,
    Path(username): Path<String>,
    Json(update): Json<AccountUpdate>,
) -> Result<Json<AccountInfo>, ApiError> {
    let target = stored_user(state.db.as_ref(), &username).await?;
    may_manage(
        &caller.info,
        AccountAction::UpdateAccount {
            target: &target.account.user,
            update: &update,
        },
    )?;
    update.check().map_err(ApiError::Invalid)?;
    if let Some(team) = &update.team {
        known_team(state.db.as_ref(), team).await?;
    }
    let end = if update.active == Some(false) {
        Some(SessionEnd::AccountDisabled)
    } else if update.ends_sessions(&target.account) {
        Some(SessionEnd::AccountChanged)
    } else {
        None
    };
    state.db.update_user(&username, &update, end).await?;
    let after = stored_user(state.db.as_ref(), &username).await?;
    Ok(Json(after.account))
}

/// Gives the user a new one-time password and ends their sessions.
#[utoipa::path(post, path = "/api/accounts/{username}/password", tag = "accounts", params(("username" = String, Path)), responses((status = 200, description = "A new one-time password", body = OneTimePassword)))]
pub async fn reset_password(
    caller: Caller,
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> Result<Json<OneTimePassword>, ApiError> {
    let target = stored_user(state.db.as_ref(), &username).await?;
    may_manage(
        &caller.info,
        AccountAction::ResetPassword {
            target: &target.account.user,
        },
    )?;
    let password = auth::one_time_password()?;
    let hash = auth::hash_password(&password)?;
    state.db.set_password(target.id, &hash, true, None).await?;
    Ok(Json(OneTimePassword { username, password }))
}

/// The user's own new password: the current one proves it is them; every other session of
/// theirs ends, this one goes on.
#[utoipa::path(post, path = "/api/password", tag = "accounts", request_body = PasswordChange, responses((status = 204, description = "Changed")))]
pub async fn change_password(
    AnySession(caller): AnySession,
    State(state): State<AppState>,
    Json(change): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let user = state
        .db
        .user_by_name(&caller.info.username)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if !auth::password_matches(&change.current, &user.password_hash) {
        return Err(ApiError::WrongCurrentPassword);
    }
    let refused = |problem| ApiError::Password {
        field: "new",
        problem,
    };
    if change.new == change.current {
        return Err(refused(PasswordProblem::Unchanged));
    }
    auth::check_new_password(&caller.info.username, &change.new).map_err(refused)?;
    let hash = auth::hash_password(&change.new)?;
    state
        .db
        .set_password(caller.user_id, &hash, false, Some(&caller.session))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/teams", tag = "accounts", responses((status = 200, description = "Every team", body = Vec<TeamInfo>)))]
pub async fn teams(
    _caller: Caller,
    State(state): State<AppState>,
) -> Result<Json<Vec<TeamInfo>>, ApiError> {
    Ok(Json(state.db.teams().await?))
}

#[utoipa::path(post, path = "/api/teams", tag = "accounts", request_body = TeamInfo, responses((status = 201, description = "Created")))]
pub async fn create_team(
    caller: Caller,
    State(state): State<AppState>,
    Json(team): Json<TeamInfo>,
) -> Result<StatusCode, ApiError> {
    may_manage(&caller.info, AccountAction::ManageTeams)?;
    team.check().map_err(ApiError::Invalid)?;
    if !state.db.create_team(&team).await? {
        return Err(ApiError::Exists(FieldProblem::new(
            "id",
            Bilingual::new("已有这个编号的小组", "A team with this id exists"),
        )));
    }
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TeamName {
    name: String,
}

#[utoipa::path(patch, path = "/api/teams/{id}", tag = "accounts", params(("id" = String, Path)), request_body = TeamName, responses((status = 204, description = "Renamed")))]
pub async fn rename_team(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(TeamName { name }): Json<TeamName>,
) -> Result<StatusCode, ApiError> {
    may_manage(&caller.info, AccountAction::ManageTeams)?;
    let team = TeamInfo { id, name };
    team.check().map_err(ApiError::Invalid)?;
    if !state.db.rename_team(&team.id, &team.name).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own sessions; a session is named by a prefix of its token's hash, which is
/// enough to tell a user's few sessions apart and is no use for signing in.
#[utoipa::path(get, path = "/api/sessions", tag = "accounts", responses((status = 200, description = "The caller's sessions", body = Vec<SessionInfo>)))]
pub async fn sessions(
    AnySession(caller): AnySession,
    State(state): State<AppState>,
) -> Result<Json<Vec<SessionInfo>>, ApiError> {
    let sessions = state.db.sessions_of(caller.user_id, Utc::now()).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|session| SessionInfo {
                id: session_id(&session.token_hash).to_owned(),
                current: session.token_hash == caller.session,
                device: session.device,
                signed_in_at: session.signed_in_at,
                last_seen: session.last_seen,
            })
            .collect(),
    ))
}

fn session_id(token_hash: &str) -> &str {
    &token_hash[..token_hash.len().min(16)]
}

/// Ends one of the caller's own sessions: that device is told it was signed out elsewhere.
#[utoipa::path(delete, path = "/api/sessions/{id}", tag = "accounts", params(("id" = String, Path)), responses((status = 204, description = "Ended")))]
pub async fn end_session(
    AnySession(caller): AnySession,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let sessions = state.db.sessions_of(caller.user_id, Utc::now()).await?;
    let session = sessions
        .iter()
        .find(|session| session_id(&session.token_hash) == id)
        .ok_or(ApiError::NotFound)?;
    state
        .db
        .end_session(caller.user_id, &session.token_hash, SessionEnd::SignedOut)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
