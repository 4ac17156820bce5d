//! The admin's job list: filters, search and sorts with keyset pages.
//!
//! The SQL is assembled per request from fixed fragments (values are always bound),
//! so each combination of filters is its own prepared statement that PostgreSQL
//! plans for exactly those filters: a status filter walks the status index, a
//! title search the trigram index, and the sort is served by an index on
//! `(company_id, …, id)` so a page costs 50 rows, not a sort of the whole table.

use crate::auth::CurrentUser;
use crate::clock::{day_range, schedule_label, today};
use crate::db::{like_pattern, TenantTx};
use crate::error::Result;
use crate::state::AppState;
use crate::viewer::Viewer;
use app::auth::Role;
use app::error::AppError;
use app::jobs::{JobCursor, JobListQuery, JobPage, JobRow, JobSort, StatusChip};
use app::statuses::StatusKind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(super) struct ListRow {
    pub id: Uuid,
    pub title: String,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub worker_name: Option<String>,
    pub status_id: Uuid,
    pub status_name: String,
    pub status_colour: String,
    pub status_kind: StatusKind,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub is_archived: bool,
    pub created_at: DateTime<Utc>,
}

impl ListRow {
    pub(super) fn into_row(self, tz: Tz) -> JobRow {
        JobRow {
            id: self.id,
            title: self.title,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            status: StatusChip {
                id: self.status_id,
                name: self.status_name,
                colour: self.status_colour,
                kind: self.status_kind,
            },
            worker_name: self.worker_name,
            scheduled_at: self.scheduled_at,
            scheduled_label: self.scheduled_at.map(|at| schedule_label(at, tz)),
            is_archived: self.is_archived,
            created_at: self.created_at,
        }
    }
}

const SELECT_ROWS: &str = "select j.id, j.title, j.customer_id, c.name as customer_name, w.name as worker_name,
       s.id as status_id, s.name as status_name, s.colour as status_colour, s.kind as status_kind,
       j.scheduled_at, j.is_archived, j.created_at
  from jobs j
  join customers c on c.company_id = j.company_id and c.id = j.customer_id
  join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
  left join users w on w.company_id = j.company_id and w.id = j.assigned_worker_id
 where j.deleted_at is null and j.company_id = ";

fn bad_cursor() -> crate::error::Error {
    AppError::field("after", "This page link is no longer valid. Start from the first page.").into()
}

fn parse_time(key: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(key).map(|t| t.with_timezone(&Utc)).map_err(|_| bad_cursor())
}

/// Appends the keyset condition and the order for `sort`.
fn push_order(qb: &mut QueryBuilder<'_, Postgres>, sort: JobSort, after: Option<JobCursor>) -> Result<()> {
    match sort {
        JobSort::Newest | JobSort::Oldest => {
            let (cmp, dir) = if sort == JobSort::Newest { ("<", "desc") } else { (">", "asc") };
            if let Some(cursor) = after {
                let at = parse_time(&cursor.key)?;
                qb.push(format_args!(" and (j.created_at, j.id) {cmp} ("))
                    .push_bind(at)
                    .push(", ")
                    .push_bind(cursor.id)
                    .push(")");
            }
            qb.push(format_args!(" order by j.created_at {dir}, j.id {dir}"));
        }
        JobSort::Scheduled => {
            // Unscheduled jobs come last; the cursor key is empty for them.
            if let Some(cursor) = after {
                if cursor.key.is_empty() {
                    qb.push(" and j.scheduled_at is null and j.id > ").push_bind(cursor.id);
                } else {
                    let at = parse_time(&cursor.key)?;
                    qb.push(" and ((j.scheduled_at, j.id) > (").push_bind(at).push(", ").push_bind(cursor.id);
                    qb.push(") or j.scheduled_at is null)");
                }
            }
            qb.push(" order by j.scheduled_at asc nulls last, j.id asc");
        }
        JobSort::Title => {
            if let Some(cursor) = after {
                qb.push(" and (lower(j.title), j.id) > (")
                    .push_bind(cursor.key)
                    .push(", ")
                    .push_bind(cursor.id)
                    .push(")");
            }
            qb.push(" order by lower(j.title) asc, j.id asc");
        }
    }
    Ok(())
}

fn cursor_for(sort: JobSort, row: &ListRow) -> JobCursor {
    let key = match sort {
        JobSort::Newest | JobSort::Oldest => row.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        JobSort::Scheduled => {
            row.scheduled_at.map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)).unwrap_or_default()
        }
        JobSort::Title => row.title.to_lowercase(),
    };
    JobCursor { key, id: row.id }
}

/// One page of the company's jobs (admins only).
#[tracing::instrument(skip_all)]
pub async fn list(state: &AppState, admin: &CurrentUser, query: JobListQuery) -> Result<JobPage> {
    admin.require(Role::Admin)?;
    let after = match &query.after {
        Some(raw) => Some(JobCursor::decode(raw).ok_or_else(bad_cursor)?),
        None => None,
    };
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let company_id = tx.company_id();
    let tz = viewer.tz;

    let mut qb = QueryBuilder::<Postgres>::new(SELECT_ROWS);
    qb.push_bind(company_id);
    qb.push(" and j.is_archived = ").push_bind(query.archived);
    if let Some(status) = query.status {
        qb.push(" and j.status_id = ").push_bind(status);
    }
    if let Some(worker) = query.worker {
        qb.push(" and j.assigned_worker_id = ").push_bind(worker);
    }
    if let Some(customer) = query.customer {
        qb.push(" and j.customer_id = ").push_bind(customer);
    }
    if let Some(pattern) = like_pattern(&query.search) {
        // Every word of the search starts a word of the title (job_search_terms; see its
        // migration for why not `like`), or the whole search is in the customer's name.
        qb.push(" and ((");
        let words = app::jobs::search_words(&query.search);
        if words.is_empty() {
            qb.push("false");
        }
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                qb.push(" and ");
            }
            qb.push("j.id = any(array(select job_id from job_search_terms where company_id = ").push_bind(company_id);
            qb.push(" and term >= ").push_bind(word.clone());
            qb.push(" and term < ").push_bind(format!("{word}\u{10FFFF}")).push("))");
        }
        qb.push(") or j.customer_id = any(array(select id from customers where company_id = ").push_bind(company_id);
        qb.push(" and lower(name) like ").push_bind(pattern).push(")))");
    }
    push_order(&mut qb, query.sort, after)?;
    qb.push(" limit ").push_bind(JobPage::SIZE as i64 + 1);

    let mut rows: Vec<ListRow> = qb.build_query_as().fetch_all(tx.conn()).await?;
    tx.commit().await?;
    let next = (rows.len() > JobPage::SIZE).then(|| {
        rows.truncate(JobPage::SIZE);
        cursor_for(query.sort, rows.last().expect("a full page has a last row")).encode()
    });
    Ok(JobPage { jobs: rows.into_iter().map(|r| r.into_row(tz)).collect(), next })
}

/// Open work at a glance for the admin dashboard.
#[tracing::instrument(skip_all)]
pub async fn overview(state: &AppState, admin: &CurrentUser) -> Result<app::jobs::JobsOverview> {
    admin.require(Role::Admin)?;
    let mut tx = TenantTx::begin(&state.pool, admin).await?;
    let viewer = Viewer::load(&mut tx, admin).await?;
    let company_id = tx.company_id();
    let tz = viewer.tz;
    let counts = sqlx::query!(
        r#"select s.id, s.name, s.colour, s.kind as "kind: StatusKind",
                  (select count(*) from jobs j where j.company_id = s.company_id and j.status_id = s.id
                     and j.deleted_at is null and not j.is_archived) as "jobs!"
           from job_statuses s where s.company_id = $1 order by s.order_index, s.id"#,
        company_id
    )
    .fetch_all(tx.conn())
    .await?;
    let unassigned = sqlx::query_scalar!(
        r#"select count(*) as "count!" from jobs j join job_statuses s on s.company_id = j.company_id and s.id = j.status_id
           where j.company_id = $1 and j.deleted_at is null and not j.is_archived and j.assigned_worker_id is null
             and s.kind <> 'DONE'"#,
        company_id
    )
    .fetch_one(tx.conn())
    .await?;
    let (start, end) = day_range(viewer.company_tz, today(viewer.company_tz));
    let mut qb = QueryBuilder::<Postgres>::new(SELECT_ROWS);
    qb.push_bind(company_id);
    qb.push(" and not j.is_archived and j.scheduled_at >= ").push_bind(start);
    qb.push(" and j.scheduled_at < ").push_bind(end);
    qb.push(" order by j.scheduled_at, j.id limit 50");
    let rows: Vec<ListRow> = qb.build_query_as().fetch_all(tx.conn()).await?;
    tx.commit().await?;
    Ok(app::jobs::JobsOverview {
        by_status: counts
            .into_iter()
            .map(|c| (StatusChip { id: c.id, name: c.name, colour: c.colour, kind: c.kind }, c.jobs))
            .collect(),
        unassigned,
        today: rows.into_iter().map(|r| r.into_row(tz)).collect(),
    })
}
