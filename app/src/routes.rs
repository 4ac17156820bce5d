//! Which page answers which path, and which part of the WASM bundle holds it.
//!
//! The browser loads the main bundle (the reactive runtime, the router, this table, the
//! signed-in shell and the job list) and then only the part its page lives in. The shell
//! and the job list stay in the main bundle because they are what a worker opens the app
//! on: split out, My jobs waited for a dozen chunks before it could hydrate, and their
//! instantiation and the cross-part calls cost more on a slow phone (Lighthouse TBT
//! 370 ms -> 1150 ms) than their bytes saved. Every other page is a lazy route in one of
//! five parts grouped by who uses them (`#[lazy]` on a function that draws the part's
//! pages), so nobody downloads the admin's pages to sign in or to work; code two parts
//! share is split out again by the build into chunks loaded with either.
//!
//! More split points would make smaller parts but many more shared chunks (one per
//! combination of parts that shares code), each a request and a `wasm-opt` run.

use crate::auth::Role;
use crate::components::{use_user, AppShell, Forbidden, RequireRole};
use crate::{account, api_keys, audit, auth, customers, jobs, notifications, pages, statuses, time, users};
use leptos::prelude::*;
use leptos_router::{Lazy, LazyRoute};

/// The sign-in forms: the one page a signed-out visitor needs.
#[derive(Clone, Copy)]
pub enum SignInPage {
    Any,
    Workspace,
}

#[leptos::lazy]
fn sign_in_part(page: SignInPage) -> AnyView {
    match page {
        SignInPage::Any => view! { <auth::LoginPage /> }.into_any(),
        SignInPage::Workspace => view! { <auth::WorkspaceLoginPage /> }.into_any(),
    }
}

/// Every other page of someone who is not signed in.
#[derive(Clone, Copy)]
pub enum PublicPage {
    Landing,
    SignUp,
    Share,
    VerifyEmail,
    ForgotPassword,
    ResetPassword,
    Invitation,
    Unsubscribe,
}

#[leptos::lazy]
fn public_part(page: PublicPage) -> AnyView {
    match page {
        PublicPage::Landing => view! { <pages::Landing /> }.into_any(),
        PublicPage::SignUp => view! { <auth::SignUpPage /> }.into_any(),
        PublicPage::Share => view! { <jobs::SharePage /> }.into_any(),
        PublicPage::VerifyEmail => view! { <notifications::VerifyEmailPage /> }.into_any(),
        PublicPage::ForgotPassword => view! { <notifications::ForgotPasswordPage /> }.into_any(),
        PublicPage::ResetPassword => view! { <notifications::ResetPasswordPage /> }.into_any(),
        PublicPage::Invitation => view! { <notifications::AcceptInvitationPage /> }.into_any(),
        PublicPage::Unsubscribe => view! { <notifications::UnsubscribePage /> }.into_any(),
    }
}

/// The signed-in frame around every page under `/app`: top bar, navigation, the
/// worker's timer, notifications. In the main bundle (see above).
async fn shell_part() -> AnyView {
    view! { <AppShell /> }.into_any()
}

/// The job list a worker opens the app on (customers see theirs on the same page). In
/// the main bundle (see above).
#[derive(Clone, Copy)]
pub enum JobListPage {
    Worker,
    Customer,
}

async fn job_list_part(page: JobListPage) -> AnyView {
    match page {
        JobListPage::Worker => view! { <RequireRole role=Role::Worker><jobs::MyJobsPage /></RequireRole> }.into_any(),
        JobListPage::Customer => {
            view! { <RequireRole role=Role::Customer><jobs::MyJobsPage /></RequireRole> }.into_any()
        }
    }
}

/// The rest of what field workers use all day.
#[derive(Clone, Copy)]
pub enum FieldPage {
    MyTime,
    Job,
}

#[leptos::lazy]
fn field_part(page: FieldPage) -> AnyView {
    match page {
        FieldPage::MyTime => view! { <RequireRole role=Role::Worker><time::MyTimePage /></RequireRole> }.into_any(),
        // Every role: the server decides which jobs exist for whom.
        FieldPage::Job => view! { <jobs::JobDetailPage /> }.into_any(),
    }
}

/// Pages of more than one role; the server decides what each may see.
#[derive(Clone, Copy)]
pub enum SharedPage {
    Home,
    Entry,
    Approvals,
    Reports,
    Account,
    Notifications,
}

#[leptos::lazy]
fn shared_part(page: SharedPage) -> AnyView {
    match page {
        SharedPage::Home => view! { <pages::RoleHome /> }.into_any(),
        SharedPage::Entry => view! { <time::EntryPage /> }.into_any(),
        // Customers and admins; the server refuses workers.
        SharedPage::Approvals => view! { <time::ApprovalsPage /> }.into_any(),
        SharedPage::Reports => view! { <time::ReportsPage /> }.into_any(),
        SharedPage::Account => view! { <account::AccountPage /> }.into_any(),
        SharedPage::Notifications => view! { <notifications::NotificationsPage /> }.into_any(),
    }
}

/// The admin's pages.
#[derive(Clone, Copy)]
pub enum AdminPage {
    Dashboard,
    Jobs,
    NewJob,
    EditJob,
    Customers,
    Customer,
    Statuses,
    Users,
    Logs,
    Contracts,
    Outbox,
    Audit,
    Api,
}

#[leptos::lazy]
fn admin_part(page: AdminPage) -> AnyView {
    // Convenience only: the server functions behind each page check the role themselves.
    if use_user().role != Role::Admin {
        return view! { <Forbidden /> }.into_any();
    }
    match page {
        AdminPage::Dashboard => view! { <pages::Dashboard /> }.into_any(),
        AdminPage::Jobs => view! { <jobs::AdminJobsPage /> }.into_any(),
        AdminPage::NewJob => view! { <jobs::NewJobPage /> }.into_any(),
        AdminPage::EditJob => view! { <jobs::EditJobPage /> }.into_any(),
        AdminPage::Customers => view! { <customers::CustomersPage /> }.into_any(),
        AdminPage::Customer => view! { <customers::CustomerDetailPage /> }.into_any(),
        AdminPage::Statuses => view! { <statuses::StatusesPage /> }.into_any(),
        AdminPage::Users => view! { <users::UsersPage /> }.into_any(),
        AdminPage::Logs => view! { <time::LogsPage /> }.into_any(),
        AdminPage::Contracts => view! { <time::ContractsPage /> }.into_any(),
        AdminPage::Outbox => view! { <notifications::OutboxPage /> }.into_any(),
        AdminPage::Audit => view! { <audit::AuditLogPage /> }.into_any(),
        AdminPage::Api => view! { <api_keys::ApiKeysPage /> }.into_any(),
    }
}

/// A lazy route per path: `Route { view = Lazy::<Route>::new() }` loads the route's
/// part, then draws the page in it. `preload` fetches the part without drawing: the
/// router awaits it before hydrating a server-rendered page, whose HTML must meet the
/// part's code, not a placeholder (`__preload_<part>` is made by `#[lazy]` in the
/// browser build).
macro_rules! lazy_routes {
    ($($route:ident => $part:ident($($page:expr)?) $(preloaded by $preload:ident)?;)*) => {$(
        pub struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            async fn view(_: Self) -> AnyView {
                $part($($page)?).await
            }
            async fn preload() {
                $(
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                )?
            }
        }
    )*};
}

lazy_routes! {
    LoginRoute => sign_in_part(SignInPage::Any) preloaded by __preload_sign_in_part;
    WorkspaceLoginRoute => sign_in_part(SignInPage::Workspace) preloaded by __preload_sign_in_part;
    LandingRoute => public_part(PublicPage::Landing) preloaded by __preload_public_part;
    SignUpRoute => public_part(PublicPage::SignUp) preloaded by __preload_public_part;
    ShareRoute => public_part(PublicPage::Share) preloaded by __preload_public_part;
    VerifyEmailRoute => public_part(PublicPage::VerifyEmail) preloaded by __preload_public_part;
    ForgotPasswordRoute => public_part(PublicPage::ForgotPassword) preloaded by __preload_public_part;
    ResetPasswordRoute => public_part(PublicPage::ResetPassword) preloaded by __preload_public_part;
    InvitationRoute => public_part(PublicPage::Invitation) preloaded by __preload_public_part;
    UnsubscribeRoute => public_part(PublicPage::Unsubscribe) preloaded by __preload_public_part;
    ShellRoute => shell_part();
    MyJobsRoute => job_list_part(JobListPage::Worker);
    PortalRoute => job_list_part(JobListPage::Customer);
    MyTimeRoute => field_part(FieldPage::MyTime) preloaded by __preload_field_part;
    JobRoute => field_part(FieldPage::Job) preloaded by __preload_field_part;
    HomeRoute => shared_part(SharedPage::Home) preloaded by __preload_shared_part;
    EntryRoute => shared_part(SharedPage::Entry) preloaded by __preload_shared_part;
    ApprovalsRoute => shared_part(SharedPage::Approvals) preloaded by __preload_shared_part;
    ReportsRoute => shared_part(SharedPage::Reports) preloaded by __preload_shared_part;
    AccountRoute => shared_part(SharedPage::Account) preloaded by __preload_shared_part;
    NotificationsRoute => shared_part(SharedPage::Notifications) preloaded by __preload_shared_part;
    DashboardRoute => admin_part(AdminPage::Dashboard) preloaded by __preload_admin_part;
    JobsRoute => admin_part(AdminPage::Jobs) preloaded by __preload_admin_part;
    NewJobRoute => admin_part(AdminPage::NewJob) preloaded by __preload_admin_part;
    EditJobRoute => admin_part(AdminPage::EditJob) preloaded by __preload_admin_part;
    CustomersRoute => admin_part(AdminPage::Customers) preloaded by __preload_admin_part;
    CustomerRoute => admin_part(AdminPage::Customer) preloaded by __preload_admin_part;
    StatusesRoute => admin_part(AdminPage::Statuses) preloaded by __preload_admin_part;
    UsersRoute => admin_part(AdminPage::Users) preloaded by __preload_admin_part;
    LogsRoute => admin_part(AdminPage::Logs) preloaded by __preload_admin_part;
    ContractsRoute => admin_part(AdminPage::Contracts) preloaded by __preload_admin_part;
    OutboxRoute => admin_part(AdminPage::Outbox) preloaded by __preload_admin_part;
    AuditRoute => admin_part(AdminPage::Audit) preloaded by __preload_admin_part;
    ApiRoute => admin_part(AdminPage::Api) preloaded by __preload_admin_part;
}

/// Pages the server sends without the WASM bundle, because every control on them works
/// without it, so a phone downloads a few kilobytes of script instead of the bundle's
/// runtime (docs/PERFORMANCE.md, "Pages sent without the WASM"):
///
/// - the sign-in forms post to the server (`server/src/http/form_posts.rs`), which signs
///   in and redirects into the app;
/// - a worker's My jobs is links to the jobs and the other pages, "Log out" is a form,
///   and the timer bar is drawn by the server with forms for its buttons
///   (`time::ServerTimerBar`).
///
/// `without_wasm.js` adds what the WASM adds elsewhere: busy buttons, the remembered
/// workspace, the timer's ticking clock and timer taps queued without a connection.
/// Inside the app (a move from another page, a session that ran out) these pages are
/// drawn by the WASM as usual; their parts stay in the bundle for that.
pub fn sent_without_wasm(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(segments.as_slice(), ["login"] | [_, "login"] | ["app", "my-jobs"])
}

/// Provided while the server renders a page sent without the WASM ([`sent_without_wasm`]):
/// what the WASM would draw after loading, the server draws at once.
#[derive(Clone, Copy, Debug)]
pub struct SentWithoutWasm;

/// The route's view: its page, loaded with the page's part of the bundle.
pub fn lazy<T: LazyRoute>() -> Lazy<T> {
    Lazy::new()
}

#[cfg(test)]
mod tests {
    use super::sent_without_wasm;

    #[test]
    fn only_the_sign_in_forms_and_my_jobs_are_sent_without_the_wasm() {
        for path in ["/login", "/northwind/login", "/northwind/login/", "/app/my-jobs", "/app/my-jobs/"] {
            assert!(sent_without_wasm(path), "{path}");
        }
        for path in
            ["/", "/signup", "/forgot-password", "/app", "/app/time", "/app/jobs/1", "/app/my-jobs/x", "/a/login/x"]
        {
            assert!(!sent_without_wasm(path), "{path}");
        }
    }
}
