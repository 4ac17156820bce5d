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

/// What every operation may answer, whatever its own documentation says (a missing or
/// wrong credential, a refused scope, a malformed or invalid request, the rate limit),
/// and an `operationId` unique in the document (`getJobsIdTasks`: the method and path).
struct EveryOperation;

impl EveryOperation {
    const COMMON: [(&'static str, &'static str); 5] = [
        ("400", "The request is malformed: a body that is not JSON of the right shape, a query that does not parse"),
        ("401", "No credential, or one that is unknown, expired or revoked"),
        ("403", "The role or the key's scopes do not allow it"),
        ("422", "Invalid input: `errors` names each field"),
        ("429", "Over the rate limit: `Retry-After` says when to try again"),
    ];

    fn operation_id(method: &str, path: &str) -> String {
        let mut id = method.to_string();
        for segment in path.trim_start_matches("/api/v1/").split(['/', '-']) {
            let word = segment.trim_matches(['{', '}']).replace('_', "");
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                id.push(first.to_ascii_uppercase());
                id.extend(chars);
            }
        }
        id
    }
}

impl Modify for EveryOperation {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let problem = || Content::new(Some(Ref::from_schema_name("ProblemDetails")));
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                ("get", item.get.as_mut()),
                ("put", item.put.as_mut()),
                ("post", item.post.as_mut()),
                ("delete", item.delete.as_mut()),
                ("patch", item.patch.as_mut()),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                operation.operation_id = Some(Self::operation_id(method, path));
                let mut common = Self::COMMON.to_vec();
                if path.contains('{') {
                    common.push(("404", "No such record in your company (or an id that is not one)"));
                }
                for (status, description) in common {
                    operation.responses.responses.entry(status.to_string()).or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(description)
                            .content("application/problem+json", problem())
                            .build()
                            .into()
                    });
                }
            }
        }
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
        .routes(routes!(users::read, users::update))
        .routes(routes!(users::link_customer))
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
    DOCUMENT.get_or_init(|| {
        // After the routes are in: the modifiers of `ApiDoc` run before any path exists.
        let mut document = resources().into_openapi();
        EveryOperation.modify(&mut document);
        document
    })
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
