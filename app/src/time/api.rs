//! Server functions for time tracking, approvals, contracts and reports. Each
//! checks role and tenant on the server.

use super::{
    Approvals, ContractForm, ContractsPage, HoursWaiting, LogDetail, LogForm, LogPage, LogQuery, MonthStatement,
    MonthlyReport, MyTime, ReportQuery, RunningTimer, TimeOverview, TimeSettings, WorkLog,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

/// The signed-in worker's timer, jobs, entries and contract budgets.
#[server(prefix = "/rpc", endpoint = "time/mine", input = Json)]
pub async fn load_my_time() -> Result<MyTime, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.my_time(&rq).await
}

/// The signed-in worker's running timer (None for everyone else).
#[server(prefix = "/rpc", endpoint = "time/timer", input = Json)]
pub async fn load_timer() -> Result<Option<RunningTimer>, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.current_timer(&rq).await
}

// Timer actions take `at`, the moment the phone recorded them when it was offline
// (None: now, by the server's clock); the server checks it is plausible.

/// Starts a timer on one of the worker's jobs; refused while another runs.
#[server(prefix = "/rpc", endpoint = "time/start", input = Json)]
pub async fn start_timer(job_id: Uuid, at: Option<DateTime<Utc>>) -> Result<RunningTimer, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.start_timer(&rq, job_id, at).await
}

/// Pauses the running timer.
#[server(prefix = "/rpc", endpoint = "time/pause", input = Json)]
pub async fn pause_timer(at: Option<DateTime<Utc>>) -> Result<RunningTimer, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.pause_timer(&rq, at).await
}

/// Resumes the paused timer.
#[server(prefix = "/rpc", endpoint = "time/resume", input = Json)]
pub async fn resume_timer(at: Option<DateTime<Utc>>) -> Result<RunningTimer, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.resume_timer(&rq, at).await
}

/// Stops the timer; the time becomes a draft entry.
#[server(prefix = "/rpc", endpoint = "time/stop", input = Json)]
pub async fn stop_timer(at: Option<DateTime<Utc>>) -> Result<WorkLog, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.stop_timer(&rq, at).await
}

/// Adds a manual entry (a draft) for the signed-in worker.
#[server(prefix = "/rpc", endpoint = "time/create", input = Json)]
pub async fn create_log(form: LogForm) -> Result<WorkLog, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_log(&rq, form).await
}

/// Changes an entry: the worker their drafts and declined entries; an admin any
/// entry of an open month (an approved one then needs approval again).
#[server(prefix = "/rpc", endpoint = "time/update", input = Json)]
pub async fn update_log(id: Uuid, form: LogForm) -> Result<WorkLog, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_log(&rq, id, form).await
}

/// Deletes a draft or declined entry (its worker).
#[server(prefix = "/rpc", endpoint = "time/delete", input = Json)]
pub async fn delete_log(id: Uuid) -> Result<(), AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.delete_log(&rq, id).await
}

/// Sends drafts and corrected declined entries for approval; returns how many.
#[server(prefix = "/rpc", endpoint = "time/submit", input = Json)]
pub async fn submit_logs(ids: Vec<Uuid>) -> Result<u32, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.submit_logs(&rq, ids).await
}

/// Approves (or, with a reason, declines) pending entries: the customer for their
/// own jobs, an admin on a customer's behalf. All or nothing.
#[server(prefix = "/rpc", endpoint = "time/decide", input = Json)]
pub async fn decide_logs(ids: Vec<Uuid>, approve: bool, reason: String) -> Result<u32, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.decide_logs(&rq, ids, approve, reason).await
}

/// Pending entries, recent decisions, budgets and months (customers; admins for any customer).
#[server(prefix = "/rpc", endpoint = "time/approvals", input = Json)]
pub async fn load_approvals(customer: Option<Uuid>) -> Result<Approvals, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.approvals(&rq, customer).await
}

/// How many submitted entries (and hours) wait for the caller's decision.
#[server(prefix = "/rpc", endpoint = "time/waiting", input = Json)]
pub async fn load_hours_waiting() -> Result<HoursWaiting, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.hours_waiting(&rq).await
}

/// One entry with its history.
#[server(prefix = "/rpc", endpoint = "time/log", input = Json)]
pub async fn load_log(id: Uuid) -> Result<LogDetail, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.log_detail(&rq, id).await
}

/// Every entry of the company, filtered (admins).
#[server(prefix = "/rpc", endpoint = "time/list", input = Json)]
pub async fn list_logs(query: LogQuery) -> Result<LogPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.list_logs(&rq, query).await
}

/// Signs off a month of approved hours for the customer (customers; admins on their behalf).
#[server(prefix = "/rpc", endpoint = "time/sign_month", input = Json)]
pub async fn sign_off_month(customer_id: Uuid, month: String) -> Result<MonthStatement, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.sign_off_month(&rq, customer_id, month).await
}

/// Reopens a signed-off month (admins).
#[server(prefix = "/rpc", endpoint = "time/reopen_month", input = Json)]
pub async fn reopen_month(customer_id: Uuid, month: String) -> Result<MonthStatement, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.reopen_month(&rq, customer_id, month).await
}

/// Contracts with their hours, and the workers and customers to pick from (admins).
#[server(prefix = "/rpc", endpoint = "contracts/list", input = Json)]
pub async fn load_contracts() -> Result<ContractsPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.contracts(&rq).await
}

#[server(prefix = "/rpc", endpoint = "contracts/create", input = Json)]
pub async fn create_contract(form: ContractForm) -> Result<ContractsPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.create_contract(&rq, form).await
}

#[server(prefix = "/rpc", endpoint = "contracts/update", input = Json)]
pub async fn update_contract(id: Uuid, form: ContractForm) -> Result<ContractsPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.update_contract(&rq, id, form).await
}

#[server(prefix = "/rpc", endpoint = "contracts/delete", input = Json)]
pub async fn delete_contract(id: Uuid) -> Result<ContractsPage, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.delete_contract(&rq, id).await
}

/// The monthly report: admins any scope, customers their own record, workers their own hours.
#[server(prefix = "/rpc", endpoint = "reports/monthly", input = Json)]
pub async fn load_monthly_report(query: ReportQuery) -> Result<MonthlyReport, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.monthly_report(&rq, query).await
}

/// Hours this month, pending approvals and contract warnings for the dashboard (admins).
#[server(prefix = "/rpc", endpoint = "time/overview", input = Json)]
pub async fn load_time_overview() -> Result<TimeOverview, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.time_overview(&rq).await
}

#[server(prefix = "/rpc", endpoint = "time/settings", input = Json)]
pub async fn load_time_settings() -> Result<TimeSettings, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.time_settings(&rq).await
}

#[server(prefix = "/rpc", endpoint = "time/save_settings", input = Json)]
pub async fn save_time_settings(settings: TimeSettings) -> Result<TimeSettings, AppError> {
    let (backend, rq) = crate::backend::context()?;
    backend.save_time_settings(&rq, settings).await
}
