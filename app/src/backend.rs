//! The ports the server implements (ssr only). `app` cannot depend on the
//! `server` crate (the server depends on `app` for its pages), so server
//! functions reach the server's services through this trait object, which the
//! server provides as context for every request.

use crate::account::{DeviceSession, PasswordChangeForm, ProfileForm};
use crate::api_keys::{ApiKeyForm, ApiKeysView, NewApiKey};
use crate::audit::{AuditPage, AuditQuery};
use crate::auth::{LoginForm, SessionUser, SignUpForm, WorkspaceInfo};
use crate::customers::{CustomerForm, CustomerListQuery, CustomerOption, CustomerPage, CustomerSummary};
use crate::error::{AppError, AppResult};
use crate::jobs::{
    HistoryEntry, JobDetail, JobForm, JobFormOptions, JobListQuery, JobPage, MyJobs, NewShareLink, NoteForm, ShareLink,
    SharedJob,
};
use crate::notifications::{
    AcceptInvitationForm, EmailPreferences, Invitation, InvitationForm, InvitationInfo, NotificationPage, OutboxPage,
    PasswordResetForm, PasswordResetRequest, SignInHint, Unsubscribed,
};
use crate::statuses::{JobStatus, StatusForm};
use crate::time::{
    Approvals, ContractForm, ContractsPage, HoursWaiting, LogDetail, LogForm, LogPage, LogQuery, MonthStatement,
    MonthlyReport, MyTime, ReportQuery, RunningTimer, TimeOverview, TimeSettings, WorkLog,
};
use crate::users::{NewUserForm, UserListQuery, UserPage, UserSummary};
use crate::webhooks::{WebhookEndpoint, WebhookForm, WebhookSecret};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::sync::Arc;
use uuid::Uuid;

/// The request a server function is answering: its head (headers, cookies,
/// extensions set by the server's middleware) and the response options it may
/// change (cookies, status).
pub struct RequestContext {
    pub parts: http::request::Parts,
    pub response: leptos_axum::ResponseOptions,
}

#[async_trait]
pub trait AuthBackend: Send + Sync {
    async fn session(&self, rq: &RequestContext) -> AppResult<Option<SessionUser>>;
    async fn sign_up(&self, rq: &RequestContext, form: SignUpForm) -> AppResult<SessionUser>;
    async fn log_in(&self, rq: &RequestContext, form: LoginForm) -> AppResult<SessionUser>;
    async fn log_out(&self, rq: &RequestContext) -> AppResult<()>;
    async fn log_out_everywhere(&self, rq: &RequestContext) -> AppResult<()>;
    async fn workspace(&self, slug: String) -> AppResult<WorkspaceInfo>;
    fn timezones(&self) -> Vec<String>;
}

#[async_trait]
pub trait UsersBackend: Send + Sync {
    async fn list_users(&self, rq: &RequestContext, query: UserListQuery) -> AppResult<UserPage>;
    async fn create_user(&self, rq: &RequestContext, form: NewUserForm) -> AppResult<UserSummary>;
    async fn change_user_role(&self, rq: &RequestContext, user_id: Uuid, role: String) -> AppResult<UserSummary>;
    async fn deactivate_user(&self, rq: &RequestContext, user_id: Uuid) -> AppResult<UserSummary>;
    async fn restore_user(&self, rq: &RequestContext, user_id: Uuid) -> AppResult<UserSummary>;
    async fn link_user_customer(
        &self,
        rq: &RequestContext,
        user_id: Uuid,
        customer_id: Option<Uuid>,
    ) -> AppResult<UserSummary>;
}

#[async_trait]
pub trait AccountBackend: Send + Sync {
    async fn update_profile(&self, rq: &RequestContext, form: ProfileForm) -> AppResult<SessionUser>;
    async fn change_password(&self, rq: &RequestContext, form: PasswordChangeForm) -> AppResult<()>;
    async fn list_sessions(&self, rq: &RequestContext) -> AppResult<Vec<DeviceSession>>;
    async fn revoke_session(&self, rq: &RequestContext, session_id: Uuid) -> AppResult<()>;
}

#[async_trait]
pub trait AuditBackend: Send + Sync {
    async fn list_audit(&self, rq: &RequestContext, query: AuditQuery) -> AppResult<AuditPage>;
}

#[async_trait]
pub trait ApiKeysBackend: Send + Sync {
    async fn list_api_keys(&self, rq: &RequestContext) -> AppResult<ApiKeysView>;
    async fn create_api_key(&self, rq: &RequestContext, form: ApiKeyForm) -> AppResult<NewApiKey>;
    async fn revoke_api_key(&self, rq: &RequestContext, id: Uuid) -> AppResult<ApiKeysView>;
}

#[async_trait]
pub trait WebhooksBackend: Send + Sync {
    async fn list_webhooks(&self, rq: &RequestContext) -> AppResult<Vec<WebhookEndpoint>>;
    async fn create_webhook(&self, rq: &RequestContext, form: WebhookForm) -> AppResult<WebhookSecret>;
    async fn set_webhook_enabled(&self, rq: &RequestContext, id: Uuid, enabled: bool) -> AppResult<WebhookEndpoint>;
    async fn delete_webhook(&self, rq: &RequestContext, id: Uuid) -> AppResult<()>;
    async fn rotate_webhook_secret(&self, rq: &RequestContext, id: Uuid) -> AppResult<WebhookSecret>;
    async fn send_test_webhook(&self, rq: &RequestContext, id: Uuid) -> AppResult<WebhookEndpoint>;
    async fn redeliver_webhook(&self, rq: &RequestContext, id: Uuid, delivery_id: Uuid) -> AppResult<WebhookEndpoint>;
}

#[async_trait]
pub trait StatusesBackend: Send + Sync {
    async fn list_statuses(&self, rq: &RequestContext) -> AppResult<Vec<JobStatus>>;
    async fn create_status(&self, rq: &RequestContext, form: StatusForm) -> AppResult<JobStatus>;
    async fn update_status(&self, rq: &RequestContext, id: Uuid, form: StatusForm) -> AppResult<JobStatus>;
    async fn reorder_statuses(&self, rq: &RequestContext, ids: Vec<Uuid>) -> AppResult<Vec<JobStatus>>;
    async fn delete_status(&self, rq: &RequestContext, id: Uuid, move_to: Option<Uuid>) -> AppResult<()>;
}

#[async_trait]
pub trait CustomersBackend: Send + Sync {
    async fn list_customers(&self, rq: &RequestContext, query: CustomerListQuery) -> AppResult<CustomerPage>;
    async fn get_customer(&self, rq: &RequestContext, id: Uuid) -> AppResult<CustomerSummary>;
    async fn create_customer(&self, rq: &RequestContext, form: CustomerForm) -> AppResult<CustomerSummary>;
    async fn update_customer(&self, rq: &RequestContext, id: Uuid, form: CustomerForm) -> AppResult<CustomerSummary>;
    async fn set_customer_active(&self, rq: &RequestContext, id: Uuid, active: bool) -> AppResult<CustomerSummary>;
    async fn customer_options(&self, rq: &RequestContext) -> AppResult<Vec<CustomerOption>>;
}

#[async_trait]
pub trait JobsBackend: Send + Sync {
    async fn get_job(&self, rq: &RequestContext, id: Uuid) -> AppResult<JobDetail>;
    async fn create_job(&self, rq: &RequestContext, form: JobForm) -> AppResult<JobDetail>;
    async fn update_job(&self, rq: &RequestContext, id: Uuid, form: JobForm) -> AppResult<JobDetail>;
    async fn set_job_archived(&self, rq: &RequestContext, id: Uuid, archived: bool) -> AppResult<JobDetail>;
    async fn change_job_status(&self, rq: &RequestContext, id: Uuid, status_id: Uuid) -> AppResult<JobDetail>;
    async fn add_job_task(&self, rq: &RequestContext, job_id: Uuid, title: String) -> AppResult<JobDetail>;
    async fn set_task_completed(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        task_id: Uuid,
        completed: bool,
    ) -> AppResult<JobDetail>;
    async fn add_job_note(&self, rq: &RequestContext, job_id: Uuid, form: NoteForm) -> AppResult<JobDetail>;
    async fn my_jobs(&self, rq: &RequestContext) -> AppResult<MyJobs>;
    async fn list_jobs(&self, rq: &RequestContext, query: JobListQuery) -> AppResult<JobPage>;
    async fn jobs_overview(&self, rq: &RequestContext) -> AppResult<crate::jobs::JobsOverview>;
    async fn job_choices(&self, rq: &RequestContext) -> AppResult<crate::jobs::JobChoices>;
    async fn job_form_options(&self, rq: &RequestContext) -> AppResult<JobFormOptions>;
    async fn assign_job_worker(&self, rq: &RequestContext, id: Uuid, worker_id: Option<Uuid>) -> AppResult<JobDetail>;
    async fn edit_job_task(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        task_id: Uuid,
        title: String,
    ) -> AppResult<JobDetail>;
    async fn delete_job_task(&self, rq: &RequestContext, job_id: Uuid, task_id: Uuid) -> AppResult<JobDetail>;
    async fn reorder_job_tasks(&self, rq: &RequestContext, job_id: Uuid, task_ids: Vec<Uuid>) -> AppResult<JobDetail>;
    async fn job_history(&self, rq: &RequestContext, job_id: Uuid) -> AppResult<Vec<HistoryEntry>>;
    async fn share_links(&self, rq: &RequestContext, job_id: Uuid) -> AppResult<Vec<ShareLink>>;
    async fn create_share_link(&self, rq: &RequestContext, job_id: Uuid, days: String) -> AppResult<NewShareLink>;
    async fn revoke_share_link(&self, rq: &RequestContext, job_id: Uuid, link_id: Uuid) -> AppResult<Vec<ShareLink>>;
    /// No sign-in needed: the token is the credential.
    async fn shared_job(&self, rq: &RequestContext, token: String) -> AppResult<SharedJob>;
}

#[async_trait]
pub trait TimeBackend: Send + Sync {
    async fn my_time(&self, rq: &RequestContext) -> AppResult<MyTime>;
    async fn current_timer(&self, rq: &RequestContext) -> AppResult<Option<RunningTimer>>;
    async fn start_timer(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        at: Option<DateTime<Utc>>,
    ) -> AppResult<RunningTimer>;
    async fn pause_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<RunningTimer>;
    async fn resume_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<RunningTimer>;
    async fn stop_timer(&self, rq: &RequestContext, at: Option<DateTime<Utc>>) -> AppResult<WorkLog>;
    async fn create_log(&self, rq: &RequestContext, form: LogForm) -> AppResult<WorkLog>;
    async fn update_log(&self, rq: &RequestContext, id: Uuid, form: LogForm) -> AppResult<WorkLog>;
    async fn delete_log(&self, rq: &RequestContext, id: Uuid) -> AppResult<()>;
    async fn submit_logs(&self, rq: &RequestContext, ids: Vec<Uuid>) -> AppResult<u32>;
    async fn decide_logs(&self, rq: &RequestContext, ids: Vec<Uuid>, approve: bool, reason: String) -> AppResult<u32>;
    async fn approvals(&self, rq: &RequestContext, customer: Option<Uuid>) -> AppResult<Approvals>;
    async fn hours_waiting(&self, rq: &RequestContext) -> AppResult<HoursWaiting>;
    async fn log_detail(&self, rq: &RequestContext, id: Uuid) -> AppResult<LogDetail>;
    async fn list_logs(&self, rq: &RequestContext, query: LogQuery) -> AppResult<LogPage>;
    async fn sign_off_month(&self, rq: &RequestContext, customer_id: Uuid, month: String) -> AppResult<MonthStatement>;
    async fn reopen_month(&self, rq: &RequestContext, customer_id: Uuid, month: String) -> AppResult<MonthStatement>;
    async fn contracts(&self, rq: &RequestContext) -> AppResult<ContractsPage>;
    async fn create_contract(&self, rq: &RequestContext, form: ContractForm) -> AppResult<ContractsPage>;
    async fn update_contract(&self, rq: &RequestContext, id: Uuid, form: ContractForm) -> AppResult<ContractsPage>;
    async fn delete_contract(&self, rq: &RequestContext, id: Uuid) -> AppResult<ContractsPage>;
    async fn monthly_report(&self, rq: &RequestContext, query: ReportQuery) -> AppResult<MonthlyReport>;
    async fn time_overview(&self, rq: &RequestContext) -> AppResult<TimeOverview>;
    async fn time_settings(&self, rq: &RequestContext) -> AppResult<TimeSettings>;
    async fn save_time_settings(&self, rq: &RequestContext, settings: TimeSettings) -> AppResult<TimeSettings>;
}

/// Everything the server provides.
#[async_trait]
pub trait NotifyBackend: Send + Sync {
    async fn list_notifications(&self, rq: &RequestContext, before: Option<i64>) -> AppResult<NotificationPage>;
    async fn unread_notifications(&self, rq: &RequestContext) -> AppResult<i64>;
    async fn mark_notification_read(&self, rq: &RequestContext, id: i64) -> AppResult<i64>;
    async fn mark_all_notifications_read(&self, rq: &RequestContext) -> AppResult<i64>;
    async fn email_preferences(&self, rq: &RequestContext) -> AppResult<EmailPreferences>;
    async fn save_email_preferences(
        &self,
        rq: &RequestContext,
        preferences: EmailPreferences,
    ) -> AppResult<EmailPreferences>;
    async fn unsubscribe(&self, rq: &RequestContext, token: String) -> AppResult<Unsubscribed>;
    async fn list_outbox(&self, rq: &RequestContext, status: String) -> AppResult<OutboxPage>;
    async fn retry_outbox(&self, rq: &RequestContext, id: Uuid) -> AppResult<()>;
}

#[async_trait]
pub trait AccountEmailsBackend: Send + Sync {
    async fn list_invitations(&self, rq: &RequestContext) -> AppResult<Vec<Invitation>>;
    async fn invite(&self, rq: &RequestContext, form: InvitationForm) -> AppResult<Invitation>;
    async fn resend_invitation(&self, rq: &RequestContext, id: Uuid) -> AppResult<Invitation>;
    async fn revoke_invitation(&self, rq: &RequestContext, id: Uuid) -> AppResult<()>;
    async fn invitation_info(&self, rq: &RequestContext, token: String) -> AppResult<InvitationInfo>;
    async fn accept_invitation(&self, rq: &RequestContext, form: AcceptInvitationForm) -> AppResult<SignInHint>;
    async fn resend_verification(&self, rq: &RequestContext) -> AppResult<()>;
    async fn verify_email(&self, rq: &RequestContext, token: String) -> AppResult<SignInHint>;
    async fn request_password_reset(&self, rq: &RequestContext, form: PasswordResetRequest) -> AppResult<()>;
    async fn reset_password(&self, rq: &RequestContext, form: PasswordResetForm) -> AppResult<SignInHint>;
}

pub trait Backend:
    AuthBackend
    + UsersBackend
    + AccountBackend
    + StatusesBackend
    + CustomersBackend
    + JobsBackend
    + TimeBackend
    + NotifyBackend
    + AccountEmailsBackend
    + AuditBackend
    + ApiKeysBackend
    + WebhooksBackend
{
}
impl<
        T: AuthBackend
            + UsersBackend
            + AccountBackend
            + StatusesBackend
            + CustomersBackend
            + JobsBackend
            + TimeBackend
            + NotifyBackend
            + AccountEmailsBackend
            + AuditBackend
            + ApiKeysBackend
            + WebhooksBackend,
    > Backend for T
{
}

pub type SharedBackend = Arc<dyn Backend>;

/// The backend and the current request, from the reactive context.
pub fn context() -> AppResult<(SharedBackend, RequestContext)> {
    let backend = use_context::<SharedBackend>().ok_or(AppError::Internal)?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let response = use_context::<leptos_axum::ResponseOptions>().unwrap_or_default();
    Ok((backend, RequestContext { parts, response }))
}
