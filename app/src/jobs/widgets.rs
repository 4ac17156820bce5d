//! Small pieces every job page shares.

use super::{JobRow, JobTask, StatusChip};
use leptos::prelude::*;
use leptos_router::components::A;

/// A status with its colour. The colour is an SVG `fill` (the page's CSP allows no inline styles).
#[component]
pub fn StatusBadge(status: StatusChip) -> impl IntoView {
    view! {
        <span class="status-badge" data-kind=status.kind.as_str()>
            <svg class="status-dot" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=status.colour /></svg>
            {status.name}
        </span>
    }
}

/// "3 of 5 tasks done", with a bar.
#[component]
pub fn TaskProgress(tasks: Vec<JobTask>) -> impl IntoView {
    let total = tasks.len();
    let done = tasks.iter().filter(|t| t.is_completed).count();
    (total > 0).then(|| {
        view! {
            <div class="task-progress">
                <progress max=total.to_string() value=done.to_string() aria-label="Tasks done"></progress>
                <span class="muted">{format!("{done} of {total} tasks done")}</span>
            </div>
        }
    })
}

/// A job as a tappable card (worker and customer lists).
#[component]
pub fn JobCard(job: JobRow, #[prop(optional)] show_worker: bool) -> impl IntoView {
    let when = job.scheduled_label.clone().unwrap_or_else(|| "Not scheduled yet".into());
    view! {
        <li>
            <A href=format!("/app/jobs/{}", job.id) attr:class="job-card">
                <span class="job-card-top">
                    <span class="job-card-title">{job.title.clone()}</span>
                    <StatusBadge status=job.status.clone() />
                </span>
                <span class="job-card-meta muted">
                    <span>{when}</span>
                    <span>{job.customer_name.clone()}</span>
                    {show_worker.then(|| view! {
                        <span>{job.worker_name.clone().map(|n| format!("Worker: {n}")).unwrap_or_else(|| "No worker yet".into())}</span>
                    })}
                </span>
            </A>
        </li>
    }
}
