//! Idempotency keys: a change sent again with the key of an earlier one (a phone
//! replaying its offline queue after the first answer was lost) gets the first
//! answer and writes nothing. The key is claimed at the start of the change's tenant
//! transaction and its answer stored before commit, so the change and its key are
//! kept or lost together; a concurrent request with the same key waits on the
//! claimed row and then reads the stored answer.

use super::{Actor, TenantTx};
use crate::error::Result;
use app::error::AppError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

/// The `Idempotency-Key` request header: a UUID the client made for one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdempotencyKey(Uuid);

pub const HEADER: &str = "idempotency-key";

impl IdempotencyKey {
    pub fn new(key: Uuid) -> Self {
        Self(key)
    }

    /// The key of a request, if it sent one; a malformed key is a field error.
    pub fn from_headers(headers: &http::HeaderMap) -> std::result::Result<Option<Self>, AppError> {
        let Some(value) = headers.get(HEADER) else { return Ok(None) };
        value
            .to_str()
            .ok()
            .and_then(|text| Uuid::parse_str(text.trim()).ok())
            .map(|key| Some(Self(key)))
            .ok_or_else(|| AppError::field("idempotency_key", "The Idempotency-Key header must be a UUID."))
    }
}

/// The key a server-function call sent, if any.
pub fn idempotency_key(rq: &app::backend::RequestContext) -> std::result::Result<Option<IdempotencyKey>, AppError> {
    IdempotencyKey::from_headers(&rq.parts.headers)
}

/// Where a keyed change stands after [`TenantTx::claim_key`].
#[must_use]
pub enum Claim<T> {
    /// No key was sent: just make the change.
    Unkeyed,
    /// The key is new and now held by this transaction: make the change, then
    /// [`TenantTx::remember`] its answer.
    Fresh(IdempotencyKey),
    /// The change was made before: this is its answer.
    Replayed(T),
}

impl TenantTx {
    /// Claims `key` for `endpoint`, or returns the answer stored with it. A key used
    /// by another user or for another call is refused, never answered from the store.
    pub async fn claim_key<T: DeserializeOwned>(
        &mut self,
        key: Option<IdempotencyKey>,
        endpoint: &str,
    ) -> Result<Claim<T>> {
        let Some(key) = key else { return Ok(Claim::Unkeyed) };
        let company_id = self.company_id();
        let actor = self.actor_id().ok_or(AppError::Unauthorized)?;
        let claimed = sqlx::query_scalar!(
            "insert into idempotency_keys (company_id, key, user_id, endpoint, response)
             values ($1, $2, $3, $4, 'null') on conflict do nothing returning key",
            company_id,
            key.0,
            actor,
            endpoint
        )
        .fetch_optional(self.conn())
        .await?;
        if claimed.is_some() {
            return Ok(Claim::Fresh(key));
        }
        let earlier = sqlx::query!(
            "select user_id, endpoint, response from idempotency_keys where company_id = $1 and key = $2",
            company_id,
            key.0
        )
        .fetch_one(self.conn())
        .await?;
        if earlier.user_id != actor || earlier.endpoint != endpoint {
            return Err(AppError::field("idempotency_key", "This key was already used for another change.").into());
        }
        let answer = serde_json::from_value(earlier.response).map_err(|error| anyhow::anyhow!(error))?;
        Ok(Claim::Replayed(answer))
    }

    /// Stores the answer of a change made under a [`Claim::Fresh`] key.
    pub async fn remember<T: Serialize>(&mut self, claim: &Claim<T>, answer: &impl Serialize) -> Result<()> {
        let Claim::Fresh(key) = claim else { return Ok(()) };
        let company_id = self.company_id();
        let response = serde_json::to_value(answer).map_err(|error| anyhow::anyhow!(error))?;
        sqlx::query!(
            "update idempotency_keys set response = $3 where company_id = $1 and key = $2",
            company_id,
            key.0,
            response
        )
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

/// Deletes keys older than eight days in every company that has some; the count.
pub async fn purge(pool: &super::AppPool) -> Result<u64> {
    let companies = sqlx::query_scalar!(r#"select companies_with_old_idempotency_keys() as "id!""#)
        .fetch_all(pool.untenanted())
        .await?;
    let mut deleted = 0;
    for company_id in companies {
        let mut tx = TenantTx::begin_as(pool, company_id, Actor::SystemTask).await?;
        let done = sqlx::query!(
            "delete from idempotency_keys where company_id = $1 and created_at < now() - interval '8 days'",
            company_id
        )
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        deleted += done.rows_affected();
    }
    Ok(deleted)
}
