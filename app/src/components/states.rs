use super::{set_http_status, Icon};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EmptyState(icon: &'static str, title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="empty-state">
            <div class="empty-icon"><Icon name=icon /></div>
            <h2>{title}</h2>
            <div class="empty-body">{children()}</div>
        </div>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_http_status(404);
    view! {
        <Title text="Not found" />
        <main class="status-page">
            <p class="status-code">"404"</p>
            <h1>"We couldn't find that page"</h1>
            <p>"The link may be old, or the page may belong to another workspace."</p>
            <a class="btn btn-primary" href="/app">"Go to Fieldbook"</a>
        </main>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_http_status(403);
    view! {
        <Title text="No access" />
        <section class="status-page in-shell" data-testid="forbidden">
            <p class="status-code">"403"</p>
            <h1>"This page isn't available to you"</h1>
            <p>"Your role doesn't include this part of Fieldbook. Ask an admin of your company if you need it."</p>
            <a class="btn btn-primary" href="/app">"Back to my start page"</a>
        </section>
    }
}

#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_http_status(error.status_code());
    view! {
        <main class="status-page">
            <h1>"Something went wrong"</h1>
            <p>{error.to_string()}</p>
            <a class="btn" href="/">"Home"</a>
        </main>
    }
}

/// A list that reloads when its filters change: while the new rows load, the old ones
/// are dimmed and marked busy (`aria-busy`), under a "Loading…" line. `pending` is the
/// list's `<Transition set_pending>`.
#[component]
pub fn Reloading(pending: RwSignal<bool>, children: Children) -> impl IntoView {
    view! {
        <div class="reloading" class:is-reloading=move || pending.get() aria-busy=move || pending.get().to_string()>
            <p class="reloading-line">{move || pending.get().then_some("Loading…")}</p>
            {children()}
        </div>
    }
}
