//! A worker's "My jobs" and a customer's jobs: today, upcoming, done.

use super::api::load_my_jobs;
use super::widgets::JobCard;
use super::JobRow;
use crate::auth::Role;
use crate::components::{use_user, EmptyState};
use crate::time::api::load_hours_waiting;
use crate::time::format_minutes;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
fn Section(
    title: &'static str,
    id: &'static str,
    jobs: Vec<JobRow>,
    empty: &'static str,
    show_worker: bool,
) -> impl IntoView {
    view! {
        <section class="job-section" aria-labelledby=id>
            <h2 id=id class="section-title">{title}<span class="count-badge">{jobs.len()}</span></h2>
            {if jobs.is_empty() {
                view! { <p class="muted empty-inline">{empty}</p> }.into_any()
            } else {
                view! { <ul class="job-cards">{jobs.into_iter().map(|job| view! { <JobCard job show_worker /> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

/// The signed-in worker's assigned jobs, or the signed-in customer's jobs.
#[component]
pub fn MyJobsPage() -> impl IntoView {
    let role = use_user().role;
    let jobs = Resource::new(|| (), |_| load_my_jobs());
    let (title, intro) = match role {
        Role::Worker => ("My jobs", "The jobs assigned to you, by day."),
        _ => ("Your jobs", "The work we do for you: status, progress and notes from the team."),
    };
    let customer = role == Role::Customer;
    view! {
        <Title text=title />
        <div class="page-head"><div><h1>{title}</h1><p class="muted">{intro}</p></div></div>
        {customer.then(|| view! { <WaitingCard /> })}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(mine) if !mine.linked => view! {
                        <EmptyState icon="customers" title="Your login isn't linked to a customer yet">
                            <p>"Ask the company you work with to link your login to your customer record; your jobs will then show up here."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(mine) if mine.today.is_empty() && mine.upcoming.is_empty() && mine.done.is_empty() => {
                        if customer {
                            view! {
                                <EmptyState icon="jobs" title="No jobs to show yet">
                                    <p>"Jobs your service company plans for you will appear here, with their status and progress."</p>
                                </EmptyState>
                            }.into_any()
                        } else {
                            view! {
                                <EmptyState icon="calendar" title="Nothing assigned to you">
                                    <p>"When an admin assigns you a job, it shows up here under Today, Upcoming or Done."</p>
                                </EmptyState>
                            }.into_any()
                        }
                    }
                    Ok(mine) => view! {
                        <div class="job-sections" data-testid="my-jobs">
                            <Section title="Today" id="today" jobs=mine.today empty="Nothing for today." show_worker=customer />
                            <Section title="Upcoming" id="upcoming" jobs=mine.upcoming empty="Nothing planned yet." show_worker=customer />
                            <Section title="Done" id="done" jobs=mine.done empty="Nothing finished yet." show_worker=customer />
                        </div>
                    }.into_any(),
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A customer's home says when submitted hours wait for their decision.
#[component]
fn WaitingCard() -> impl IntoView {
    let waiting = Resource::new(|| (), |_| load_hours_waiting());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                waiting.await.ok().filter(|w| w.entries > 0).map(|w| {
                    let entries = if w.entries == 1 { "1 entry".to_string() } else { format!("{} entries", w.entries) };
                    view! {
                        <A href="/app/approvals" attr:class="card card-link waiting-card" attr:data-testid="hours-waiting">
                            <strong>{format!("{} hours waiting for you", format_minutes(w.minutes))}</strong>
                            <span class="muted">{format!("{entries} submitted by the team. Review and approve them.")}</span>
                        </A>
                    }
                })
            })}
        </Transition>
    }
}
