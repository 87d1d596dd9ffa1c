//! The storage boundary: one `Database` trait, one implementation per backend, chosen by the
//! URL scheme of the database address.

mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::account::{Role, UserInfo};
use kefu_core::sync::{Change, PullResponse};
use std::sync::Arc;
use thiserror::Error;

pub use sqlite::SqliteDatabase;

#[derive(Debug, Error)]
pub enum DbError {
    #[error("unsupported database url {0:?}: use sqlite://…")]
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
    pub info: UserInfo,
    pub password_hash: String,
}

/// The signed-in caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub info: UserInfo,
}

/// Whether a change was written now or had been stored before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    Now,
    Before,
}

#[async_trait]
pub trait Database: Send + Sync {
    async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
    ) -> DbResult<i64>;
    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>>;
    async fn count_users(&self) -> DbResult<i64>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()>;
    async fn session_caller(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Caller>>;

    /// Stores one already-validated change exactly once, keyed by its change id.
    async fn apply_change(
        &self,
        change: &Change,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> DbResult<Applied>;
    /// Cases and notes written after `since`, oldest first, at most `limit` rows.
    async fn pull(&self, since: i64, limit: usize) -> DbResult<PullResponse>;
}

/// Opens (creating and migrating if needed) the database at `url`.
pub async fn connect(url: &str) -> DbResult<Arc<dyn Database>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteDatabase::connect(url).await?))
    } else {
        Err(DbError::UnsupportedUrl(url.to_owned()))
    }
}
