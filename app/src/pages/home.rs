use crate::components::{use_user, EmptyState};
use crate::jobs::api::load_jobs_overview;
use crate::jobs::{JobCard, JobListQuery, JobsOverview, StatusBadge};
use crate::time::api::load_time_overview;
use crate::time::{format_minutes, BudgetMeter, DayChart, RankChart, TimeOverview};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// `/app`: each role's start page.
#[component]
pub fn RoleHome() -> impl IntoView {
    let user = use_user();
    view! { <Redirect path=user.role.home_path() /> }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let user = use_user();
    let first_name = user.name.split_whitespace().next().unwrap_or_default().to_string();
    let overview = Resource::new(|| (), |_| load_jobs_overview());
    // Beside the jobs overview, not inside it: one server function per resource.
    let time = Resource::new(|| (), |_| load_time_overview());
    view! {
        <Title text="Dashboard" />
        <div class="page-head">
            <div>
                <h1>{format!("Welcome, {first_name}")}</h1>
                <p class="muted">{format!("{} · {}", user.company.name, user.company.timezone)}</p>
            </div>
        </div>
        <section class="card-grid">
            <a class="card card-link" href="/app/users">
                <h2>"Add your team"</h2>
                <p>"Create logins for your field workers, other admins and your customers."</p>
                <span class="card-cta">"Open Team →"</span>
            </a>
            <a class="card card-link" href="/app/customers">
                <h2>"Customers"</h2>
                <p>"Keep every customer's contact details and their jobs together."</p>
                <span class="card-cta">"Open Customers →"</span>
            </a>
            <a class="card card-link" href="/app/jobs">
                <h2>"Jobs"</h2>
                <p>"Plan work, assign it to a worker and follow it to done."</p>
                <span class="card-cta">"Open Jobs →"</span>
            </a>
        </section>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if o.by_status.iter().all(|(_, n)| *n == 0) => view! {
                        <EmptyState icon="dashboard" title="No jobs yet">
                            <p>"Create your first job; open work by status and today's plan will appear here."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(o) => view! { <Overview overview=o /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match time.await {
                    Ok(t) => view! { <TimeSummary overview=t /> }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Hours this month, approvals waiting, contracts near their budget, and charts.
#[component]
fn TimeSummary(overview: TimeOverview) -> impl IntoView {
    let warnings = overview.contract_warnings;
    view! {
        <h2 class="section-title">{format!("Time in {}", overview.month_label)}</h2>
        <dl class="totals" data-testid="time-summary">
            <div><dt>"Hours logged"</dt><dd data-testid="month-hours">{format_minutes(overview.month_minutes)}</dd></div>
            <div><dt>"Waiting for approval"</dt><dd><a href="/app/approvals">{overview.pending_count}</a></dd></div>
            <div><dt>"Active contracts"</dt><dd><a href="/app/contracts">{overview.contract_count}</a></dd></div>
        </dl>
        {(!warnings.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="budget-warnings">
                <h2 id="budget-warnings" class="card-title">"Contracts near their budget"</h2>
                {warnings.into_iter().map(|usage| view! { <BudgetMeter usage show_parties=true /> }).collect_view()}
            </section>
        })}
        <div class="charts">
            <DayChart bars=overview.per_day title="Hours per day" />
            <RankChart bars=overview.per_worker title="Hours per worker" />
        </div>
    }
}

/// Open work by status (each a link to the filtered list) and today's jobs.
#[component]
fn Overview(overview: JobsOverview) -> impl IntoView {
    let unassigned = overview.unassigned;
    view! {
        <section class="card" aria-labelledby="by-status">
            <div class="card-head">
                <h2 id="by-status" class="card-title">"Jobs by status"</h2>
                {(unassigned > 0).then(|| view! {
                    <span class="role-badge muted-badge">{format!("{unassigned} not assigned yet")}</span>
                })}
            </div>
            <ul class="status-counts" data-testid="status-counts">
                {overview.by_status.into_iter().map(|(status, count)| {
                    let href = format!("/app/jobs{}", JobListQuery { status: Some(status.id), ..Default::default() }.to_query_string());
                    view! {
                        <li><a class="status-count-link" href=href>
                            <span class="status-count-number">{count}</span>
                            <StatusBadge status />
                        </a></li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <h2 class="section-title">"Today"</h2>
        {if overview.today.is_empty() {
            view! { <p class="muted empty-inline">"Nothing scheduled for today."</p> }.into_any()
        } else {
            view! {
                <ul class="job-cards" data-testid="today-jobs">
                    {overview.today.into_iter().map(|job| view! { <JobCard job show_worker=true /> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
