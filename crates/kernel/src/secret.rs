//! A string that never reaches logs.

use std::fmt;

/// A secret value: `Debug` and `Display` print a redaction, never the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(v: String) -> Self {
        Self(v)
    }
}

impl From<&str> for Secret {
    fn from(v: &str) -> Self {
        Self(v.to_string())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Random URL-safe token of `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// SHA-256 of a token, hex encoded: tokens are stored only as this.
pub fn hash_token(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA256 of `message` under `key`, hex encoded: CSRF tokens and signed values.
pub fn sign(key: &Secret, message: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(key.expose().as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Compares two strings in time independent of where they differ.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Encrypts a small secret for storage (AES-256-GCM under a key derived from the deployment's
/// key and `purpose`; the purpose is also bound as associated data, so a value sealed for one
/// use cannot be opened as another). The result is text: `v1.` + base64url(nonce ‖ ciphertext).
pub fn seal(key: &Secret, purpose: &str, plaintext: &str) -> String {
    use base64::Engine;
    use rand::RngCore;
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &derive(key, purpose)).expect("32-byte key"));
    let mut data = plaintext.as_bytes().to_vec();
    sealing
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut data)
        .expect("sealing cannot fail for small inputs");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    format!("v1.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out))
}

/// Opens a value made by [`seal`]; `None` when it was tampered with, sealed under another key
/// or for another purpose.
pub fn open(key: &Secret, purpose: &str, sealed: &str) -> Option<String> {
    use base64::Engine;
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sealed.strip_prefix("v1.")?).ok()?;
    if raw.len() < 12 + 16 {
        return None;
    }
    let (nonce, data) = raw.split_at(12);
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &derive(key, purpose)).ok()?);
    let mut data = data.to_vec();
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let plain = opening.open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut data).ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

fn derive(key: &Secret, purpose: &str) -> Vec<u8> {
    hex::decode(sign(key, &format!("lyceum-seal-v1:{purpose}"))).expect("hex from sign")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_purpose() {
        let key = Secret::from("a key of at least thirty-two characters!");
        let sealed = seal(&key, "totp", "JBSWY3DPEHPK3PXP");
        assert!(!sealed.contains("JBSWY3DP"));
        assert_ne!(sealed, seal(&key, "totp", "JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(open(&key, "totp", &sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(open(&key, "other", &sealed), None);
        assert_eq!(open(&Secret::from("another key of at least thirty-two chars"), "totp", &sealed), None);
        let mut tampered = sealed.clone();
        tampered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert_eq!(open(&key, "totp", &tampered), None);
    }
}
