use super::{
    build_after_discovery, hard_navigate, provide_announcer, provide_confirmer, Announcements, ConfirmDialog,
    ErrorPage, Forbidden, Icon,
};
use crate::auth::api::{get_session, LogOut};
use crate::auth::{Role, SessionUser};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

/// The signed-in user, provided by [`AppShell`] to every page inside it.
pub fn use_user() -> SessionUser {
    expect_context::<SessionUser>()
}

/// Everything under `/app`: requires a session, then shows the role's navigation.
#[component]
pub fn AppShell() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <div class="page-loading" aria-busy="true">"Loading…"</div> }>
            {move || Suspend::new(async move {
                let session = session.await;
                build_after_discovery().await;
                match session {
                    Ok(Some(user)) => view! { <ShellLayout user /> }.into_any(),
                    Ok(None) => {
                        let next = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

struct NavItem {
    href: &'static str,
    label: &'static str,
    icon: &'static str,
}

fn nav_items(role: Role) -> Vec<NavItem> {
    let item = |href, label, icon| NavItem { href, label, icon };
    match role {
        Role::Admin => vec![
            item("/app/dashboard", "Dashboard", "dashboard"),
            item("/app/jobs", "Jobs", "jobs"),
            item("/app/customers", "Customers", "customers"),
            item("/app/logs", "Time", "clock"),
            item("/app/reports", "Reports", "chart"),
            item("/app/users", "Team", "users"),
            item("/app/account", "Account", "account"),
        ],
        Role::Worker => vec![
            item("/app/my-jobs", "My jobs", "jobs"),
            item("/app/time", "Time", "clock"),
            item("/app/reports", "Reports", "chart"),
            item("/app/account", "Account", "account"),
        ],
        Role::Customer => vec![
            item("/app/portal", "Your jobs", "jobs"),
            item("/app/approvals", "Approvals", "approve"),
            item("/app/reports", "Reports", "chart"),
            item("/app/account", "Account", "account"),
        ],
    }
}

#[component]
fn ShellLayout(user: SessionUser) -> impl IntoView {
    provide_context(user.clone());
    if user.must_verify_email() {
        return view! { <crate::notifications::CheckEmailPage user /> }.into_any();
    }
    let live = crate::notifications::provide_live_notifications();
    let confirmer = provide_confirmer();
    let announcer = provide_announcer();
    let log_out = ServerAction::<LogOut>::new();
    // `signed_out` tells the installed app to forget this worker's offline pages and changes.
    let login_path = format!("/{}/login?signed_out", user.company.slug);
    Effect::new(move |_| {
        if log_out.value().get().is_some() {
            hard_navigate(&login_path);
        }
    });
    // Workers see their running timer on every page; customers how many entries wait for them.
    let timer = (user.role == Role::Worker).then(crate::time::provide_timer_state);
    let waiting = (user.role == Role::Customer).then(crate::time::provide_waiting_badge);
    // A page the server sends without the WASM draws the timer bar itself (`SentWithoutWasm`).
    let sent_without_wasm = use_context::<crate::routes::SentWithoutWasm>().is_some();
    let initials: String = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();

    let links = move |class: &'static str| {
        nav_items(user.role)
            .into_iter()
            .map(|item| {
                let badge = (item.href == "/app/approvals").then_some(waiting).flatten().map(|waiting| {
                    move || {
                        waiting.entries().map(|n| {
                            view! {
                                <span class="nav-badge" data-testid="waiting-badge">
                                    <span aria-hidden="true">{n}</span>
                                    <span class="sr-only">{format!(", {n} waiting")}</span>
                                </span>
                            }
                        })
                    }
                });
                view! {
                    <A href=item.href attr:class=class>
                        <Icon name=item.icon />
                        <span>{item.label}</span>
                        {badge}
                    </A>
                }
            })
            .collect_view()
    };

    view! {
        <div class="shell" data-role=user.role.as_str() data-user=user.user_id.to_string()>
            // The router would only scroll to #main; the focus has to move there too.
            <a class="skip-link" href="#main" on:click=|ev| {
                ev.prevent_default();
                super::focus_by_id("main");
            }>"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href="/app">
                    <span class="brand-mark" aria-hidden="true">"F"</span>
                    <span class="brand-name">"Fieldbook"</span>
                </a>
                <span class="company-name" data-testid="company-name">{user.company.name.clone()}</span>
                <div class="topbar-user">
                    <crate::notifications::NotificationBell live />
                    <span class="avatar" aria-hidden="true">{initials}</span>
                    <span class="user-name" data-testid="user-name">{user.name.clone()}</span>
                    <span class="role-badge">{user.role.label()}</span>
                    // A form, so it works on a page sent without the WASM too (`form_actions.rs`).
                    <form
                        method="post"
                        action=LogOut::PATH
                        class="log-out"
                        data-posts-without-script=""
                        on:submit=move |ev| {
                            ev.prevent_default();
                            log_out.dispatch(LogOut {});
                        }
                    >
                        <input type="hidden" name="workspace" value=user.company.slug.clone() />
                        <button
                            type="submit"
                            class="btn btn-ghost btn-small"
                            aria-label="Log out"
                            disabled=move || log_out.pending().get()
                        >
                            <Icon name="logout" />
                            <span>"Log out"</span>
                        </button>
                    </form>
                </div>
            </header>
            <nav class="sidenav" aria-label="Main">{links("nav-link")}</nav>
            <main class="content" id="main" tabindex="-1">
                {timer.map(|state| {
                    if sent_without_wasm {
                        view! { <crate::time::ServerTimerBar /> }.into_any()
                    } else {
                        view! { <crate::time::TimerBar state /> }.into_any()
                    }
                })}
                <Outlet />
            </main>
            <nav class="tabbar" aria-label="Main (mobile)">{links("tab-link")}</nav>
            <crate::notifications::NotificationToast live />
            <ConfirmDialog confirmer />
            <Announcements announcer />
        </div>
    }
    .into_any()
}

/// Shows `children` only to `role`; anyone else gets a 403 page. Convenience
/// only: the server functions behind the page check the role themselves.
#[component]
pub fn RequireRole(role: Role, children: ChildrenFn) -> impl IntoView {
    let user = use_user();
    if user.role == role {
        children().into_any()
    } else {
        view! { <Forbidden /> }.into_any()
    }
}
