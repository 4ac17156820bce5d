//! Reading work logs. Every listing reads the `work_log_rows` view (one row per log
//! with the names pages show, its net seconds and whether its month is signed off)
//! through `LogFilter`: the select is written once, each filter is a fixed fragment
//! and every value is bound, never pasted, so each combination of filters is its own
//! prepared statement. The filter's column names are the same in `work_logs`, so
//! totals over the bare table use the same filter.

use super::LogRow;
use crate::db::TenantTx;
use crate::error::Result;
use crate::viewer::{Viewer, ViewerKind};
use app::time::LogStatus;
use chrono::{DateTime, Utc};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

/// The columns of `LogRow`, in the view.
const SELECT_ROWS: &str = "select id, job_id, job_title, customer_id, customer_name, worker_id, worker_name,
       started_at, ended_at, paused_at, break_seconds, seconds, description, billable, status, revision,
       decline_reason, decided_by_name, decided_at, auto_approve_at, locked, version
  from work_log_rows where company_id = ";

/// Which logs; every field left at its default lets all through.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub id: Option<Uuid>,
    pub worker: Option<Uuid>,
    pub customer: Option<Uuid>,
    pub job: Option<Uuid>,
    /// Any of these statuses (empty: any status).
    pub statuses: Vec<LogStatus>,
    /// Leave out drafts (what customers and reports see).
    pub submitted: bool,
    /// Leave out running timers.
    pub ended: bool,
    pub started_from: Option<DateTime<Utc>>,
    pub started_before: Option<DateTime<Utc>>,
    /// Approved logs only when they started after this (a worker's list keeps open work).
    pub approved_since: Option<DateTime<Utc>>,
    /// Nothing at all (a customer login not linked to a customer record).
    pub none: bool,
    /// Keyset paging in `NewestFirst` order: only logs listed after this (started_at, id).
    pub after: Option<(DateTime<Utc>, Uuid)>,
}

/// The order of a listing; `id` breaks ties so pages are stable.
#[derive(Debug, Clone, Copy)]
pub enum LogOrder {
    OldestFirst,
    NewestFirst,
    LatestDecisionFirst,
}

impl LogFilter {
    /// The logs `viewer` may see: a worker their own, a customer their record's
    /// submitted ones, an admin every log.
    pub fn visible_to(viewer: &Viewer) -> Self {
        match viewer.kind {
            ViewerKind::Admin => Self::default(),
            ViewerKind::Worker => Self { worker: Some(viewer.user_id), ..Self::default() },
            ViewerKind::Customer { customer_id: Some(customer) } => {
                Self { customer: Some(customer), submitted: true, ..Self::default() }
            }
            ViewerKind::Customer { customer_id: None } => Self { none: true, ..Self::default() },
        }
    }

    /// Appends ` and …` for each set field (after a `where company_id = $n`).
    pub fn push(&self, qb: &mut QueryBuilder<'_, Postgres>) {
        if self.none {
            qb.push(" and false");
        }
        if let Some(id) = self.id {
            qb.push(" and id = ").push_bind(id);
        }
        if let Some(worker) = self.worker {
            qb.push(" and worker_id = ").push_bind(worker);
        }
        if let Some(customer) = self.customer {
            qb.push(" and customer_id = ").push_bind(customer);
        }
        if let Some(job) = self.job {
            qb.push(" and job_id = ").push_bind(job);
        }
        if !self.statuses.is_empty() {
            qb.push(" and status in (");
            let mut each = qb.separated(", ");
            for status in &self.statuses {
                each.push_bind(*status);
            }
            qb.push(")");
        }
        if self.submitted {
            qb.push(" and status <> 'DRAFT'");
        }
        if self.ended {
            qb.push(" and ended_at is not null");
        }
        if let Some(from) = self.started_from {
            qb.push(" and started_at >= ").push_bind(from);
        }
        if let Some(before) = self.started_before {
            qb.push(" and started_at < ").push_bind(before);
        }
        if let Some((started_at, id)) = self.after {
            // `NewestFirst` is started_at descending, then id ascending.
            qb.push(" and (started_at < ")
                .push_bind(started_at)
                .push(" or (started_at = ")
                .push_bind(started_at)
                .push(" and id > ")
                .push_bind(id)
                .push("))");
        }
        if let Some(since) = self.approved_since {
            qb.push(" and (status <> 'APPROVED' or started_at > ").push_bind(since).push(")");
        }
    }

    /// The matching logs of `company_id` as `LogRow`s, in `order`, `limit` of them after `offset`.
    pub fn rows_query(
        &self,
        company_id: Uuid,
        order: LogOrder,
        limit: Option<i64>,
        offset: i64,
    ) -> QueryBuilder<'static, Postgres> {
        let mut qb = QueryBuilder::<Postgres>::new(SELECT_ROWS);
        qb.push_bind(company_id);
        self.push(&mut qb);
        qb.push(match order {
            LogOrder::OldestFirst => " order by started_at, id",
            LogOrder::NewestFirst => " order by started_at desc, id",
            LogOrder::LatestDecisionFirst => " order by decided_at desc nulls last, id",
        });
        if let Some(limit) = limit {
            qb.push(" limit ").push_bind(limit);
        }
        if offset > 0 {
            qb.push(" offset ").push_bind(offset);
        }
        qb
    }

    pub async fn fetch(&self, tx: &mut TenantTx, order: LogOrder, limit: Option<i64>) -> Result<Vec<LogRow>> {
        let company_id = tx.company_id();
        Ok(self.rows_query(company_id, order, limit, 0).build_query_as().fetch_all(tx.conn()).await?)
    }

    pub async fn fetch_one(&self, tx: &mut TenantTx) -> Result<Option<LogRow>> {
        let company_id = tx.company_id();
        Ok(self
            .rows_query(company_id, LogOrder::OldestFirst, Some(1), 0)
            .build_query_as()
            .fetch_optional(tx.conn())
            .await?)
    }

    /// How many logs match and their net seconds (read from `work_logs` directly).
    pub async fn count_and_seconds(&self, tx: &mut TenantTx) -> Result<(i64, i64)> {
        let mut qb = QueryBuilder::<Postgres>::new(
            "select count(*), coalesce(sum(work_log_seconds(started_at, ended_at, paused_at, break_seconds)), 0)::bigint
               from work_logs where company_id = ",
        );
        qb.push_bind(tx.company_id());
        self.push(&mut qb);
        Ok(qb.build_query_as().fetch_one(tx.conn()).await?)
    }
}
