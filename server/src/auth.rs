//! Sign-in, sessions and the extractor that turns a bearer token into the request's caller.

use crate::AppState;
use crate::db::{Caller, Database};
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::{Duration, Utc};
use kefu_core::account::{LoginRequest, Role, Session, UserInfo};
use sha2::{Digest, Sha256};

/// How long a device may work offline on one sign-in before it must sign in again.
pub const SESSION_DAYS: i64 = 30;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|error| ApiError::Hashing(error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| ApiError::Hashing(error.to_string()))
}

fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Only a hash of each token is stored, so a copy of the database cannot be used to sign in.
fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| ApiError::Hashing(error.to_string()))?;
    Ok(bytes)
}

fn new_token() -> Result<String, ApiError> {
    Ok(hex::encode(random_bytes::<32>()?))
}

pub async fn create_user(
    db: &dyn Database,
    username: &str,
    display_name: &str,
    role: Role,
    team: &str,
    password: &str,
) -> Result<i64, ApiError> {
    let hash = hash_password(password)?;
    Ok(db
        .create_user(username, display_name, role, team, &hash)
        .await?)
}

pub async fn login(
    State(state): State<AppState>,
    Json(request): Json<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    let user = state.db.user_by_name(request.username.trim()).await?;
    let Some(user) = user.filter(|user| password_matches(&request.password, &user.password_hash))
    else {
        return Err(ApiError::BadCredentials);
    };
    let token = new_token()?;
    let expires_at = Utc::now() + Duration::days(SESSION_DAYS);
    state
        .db
        .create_session(&token_hash(&token), user.id, expires_at)
        .await?;
    Ok(Json(Session {
        token,
        user: user.info,
        expires_at,
    }))
}

pub async fn me(caller: Caller) -> Json<UserInfo> {
    Json(caller.info)
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)
}

/// Signs this session out on the server: its token stops working at once, on every device
/// that holds it.
pub async fn logout(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Result<StatusCode, ApiError> {
    let (parts, _) = request.into_parts();
    let token = bearer_token(&parts)?;
    state.db.delete_session(&token_hash(token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?;
        state
            .db
            .session_caller(&token_hash(token), Utc::now())
            .await?
            .ok_or(ApiError::Unauthorized)
    }
}
