//! The PostgreSQL backend, for shops that run several stateless server instances on one
//! PostgreSQL (or PostgreSQL-compatible) database.
//!
//! Why a pull cursor never skips a change with several instances writing at once: every write
//! transaction first bumps the one `sync_counter` row, whose row lock it holds until commit.
//! The next writer, on any instance, gets its number only after that commit, so sequence
//! numbers are handed out in commit order and a reader that sees number n sees every commit
//! below n. Serialization failures and deadlocks (possible on stricter isolation levels, as
//! distributed PostgreSQL-compatible databases use) are retried, not answered with 500.

use super::batch::{plan_batch, touched_records};
use super::feed::{FeedBackend, pull_feed};
use super::{
    Caller, Database, DbError, DbResult, Decide, FeedPage, StoredUser, from_json, parse_uuid,
    role_from_column, to_json,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::account::{Role, UserInfo};
use kefu_core::record::Record;
use kefu_core::sync::{Change, ChangeOutcome};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, QueryBuilder, Row, Transaction};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use uuid::Uuid;

/// Attempts of one push batch before a conflict between writers is reported as an error.
const MAX_ATTEMPTS: u32 = 8;

pub struct PostgresDatabase {
    pool: PgPool,
}

impl PostgresDatabase {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }

    async fn try_apply_batch(
        &self,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<ChangeOutcome>> {
        let mut tx = self.pool.begin().await?;
        let seq = next_seq(&mut tx).await?;
        let already = already_stored(&mut tx, changes).await?;
        let stored = stored_records(&mut tx, &touched_records(changes)).await?;
        let plan = plan_batch(changes, &already, stored, decide);
        if plan.records.is_empty() {
            tx.rollback().await?;
            return Ok(plan.outcomes);
        }
        let mut remember = QueryBuilder::<Postgres>::new(
            "INSERT INTO applied_changes (change_id, record_id, by_user, applied_at) ",
        );
        remember.push_values(&plan.applied, |mut row, (change_id, record_id)| {
            row.push_bind(change_id.to_string())
                .push_bind(record_id.to_string())
                .push_bind(by_user)
                .push_bind(now);
        });
        remember.build().execute(&mut *tx).await?;
        let rows = plan
            .records
            .iter()
            .map(|record| Ok((record, to_json(record)?)))
            .collect::<DbResult<Vec<_>>>()?;
        let mut store = QueryBuilder::<Postgres>::new(
            "INSERT INTO records (id, record_type, team, seq, data) ",
        );
        store.push_values(&rows, |mut row, (record, data)| {
            row.push_bind(record.id.to_string())
                .push_bind(record.record_type.as_str())
                .push_bind(&record.team)
                .push_bind(seq)
                .push_bind(data);
        });
        store.push(
            " ON CONFLICT (id) DO UPDATE SET
                 team = excluded.team, seq = excluded.seq, data = excluded.data",
        );
        store.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(plan.outcomes)
    }
}

/// Serialization failure or deadlock: the transaction may simply be run again.
fn is_retryable(error: &DbError) -> bool {
    match error {
        DbError::Sqlx(sqlx::Error::Database(error)) => {
            matches!(error.code().as_deref(), Some("40001" | "40P01"))
        }
        _ => false,
    }
}

fn user_info(row: &PgRow) -> DbResult<UserInfo> {
    Ok(UserInfo {
        username: row.get("username"),
        display_name: row.get("display_name"),
        role: role_from_column(row.get("role"))?,
        team: row.get("team"),
    })
}

/// Hands out the next feed sequence number and holds the counter's row lock until commit
/// (see the module comment).
async fn next_seq(tx: &mut Transaction<'_, Postgres>) -> DbResult<i64> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// Which of the batch's change ids earlier pushes stored.
async fn already_stored(
    tx: &mut Transaction<'_, Postgres>,
    changes: &[Change],
) -> DbResult<HashSet<Uuid>> {
    let ids: Vec<String> = changes.iter().map(|c| c.change_id.to_string()).collect();
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT change_id FROM applied_changes WHERE change_id = ANY($1)")
            .bind(ids)
            .fetch_all(&mut **tx)
            .await?;
    rows.iter().map(|id| parse_uuid(id)).collect()
}

/// The stored records with these ids, by id.
async fn stored_records(
    tx: &mut Transaction<'_, Postgres>,
    ids: &[Uuid],
) -> DbResult<HashMap<Uuid, Record>> {
    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    let rows: Vec<String> = sqlx::query_scalar("SELECT data FROM records WHERE id = ANY($1)")
        .bind(ids)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|data| from_json::<Record>(data).map(|record| (record.id, record)))
        .collect()
}

/// A team list bound as the backend takes one.
impl FeedBackend for Postgres {
    fn push_visibility(query: &mut QueryBuilder<'_, Postgres>, visibility: &Visibility) {
        if let Visibility::Teams(teams) = visibility {
            query.push(" AND team = ANY(");
            query.push_bind(teams.clone());
            query.push(")");
        }
    }
}

#[async_trait]
impl Database for PostgresDatabase {
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
        .fetch_one(&self.pool)
        .await?)
    }

    async fn set_user_team(&self, username: &str, team: &str) -> DbResult<()> {
        sqlx::query("UPDATE users SET team = $1 WHERE username = $2")
            .bind(team)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, team, password_hash
             FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
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
            .fetch_one(&self.pool)
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
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_caller(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Caller>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.team
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Caller {
                user_id: row.get("id"),
                info: user_info(&row)?,
            })
        })
        .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record(&self, id: Uuid) -> DbResult<Option<Record>> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM records WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
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
        let mut attempt = 1;
        loop {
            match self.try_apply_batch(by_user, changes, decide, now).await {
                Err(error) if attempt < MAX_ATTEMPTS && is_retryable(&error) => {
                    tracing::info!(attempt, %error, "writers collided; retrying the push");
                    tokio::time::sleep(Duration::from_millis(5 << attempt)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn pull(&self, visibility: &Visibility, since: i64, limit: usize) -> DbResult<FeedPage> {
        pull_feed!(Postgres, &self.pool, visibility, since, limit)
    }
}
