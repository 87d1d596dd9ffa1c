//! The `Database` trait implemented once for both backends, generic over sqlx's database type:
//! users, sessions and single records are plain queries that sqlx runs on either (`$n`
//! placeholders, which SQLite takes too). What a backend must say for itself is the `Backend`
//! trait.

use super::{
    Caller, Database, DbError, DbResult, Decide, FeedPage, SessionLookup, StoredSession,
    StoredUser, from_json, role_from_column,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::account::manage::{AccountInfo, AccountUpdate, NewAccount, SessionEnd, TeamInfo};
use kefu_core::account::sign_in_limit::Failures;
use kefu_core::account::{Role, UserInfo};
use kefu_core::record::{Record, RecordType, Version};
use kefu_core::recovery::Epoch;
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

fn account_info<R: Row>(row: &R) -> DbResult<AccountInfo>
where
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> bool: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(AccountInfo {
        user: user_info(row)?,
        active: row.get("active"),
        must_change_password: row.get("must_change_password"),
    })
}

fn time<R: Row>(row: &R, column: &str) -> DbResult<DateTime<Utc>>
where
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    row.try_get(column)
        .map_err(|error| DbError::Corrupt(error.to_string()))
}

/// How stale a session's `last_seen` may get before a request writes it again: the sessions
/// page needs minutes, not every request's write.
const LAST_SEEN_EVERY_MINUTES: i64 = 5;

const ACCOUNT_COLUMNS: &str = "username, display_name, role, team, active, must_change_password";

#[async_trait]
impl<B> Database for SqlDatabase<B>
where
    B: Backend,
    // What sqlx needs to run these queries on `B`: both backends have all of it.
    for<'c> &'c mut B::Connection: Executor<'c, Database = B>,
    for<'q> B::Arguments<'q>: IntoArguments<'q, B>,
    for<'q> &'q str: Encode<'q, B> + Type<B>,
    for<'q, 'r> String: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> Option<String>: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> i64: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> bool: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q> Option<bool>: Encode<'q, B> + Type<B>,
    for<'q, 'r> DateTime<Utc>: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'q, 'r> Option<DateTime<Utc>>: Encode<'q, B> + Decode<'r, B> + Type<B>,
    for<'c> &'c str: ColumnIndex<B::Row>,
    usize: ColumnIndex<B::Row>,
{
    async fn create_user(
        &self,
        account: &NewAccount,
        password_hash: &str,
        must_change_password: bool,
    ) -> DbResult<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, team, password_hash, active, must_change_password)
             VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
        )
        .bind(account.username.as_str())
        .bind(account.display_name.trim())
        .bind(account.role.as_str())
        .bind(account.team.as_str())
        .bind(password_hash)
        .bind(must_change_password)
        .fetch_one(&self.0)
        .await?)
    }

    async fn user_by_name(&self, username: &str) -> DbResult<Option<StoredUser>> {
        let row = sqlx::query(&format!(
            "SELECT id, password_hash, {ACCOUNT_COLUMNS} FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(&self.0)
        .await?;
        row.map(|row| {
            Ok(StoredUser {
                id: row.get("id"),
                account: account_info(&row)?,
                password_hash: row.get("password_hash"),
            })
        })
        .transpose()
    }

    async fn users(&self, team: Option<&str>) -> DbResult<Vec<AccountInfo>> {
        let rows = match team {
            Some(team) => {
                sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM users WHERE team = $1 ORDER BY username"
                ))
                .bind(team)
                .fetch_all(&self.0)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM users ORDER BY username"
                ))
                .fetch_all(&self.0)
                .await?
            }
        };
        rows.iter().map(account_info).collect()
    }

    async fn count_users(&self) -> DbResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.0)
            .await?)
    }

    async fn count_active_admins(&self) -> DbResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = $1 AND active")
                .bind(Role::Admin.as_str())
                .fetch_one(&self.0)
                .await?,
        )
    }

    async fn update_user(
        &self,
        username: &str,
        update: &AccountUpdate,
        end: Option<SessionEnd>,
    ) -> DbResult<bool> {
        let mut tx = self.0.begin().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(id) = id else { return Ok(false) };
        sqlx::query(
            "UPDATE users SET display_name = COALESCE($1, display_name), role = COALESCE($2, role),
             team = COALESCE($3, team), active = COALESCE($4, active) WHERE id = $5",
        )
        .bind(
            update
                .display_name
                .as_deref()
                .map(str::trim)
                .map(str::to_owned),
        )
        .bind(update.role.map(|role| role.as_str().to_owned()))
        .bind(update.team.clone())
        .bind(update.active)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if let Some(end) = end {
            sqlx::query("UPDATE sessions SET ended = $1 WHERE user_id = $2 AND ended IS NULL")
                .bind(end.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change_password: bool,
        keep: Option<&str>,
    ) -> DbResult<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(must_change_password)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE sessions SET ended = $1
             WHERE user_id = $2 AND ended IS NULL AND token_hash <> $3",
        )
        .bind(SessionEnd::PasswordChanged.as_str())
        .bind(user_id)
        .bind(keep.unwrap_or_default())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn teams(&self) -> DbResult<Vec<TeamInfo>> {
        let rows = sqlx::query("SELECT id, name FROM teams ORDER BY id")
            .fetch_all(&self.0)
            .await?;
        Ok(rows
            .iter()
            .map(|row| TeamInfo {
                id: row.get("id"),
                name: row.get("name"),
            })
            .collect())
    }

    async fn create_team(&self, team: &TeamInfo) -> DbResult<bool> {
        // `RETURNING` says whether a row was written, on both backends alike.
        let created: Option<String> = sqlx::query_scalar(
            "INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
        )
        .bind(team.id.as_str())
        .bind(team.name.trim())
        .fetch_optional(&self.0)
        .await?;
        Ok(created.is_some())
    }

    async fn rename_team(&self, id: &str, name: &str) -> DbResult<bool> {
        let renamed: Option<String> =
            sqlx::query_scalar("UPDATE teams SET name = $1 WHERE id = $2 RETURNING id")
                .bind(name.trim())
                .bind(id)
                .fetch_optional(&self.0)
                .await?;
        Ok(renamed.is_some())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        device: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, device, signed_in_at, last_seen, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(device)
        .bind(now)
        .bind(expires_at)
        .execute(&self.0)
        .await?;
        Ok(())
    }

    async fn session_caller(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<SessionLookup> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.team, u.active,
             u.must_change_password, s.expires_at, s.last_seen, s.ended
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.0)
        .await?;
        let Some(row) = row else {
            return Ok(SessionLookup::Unknown);
        };
        // Compared here, as times: SQLite keeps times as text, which SQL would compare as
        // strings.
        if time(&row, "expires_at")? <= now {
            return Ok(SessionLookup::Unknown);
        }
        if let Some(ended) = row.get::<Option<String>, _>("ended") {
            let end = SessionEnd::parse(&ended)
                .ok_or_else(|| DbError::Corrupt(format!("unknown session end {ended:?}")))?;
            return Ok(SessionLookup::Ended(end));
        }
        let account = account_info(&row)?;
        if !account.active {
            return Ok(SessionLookup::Ended(SessionEnd::AccountDisabled));
        }
        if now - time(&row, "last_seen")? > chrono::Duration::minutes(LAST_SEEN_EVERY_MINUTES) {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.0)
                .await?;
        }
        Ok(SessionLookup::Active(Caller {
            user_id: row.get("id"),
            info: account.user,
            session: token_hash.to_owned(),
            must_change_password: account.must_change_password,
        }))
    }

    async fn sessions_of(&self, user_id: i64, now: DateTime<Utc>) -> DbResult<Vec<StoredSession>> {
        let rows = sqlx::query(
            "SELECT token_hash, device, signed_in_at, last_seen, expires_at FROM sessions
             WHERE user_id = $1 AND ended IS NULL",
        )
        .bind(user_id)
        .fetch_all(&self.0)
        .await?;
        let mut sessions = Vec::new();
        for row in &rows {
            if time(row, "expires_at")? > now {
                sessions.push(StoredSession {
                    token_hash: row.get("token_hash"),
                    device: row.get("device"),
                    signed_in_at: time(row, "signed_in_at")?,
                    last_seen: time(row, "last_seen")?,
                });
            }
        }
        sessions.sort_by_key(|session| std::cmp::Reverse(session.last_seen));
        Ok(sessions)
    }

    async fn end_session(&self, user_id: i64, token_hash: &str, end: SessionEnd) -> DbResult<bool> {
        let ended: Option<String> = sqlx::query_scalar(
            "UPDATE sessions SET ended = $1
             WHERE user_id = $2 AND token_hash = $3 AND ended IS NULL RETURNING token_hash",
        )
        .bind(end.as_str())
        .bind(user_id)
        .bind(token_hash)
        .fetch_optional(&self.0)
        .await?;
        Ok(ended.is_some())
    }

    async fn sign_in_failures(&self, key: &str) -> DbResult<Option<Failures>> {
        let row = sqlx::query("SELECT count, last_at FROM sign_in_failures WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.0)
            .await?;
        row.map(|row| {
            Ok(Failures {
                count: u32::try_from(row.get::<i64, _>("count")).unwrap_or(u32::MAX),
                last_at: time(&row, "last_at")?,
            })
        })
        .transpose()
    }

    async fn set_sign_in_failures(&self, key: &str, failures: &Failures) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sign_in_failures (key, count, last_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET count = excluded.count, last_at = excluded.last_at",
        )
        .bind(key)
        .bind(i64::from(failures.count))
        .bind(failures.last_at)
        .execute(&self.0)
        .await?;
        Ok(())
    }

    async fn clear_sign_in_failures(&self, key: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(key)
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

    async fn records_of_type(&self, record_type: RecordType) -> DbResult<Vec<Record>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT data FROM records WHERE record_type = $1 ORDER BY seq")
                .bind(record_type.as_str())
                .fetch_all(&self.0)
                .await?;
        rows.iter().map(|data| from_json(data)).collect()
    }

    async fn field_history(&self, record_id: Uuid, field: &str) -> DbResult<Vec<Version>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT version FROM field_history WHERE record_id = $1 AND field = $2
             ORDER BY made_at, change_id",
        )
        .bind(record_id.to_string())
        .bind(field)
        .fetch_all(&self.0)
        .await?;
        rows.iter().map(|version| from_json(version)).collect()
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

    async fn epoch(&self) -> DbResult<Epoch> {
        let read = || async {
            let row: Option<B::Row> =
                sqlx::query("SELECT epoch, restored_at FROM server_epoch WHERE id = 1")
                    .fetch_optional(&self.0)
                    .await?;
            row.map(|row| -> DbResult<Epoch> {
                Ok(Epoch {
                    id: row.get("epoch"),
                    restored_at: row
                        .try_get("restored_at")
                        .map_err(|error| DbError::Corrupt(error.to_string()))?,
                })
            })
            .transpose()
        };
        // Read on every sync request, so only the first ever writes.
        if let Some(epoch) = read().await? {
            return Ok(epoch);
        }
        // Two instances starting at once may both try; the first row stays.
        sqlx::query(
            "INSERT INTO server_epoch (id, epoch) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(Uuid::now_v7().to_string())
        .execute(&self.0)
        .await?;
        read()
            .await?
            .ok_or_else(|| DbError::Corrupt("no epoch after making one".into()))
    }

    async fn new_epoch(&self, now: DateTime<Utc>) -> DbResult<Epoch> {
        let epoch = Epoch {
            id: Uuid::now_v7().to_string(),
            restored_at: Some(now),
        };
        sqlx::query(
            "INSERT INTO server_epoch (id, epoch, restored_at) VALUES (1, $1, $2)
             ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, restored_at = excluded.restored_at",
        )
        .bind(epoch.id.as_str())
        .bind(now)
        .execute(&self.0)
        .await?;
        Ok(epoch)
    }
}
