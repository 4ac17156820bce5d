//! The jobs port of `app::backend`: each server function's call, as the signed-in user.

use super::{add_note, add_task, delete_task, edit_task, reorder_tasks, set_task_completed};
use super::{
    assign_worker, change_status, choices, create, form_options, get, history, list, mine, set_archived, share, update,
};
use crate::auth::request_user;
use crate::db::idempotency_key;
use crate::state::AppState;
use app::backend::{JobsBackend, RequestContext};
use app::error::AppResult;
use app::jobs::{
    HistoryEntry, JobDetail, JobForm, JobFormOptions, JobListQuery, JobPage, MyJobs, NewShareLink, NoteForm, ShareLink,
    SharedJob,
};
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl JobsBackend for AppState {
    async fn job_choices(&self, rq: &RequestContext) -> AppResult<app::jobs::JobChoices> {
        Ok(choices(self, &request_user(rq)?).await?)
    }

    async fn jobs_overview(&self, rq: &RequestContext) -> AppResult<app::jobs::JobsOverview> {
        Ok(list::overview(self, &request_user(rq)?).await?)
    }

    async fn list_jobs(&self, rq: &RequestContext, query: JobListQuery) -> AppResult<JobPage> {
        Ok(list::list(self, &request_user(rq)?, query).await?)
    }

    async fn job_form_options(&self, rq: &RequestContext) -> AppResult<JobFormOptions> {
        Ok(form_options(self, &request_user(rq)?).await?)
    }

    async fn assign_job_worker(&self, rq: &RequestContext, id: Uuid, worker_id: Option<Uuid>) -> AppResult<JobDetail> {
        Ok(assign_worker(self, &request_user(rq)?, id, worker_id).await?)
    }

    async fn edit_job_task(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        task_id: Uuid,
        title: String,
    ) -> AppResult<JobDetail> {
        Ok(edit_task(self, &request_user(rq)?, job_id, task_id, title).await?)
    }

    async fn delete_job_task(&self, rq: &RequestContext, job_id: Uuid, task_id: Uuid) -> AppResult<JobDetail> {
        Ok(delete_task(self, &request_user(rq)?, job_id, task_id).await?)
    }

    async fn reorder_job_tasks(&self, rq: &RequestContext, job_id: Uuid, task_ids: Vec<Uuid>) -> AppResult<JobDetail> {
        Ok(reorder_tasks(self, &request_user(rq)?, job_id, task_ids).await?)
    }

    async fn job_history(&self, rq: &RequestContext, job_id: Uuid) -> AppResult<Vec<HistoryEntry>> {
        Ok(history::history(self, &request_user(rq)?, job_id).await?)
    }

    async fn share_links(&self, rq: &RequestContext, job_id: Uuid) -> AppResult<Vec<ShareLink>> {
        Ok(share::list(self, &request_user(rq)?, job_id).await?)
    }

    async fn create_share_link(&self, rq: &RequestContext, job_id: Uuid, days: String) -> AppResult<NewShareLink> {
        Ok(share::create(self, &request_user(rq)?, job_id, days).await?)
    }

    async fn revoke_share_link(&self, rq: &RequestContext, job_id: Uuid, link_id: Uuid) -> AppResult<Vec<ShareLink>> {
        Ok(share::revoke(self, &request_user(rq)?, job_id, link_id).await?)
    }

    async fn shared_job(&self, rq: &RequestContext, token: String) -> AppResult<SharedJob> {
        Ok(share::view(self, &token, &crate::auth::client_info(rq)).await?)
    }

    async fn my_jobs(&self, rq: &RequestContext) -> AppResult<MyJobs> {
        Ok(mine(self, &request_user(rq)?).await?)
    }

    async fn change_job_status(&self, rq: &RequestContext, id: Uuid, status_id: Uuid) -> AppResult<JobDetail> {
        Ok(change_status(self, &request_user(rq)?, id, status_id, idempotency_key(rq)?).await?)
    }

    async fn add_job_task(&self, rq: &RequestContext, job_id: Uuid, title: String) -> AppResult<JobDetail> {
        Ok(add_task(self, &request_user(rq)?, job_id, title, idempotency_key(rq)?).await?)
    }

    async fn set_task_completed(
        &self,
        rq: &RequestContext,
        job_id: Uuid,
        task_id: Uuid,
        completed: bool,
    ) -> AppResult<JobDetail> {
        Ok(set_task_completed(self, &request_user(rq)?, job_id, task_id, completed, idempotency_key(rq)?).await?)
    }

    async fn add_job_note(&self, rq: &RequestContext, job_id: Uuid, form: NoteForm) -> AppResult<JobDetail> {
        Ok(add_note(self, &request_user(rq)?, job_id, form, idempotency_key(rq)?).await?)
    }

    async fn get_job(&self, rq: &RequestContext, id: Uuid) -> AppResult<JobDetail> {
        Ok(get(self, &request_user(rq)?, id).await?)
    }

    async fn create_job(&self, rq: &RequestContext, form: JobForm) -> AppResult<JobDetail> {
        Ok(create(self, &request_user(rq)?, form, idempotency_key(rq)?).await?)
    }

    async fn update_job(&self, rq: &RequestContext, id: Uuid, form: JobForm) -> AppResult<JobDetail> {
        Ok(update(self, &request_user(rq)?, id, form).await?)
    }

    async fn set_job_archived(&self, rq: &RequestContext, id: Uuid, archived: bool) -> AppResult<JobDetail> {
        Ok(set_archived(self, &request_user(rq)?, id, archived).await?)
    }
}
