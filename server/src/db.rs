//! The storage boundary: one `Database` trait of storage primitives, implemented once for both
//! backends (`db/sql.rs`, generic over the backend chosen by the URL scheme of the database
//! address). Validation, authorization and merge are not here: they happen once, above the
//! trait (`kefu_core::accept`), and reach a backend only as the `decide` callback of
//! [`Database::apply_batch`].

pub mod batch;
mod feed;
mod postgres;
mod sql;
mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::account::manage::{AccountInfo, AccountUpdate, NewAccount, SessionEnd, TeamInfo};
use kefu_core::account::sign_in_limit::Failures;
use kefu_core::account::{Role, UserInfo};
use kefu_core::lang::Bilingual;
use kefu_core::record::{Record, RecordType, Version};
use kefu_core::recovery::Epoch;
use kefu_core::sync::{Change, ChangeOutcome};
use std::sync::Arc;
use thiserror::Error;
use uuid::Uuid;

use sql::SqlDatabase;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("unsupported database url {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// A user row as the server needs it to sign someone in.
#[derive(Debug, Clone)]
pub struct StoredUser {
    pub id: i64,
    pub account: AccountInfo,
    pub password_hash: String,
}

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub info: UserInfo,
    /// The hash of the session's token: names this session among the user's.
    pub session: String,
    pub must_change_password: bool,
}

/// What a session token turns out to be.
#[derive(Debug, Clone)]
pub enum SessionLookup {
    Active(Caller),
    /// Ended before it expired, and why.
    Ended(SessionEnd),
    /// Never issued, or expired.
    Unknown,
}

/// One of a user's sessions as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    pub token_hash: String,
    pub device: String,
    pub signed_in_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

/// The server's decision on one change, given the record as stored in the same transaction:
/// the merged record to store, or why the change is refused.
pub type Decide<'a> =
    dyn Fn(Option<&Record>, &Change) -> Result<Record, Bilingual> + Send + Sync + 'a;

/// One page of the change feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPage {
    /// In commit order.
    pub records: Vec<Record>,
    /// The sequence number of the last commit the page holds completely (`since` if empty).
    pub last_seq: i64,
    pub more: bool,
}

#[async_trait]
pub trait Database: Send + Sync {
    async fn create_user(
        &self,
        account: &NewAccount,
        password_hash: &str,
        must_change_password: bool,
    ) -> DbResult<i64>;
    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>>;
    /// Every account, or one team's, by username.
    async fn users(&self, team: Option<&str>) -> DbResult<Vec<AccountInfo>>;
    async fn count_users(&self) -> DbResult<i64>;
    async fn count_active_admins(&self) -> DbResult<i64>;
    /// Changes one account and, with `end`, ends its sessions for that reason, in one
    /// transaction: the next request of any of its devices is refused. False if no such user.
    async fn update_user(
        &self,
        username: &str,
        update: &AccountUpdate,
        end: Option<SessionEnd>,
    ) -> DbResult<bool>;
    /// Stores a new password hash and ends the user's other sessions (all but `keep`) as
    /// [`SessionEnd::PasswordChanged`].
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change_password: bool,
        keep: Option<&str>,
    ) -> DbResult<()>;

    async fn teams(&self) -> DbResult<Vec<TeamInfo>>;
    /// False if a team with that id exists.
    async fn create_team(&self, team: &TeamInfo) -> DbResult<bool>;
    /// False if there is no such team.
    async fn rename_team(&self, id: &str, name: &str) -> DbResult<bool>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        device: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()>;
    /// The session's caller; notes that it was seen at `now` (at most every few minutes).
    async fn session_caller(&self, token_hash: &str, now: DateTime<Utc>)
    -> DbResult<SessionLookup>;
    /// A user's sessions that still work at `now`, last seen first.
    async fn sessions_of(&self, user_id: i64, now: DateTime<Utc>) -> DbResult<Vec<StoredSession>>;
    /// Ends one of `user_id`'s sessions; false if they have no such session.
    async fn end_session(&self, user_id: i64, token_hash: &str, end: SessionEnd) -> DbResult<bool>;

    async fn sign_in_failures(&self, key: &str) -> DbResult<Option<Failures>>;
    async fn set_sign_in_failures(&self, key: &str, failures: &Failures) -> DbResult<()>;
    async fn clear_sign_in_failures(&self, key: &str) -> DbResult<()>;

    async fn record(&self, id: Uuid) -> DbResult<Option<Record>>;

    /// Every record of `record_type`, every team's: the few a report across teams reads (the
    /// daily reports marked sent).
    async fn records_of_type(&self, record_type: RecordType) -> DbResult<Vec<Record>>;

    /// Every kept version of one field of a record whose kind keeps its history, oldest first.
    async fn field_history(&self, record_id: Uuid, field: &str) -> DbResult<Vec<Version>>;

    /// Applies a push batch in one transaction under one new sequence number: a change id
    /// stored before answers `duplicate`; otherwise `decide` gets the stored record (as
    /// changed by earlier changes of the same batch) and its verdict is stored or answered.
    async fn apply_batch(
        &self,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<ChangeOutcome>>;

    /// Records `visibility` allows that changed after sequence number `since`, in commit
    /// order: about `limit` of them, never splitting the records of one commit.
    async fn pull(&self, visibility: &Visibility, since: i64, limit: usize) -> DbResult<FeedPage>;

    /// Which copy of the data this database is; the first call makes its epoch.
    async fn epoch(&self) -> DbResult<Epoch>;

    /// Gives the database a new epoch, restored at `now`: what a restore from backup does
    /// last, so devices send back what the restore lost.
    async fn new_epoch(&self, now: DateTime<Utc>) -> DbResult<Epoch>;
}

/// Opens (creating and migrating if needed) the database at `url`: `sqlite://path` for the
/// embedded default, `postgres://…` for several server instances sharing one database.
pub async fn connect(url: &str) -> DbResult<Arc<dyn Database>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqlDatabase(sqlite::open(url).await?)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(SqlDatabase(postgres::open(url).await?)))
    } else {
        Err(DbError::UnsupportedUrl(url.to_owned()))
    }
}

/// The file of a SQLite address (`sqlite://path?options`, or `sqlite:path`); `None` for any
/// other backend, or a database only in memory.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .and_then(|rest| rest.split('?').next())
        .filter(|path| !path.is_empty() && *path != ":memory:")
        .map(std::path::PathBuf::from)
}

fn role_from_column(text: &str) -> DbResult<Role> {
    Role::parse(text).ok_or_else(|| DbError::Corrupt(format!("unknown role {text:?}")))
}

/// Records are stored as the shared crate's JSON, so no backend re-models them.
fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> DbResult<T> {
    serde_json::from_str(text).map_err(|error| DbError::Corrupt(error.to_string()))
}

fn to_json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    serde_json::to_string(value).map_err(|error| DbError::Corrupt(error.to_string()))
}

fn parse_uuid(text: &str) -> DbResult<Uuid> {
    Uuid::parse_str(text).map_err(|error| DbError::Corrupt(error.to_string()))
}
