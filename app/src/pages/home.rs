use crate::components::{use_user, EmptyState};
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
        <EmptyState icon="dashboard" title="No activity yet">
            <p>"Open jobs by status, hours this month and pending approvals will appear here once your team is at work."</p>
        </EmptyState>
    }
}
