//! The embedded SQLite backend, the default for one machine.
//!
//! Why a pull cursor never skips a change: every write transaction first bumps the one
//! `sync_counter` row, which takes SQLite's single write lock until commit. So sequence
//! numbers are handed out in commit order, and a reader that sees sequence number n also
//! sees every commit numbered below n.

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
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

pub struct SqliteDatabase {
    pool: SqlitePool,
}

impl SqliteDatabase {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            // Writers queue behind each other instead of failing while another commits.
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

fn user_info(row: &sqlx::sqlite::SqliteRow) -> DbResult<UserInfo> {
    Ok(UserInfo {
        username: row.get("username"),
        display_name: row.get("display_name"),
        role: role_from_column(row.get("role"))?,
        team: row.get("team"),
    })
}

/// Hands out the next feed sequence number. As the first write of a transaction it also takes
/// SQLite's write lock, so sequence numbers follow commit order (see the module comment).
async fn next_seq(tx: &mut Transaction<'_, Sqlite>) -> DbResult<i64> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// Which of the batch's change ids earlier pushes stored.
async fn already_stored(
    tx: &mut Transaction<'_, Sqlite>,
    changes: &[Change],
) -> DbResult<HashSet<Uuid>> {
    let mut query =
        QueryBuilder::<Sqlite>::new("SELECT change_id FROM applied_changes WHERE change_id IN (");
    let mut ids = query.separated(", ");
    for change in changes {
        ids.push_bind(change.change_id.to_string());
    }
    ids.push_unseparated(")");
    let rows: Vec<String> = query.build_query_scalar().fetch_all(&mut **tx).await?;
    rows.iter().map(|id| parse_uuid(id)).collect()
}

/// The stored records with these ids, by id.
async fn stored_records(
    tx: &mut Transaction<'_, Sqlite>,
    ids: &[Uuid],
) -> DbResult<HashMap<Uuid, Record>> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT data FROM records WHERE id IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(id.to_string());
    }
    list.push_unseparated(")");
    let rows: Vec<String> = query.build_query_scalar().fetch_all(&mut **tx).await?;
    rows.iter()
        .map(|data| from_json::<Record>(data).map(|record| (record.id, record)))
        .collect()
}

/// A team list bound as the backend takes one.
impl FeedBackend for Sqlite {
    fn push_visibility(query: &mut QueryBuilder<'_, Sqlite>, visibility: &Visibility) {
        if let Visibility::Teams(teams) = visibility {
            query.push(" AND team IN (");
            let mut list = query.separated(", ");
            for team in teams {
                list.push_bind(team.clone());
            }
            list.push_unseparated(")");
        }
    }
}

#[async_trait]
impl Database for SqliteDatabase {
    async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        team: &str,
        password_hash: &str,
    ) -> DbResult<i64> {
        let id = sqlx::query(
            "INSERT INTO users (username, display_name, role, team, password_hash)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(team)
        .bind(password_hash)
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    async fn set_user_team(&self, username: &str, team: &str) -> DbResult<()> {
        sqlx::query("UPDATE users SET team = ? WHERE username = ?")
            .bind(team)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, team, password_hash
             FROM users WHERE username = ?",
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
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at.to_rfc3339())
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
            "SELECT u.id, u.username, u.display_name, u.role, u.team, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: String = row.get("expires_at");
        let expires_at = DateTime::parse_from_rfc3339(&expires_at)
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
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record(&self, id: Uuid) -> DbResult<Option<Record>> {
        let data: Option<String> = sqlx::query_scalar("SELECT data FROM records WHERE id = ?")
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
        let mut tx = self.pool.begin().await?;
        let seq = next_seq(&mut tx).await?;
        let already = already_stored(&mut tx, changes).await?;
        let stored = stored_records(&mut tx, &touched_records(changes)).await?;
        let plan = plan_batch(changes, &already, stored, decide);
        if plan.records.is_empty() {
            // Nothing new: rolling back also returns the sequence number, so the feed has no
            // gaps from retries.
            tx.rollback().await?;
            return Ok(plan.outcomes);
        }
        let applied_at = now.to_rfc3339();
        let mut remember = QueryBuilder::<Sqlite>::new(
            "INSERT INTO applied_changes (change_id, record_id, by_user, applied_at) ",
        );
        remember.push_values(&plan.applied, |mut row, (change_id, record_id)| {
            row.push_bind(change_id.to_string())
                .push_bind(record_id.to_string())
                .push_bind(by_user)
                .push_bind(&applied_at);
        });
        remember.build().execute(&mut *tx).await?;
        let mut store =
            QueryBuilder::<Sqlite>::new("INSERT INTO records (id, record_type, team, seq, data) ");
        let rows = plan
            .records
            .iter()
            .map(|record| Ok((record, to_json(record)?)))
            .collect::<DbResult<Vec<_>>>()?;
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

    async fn pull(&self, visibility: &Visibility, since: i64, limit: usize) -> DbResult<FeedPage> {
        pull_feed!(Sqlite, &self.pool, visibility, since, limit)
    }
}
