//! How a delivery is signed: HMAC-SHA256 with the endpoint's secret over
//! `"<timestamp>.<body>"`, sent as `Fieldbook-Timestamp: <unix seconds>` and
//! `Fieldbook-Signature: v1=<hex>` (two `v1=` values, comma-separated, while an old
//! secret still signs after a rotation). docs/API.md shows how a receiver checks it.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "fieldbook-timestamp";
pub const SIGNATURE_HEADER: &str = "fieldbook-signature";

/// A new signing secret: `whsec_` + 32 random bytes, hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex(&bytes))
}

/// The hex HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The signature header's value for the current secret and, during a rotation, the old one.
pub fn signature_header(secrets: &[&str], timestamp: i64, body: &str) -> String {
    secrets.iter().map(|secret| format!("v1={}", sign(secret, timestamp, body))).collect::<Vec<_>>().join(",")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_dot_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Ours signs "<timestamp>.<body>".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec_x").unwrap();
        mac.update(b"1700000000.{\"a\":1}");
        assert_eq!(sign("whsec_x", 1_700_000_000, "{\"a\":1}"), hex(&mac.finalize().into_bytes()));
        let both = signature_header(&["new", "old"], 5, "b");
        assert_eq!(both, format!("v1={},v1={}", sign("new", 5, "b"), sign("old", 5, "b")));
        assert!(new_secret().starts_with("whsec_") && new_secret().len() == 70);
    }
}
