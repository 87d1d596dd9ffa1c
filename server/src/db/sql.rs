//! The `Database` trait implemented once for both backends, generic over sqlx's database type:
//! users, sessions and single records are plain queries that sqlx runs on either (`$n`
//! placeholders, which SQLite takes too). What a backend must say for itself is the `Backend`
//! trait.

use super::{
    Caller, Database, DbError, DbResult, Decide, FeedPage, StoredUser, from_json, role_from_column,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::account::{Role, UserInfo};
use kefu_core::record::Record;
use kefu_core::sync::{Change, ChangeOutcome};
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Pool, QueryBuilder, Row, Type};
use uuid::Uuid;

/// What differs between SQLite and PostgreSQL. The batch and the pull are here, though each is
/// written once (`apply_batch!`, `pull_feed!`), because they build their SQL with sqlx's
/// `QueryBuilder`, which only code for one named backend can run (see `feed.rs`).
pub trait Backend: sqlx::Database {
    /// Appends, after a column, "is one of `values`" as this backend binds a list.
    fn push_one_of(query: &mut QueryBuilder<'_, Self>, values: Vec<String>);

    /// [`Database::apply_batch`]: the `apply_batch!` transaction, retried where the backend
    /// can report a conflict between writers.
    fn apply_batch(
        pool: &Pool<Self>,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = DbResult<Vec<ChangeOutcome>>> + Send;

    /// [`Database::pull`]: `pull_feed!`.
    fn pull(
        pool: &Pool<Self>,
        visibility: &Visibility,
        since: i64,
        limit: usize,
    ) -> impl Future<Output = DbResult<FeedPage>> + Send;
}

/// A database on backend `B`, reached through this pool.
pub struct SqlDatabase<B: Backend>(pub Pool<B>);

fn user_info<R: Row>(row: &R) -> DbResult<UserInfo>
where
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(UserInfo {
        username: row.get("username"),
        display_name: row.get("display_name"),
        role: role_from_column(&row.get::<String, _>("role"))?,
        team: row.get("team"),
    })
}

#[async_trait]
impl<B> Database for SqlDatabase<B>
where
    B: Backend,
    // What sqlx needs to run these queries on `B`: both backends have all of it.
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
    for<'q> B::Arguments<'q>: IntoArguments<'q, B>,
    for<'q> &'q str: Encode<'q, B> + Type<B>,
    for<'q, 'r> String: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> i64: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> DateTime<Utc>: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'c> &'c str: ColumnIndex<B::Row>,
    usize: ColumnIndex<B::Row>,
{
    async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        team: &str,
        password_hash: &str,
    ) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, team, password_hash)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(team)
        .bind(password_hash)
        .fetch_one(&self.0)
        .await?)
    }

    async fn set_user_team(&self, username: &str, team: &str) -> DbResult<()> {
        sqlx::query("UPDATE users SET team = $1 WHERE username = $2")
            .bind(team)
            .bind(username)
            .execute(&self.0)
            .await?;
        Ok(())
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, team, password_hash
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.0)
        .await?;
        row.map(|row| {
            Ok(StoredUser {
                id: row.get("id"),
                info: user_info(&row)?,
                password_hash: row.get("password_hash"),
            })
        })
        .transpose()
    }

    async fn count_users(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.0)
            .await?)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at)
            .execute(&self.0)
            .await?;
        Ok(())
    }

    async fn session_caller(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Caller>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.team, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.0)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // Compared here, as times: SQLite keeps `expires_at` as text, which SQL would compare
        // as strings.
        let expires_at: DateTime<Utc> = row
            .try_get("expires_at")
            .map_err(|error| DbError::Corrupt(error.to_string()))?;
        if expires_at <= now {
            return Ok(None);
        }
        Ok(Some(Caller {
            user_id: row.get("id"),
            info: user_info(&row)?,
        }))
    }

    async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.0)
            .await?;
        Ok(())
    }

    async fn record(&self, id: Uuid) -> DbResult<Option<Record>> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM records WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.0)
            .await?;
        data.as_deref().map(from_json).transpose()
    }

    async fn apply_batch(
        &self,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<ChangeOutcome>> {
        B::apply_batch(&self.0, by_user, changes, decide, now).await
    }

    async fn pull(&self, visibility: &Visibility, since: i64, limit: usize) -> DbResult<FeedPage> {
        B::pull(&self.0, visibility, since, limit).await
    }
}
