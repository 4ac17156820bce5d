//! The time port of `app::backend`: each server function's call, as the signed-in user.

use super::{approvals, contracts, entries, reports, timer};
use crate::auth::request_user;
use crate::db::idempotency_key;
use crate::state::AppState;
use app::backend::{RequestContext, TimeBackend};
use app::error::AppResult;
use app::time::{
    Approvals, ContractForm, ContractsPage, HoursWaiting, LogDetail, LogForm, LogPage, LogQuery, MonthStatement,
    MonthlyReport, MyTime, ReportQuery, RunningTimer, TimeOverview, TimeSettings, WorkLog,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

#[async_trait]
impl TimeBackend for AppState {
    async fn my_time(&self, rq: &RequestContext) -> AppResult<MyTime> {
        Ok(entries::mine(self, &request_user(rq)?).await?)
    }

    async fn current_timer(&self, rq: &RequestContext) -> AppResult<Option<RunningTimer>> {
        Ok(timer::current(self, &request_user(rq)?).await?)
    }

    async fn start_timer(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        at: Option<DateTime<Utc>>,
    ) -> AppResult<RunningTimer> {
        Ok(timer::start(self, &request_user(rq)?, job_id, at, idempotency_key(rq)?).await?)
    }

    async fn pause_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<RunningTimer> {
        Ok(timer::pause(self, &request_user(rq)?, at, idempotency_key(rq)?).await?)
    }

    async fn resume_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<RunningTimer> {
        Ok(timer::resume(self, &request_user(rq)?, at, idempotency_key(rq)?).await?)
    }

    async fn stop_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<WorkLog> {
        Ok(timer::stop(self, &request_user(rq)?, at, idempotency_key(rq)?).await?)
    }

    async fn create_log(&self, rq: &RequestContext, form: LogForm) -> AppResult<WorkLog> {
        Ok(entries::create(self, &request_user(rq)?, form, idempotency_key(rq)?).await?)
    }

    async fn update_log(&self, rq: &RequestContext, id: Uuid, form: LogForm) -> AppResult<WorkLog> {
        Ok(entries::update(self, &request_user(rq)?, id, form, None).await?)
    }

    async fn delete_log(&self, rq: &RequestContext, id: Uuid) -> AppResult<()> {
        Ok(entries::delete(self, &request_user(rq)?, id).await?)
    }

    async fn submit_logs(&self, rq: &RequestContext, ids: Vec<Uuid>) -> AppResult<u32> {
        Ok(entries::submit(self, &request_user(rq)?, ids, idempotency_key(rq)?).await?)
    }

    async fn decide_logs(&self, rq: &RequestContext, ids: Vec<Uuid>, approve: bool, reason: String) -> AppResult<u32> {
        Ok(approvals::decide(self, &request_user(rq)?, ids, approve, reason, idempotency_key(rq)?).await?)
    }

    async fn approvals(&self, rq: &RequestContext, customer: Option<Uuid>) -> AppResult<Approvals> {
        Ok(approvals::approvals(self, &request_user(rq)?, customer).await?)
    }

    async fn hours_waiting(&self, rq: &RequestContext) -> AppResult<HoursWaiting> {
        Ok(approvals::waiting(self, &request_user(rq)?).await?)
    }

    async fn log_detail(&self, rq: &RequestContext, id: Uuid) -> AppResult<LogDetail> {
        Ok(entries::detail(self, &request_user(rq)?, id).await?)
    }

    async fn list_logs(&self, rq: &RequestContext, query: LogQuery) -> AppResult<LogPage> {
        Ok(entries::list(self, &request_user(rq)?, query).await?)
    }

    async fn sign_off_month(&self, rq: &RequestContext, customer_id: Uuid, month: String) -> AppResult<MonthStatement> {
        Ok(approvals::sign_off(self, &request_user(rq)?, customer_id, month).await?)
    }

    async fn reopen_month(&self, rq: &RequestContext, customer_id: Uuid, month: String) -> AppResult<MonthStatement> {
        Ok(approvals::reopen(self, &request_user(rq)?, customer_id, month).await?)
    }

    async fn contracts(&self, rq: &RequestContext) -> AppResult<ContractsPage> {
        Ok(contracts::list(self, &request_user(rq)?).await?)
    }

    async fn create_contract(&self, rq: &RequestContext, form: ContractForm) -> AppResult<ContractsPage> {
        Ok(contracts::create(self, &request_user(rq)?, form).await?)
    }

    async fn update_contract(&self, rq: &RequestContext, id: Uuid, form: ContractForm) -> AppResult<ContractsPage> {
        Ok(contracts::update(self, &request_user(rq)?, id, form).await?)
    }

    async fn delete_contract(&self, rq: &RequestContext, id: Uuid) -> AppResult<ContractsPage> {
        Ok(contracts::delete(self, &request_user(rq)?, id).await?)
    }

    async fn monthly_report(&self, rq: &RequestContext, query: ReportQuery) -> AppResult<MonthlyReport> {
        Ok(reports::monthly(self, &request_user(rq)?, query).await?)
    }

    async fn time_overview(&self, rq: &RequestContext) -> AppResult<TimeOverview> {
        Ok(reports::overview(self, &request_user(rq)?).await?)
    }

    async fn time_settings(&self, rq: &RequestContext) -> AppResult<TimeSettings> {
        Ok(approvals::settings(self, &request_user(rq)?).await?)
    }

    async fn save_time_settings(&self, rq: &RequestContext, settings: TimeSettings) -> AppResult<TimeSettings> {
        Ok(approvals::save_settings(self, &request_user(rq)?, settings).await?)
    }
}
