//! Stripe's webhook signature scheme: the `Stripe-Signature` header carries a timestamp `t`
//! and one or more `v1` signatures (several while a secret is being rolled); each is the hex
//! HMAC-SHA256 of `"{t}.{raw body}"` under the endpoint's signing secret. Any matching `v1`
//! passes; the comparison is constant-time; a timestamp further than the tolerance from now is
//! refused, so a captured delivery cannot be replayed later.

use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};

/// Stripe's default tolerance, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No header, or no `t` or no `v1` in it.
    #[error("malformed Stripe-Signature header")]
    Malformed,
    /// The timestamp is outside the tolerance.
    #[error("timestamp outside the tolerance")]
    Expired,
    /// No `v1` matches.
    #[error("no signature matches")]
    Mismatch,
}

/// Checks `header` against `body` and `secret` at `now`.
pub fn verify(header: &str, body: &[u8], secret: &str, now: DateTime<Utc>) -> Result<(), SignatureError> {
    let mut timestamp: Option<i64> = None;
    let mut signatures: Vec<Vec<u8>> = Vec::new();
    for part in header.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else { continue };
        match k {
            "t" => timestamp = v.parse().ok(),
            // A `v1` that is not hex can never match; keep looking at the others.
            "v1" => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let t = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now.timestamp() - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Expired);
    }
    let mac = mac(secret, t, body);
    // `verify_slice` compares in constant time.
    if signatures.iter().any(|sig| mac.clone().verify_slice(sig).is_ok()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn mac(secret: &str, t: i64, body: &[u8]) -> hmac::Hmac<sha2::Sha256> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// A header as Stripe would send it for `body` at `t` (tests and the CLI's replay use it).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body).finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";

    fn at(t: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(t, 0).unwrap()
    }

    #[test]
    fn a_signature_made_with_the_secret_passes() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(SECRET, 1_700_000_000, body);
        assert_eq!(verify(&header, body, SECRET, at(1_700_000_010)), Ok(()));
    }

    #[test]
    fn matches_an_independently_computed_signature() {
        // Python: hmac.new(b"whsec_test_secret", b'1700000000.{"id":"evt_1","object":"event"}', sha256).hexdigest()
        let body = br#"{"id":"evt_1","object":"event"}"#;
        let header = "t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd";
        assert_eq!(verify(header, body, SECRET, at(1_700_000_100)), Ok(()));
        assert_eq!(sign(SECRET, 1_700_000_000, body), header);
    }

    #[test]
    fn wrong_secret_tampered_body_and_old_timestamps_fail() {
        let body = br#"{"id":"evt_1"}"#;
        let header = sign(SECRET, 1_700_000_000, body);
        assert_eq!(verify(&header, body, "whsec_other", at(1_700_000_000)), Err(SignatureError::Mismatch));
        assert_eq!(verify(&header, br#"{"id":"evt_2"}"#, SECRET, at(1_700_000_000)), Err(SignatureError::Mismatch));
        assert_eq!(verify(&header, body, SECRET, at(1_700_000_301)), Err(SignatureError::Expired));
        assert_eq!(verify(&header, body, SECRET, at(1_700_000_300)), Ok(()));
        assert_eq!(verify("", body, SECRET, at(1_700_000_000)), Err(SignatureError::Malformed));
        assert_eq!(verify("t=1700000000", body, SECRET, at(1_700_000_000)), Err(SignatureError::Malformed));
        assert_eq!(verify("v1=abcd", body, SECRET, at(1_700_000_000)), Err(SignatureError::Malformed));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        let body = br#"{"id":"evt_1"}"#;
        let good = sign(SECRET, 1_700_000_000, body);
        let good_v1 = good.split("v1=").nth(1).unwrap();
        let wrong = sign("whsec_old", 1_700_000_000, body);
        let wrong_v1 = wrong.split("v1=").nth(1).unwrap();
        let header = format!("t=1700000000,v1={wrong_v1},v1=nothex,v0=ignored,v1={good_v1}");
        assert_eq!(verify(&header, body, SECRET, at(1_700_000_000)), Ok(()));
        let only_wrong = format!("t=1700000000,v1={wrong_v1},v0={good_v1}");
        assert_eq!(verify(&only_wrong, body, SECRET, at(1_700_000_000)), Err(SignatureError::Mismatch));
    }
}
