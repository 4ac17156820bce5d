//! Navigation targets whose content arrives with the jobs issue: honest empty states.

use crate::components::EmptyState;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminJobs() -> impl IntoView {
    view! {
        <Title text="Jobs" />
        <div class="page-head">
            <h1>"Jobs"</h1>
            <a class="btn" href="/app/statuses">"Job statuses"</a>
        </div>
        <EmptyState icon="jobs" title="No jobs yet">
            <p>"Jobs you create for your customers will be listed here, with their status and assigned worker."</p>
        </EmptyState>
    }
}

#[component]
pub fn WorkerJobs() -> impl IntoView {
    view! {
        <Title text="My jobs" />
        <div class="page-head"><h1>"My jobs"</h1></div>
        <EmptyState icon="calendar" title="Nothing assigned to you">
            <p>"When an admin assigns you a job, it shows up here under Today, Upcoming or Done."</p>
        </EmptyState>
    }
}

#[component]
pub fn CustomerJobs() -> impl IntoView {
    view! {
        <Title text="Our jobs" />
        <div class="page-head"><h1>"Your jobs"</h1></div>
        <EmptyState icon="jobs" title="No jobs to show yet">
            <p>"Jobs your service company does for you will appear here, with their status and progress."</p>
        </EmptyState>
    }
}
