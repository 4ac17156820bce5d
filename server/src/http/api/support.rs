//! What every REST handler shares: who calls (and with which scopes), JSON bodies and
//! queries that fail as problem details naming the field, `ETag` / `If-Match` over row
//! versions, `Idempotency-Key`, `201 Created`, and `Link: rel="next"`.

use crate::auth::CurrentUser;
use crate::db::IdempotencyKey;
use crate::http::problem::{error_response, Problem};
use app::api_keys::{ApiAccess, ApiArea, ApiScope};
use app::error::AppError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::request::Parts;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The caller: a signed-in person (bearer access token) or an API key. 401 without.
pub struct Caller(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(CurrentUser::from_extensions(&parts.extensions)?))
    }
}

impl Caller {
    /// The caller, if an API key, must hold `area:access` (403 otherwise).
    pub fn may(self, area: ApiArea, access: ApiAccess) -> Result<CurrentUser, Problem> {
        self.0.require_scope(ApiScope::new(area, access))?;
        Ok(self.0)
    }
}

/// Path parameters; one that does not parse (an id that is not a UUID) names no record: 404.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(_) => Err(AppError::NotFound.into()),
        }
    }
}

/// A JSON body; a body that is not JSON of the right shape is a 400 saying why.
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(AppError::BadRequest { message: rejection.body_text() }.into()),
        }
    }
}

/// A query string; one that does not parse is a 400 saying why.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(AppError::BadRequest { message: rejection.body_text() }.into()),
        }
    }
}

/// A record's `ETag`: its row version, quoted.
pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits and quotes")
}

/// The version an `If-Match` header names: `None` without the header or for `*`.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i32>, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    let tag = text.strip_prefix("W/").unwrap_or(text);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(|t| t.parse::<i32>().ok())
        .map(Some)
        .ok_or_else(|| AppError::field("if_match", "If-Match must be an ETag this API sent, like \"3\".").into())
}

/// A problem answered with another status than its error's own (428, 412).
pub struct Refusal(pub StatusCode, pub AppError);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error_response("/api/", Some(self.0), self.1)
    }
}

/// The version an update must be based on: `If-Match`, else 428 (an update without one
/// would silently overwrite whatever changed since the client read the record).
pub fn required_version(headers: &HeaderMap) -> Result<i32, Refusal> {
    match if_match(headers) {
        Ok(Some(version)) => Ok(version),
        Ok(None) => Err(Refusal(
            StatusCode::PRECONDITION_REQUIRED,
            AppError::field("if_match", "Send If-Match with the ETag of the version you changed."),
        )),
        Err(Problem(error)) => {
            let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
            Err(Refusal(status, error))
        }
    }
}

/// An update refused because the record changed since the client's `If-Match`: 412.
pub fn stale(error: crate::error::Error) -> Response {
    match AppError::from(error) {
        stale @ AppError::Stale { .. } => error_response("/api/", Some(StatusCode::PRECONDITION_FAILED), stale),
        other => Problem(other).into_response(),
    }
}

/// A replace (`PUT` with `If-Match`): 428 without the header; otherwise `update` with the
/// version it names, answering the saved record with its new `ETag`, or 412 when the
/// service found the record changed since that version.
pub async fn replace_versioned<T: Serialize, F>(
    headers: &HeaderMap,
    update: impl FnOnce(i32) -> F,
    version_of: impl FnOnce(&T) -> i32,
) -> Response
where
    F: std::future::Future<Output = crate::error::Result<T>>,
{
    let version = match required_version(headers) {
        Ok(version) => version,
        Err(refusal) => return refusal.into_response(),
    };
    match update(version).await {
        Ok(saved) => with_etag(&saved, version_of(&saved)),
        Err(error) => stale(error),
    }
}

/// The request's `Idempotency-Key`, if any (a malformed one is a field error).
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, Problem> {
    Ok(IdempotencyKey::from_headers(headers)?)
}

/// `200 OK` with the record and its `ETag`.
pub fn with_etag(body: &impl Serialize, version: i32) -> Response {
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::ETAG, etag(version));
    response
}

/// `201 Created` with `Location` and `ETag`.
pub fn created(location: String, body: &impl Serialize, version: Option<i32>) -> Response {
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(version) = version {
        response.headers_mut().insert(header::ETAG, etag(version));
    }
    response
}

/// A page of a list, with `Link: <…>; rel="next"` when there is a next page.
pub fn page(body: &impl Serialize, next_url: Option<String>) -> Response {
    let mut response = Json(body).into_response();
    if let Some(link) = next_url.and_then(|url| HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")).ok()) {
        response.headers_mut().insert(header::LINK, link);
    }
    response
}

/// An opaque cursor: the last row's id and the key it is sorted by (a name, a time).
pub fn encode_name_cursor(id: uuid::Uuid, name: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{id}\n{name}"))
}

/// The id and key an [`encode_name_cursor`] cursor holds; anything else is a field error.
pub fn decode_name_cursor(raw: &str) -> Result<(uuid::Uuid, String), AppError> {
    use base64::Engine;
    let broken = || AppError::field("after", "Use the next value of the previous page.");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| broken())?;
    let text = String::from_utf8(bytes).map_err(|_| broken())?;
    let (id, name) = text.split_once('\n').ok_or_else(broken)?;
    Ok((id.parse().map_err(|_| broken())?, name.to_string()))
}

/// Reads an optional id parameter; a malformed one is a field error naming it.
pub fn optional_id(field: &'static str, raw: &Option<String>) -> Result<Option<uuid::Uuid>, AppError> {
    match raw.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| AppError::field(field, "This must be an id (a UUID).")),
    }
}

/// Reads an optional true/false parameter.
pub fn optional_bool(field: &'static str, raw: &Option<String>) -> Result<bool, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(AppError::field(field, "Use true or false.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn if_match_reads_the_etags_this_api_sends() {
        assert_eq!(if_match(&HeaderMap::new()).ok(), Some(None));
        assert_eq!(if_match(&headers("\"3\"")).ok(), Some(Some(3)));
        assert_eq!(if_match(&headers("W/\"12\"")).ok(), Some(Some(12)));
        assert_eq!(if_match(&headers("*")).ok(), Some(None));
        assert!(if_match(&headers("3")).is_err());
        assert!(if_match(&headers("\"x\"")).is_err());
        assert_eq!(etag(7), "\"7\"");
    }

    #[test]
    fn parameters_name_the_field_they_fail_on() {
        assert_eq!(optional_id("status", &None).unwrap(), None);
        let error = optional_id("status", &Some("nope".into())).unwrap_err();
        assert_eq!(error.field_message("status").as_deref(), Some("This must be an id (a UUID)."));
        assert!(optional_bool("archived", &Some("true".into())).unwrap());
        assert!(optional_bool("archived", &Some("yes".into())).is_err());
    }
}
