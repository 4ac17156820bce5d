//! `/share/{token}`: a job, read-only, for someone without a login.

use super::api::load_shared_job;
use super::widgets::StatusBadge;
use super::{SharedJob, SharedJobView, StatusChip};
use crate::components::set_http_status;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn SharePage() -> impl IntoView {
    let params = use_params_map();
    let shared = Resource::new(move || params.get().get("token").unwrap_or_default(), load_shared_job);
    view! {
        <div class="share-page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match shared.await {
                        Ok(SharedJob::Available { company_name, job }) => view! { <SharedJobPage company_name job=*job /> }.into_any(),
                        Ok(SharedJob::Expired) => view! {
                            <LinkGone code=410 title="This link has expired"
                                text="Share links are valid for a limited time. Ask the company that sent it for a new one." />
                        }.into_any(),
                        Ok(SharedJob::Revoked) => view! {
                            <LinkGone code=410 title="This link was switched off"
                                text="The company that shared this job has revoked the link. Ask them for a new one if you still need it." />
                        }.into_any(),
                        Ok(SharedJob::Unknown) | Err(_) => view! {
                            <LinkGone code=404 title="We couldn't find this link"
                                text="Check that you copied the whole link. If it is old, ask the company that sent it for a new one." />
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn LinkGone(code: u16, title: &'static str, text: &'static str) -> impl IntoView {
    set_http_status(code);
    view! {
        <Title text=title />
        <main class="status-page" data-testid="share-gone">
            <p class="status-code">"Fieldbook"</p>
            <h1>{title}</h1>
            <p>{text}</p>
        </main>
    }
}

#[component]
fn SharedJobPage(company_name: String, job: SharedJobView) -> impl IntoView {
    let schedule =
        if job.schedule_label.is_empty() { "Not scheduled yet".to_string() } else { job.schedule_label.clone() };
    let status = StatusChip {
        id: Uuid::nil(),
        name: job.status_name.clone(),
        colour: job.status_colour.clone(),
        kind: job.status_kind,
    };
    let (done, total) = (job.tasks.iter().filter(|t| t.is_completed).count(), job.tasks.len());
    view! {
        <Title text=job.title.clone() />
        <header class="share-top">
            <span class="brand"><span class="brand-mark" aria-hidden="true">"F"</span>{company_name}</span>
            <span class="muted small">"Shared with you · read-only"</span>
        </header>
        <main class="share-main" data-testid="shared-job">
            <h1>{job.title.clone()}</h1>
            <p class="job-head-meta"><StatusBadge status /></p>
            <section class="card">
                <dl class="detail-list compact-list">
                    <div><dt>"For"</dt><dd>{job.customer_name.clone()}</dd></div>
                    <div><dt>"Field worker"</dt><dd>{job.worker_name.clone().unwrap_or_else(|| "Not assigned yet".into())}</dd></div>
                    <div><dt>"Scheduled"</dt><dd>{schedule}</dd></div>
                </dl>
                {(!job.description.is_empty()).then(|| view! { <p class="description">{job.description.clone()}</p> })}
            </section>
            <section class="card">
                <div class="card-head">
                    <h2 class="card-title">"Tasks"</h2>
                    {(total > 0).then(|| view! {
                        <div class="task-progress">
                            <progress max=total.to_string() value=done.to_string() aria-label="Tasks done"></progress>
                            <span class="muted">{format!("{done} of {total} tasks done")}</span>
                        </div>
                    })}
                </div>
                {if job.tasks.is_empty() {
                    view! { <p class="muted">"No tasks on this job."</p> }.into_any()
                } else {
                    view! {
                        <ul class="task-list">
                            {job.tasks.iter().map(|t| view! {
                                <li class="task-row" class:done=t.is_completed>
                                    <span class="task-check">
                                        <span class="task-mark" aria-hidden="true">{if t.is_completed { "✓" } else { "" }}</span>
                                        <span class="task-title">{t.title.clone()}</span>
                                        <span class="sr-only">{if t.is_completed { "(done)" } else { "(to do)" }}</span>
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2 class="card-title">"Notes"</h2>
                {if job.notes.is_empty() {
                    view! { <p class="muted">"No notes yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="note-list">
                            {job.notes.iter().map(|n| view! {
                                <li class="note">
                                    <p class="note-head"><span class="fact-strong">{n.author_name.clone()}</span>
                                        <span class="muted">{n.created_label.clone()}</span></p>
                                    <p class="note-body">{n.body.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        </main>
    }
}
