//! Access tokens (short-lived HS256 JWTs) and refresh tokens (opaque, random,
//! stored only as a SHA-256 hash).

use app::auth::Role;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const ACCESS_TTL: chrono::Duration = chrono::Duration::minutes(15);
const ISSUER: &str = "fieldbook";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessClaims {
    /// The user.
    pub sub: Uuid,
    /// The user's company.
    pub cid: Uuid,
    /// The session family; checked live on every request so revocation is immediate.
    pub sid: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

/// An unsubscribe link's claims: which user turns off which kind of email. No
/// expiry (old emails keep working); the audience keeps it from passing as an
/// access token, which also requires `exp`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UnsubscribeClaims {
    pub sub: Uuid,
    pub cid: Uuid,
    pub topic: String,
    pub aud: String,
    pub iss: String,
}

const UNSUBSCRIBE_AUDIENCE: &str = "unsubscribe";

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    unsubscribe_validation: Validation,
}

#[derive(Debug, PartialEq, Eq)]
pub enum AccessError {
    Expired,
    Invalid,
}

impl JwtKeys {
    pub fn new(secret: &SecretString) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        // Only HS256 is accepted: "alg": "none" and every other algorithm fail validation.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 5;
        let mut unsubscribe_validation = Validation::new(Algorithm::HS256);
        unsubscribe_validation.set_issuer(&[ISSUER]);
        unsubscribe_validation.set_audience(&[UNSUBSCRIBE_AUDIENCE]);
        unsubscribe_validation.set_required_spec_claims(&["iss", "sub", "aud"]);
        unsubscribe_validation.validate_exp = false;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            unsubscribe_validation,
        }
    }

    pub fn unsubscribe_token(&self, user_id: Uuid, company_id: Uuid, topic: &str) -> String {
        let claims = UnsubscribeClaims {
            sub: user_id,
            cid: company_id,
            topic: topic.to_string(),
            aud: UNSUBSCRIBE_AUDIENCE.into(),
            iss: ISSUER.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 encoding cannot fail")
    }

    pub fn decode_unsubscribe(&self, token: &str) -> Option<UnsubscribeClaims> {
        jsonwebtoken::decode::<UnsubscribeClaims>(token.trim(), &self.decoding, &self.unsubscribe_validation)
            .ok()
            .map(|data| data.claims)
    }

    pub fn issue(&self, user_id: Uuid, company_id: Uuid, family_id: Uuid, role: Role) -> (String, DateTime<Utc>) {
        let now = Utc::now();
        let expires_at = now + ACCESS_TTL;
        let claims = AccessClaims {
            sub: user_id,
            cid: company_id,
            sid: family_id,
            role,
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: ISSUER.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 encoding cannot fail");
        (token, expires_at)
    }

    /// Encodes arbitrary claims (tests use it to mint expired tokens).
    pub fn encode_claims(&self, claims: &AccessClaims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 encoding cannot fail")
    }

    pub fn decode(&self, token: &str) -> Result<AccessClaims, AccessError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(
            |e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AccessError::Expired,
                _ => AccessError::Invalid,
            },
        )
    }
}

/// A new opaque token (refresh tokens, share links) for `company_id`: the company id
/// (not secret; it tells the server which tenant to look in) followed by 32 random
/// bytes, base64url. Only its SHA-256 hash is stored.
pub fn new_company_token(company_id: Uuid) -> String {
    let mut bytes = [0u8; 48];
    bytes[..16].copy_from_slice(company_id.as_bytes());
    rand::thread_rng().fill_bytes(&mut bytes[16..]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The company an opaque token belongs to, if it has the right shape.
pub fn token_company(token: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.len() != 48 {
        return None;
    }
    Uuid::from_slice(&bytes[..16]).ok()
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(&SecretString::from("a-test-secret-of-reasonable-length-0123456789".to_string()))
    }

    #[test]
    fn issued_tokens_decode_to_their_claims() {
        let (user, company, family) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let (token, _) = keys().issue(user, company, family, Role::Worker);
        let claims = keys().decode(&token).unwrap();
        assert_eq!((claims.sub, claims.cid, claims.sid, claims.role), (user, company, family, Role::Worker));
    }

    #[test]
    fn tokens_signed_with_another_key_or_alg_none_are_invalid() {
        let (token, _) = keys().issue(Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Role::Admin);
        let other = JwtKeys::new(&SecretString::from("another-secret-entirely-0123456789abcdef".to_string()));
        assert_eq!(other.decode(&token), Err(AccessError::Invalid));

        let payload = token.split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(keys().decode(&format!("{header}.{payload}.")), Err(AccessError::Invalid));
    }

    #[test]
    fn unsubscribe_tokens_round_trip_and_are_not_access_tokens() {
        let (user, company) = (Uuid::new_v4(), Uuid::new_v4());
        let token = keys().unsubscribe_token(user, company, "decided");
        let claims = keys().decode_unsubscribe(&token).unwrap();
        assert_eq!((claims.sub, claims.cid, claims.topic.as_str()), (user, company, "decided"));
        assert!(keys().decode(&token).is_err());
        let (access, _) = keys().issue(user, company, Uuid::new_v4(), Role::Admin);
        assert!(keys().decode_unsubscribe(&access).is_none());
    }

    #[test]
    fn refresh_tokens_carry_their_company() {
        let company = Uuid::new_v4();
        let token = new_company_token(company);
        assert_eq!(token_company(&token), Some(company));
        assert_eq!(token_company("garbage"), None);
        assert_ne!(hash_token(&token), hash_token(&new_company_token(company)));
    }
}
