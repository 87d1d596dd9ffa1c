//! The PostgreSQL backend, for shops that run several stateless server instances on one
//! PostgreSQL (or PostgreSQL-compatible) database.
//!
//! Why a pull cursor never skips a change with several instances writing at once: every write
//! transaction first bumps the one `sync_counter` row, whose row lock it holds until commit.
//! The next writer, on any instance, gets its number only after that commit, so sequence
//! numbers are handed out in commit order and a reader that sees number n sees every commit
//! below n. Serialization failures and deadlocks (possible on stricter isolation levels, as
//! distributed PostgreSQL-compatible databases use) are retried, not answered with 500.

use super::batch::apply_batch;
use super::feed::pull_feed;
use super::sql::Backend;
use super::{DbError, DbResult, Decide, FeedPage};
use chrono::{DateTime, Utc};
use kefu_core::access::Visibility;
use kefu_core::sync::{Change, ChangeOutcome};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, QueryBuilder};
use std::time::Duration;

/// Attempts of one push batch before a conflict between writers is reported as an error.
const MAX_ATTEMPTS: u32 = 8;

/// Opens (migrating if needed) the PostgreSQL database at `url`.
pub async fn open(url: &str) -> DbResult<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?;
    sqlx::migrate!("migrations/postgres").run(&pool).await?;
    Ok(pool)
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

impl Backend for Postgres {
    /// One array parameter, however many values.
    fn push_one_of(query: &mut QueryBuilder<'_, Postgres>, values: Vec<String>) {
        query.push(" = ANY(");
        query.push_bind(values);
        query.push(")");
    }

    async fn apply_batch(
        pool: &PgPool,
        by_user: &str,
        changes: &[Change],
        decide: &Decide<'_>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<ChangeOutcome>> {
        let mut attempt = 1;
        loop {
            match apply_batch!(Postgres, pool, by_user, changes, decide, now).await {
                Err(error) if attempt < MAX_ATTEMPTS && is_retryable(&error) => {
                    tracing::info!(attempt, %error, "writers collided; retrying the push");
                    tokio::time::sleep(Duration::from_millis(5 << attempt)).await;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    async fn pull(
        pool: &PgPool,
        visibility: &Visibility,
        since: i64,
        limit: usize,
    ) -> DbResult<FeedPage> {
        pull_feed!(Postgres, pool, visibility, since, limit)
    }
}
