//! The change feed's pull, one SQL text for both backends: only how a list of teams is bound
//! differs (`Backend::push_one_of`), so the page boundary rule is written once.
//!
//! A macro, not a function generic over `sqlx::Database`: a `QueryBuilder` built and run in
//! generic code needs its arguments' lifetime to equal its own borrow (the backends' argument
//! types are invariant there), which no caller can satisfy.

use super::sql::Backend;
use kefu_core::access::Visibility;
use sqlx::QueryBuilder;

/// Appends ` AND team …` when the caller sees some teams only.
pub fn push_visibility<B: Backend>(query: &mut QueryBuilder<'_, B>, visibility: &Visibility) {
    if let Visibility::Teams(teams) = visibility {
        query.push(" AND team");
        B::push_one_of(query, teams.clone());
    }
}

/// `pull_feed!(Backend, pool, visibility, since, limit)`: the records changed after `since`
/// that the caller may see, in commit order, as a `DbResult<FeedPage>`: at least `limit`
/// records unless the feed ends sooner, and always whole commits, so a cursor set to the
/// page's last sequence number never splits one.
macro_rules! pull_feed {
    ($backend:ty, $pool:expr, $visibility:expr, $since:expr, $limit:expr) => {{
        use sqlx::{QueryBuilder, Row as _};
        use $crate::db::feed::push_visibility;
        use $crate::db::{FeedPage, from_json};
        let (pool, visibility, since, limit) = ($pool, $visibility, $since, $limit);
        // The sequence number of the limit-th record: the page ends with that whole commit.
        let mut bound = QueryBuilder::<$backend>::new("SELECT seq FROM records WHERE seq > ");
        bound.push_bind(since);
        push_visibility(&mut bound, visibility);
        bound.push(" ORDER BY seq LIMIT 1 OFFSET ");
        bound.push_bind(limit.saturating_sub(1) as i64);
        let upper: Option<i64> = bound.build_query_scalar().fetch_optional(pool).await?;

        let mut page = QueryBuilder::<$backend>::new("SELECT seq, data FROM records WHERE seq > ");
        page.push_bind(since);
        if let Some(upper) = upper {
            page.push(" AND seq <= ").push_bind(upper);
        }
        push_visibility(&mut page, visibility);
        page.push(" ORDER BY seq, id");
        let rows = page.build().fetch_all(pool).await?;

        let mut last_seq = since;
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            last_seq = row.get("seq");
            records.push(from_json(row.get("data"))?);
        }
        let more = match upper {
            None => false,
            Some(upper) => {
                let mut next = QueryBuilder::<$backend>::new("SELECT 1 FROM records WHERE seq > ");
                next.push_bind(upper);
                push_visibility(&mut next, visibility);
                next.push(" LIMIT 1");
                next.build().fetch_optional(pool).await?.is_some()
            }
        };
        Ok(FeedPage {
            records,
            last_seq,
            more,
        })
    }};
}

pub(crate) use pull_feed;
