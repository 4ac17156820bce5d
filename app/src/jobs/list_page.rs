//! The admin's job list. Filters, search, sort and page live in the URL query,
//! so a filtered list can be bookmarked and the back button steps through them.

use super::api::{list_jobs, load_job_choices};
use super::widgets::StatusBadge;
use super::{JobListQuery, JobRow, JobSort};
use crate::components::EmptyState;
use crate::components::Reloading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

fn href(query: &JobListQuery) -> String {
    format!("/app/jobs{}", query.to_query_string())
}

#[component]
pub fn AdminJobsPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| JobListQuery::from_params(|key| p.get(key))));
    // Statuses and workers only: a company's customers can number thousands, and the
    // search already matches customer names (customer pages link to their filtered list).
    let options = Resource::new(|| (), |_| load_job_choices());
    let jobs = Resource::new(move || query.get(), list_jobs);
    let navigate = use_navigate();
    // Every filter change is a navigation: a new history entry, page one.
    let apply = Callback::new(move |change: Box<dyn FnOnce(&mut JobListQuery) + Send + Sync>| {
        let mut next = query.get_untracked();
        change(&mut next);
        next.after = None;
        navigate(&href(&next), Default::default());
    });
    let search = RwSignal::new(query.get_untracked().search);
    // The customer filter shows the name from the rows it lists.
    let customer_name = RwSignal::new(None::<String>);
    Effect::new(move |_| search.set(query.get().search));

    let select = move |label: &'static str,
                       name: &'static str,
                       all: &'static str,
                       current: Option<Uuid>,
                       choices: Vec<(Uuid, String)>,
                       set: fn(&mut JobListQuery, Option<Uuid>)| {
        view! {
            <label class="filter">
                <span class="filter-label">{label}</span>
                <select name=name class="compact" on:change=move |ev| {
                    let value = event_target_value(&ev).parse::<Uuid>().ok();
                    apply.run(Box::new(move |q| set(q, value)));
                }>
                    <option value="" selected=current.is_none()>{all}</option>
                    {choices.into_iter().map(|(id, text)| view! {
                        <option value=id.to_string() selected=current == Some(id)>{text}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };

    // True while a new filter's rows load (the old ones stay, dimmed).
    let refreshing = RwSignal::new(false);
    view! {
        <Title text="Jobs" />
        <div class="page-head">
            <div>
                <h1>"Jobs"</h1>
                <p class="muted">"Everything your team is doing, planning and has done."</p>
            </div>
            <div class="form-actions">
                <A href="/app/statuses" attr:class="btn btn-ghost">"Job statuses"</A>
                <A href="/app/jobs/new" attr:class="btn btn-primary">"New job"</A>
            </div>
        </div>
        <form method="get" class="toolbar" role="search" on:submit=move |ev| {
            ev.prevent_default();
            let term = search.get_untracked();
            apply.run(Box::new(move |q| q.search = term));
        }>
            <input class="search" type="search" name="q" placeholder="Search title or customer" aria-label="Search jobs"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
            <button class="btn" type="submit">"Search"</button>
            <div class="segmented" role="group" aria-label="Active or archived">
                <button type="button" class:active=move || !query.get().archived
                    on:click=move |_| apply.run(Box::new(|q| q.archived = false))>"Active"</button>
                <button type="button" class:active=move || query.get().archived
                    on:click=move |_| apply.run(Box::new(|q| q.archived = true))>"Archived"</button>
            </div>
        </form>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let options = options.await.unwrap_or_default();
                let q = query.get();
                view! {
                    <div class="filters">
                        {select("Status", "status", "All statuses", q.status,
                            options.statuses.iter().map(|s| (s.id, s.name.clone())).collect(), |q, v| q.status = v)}
                        {select("Worker", "worker", "Anyone", q.worker,
                            options.workers.iter().map(|w| (w.id, w.name.clone())).collect(), |q, v| q.worker = v)}
                        {q.customer.map(|_| view! {
                            <div class="filter">
                                <span class="filter-label">"Customer"</span>
                                <button type="button" class="btn btn-small filter-chip" aria-label="Show every customer's jobs"
                                    on:click=move |_| apply.run(Box::new(|q| q.customer = None))>
                                    {move || customer_name.get().unwrap_or_else(|| "One customer".into())}" ×"
                                </button>
                            </div>
                        })}
                        <label class="filter">
                            <span class="filter-label">"Sort"</span>
                            <select name="sort" class="compact" on:change=move |ev| {
                                let sort = JobSort::parse(&event_target_value(&ev));
                                apply.run(Box::new(move |q| q.sort = sort));
                            }>
                                {JobSort::ALL.into_iter().map(|s| view! {
                                    <option value=s.as_str() selected=q.sort == s>{s.label()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </div>
                }
            })}
        </Transition>
        <Reloading pending=refreshing>
            <Transition set_pending=refreshing fallback=|| view! { <p class="muted">"Loading jobs…"</p> }>
                {move || Suspend::new(async move {
                    let q = query.get();
                    match jobs.await {
                        Ok(page) if page.jobs.is_empty() && q == JobListQuery::default() => view! {
                            <EmptyState icon="jobs" title="No jobs yet">
                                <p>"Create your first job: pick a customer, add a checklist and assign a field worker."</p>
                                <A href="/app/jobs/new" attr:class="btn btn-primary">"New job"</A>
                            </EmptyState>
                        }.into_any(),
                        Ok(page) if page.jobs.is_empty() => view! {
                            <p class="muted empty-inline" data-testid="no-jobs">"No job matches these filters."</p>
                        }.into_any(),
                        Ok(page) => {
                            customer_name.set(q.customer.and_then(|_| page.jobs.first().map(|j| j.customer_name.clone())));
                            let first = q.after.is_some().then(|| href(&JobListQuery { after: None, ..q.clone() }));
                            let next = page.next.clone().map(|after| href(&JobListQuery { after: Some(after), ..q.clone() }));
                            view! {
                                <ul class="job-table" data-testid="job-list">
                                    <li class="job-table-head" aria-hidden="true">
                                        <span>"Job"</span><span>"Status"</span><span>"Worker"</span><span>"Scheduled"</span>
                                    </li>
                                    {page.jobs.into_iter().map(|job| view! { <JobTableRow job /> }).collect_view()}
                                </ul>
                                <nav class="pager" aria-label="Pages">
                                    {first.map(|h| view! { <A href=h attr:class="btn btn-small">"← First page"</A> })}
                                    {next.map(|h| view! { <A href=h attr:class="btn btn-small">"Next page →"</A> })}
                                </nav>
                            }.into_any()
                        }
                        Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </Reloading>
    }
}

#[component]
fn JobTableRow(job: JobRow) -> impl IntoView {
    view! {
        <li class="job-table-row" class:inactive=job.is_archived>
            <A href=format!("/app/jobs/{}", job.id) attr:class="job-table-link">
                <span class="job-table-main">
                    <span class="record-title">{job.title.clone()}</span>
                    <span class="muted record-sub">{job.customer_name.clone()}</span>
                </span>
                <span><StatusBadge status=job.status.clone() /></span>
                <span class="job-table-worker">{job.worker_name.clone().unwrap_or_else(|| "Unassigned".into())}</span>
                <span class="muted job-table-when">{job.scheduled_label.clone().unwrap_or_else(|| "Not scheduled".into())}</span>
            </A>
        </li>
    }
}
