//! The embedded SQLite backend, the default for one machine.
//!
//! Why a pull cursor never skips a change: every write transaction first bumps the one
//! `sync_counter` row, which takes SQLite's single write lock until commit. So sequence
//! numbers are handed out in commit order, and a reader that sees sequence number n also
//! sees every commit numbered below n.

use super::batch::apply_batch;
use super::feed::pull_feed;
use super::sql::Backend;
use super::{DbResult, Decide, FeedPage};
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::sync::{Change, ChangeOutcome};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{QueryBuilder, Sqlite};
use std::str::FromStr;
use std::time::Duration;

/// Opens (creating and migrating if needed) the SQLite database at `url`.
pub async fn open(url: &str) -> DbResult<SqlitePool> {
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
    Ok(pool)
}

impl Backend for Sqlite {
    /// SQLite has no array type: one parameter per value.
    fn push_one_of(query: &mut QueryBuilder<'_, Sqlite>, values: Vec<String>) {
        query.push(" IN (");
        let mut list = query.separated(", ");
        for value in values {
            list.push_bind(value);
        }
        list.push_unseparated(")");
    }

    /// Never retried: writers wait for each other (the busy timeout) instead of colliding.
    async fn apply_batch(
        pool: &SqlitePool,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<ChangeOutcome>> {
        apply_batch!(Sqlite, pool, by_user, changes, decide, now).await
    }

    async fn pull(
        pool: &SqlitePool,
        visibility: &Visibility,
        since: i64,
        limit: usize,
    ) -> DbResult<FeedPage> {
        pull_feed!(Sqlite, pool, visibility, since, limit)
    }
}
