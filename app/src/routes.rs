//! Which page answers which path, and which part of the WASM bundle holds it.
//!
//! Every page is a lazy route: the browser loads the main bundle (the reactive runtime,
//! the router and this table) and then only the part its page lives in. Pages are grouped
//! into a few parts by who uses them, so a field worker's phone never downloads the
//! admin's pages, nobody downloads the signed-in shell to sign in, and the worker's first
//! page (My jobs) needs only the shell and its own small part. Each part is one
//! split point (`#[lazy]` on a function that draws the part's pages); code two parts
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
/// worker's timer, notifications.
#[leptos::lazy]
fn shell_part() -> AnyView {
    view! { <AppShell /> }.into_any()
}

/// The job list a worker opens the app on (customers see theirs on the same page): its
/// own part, so the first signed-in page loads only the shell and this list.
#[derive(Clone, Copy)]
pub enum JobListPage {
    Worker,
    Customer,
}

#[leptos::lazy]
fn job_list_part(page: JobListPage) -> AnyView {
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
/// part, then draws the page in it.
macro_rules! lazy_routes {
    ($($route:ident => $part:ident($($page:expr)?);)*) => {$(
        pub struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            async fn view(_: Self) -> AnyView {
                $part($($page)?).await
            }
        }
    )*};
}

lazy_routes! {
    LoginRoute => sign_in_part(SignInPage::Any);
    WorkspaceLoginRoute => sign_in_part(SignInPage::Workspace);
    LandingRoute => public_part(PublicPage::Landing);
    SignUpRoute => public_part(PublicPage::SignUp);
    ShareRoute => public_part(PublicPage::Share);
    VerifyEmailRoute => public_part(PublicPage::VerifyEmail);
    ForgotPasswordRoute => public_part(PublicPage::ForgotPassword);
    ResetPasswordRoute => public_part(PublicPage::ResetPassword);
    InvitationRoute => public_part(PublicPage::Invitation);
    UnsubscribeRoute => public_part(PublicPage::Unsubscribe);
    ShellRoute => shell_part();
    MyJobsRoute => job_list_part(JobListPage::Worker);
    PortalRoute => job_list_part(JobListPage::Customer);
    MyTimeRoute => field_part(FieldPage::MyTime);
    JobRoute => field_part(FieldPage::Job);
    HomeRoute => shared_part(SharedPage::Home);
    EntryRoute => shared_part(SharedPage::Entry);
    ApprovalsRoute => shared_part(SharedPage::Approvals);
    ReportsRoute => shared_part(SharedPage::Reports);
    AccountRoute => shared_part(SharedPage::Account);
    NotificationsRoute => shared_part(SharedPage::Notifications);
    DashboardRoute => admin_part(AdminPage::Dashboard);
    JobsRoute => admin_part(AdminPage::Jobs);
    NewJobRoute => admin_part(AdminPage::NewJob);
    EditJobRoute => admin_part(AdminPage::EditJob);
    CustomersRoute => admin_part(AdminPage::Customers);
    CustomerRoute => admin_part(AdminPage::Customer);
    StatusesRoute => admin_part(AdminPage::Statuses);
    UsersRoute => admin_part(AdminPage::Users);
    LogsRoute => admin_part(AdminPage::Logs);
    ContractsRoute => admin_part(AdminPage::Contracts);
    OutboxRoute => admin_part(AdminPage::Outbox);
    AuditRoute => admin_part(AdminPage::Audit);
    ApiRoute => admin_part(AdminPage::Api);
}

/// The route's view: its page, loaded with the page's part of the bundle.
pub fn lazy<T: LazyRoute>() -> Lazy<T> {
    Lazy::new()
}
