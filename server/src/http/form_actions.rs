//! Forms posted without JavaScript (progressive enhancement).
//!
//! Every form the server renders names a server function as its `action`. With the app
//! running, its submit handler calls the function as JSON and the browser never posts
//! the form. Without JavaScript (or with the script blocked) the browser posts the
//! form's fields URL-encoded to that address; this middleware turns them into the
//! function's arguments — field by field, in Rust, so every value reaches the same
//! validation as the app's own calls — sends them on as the JSON call the app would
//! have made, and answers with a redirect: back to the page (or to what was made) with
//! a one-time message saying what happened or what was wrong (`app::components::flash`).
//!
//! Only the functions listed here take form posts; for the rest a form body is refused
//! by the same-origin check (`csrf.rs`), which also insists that a form post proves its
//! origin. It sits inside authentication and outside the hostile-input guard, the
//! budgets and the error statuses, so the call it makes passes all of them.

use crate::auth::cookies;
use crate::state::AppState;
use app::account::api::{ChangePassword, UpdateProfile};
use app::account::{PasswordChangeForm, ProfileForm};
use app::auth::api::LogOut;
use app::components::{Flash, FLASH_COOKIE};
use app::customers::api::{CreateCustomer, UpdateCustomer};
use app::customers::CustomerForm;
use app::error::AppError;
use app::jobs::api::{AddJobNote, AddJobTask, ChangeJobStatus, CreateJob, CreateShareLink, UpdateJob};
use app::jobs::{JobForm, NoteForm};
use app::notifications::api::{
    AcceptInvitation, Invite, RequestPasswordReset, ResetPassword, SaveEmailPreferences, VerifyEmail,
};
use app::notifications::{
    AcceptInvitationForm, EmailPreferences, InvitationForm, PasswordResetForm, PasswordResetRequest, SignInHint,
};
use app::statuses::api::{CreateStatus, UpdateStatus};
use app::statuses::StatusForm;
use app::time::api::{
    CreateContract, CreateLog, PauseTimer, ResumeTimer, SaveTimeSettings, StartTimer, StopTimer, UpdateContract,
    UpdateLog,
};
use app::time::{ContractForm, LogForm, TimeSettings};
use app::users::api::CreateUser;
use app::users::NewUserForm;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, REFERER, SET_COOKIE, TRANSFER_ENCODING};
use http::{HeaderValue, Method, StatusCode};
use leptos::server_fn::ServerFn;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;
use uuid::Uuid;

/// Larger than any form; the JSON call it becomes has its own limit further in.
const MAX_FORM_BYTES: usize = 1024 * 1024;
/// Room for a server function's answer (a job with its tasks and notes, say).
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

/// A posted form's fields, in order, repeated names kept.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// The field's first value, empty when absent.
    fn text(&self, name: &str) -> String {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
    }

    /// An id the page put in the form; missing or malformed is the form's fault, not the user's.
    fn id(&self, name: &str) -> Result<Uuid, AppError> {
        self.text(name)
            .trim()
            .parse()
            .map_err(|_| AppError::field(name, "This form is incomplete; reload the page and try again."))
    }

    /// A checkbox: sent (with any value) when ticked, absent otherwise.
    fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }

    /// A number the page put in the form (a row version).
    fn version(&self, name: &str) -> Option<i32> {
        self.text(name).trim().parse().ok()
    }
}

/// Where a successful form post leads, and what the page then says.
struct Outcome {
    message: String,
    location: Option<String>,
}

fn said(message: &str) -> Outcome {
    Outcome { message: message.to_string(), location: None }
}

fn said_at(message: &str, location: Option<String>) -> Outcome {
    Outcome { message: message.to_string(), location }
}

type Build = Box<dyn Fn(&Fields) -> Result<Vec<u8>, AppError> + Send + Sync>;
type Done = Box<dyn Fn(&Value, &Fields) -> Outcome + Send + Sync>;

struct FormAction {
    /// The form's fields as the server function's JSON arguments.
    build: Build,
    /// The redirect and message for the function's answer (and the form that asked).
    done: Done,
}

fn action<F>(build: fn(&Fields) -> Result<F, AppError>, done: fn(&Value) -> Outcome) -> (&'static str, FormAction)
where
    F: ServerFn + Serialize + 'static,
{
    action_after_form(build, move |answer, _| done(answer))
}

/// An action whose redirect depends on the form's own fields too.
fn action_after_form<F>(
    build: fn(&Fields) -> Result<F, AppError>,
    done: impl Fn(&Value, &Fields) -> Outcome + Send + Sync + 'static,
) -> (&'static str, FormAction)
where
    F: ServerFn + Serialize + 'static,
{
    let build: Build = Box::new(move |fields| {
        let arguments = build(fields)?;
        serde_json::to_vec(&arguments).map_err(|_| AppError::Internal)
    });
    (F::PATH, FormAction { build, done: Box::new(done) })
}

/// The workspace's sign-in page after "Log out": `?signed_out` tells the installed app to
/// forget this worker's offline pages and changes (`public/pwa.js`).
fn signed_out_page(fields: &Fields) -> Option<String> {
    let slug = fields.text("workspace");
    let slug = app::domain::CompanySlug::parse(&slug).ok()?;
    Some(format!("/{}/login?signed_out", slug.as_str()))
}

fn job_form(f: &Fields) -> JobForm {
    JobForm {
        customer_id: f.text("customer_id"),
        title: f.text("title"),
        description: f.text("description"),
        scheduled_date: f.text("scheduled_date"),
        scheduled_time: f.text("scheduled_time"),
        worker_id: f.text("worker_id"),
        status_id: f.text("status_id"),
        tasks: f.text("tasks").lines().map(str::to_string).collect(),
        version: f.version("version"),
    }
}

fn customer_form(f: &Fields) -> CustomerForm {
    CustomerForm {
        name: f.text("customer_name"),
        email: f.text("customer_email"),
        phone: f.text("customer_phone"),
        address: f.text("customer_address"),
    }
}

fn status_form(f: &Fields) -> StatusForm {
    StatusForm { name: f.text("status_name"), colour: f.text("status_colour"), kind: f.text("status_kind") }
}

fn contract_form(f: &Fields) -> ContractForm {
    ContractForm {
        title: f.text("title"),
        worker_id: f.text("worker_id"),
        customer_id: f.text("customer_id"),
        budget_hours: f.text("budget_hours"),
        period: f.text("period"),
        starts_on: f.text("starts_on"),
        ends_on: f.text("ends_on"),
    }
}

fn log_form(f: &Fields) -> LogForm {
    LogForm {
        job_id: f.text("job_id"),
        date: f.text("date"),
        start: f.text("start"),
        end: f.text("end"),
        duration: f.text("duration"),
        break_minutes: f.text("break_minutes"),
        description: f.text("description"),
        billable: f.ticked("billable"),
    }
}

/// The id in a server function's answer.
fn id_of(answer: &Value) -> Option<Uuid> {
    answer.get("id").and_then(Value::as_str).and_then(|id| id.parse().ok())
}

/// The sign-in page an account page's answer (`SignInHint`) leads on to.
fn sign_in_page(answer: &Value) -> Option<String> {
    serde_json::from_value::<SignInHint>(answer.clone()).ok().map(|hint| app::notifications::login_path(&hint))
}

static ACTIONS: LazyLock<HashMap<&'static str, FormAction>> = LazyLock::new(|| {
    HashMap::from([
        action(
            |f| Ok(CreateJob { form: job_form(f) }),
            |job| said_at("Job created.", id_of(job).map(|id| format!("/app/jobs/{id}"))),
        ),
        action(
            |f| Ok(UpdateJob { id: f.id("id")?, form: job_form(f) }),
            |job| said_at("Job saved.", id_of(job).map(|id| format!("/app/jobs/{id}"))),
        ),
        action(
            |f| Ok(ChangeJobStatus { id: f.id("id")?, status_id: f.id("status_id")? }),
            |job| {
                let status = job.pointer("/status/name").and_then(Value::as_str).unwrap_or("the new status");
                Outcome { message: format!("Moved to {status}."), location: None }
            },
        ),
        action(|f| Ok(AddJobTask { job_id: f.id("job_id")?, title: f.text("new_task") }), |_| said("Task added.")),
        action(
            |f| {
                let visibility = Some(f.text("visibility")).filter(|v| !v.is_empty()).unwrap_or("INTERNAL".into());
                Ok(AddJobNote { job_id: f.id("job_id")?, form: NoteForm { body: f.text("note_body"), visibility } })
            },
            |_| said("Note added."),
        ),
        action(
            |f| Ok(CreateShareLink { job_id: f.id("job_id")?, days: f.text("share_days") }),
            |link| {
                let url = link["url"].as_str().unwrap_or_default();
                Outcome {
                    message: format!("Share link created — copy it now, it is shown only once: {url}"),
                    location: None,
                }
            },
        ),
        action(
            |f| {
                Ok(CreateUser {
                    form: NewUserForm {
                        name: f.text("name"),
                        email: f.text("email"),
                        role: f.text("role"),
                        password: f.text("password"),
                        customer_id: f.text("customer_id"),
                    },
                })
            },
            |_| said("Person added."),
        ),
        action(
            |f| Ok(CreateCustomer { form: customer_form(f) }),
            |customer| said_at("Customer added.", id_of(customer).map(|id| format!("/app/customers/{id}"))),
        ),
        action(|f| Ok(UpdateCustomer { id: f.id("id")?, form: customer_form(f) }), |_| said("Customer saved.")),
        action(
            |f| Ok(UpdateProfile { form: ProfileForm { name: f.text("name"), timezone: f.text("timezone") } }),
            |_| said("Profile saved."),
        ),
        action(
            |f| {
                Ok(ChangePassword {
                    form: PasswordChangeForm {
                        current_password: f.text("current_password"),
                        new_password: f.text("new_password"),
                    },
                })
            },
            |_| said("Password changed. Your other devices were signed out."),
        ),
        action(|f| Ok(CreateStatus { form: status_form(f) }), |_| said("Status added.")),
        action(|f| Ok(UpdateStatus { id: f.id("id")?, form: status_form(f) }), |_| said("Status saved.")),
        action(
            |f| {
                let form = InvitationForm {
                    email: f.text("invite_email"),
                    role: f.text("invite_role"),
                    customer_id: f.text("invite_customer"),
                };
                Ok(Invite { form })
            },
            |_| said("Invitation sent."),
        ),
        action(
            |f| {
                let preferences = EmailPreferences {
                    submitted: f.ticked("submitted"),
                    decided: f.ticked("decided"),
                    assigned: f.ticked("assigned"),
                };
                Ok(SaveEmailPreferences { preferences })
            },
            |_| said("Email settings saved."),
        ),
        action(
            |f| {
                Ok(RequestPasswordReset {
                    form: PasswordResetRequest { workspace: f.text("workspace"), email: f.text("email") },
                })
            },
            |_| said("If that account exists, a link to choose a new password is on its way."),
        ),
        action(
            |f| Ok(ResetPassword { form: PasswordResetForm { token: f.text("token"), password: f.text("password") } }),
            |hint| said_at("Your new password is set. Log in with it.", sign_in_page(hint)),
        ),
        action(
            |f| {
                let form =
                    AcceptInvitationForm { token: f.text("token"), name: f.text("name"), password: f.text("password") };
                Ok(AcceptInvitation { form })
            },
            |hint| said_at("Welcome! Log in with your new password.", sign_in_page(hint)),
        ),
        action(
            |f| Ok(SaveTimeSettings { settings: TimeSettings { auto_approve_days: f.text("auto_approve_days") } }),
            |_| said("Saved."),
        ),
        action(|f| Ok(CreateContract { form: contract_form(f) }), |_| said("Contract added.")),
        action(|f| Ok(UpdateContract { id: f.id("id")?, form: contract_form(f) }), |_| said("Contract saved.")),
        action(
            |f| {
                let job_id =
                    f.text("timer_job").trim().parse().map_err(|_| AppError::field("job_id", "Choose a job."))?;
                Ok(StartTimer { job_id, at: None })
            },
            |_| said("Timer started."),
        ),
        action(|f| Ok(CreateLog { form: log_form(f) }), |_| said("Entry saved as a draft.")),
        action(|f| Ok(UpdateLog { id: f.id("id")?, form: log_form(f) }), |_| said("Entry saved.")),
        action_after_form(
            |_| Ok(LogOut {}),
            |_, f| said_at("Signed out.", signed_out_page(f).or(Some("/login?signed_out".into()))),
        ),
        // The timer bar of a page sent without the WASM (`app::time::ServerTimerBar`).
        action(|_| Ok(PauseTimer { at: None }), |_| said("Timer paused.")),
        action(|_| Ok(ResumeTimer { at: None }), |_| said("Timer running again.")),
        action(|_| Ok(StopTimer { at: None }), |_| said("Timer stopped. The entry is saved as a draft under Time.")),
        action(
            |f| Ok(VerifyEmail { token: f.text("token") }),
            |_| said_at("Thank you: your email is confirmed.", Some("/app".into())),
        ),
    ])
});

/// Whether the server function at `path` takes form posts.
pub fn takes_form_posts(path: &str) -> bool {
    ACTIONS.contains_key(path)
}

fn is_form_post(request: &Request) -> bool {
    request.method() == Method::POST
        && request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"))
}

/// The page the form was on (our own, from `Referer`), else the app's start.
fn page_of(headers: &http::HeaderMap, allowed: &[String]) -> String {
    let referer = headers.get(REFERER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    allowed
        .iter()
        .find_map(|origin| referer.strip_prefix(origin.as_str()))
        .filter(|rest| rest.starts_with('/') && !rest.starts_with("//") && !rest.starts_with("/\\"))
        .map(str::to_string)
        .unwrap_or_else(|| "/app".into())
}

/// The page with the parts that held the form closed again (`app::components::RevealButton`
/// opens them with `?new=1` and the other `REVEAL_KEYS`): after a success the page shows the result.
/// A refusal goes back to the page as it was, form open.
fn without_open_forms(page: &str) -> String {
    let Some((path, query)) = page.split_once('?') else {
        return page.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !key.is_empty() && !app::components::REVEAL_KEYS.contains(&key)
        })
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// What the page says about a refused form: the field messages, or the error itself.
fn explain(error: &AppError) -> String {
    match error {
        AppError::Validation { errors } if !errors.is_empty() => {
            errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" ")
        }
        other => other.to_string(),
    }
}

fn answer(location: &str, flash: Flash, passed_on: Vec<HeaderValue>, secure: bool) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(LOCATION, HeaderValue::from_str(location).unwrap_or_else(|_| HeaderValue::from_static("/app")));
    for cookie in passed_on {
        headers.append(SET_COOKIE, cookie);
    }
    headers.append(SET_COOKIE, cookies::build(FLASH_COOKIE, &flash.encode(), 60, secure));
    response
}

pub async fn run_form_posts(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_form_post(&request) {
        return next.run(request).await;
    }
    let Some(action) = ACTIONS.get(request.uri().path()) else {
        return next.run(request).await;
    };
    let secure = state.settings.secure_cookies();
    let page = page_of(request.headers(), &state.settings.allowed_origins());
    let refused = |error: &AppError| answer(&page, Flash { ok: false, text: explain(error) }, Vec::new(), secure);

    let (mut parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return refused(&AppError::BadRequest { message: "The form is too large.".into() });
    };
    let fields = Fields::parse(&body);
    let arguments = match (action.build)(&fields) {
        Ok(arguments) => arguments,
        Err(error) => return refused(&error),
    };
    parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(arguments.len()));
    parts.headers.remove(TRANSFER_ENCODING);
    let response = next.run(Request::from_parts(parts, Body::from(arguments))).await;

    let (parts, body) = response.into_parts();
    let cookies: Vec<HeaderValue> = parts.headers.get_all(SET_COOKIE).iter().cloned().collect();
    let body = axum::body::to_bytes(body, MAX_ANSWER_BYTES).await.unwrap_or_default();
    if parts.status.is_success() {
        let outcome = (action.done)(&serde_json::from_slice(&body).unwrap_or(Value::Null), &fields);
        let location = outcome.location.unwrap_or_else(|| without_open_forms(&page));
        answer(&location, Flash { ok: true, text: outcome.message }, cookies, secure)
    } else {
        let error = serde_json::from_slice::<AppError>(&body).unwrap_or(AppError::Internal);
        answer(&page, Flash { ok: false, text: explain(&error) }, cookies, secure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_post_returns_only_to_a_page_of_our_own() {
        let allowed = vec!["https://fieldbook.example".to_string()];
        let with = |referer: &'static str| {
            let mut headers = http::HeaderMap::new();
            headers.insert(REFERER, HeaderValue::from_static(referer));
            page_of(&headers, &allowed)
        };
        assert_eq!(with("https://fieldbook.example/app/jobs/1?x=2"), "/app/jobs/1?x=2");
        assert_eq!(with("https://fieldbook.example.evil.test/app"), "/app");
        assert_eq!(with("https://fieldbook.example//evil.test/"), "/app");
        assert_eq!(with("https://evil.test/app"), "/app");
        assert_eq!(page_of(&http::HeaderMap::new(), &allowed), "/app");
    }

    #[test]
    fn after_a_success_the_form_that_was_opened_for_it_is_closed() {
        assert_eq!(without_open_forms("/app/customers/1?edit=1"), "/app/customers/1");
        assert_eq!(without_open_forms("/app/time?week=2&add=1"), "/app/time?week=2");
        assert_eq!(without_open_forms("/app/jobs?q=new"), "/app/jobs?q=new");
        assert_eq!(without_open_forms("/app/account"), "/app/account");
    }

    #[test]
    fn fields_keep_what_was_typed_and_ids_must_be_ids() {
        let fields = Fields::parse(b"title=Fix+the+tap%21&id=nope&billable=true&tasks=a%0D%0Ab");
        assert_eq!(fields.text("title"), "Fix the tap!");
        assert_eq!(fields.text("missing"), "");
        assert!(fields.ticked("billable") && !fields.ticked("missing"));
        assert!(matches!(fields.id("id"), Err(AppError::Validation { .. })));
        assert_eq!(job_form(&fields).tasks, vec!["a", "b"]);
    }
}
