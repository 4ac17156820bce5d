//! The public REST API under `/api/v1`: thin handlers over the services (every rule
//! stays in `crate::jobs`, `crate::customers`, …), documented by an OpenAPI 3.1
//! document generated from the handlers themselves (`openapi()`, served at
//! `/api/v1/openapi.json`, committed as `docs/openapi.json`), with interactive docs at
//! `/api/docs`. Callers are people with an access token or API keys with scopes.

mod audit;
mod company;
mod customers;
mod docs;
mod jobs;
mod notifications;
mod reports;
mod statuses;
pub mod support;
mod time;
mod users;
mod webhooks;

use crate::state::AppState;
use app::error::FieldError;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// An error, as RFC 9457 problem details (`application/problem+json`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDetails {
    /// Always `about:blank`: the status says what kind of problem it is.
    r#type: String,
    title: String,
    status: u16,
    /// What went wrong, in words for a person.
    detail: String,
    /// For invalid input: each field and what is wrong with it.
    errors: Option<Vec<FieldError>>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Fieldbook API",
        version = "1",
        description = "Jobs, customers, time, contracts, reports, people, the company, notifications, webhooks and the audit log of one Fieldbook company. \
                       Authenticate with `Authorization: Bearer <API key or access token>`. \
                       See docs/API.md for paging, errors, idempotency and rate limits."
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "jobs", description = "Jobs, their tasks and notes, and job statuses (scope jobs)"),
        (name = "customers", description = "Customer records (scope customers)"),
        (name = "time", description = "Time entries, their approval, and contracts with their usage (scope time)"),
        (name = "reports", description = "Monthly reports as JSON, CSV or PDF (scope reports:read)"),
        (name = "users", description = "The company's people (scope users)"),
        (name = "audit", description = "Who changed what (scope users:read)"),
        (name = "company", description = "The company's name, timezone and time settings (scope users)"),
        (name = "notifications", description = "Your own notifications (people only, not API keys)"),
        (name = "webhooks", description = "Webhook endpoints and their deliveries (scope webhooks)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API key (`fbk_…`) or an access token from /api/v1/auth/login"))
                    .build(),
            ),
        );
    }
}

fn resources() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(jobs::list, jobs::create))
        .routes(routes!(jobs::read, jobs::replace, jobs::delete))
        .routes(routes!(jobs::set_status))
        .routes(routes!(jobs::assign))
        .routes(routes!(jobs::archive))
        .routes(routes!(jobs::add_task))
        .routes(routes!(jobs::rename_task, jobs::delete_task))
        .routes(routes!(jobs::complete_task))
        .routes(routes!(jobs::add_note))
        .routes(routes!(statuses::list))
        .routes(routes!(customers::list, customers::create))
        .routes(routes!(customers::read, customers::replace))
        .routes(routes!(customers::set_active))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::read))
        .routes(routes!(users::set_role))
        .routes(routes!(users::set_active))
        .routes(routes!(time::list, time::create))
        .routes(routes!(time::read, time::replace, time::delete))
        .routes(routes!(time::submit))
        .routes(routes!(time::approve))
        .routes(routes!(time::decline))
        .routes(routes!(time::contracts))
        .routes(routes!(time::contract))
        .routes(routes!(reports::monthly))
        .routes(routes!(audit::api_list))
        .routes(routes!(company::read, company::update))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::read, webhooks::delete))
        .routes(routes!(webhooks::set_enabled))
        .routes(routes!(webhooks::rotate_secret))
        .routes(routes!(webhooks::send_test))
        .routes(routes!(webhooks::redeliver))
}

/// The OpenAPI document of the API, made once from the handlers.
pub fn openapi() -> &'static Document {
    static DOCUMENT: OnceLock<Document> = OnceLock::new();
    DOCUMENT.get_or_init(|| resources().into_openapi())
}

/// The document as committed in docs/openapi.json (pretty, with a final newline).
pub fn openapi_json() -> String {
    let mut text = serde_json::to_string_pretty(openapi()).expect("the document serializes");
    text.push('\n');
    text
}

pub fn router() -> Router<AppState> {
    let (resources, _) = resources().split_for_parts();
    resources
        .route(
            "/api/v1/openapi.json",
            get(|| async { ([(http::header::CONTENT_TYPE, "application/json")], openapi_json()).into_response() }),
        )
        .merge(docs::router())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// docs/openapi.json is the document the code makes. After changing the API, write
    /// it anew with `FIELDBOOK_WRITE_OPENAPI=1 cargo test -p server openapi`.
    #[test]
    fn the_committed_openapi_document_matches_the_code() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
        let generated = openapi_json();
        if std::env::var_os("FIELDBOOK_WRITE_OPENAPI").is_some() {
            std::fs::write(&committed, &generated).expect("docs/openapi.json is writable");
        }
        let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            on_disk == generated,
            "docs/openapi.json differs from the API the code serves; run \
             FIELDBOOK_WRITE_OPENAPI=1 cargo test -p server openapi and commit the result"
        );
    }

    #[test]
    fn the_document_is_openapi_3_1_and_covers_every_resource() {
        let document: serde_json::Value = serde_json::from_str(&openapi_json()).unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        for path in
            ["/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/customers", "/api/v1/job-statuses", "/api/v1/audit-log"]
        {
            assert!(document["paths"][path].is_object(), "{path} is documented");
        }
        assert!(document["components"]["schemas"]["JobDetail"].is_object());
        assert_eq!(document["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    }
}
