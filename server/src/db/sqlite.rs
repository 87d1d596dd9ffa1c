//! The embedded SQLite backend, the default for one machine.

use super::{Applied, Caller, Database, DbError, DbResult, StoredUser};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::account::{Role, UserInfo};
use kefu_core::case::{Case, Note};
use kefu_core::merge::merge_case;
use kefu_core::sync::{Change, Op, PullResponse};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Row, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

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

fn role_from_column(text: &str) -> DbResult<Role> {
    Role::parse(text).ok_or_else(|| DbError::Corrupt(format!("unknown role {text:?}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> DbResult<T> {
    serde_json::from_str(text).map_err(|error| DbError::Corrupt(error.to_string()))
}

fn to_json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    serde_json::to_string(value).map_err(|error| DbError::Corrupt(error.to_string()))
}

/// Hands out the next feed sequence number. As the first write of a transaction it also takes
/// SQLite's write lock, so the transaction never has to upgrade a read lock later.
async fn next_seq(tx: &mut Transaction<'_, Sqlite>) -> DbResult<i64> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE sync_counter SET value = value + 1 WHERE id = 1 RETURNING value",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

async fn put_case(tx: &mut Transaction<'_, Sqlite>, seq: i64, incoming: &Case) -> DbResult<()> {
    let stored: Option<String> = sqlx::query_scalar("SELECT data FROM cases WHERE id = ?")
        .bind(incoming.id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    let current: Option<Case> = stored.as_deref().map(from_json).transpose()?;
    let winner = merge_case(current.as_ref(), incoming);
    if current.as_ref() == Some(&winner) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO cases (id, seq, data) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, data = excluded.data",
    )
    .bind(winner.id.to_string())
    .bind(seq)
    .bind(to_json(&winner)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn add_note(tx: &mut Transaction<'_, Sqlite>, seq: i64, note: &Note) -> DbResult<()> {
    // Notes are append-only: a note id that exists already is the same note.
    sqlx::query(
        "INSERT INTO notes (id, case_id, seq, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(note.id.to_string())
    .bind(note.case_id.to_string())
    .bind(seq)
    .bind(to_json(note)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl Database for SqliteDatabase {
    async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
    ) -> DbResult<i64> {
        let id = sqlx::query(
            "INSERT INTO users (username, display_name, role, password_hash) VALUES (?, ?, ?, ?)",
        )
        .bind(username)
        .bind(display_name)
        .bind(role.as_str())
        .bind(password_hash)
        .execute(&self.pool)
        .await?
        .last_insert_rowid();
        Ok(id)
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, password_hash FROM users WHERE username = ?",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(StoredUser {
                id: row.get("id"),
                info: UserInfo {
                    username: row.get("username"),
                    display_name: row.get("display_name"),
                    role: role_from_column(row.get("role"))?,
                },
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
            "SELECT u.id, u.username, u.display_name, u.role, s.expires_at
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
            info: UserInfo {
                username: row.get("username"),
                display_name: row.get("display_name"),
                role: role_from_column(row.get("role"))?,
            },
        }))
    }

    async fn apply_change(
        &self,
        change: &Change,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> DbResult<Applied> {
        let mut tx = self.pool.begin().await?;
        let seq = next_seq(&mut tx).await?;
        let inserted = sqlx::query(
            "INSERT INTO applied_changes (change_id, user_id, applied_at) VALUES (?, ?, ?)
             ON CONFLICT (change_id) DO NOTHING",
        )
        .bind(change.change_id.to_string())
        .bind(caller.user_id)
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // Rolling back also returns the sequence number: the feed has no gaps from retries.
            tx.rollback().await?;
            return Ok(Applied::Before);
        }
        match &change.op {
            Op::PutCase { case } => put_case(&mut tx, seq, case).await?,
            Op::AddNote { note } => add_note(&mut tx, seq, note).await?,
        }
        tx.commit().await?;
        Ok(Applied::Now)
    }

    async fn pull(&self, since: i64, limit: usize) -> DbResult<PullResponse> {
        let rows = sqlx::query(
            "SELECT 'case' AS kind, seq, data FROM cases WHERE seq > ?1
             UNION ALL
             SELECT 'note' AS kind, seq, data FROM notes WHERE seq > ?1
             ORDER BY seq LIMIT ?2",
        )
        .bind(since)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut response = PullResponse {
            cases: Vec::new(),
            notes: Vec::new(),
            cursor: since,
            more: rows.len() == limit,
        };
        for row in rows {
            let kind: String = row.get("kind");
            let data: String = row.get("data");
            response.cursor = row.get("seq");
            if kind == "case" {
                response.cases.push(from_json(&data)?);
            } else {
                response.notes.push(from_json(&data)?);
            }
        }
        Ok(response)
    }
}
