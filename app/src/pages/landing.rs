use crate::auth::api::get_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The public front page; signed-in users go straight to their start page.
#[component]
pub fn Landing() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    view! {
        <Title text="" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(user)) => view! { <Redirect path=user.role.home_path() /> }.into_any(),
                    _ => view! { <LandingContent /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LandingContent() -> impl IntoView {
    view! {
        <div class="landing">
            <header class="landing-top">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"F"</span>
                    <span class="brand-name">"Fieldbook"</span>
                </a>
                <nav>
                    <a class="btn btn-ghost" href="/login">"Log in"</a>
                    <a class="btn btn-primary" href="/signup">"Start free"</a>
                </nav>
            </header>
            <main class="hero">
                <h1>"Run every job, crew and hour in one place."</h1>
                <p class="lead">
                    "Fieldbook is the work app for service companies: admins plan customers and jobs, "
                    "field workers do the work and log hours from their phones, and customers follow "
                    "their jobs and approve the hours."
                </p>
                <div class="hero-actions">
                    <a class="btn btn-primary btn-large" href="/signup">"Create your workspace"</a>
                    <a class="btn btn-large" href="/login">"Log in to your workspace"</a>
                </div>
                <ul class="feature-list">
                    <li><strong>"For admins"</strong>" — customers, jobs, statuses and your team, on desktop or phone."</li>
                    <li><strong>"For field workers"</strong>" — today's jobs, checklists and notes, with big buttons."</li>
                    <li><strong>"For customers"</strong>" — a clear view of their jobs, and sign-off on hours."</li>
                </ul>
            </main>
        </div>
    }
}
