//! Sign-in, sessions and the extractors that turn a bearer token into the request's caller.

use crate::AppState;
use crate::db::{Caller, Database, SessionLookup};
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use kefu_core::account::manage::{NewAccount, SessionEnd};
use kefu_core::account::password::{PasswordProblem, check_password};
use kefu_core::account::sign_in_limit::{self, Scope};
use kefu_core::account::{LoginRequest, Session, UserInfo};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};

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

pub fn password_matches(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// The shared rule (length, not the username), then zxcvbn: its lists of common passwords,
/// names and words, and its estimate of how guessable the rest is. Score 3 of 4 is "safely
/// unguessable" against an online guesser, which the sign-in limit makes every guesser.
pub fn check_new_password(username: &str, password: &str) -> Result<(), PasswordProblem> {
    check_password(username, password)?;
    let estimate = zxcvbn::zxcvbn(password, &[username]);
    if (estimate.score() as u8) < 3 {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// Only a hash of each token is stored, so a copy of the database cannot be used to sign in.
pub fn token_hash(token: &str) -> String {
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

/// A password an admin hands out, read aloud or copied from a screen: twelve letters and
/// digits that cannot be mistaken for each other (no 0/o, 1/l/i), in groups of four. 31¹²
/// is about 2⁵⁹ guesses, and the user replaces it at their first sign-in.
pub fn one_time_password() -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let picks = random_bytes::<12>()?;
    let characters: Vec<char> = picks
        .iter()
        .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
        .collect();
    Ok(characters
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

pub async fn create_user(
    db: &dyn Database,
    account: &NewAccount,
    password: &str,
    must_change_password: bool,
) -> Result<i64, ApiError> {
    let hash = hash_password(password)?;
    Ok(db.create_user(account, &hash, must_change_password).await?)
}

/// Where a request comes from, for the per-address sign-in limit: the peer, or, behind a
/// reverse proxy the shop told Kefu about, the address the proxy appended last to
/// `X-Forwarded-For` (earlier entries are whatever the client claimed).
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip());
        if !state.behind_proxy {
            return Ok(ClientAddress(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .next_back();
        Ok(ClientAddress(forwarded.or(peer)))
    }
}

/// "Chrome · Android": enough for a user to tell their devices apart on the sessions page.
fn device_label(headers: &HeaderMap) -> String {
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| agent.contains(mark))
    .map_or("?", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPad", "iPad"),
        ("iPhone", "iPhone"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| agent.contains(mark))
    .map_or("?", |(_, name)| name);
    format!("{browser} · {system}")
}

/// The waits of both scopes, checked before the password is looked at: while one lasts the
/// answer is the same whatever the password, so a guesser learns nothing and costs no hashing.
async fn refused_until(
    db: &dyn Database,
    keys: &[(Scope, String)],
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let mut latest = None;
    for (scope, key) in keys {
        if let Some(failures) = db.sign_in_failures(key).await? {
            latest = latest.max(sign_in_limit::refused_until(*scope, &failures, now));
        }
    }
    Ok(latest)
}

#[utoipa::path(post, path = "/api/login", tag = "accounts", request_body = LoginRequest, responses((status = 200, description = "Signed in", body = Session)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> Result<Json<Session>, ApiError> {
    let now = Utc::now();
    let username = request.username.trim();
    let mut keys = vec![(Scope::Account, Scope::Account.key(username))];
    if let Some(address) = address {
        keys.push((Scope::Address, Scope::Address.key(&address.to_string())));
    }
    if let Some(until) = refused_until(state.db.as_ref(), &keys, now).await? {
        return Err(ApiError::TooManyTries(sign_in_limit::wait_message(
            until, now,
        )));
    }
    let user = state.db.user_by_name(username).await?;
    let Some(user) = user.filter(|user| password_matches(&request.password, &user.password_hash))
    else {
        for (_, key) in &keys {
            let previous = state.db.sign_in_failures(key).await?;
            let failures = sign_in_limit::after_failure(previous.as_ref(), now);
            state.db.set_sign_in_failures(key, &failures).await?;
        }
        return Err(ApiError::BadCredentials);
    };
    state.db.clear_sign_in_failures(&keys[0].1).await?;
    if !user.account.active {
        return Err(ApiError::SessionEnded(SessionEnd::AccountDisabled));
    }
    let token = new_token()?;
    let expires_at = now + Duration::days(SESSION_DAYS);
    state
        .db
        .create_session(
            &token_hash(&token),
            user.id,
            &device_label(&headers),
            now,
            expires_at,
        )
        .await?;
    Ok(Json(Session {
        token,
        user: user.account.user,
        expires_at,
        must_change_password: user.account.must_change_password,
    }))
}

#[utoipa::path(get, path = "/api/me", tag = "accounts", responses((status = 200, description = "Who is signed in", body = UserInfo)))]
pub async fn me(AnySession(caller): AnySession) -> Json<UserInfo> {
    Json(caller.info)
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)
}

/// Signs this session out on the server: its token stops working at once, on every device
/// that holds it.
#[utoipa::path(post, path = "/api/logout", tag = "accounts", responses((status = 204, description = "Signed out")))]
pub async fn logout(
    AnySession(caller): AnySession,
    State(state): State<AppState>,
) -> Result<StatusCode, ApiError> {
    state
        .db
        .end_session(caller.user_id, &caller.session, SessionEnd::SignedOut)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Any working session, also one signed in with a one-time password that must be changed:
/// for the few requests such a session may make (who am I, change the password, sign out).
pub struct AnySession(pub Caller);

impl FromRequestParts<AppState> for AnySession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts)?;
        match state
            .db
            .session_caller(&token_hash(token), Utc::now())
            .await?
        {
            SessionLookup::Active(caller) => Ok(AnySession(caller)),
            SessionLookup::Ended(end) => Err(ApiError::SessionEnded(end)),
            SessionLookup::Unknown => Err(ApiError::Unauthorized),
        }
    }
}

/// The caller of every other request: a working session whose password is the user's own.
impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let AnySession(caller) = AnySession::from_request_parts(parts, state).await?;
        if caller.must_change_password {
            return Err(ApiError::MustChangePassword);
        }
        Ok(caller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_told_apart_by_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1",
                "Safari · iPad",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
                "Edge · Windows",
            ),
            ("", "? · ?"),
        ];
        for (agent, label) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(header::USER_AGENT, agent.parse().unwrap());
            assert_eq!(device_label(&headers), label, "{agent}");
        }
    }

    #[test]
    fn one_time_passwords_are_long_unambiguous_and_pass_the_password_check() {
        let first = one_time_password().unwrap();
        assert_eq!(first.len(), 14, "{first}");
        assert!(
            first
                .chars()
                .all(|c| c == '-' || "abcdefghjkmnpqrstuvwxyz23456789".contains(c)),
            "{first}"
        );
        assert_ne!(first, one_time_password().unwrap());
        assert_eq!(check_new_password("amy", &first), Ok(()));
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        let cases = [
            ("amy", "password123", Err(PasswordProblem::Common)),
            ("amy", "qwertyuiop", Err(PasswordProblem::Common)),
            ("amy", "1234567890", Err(PasswordProblem::Common)),
            ("amy", "iloveyou2026", Err(PasswordProblem::Common)),
            ("amy", "short", Err(PasswordProblem::TooShort)),
            (
                "amy",
                "amy-amy-amy-amy",
                Err(PasswordProblem::SameAsUsername),
            ),
            ("amy", "river-lamp-cotton-71", Ok(())),
            ("amy", "茶叶礼盒退货流程", Err(PasswordProblem::TooShort)),
            ("amy", "西湖龙井明前茶叶礼盒三号", Ok(())),
        ];
        for (username, password, verdict) in cases {
            assert_eq!(
                check_new_password(username, password),
                verdict,
                "{password}"
            );
        }
    }
}
