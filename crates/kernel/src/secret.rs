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

/// Compares two strings in time independent of where they differ.
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A 32-byte key for one purpose (see [`Keys`]).
#[derive(Clone)]
pub struct Key([u8; 32]);

impl Key {
    /// HMAC-SHA256 of `message` under this key, hex encoded.
    pub fn sign(&self, message: &str) -> String {
        hmac_hex(&self.0, message)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(***)")
    }
}

/// The deployment's keys, one per purpose, derived once from `LYCEUM_SECRET_KEY` with
/// HKDF-SHA256 under fixed labels. Nothing made with one purpose's key can be another's key:
/// a CSRF token is an HMAC of a cookie value the visitor chooses, so were it made with the
/// key that also derives sealing keys, the right cookie would hand out a sealing key.
#[derive(Clone, Debug)]
pub struct Keys {
    csrf: Key,
    media: Key,
    links: Key,
    seal: Key,
    /// Opens `v1.` values, which were sealed under keys taken straight from the master key.
    legacy: Secret,
}

impl Keys {
    /// Derives every purpose's key from the deployment's master key.
    pub fn derive(master: &Secret) -> Self {
        let hkdf = hkdf::Hkdf::<sha2::Sha256>::new(Some(b"lyceum-keys"), master.expose().as_bytes());
        let key = |label: &str| {
            let mut okm = [0u8; 32];
            hkdf.expand(label.as_bytes(), &mut okm).expect("32 bytes is a valid HKDF-SHA256 length");
            Key(okm)
        };
        Self {
            csrf: key("lyceum csrf token v1"),
            media: key("lyceum media token v1"),
            links: key("lyceum signed link v1"),
            seal: key("lyceum sealing v2"),
            legacy: master.clone(),
        }
    }

    /// Signs CSRF tokens (an HMAC of the visitor's id).
    pub fn csrf(&self) -> &Key {
        &self.csrf
    }

    /// Signs media playback and download tokens.
    pub fn media(&self) -> &Key {
        &self.media
    }

    /// Reserved for signed links (e.g. unsubscribe or share links), so they get a key of their
    /// own rather than borrowing another purpose's.
    pub fn links(&self) -> &Key {
        &self.links
    }
}

fn hmac_hex(key: &[u8], message: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Encrypts a small secret for storage: AES-256-GCM under the sealing key, with `purpose` bound
/// as associated data, so a value sealed for one use cannot be opened as another. The result is
/// text: `v2.` + base64url(nonce ‖ ciphertext).
pub fn seal(keys: &Keys, purpose: &str, plaintext: &str) -> String {
    use base64::Engine;
    use rand::RngCore;
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let mut nonce = [0u8; 12];
    rand::rng().fill_bytes(&mut nonce);
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &keys.seal.0).expect("32-byte key"));
    let mut data = plaintext.as_bytes().to_vec();
    sealing
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(purpose.as_bytes()), &mut data)
        .expect("sealing cannot fail for small inputs");
    let mut out = nonce.to_vec();
    out.extend_from_slice(&data);
    format!("v2.{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out))
}

/// Opens a value made by [`seal`]; `None` when it was tampered with, sealed under another key
/// or for another purpose. Values sealed before per-purpose keys (`v1.`, whose key was an HMAC
/// of the master key and a label) still open, so two-factor set-ups and encrypted videos made
/// then keep working; new values are always `v2.`.
pub fn open(keys: &Keys, purpose: &str, sealed: &str) -> Option<String> {
    use base64::Engine;
    use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
    let (key, body) = if let Some(body) = sealed.strip_prefix("v2.") {
        (keys.seal.0.to_vec(), body)
    } else {
        let body = sealed.strip_prefix("v1.")?;
        let legacy = hmac_hex(keys.legacy.expose().as_bytes(), &format!("lyceum-seal-v1:{purpose}"));
        (hex::decode(legacy).expect("hex from hmac_hex"), body)
    };
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).ok()?;
    if raw.len() < 12 + 16 {
        return None;
    }
    let (nonce, data) = raw.split_at(12);
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &key).ok()?);
    let mut data = data.to_vec();
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let plain = opening.open_in_place(nonce, Aad::from(purpose.as_bytes()), &mut data).ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(master: &str) -> Keys {
        Keys::derive(&Secret::from(master))
    }

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_purpose() {
        let keys = keys("a key of at least thirty-two characters!");
        let sealed = seal(&keys, "totp", "JBSWY3DPEHPK3PXP");
        assert!(sealed.starts_with("v2.") && !sealed.contains("JBSWY3DP"));
        assert_ne!(sealed, seal(&keys, "totp", "JBSWY3DPEHPK3PXP"), "a fresh nonce each time");
        assert_eq!(open(&keys, "totp", &sealed).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(open(&keys, "other", &sealed), None);
        assert_eq!(open(&self::keys("another key of at least thirty-two chars"), "totp", &sealed), None);
        let mut tampered = sealed.clone();
        tampered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert_eq!(open(&keys, "totp", &tampered), None);
    }

    #[test]
    fn values_sealed_in_the_v1_format_still_open() {
        // Sealed as v1 did (AES-256-GCM under HMAC(master, "lyceum-seal-v1:totp")), by Python's
        // `cryptography`, so the format is checked against an implementation other than ours.
        let v1 = "v1.EPJO7qeYgbEO5qH4KxkhHoa7B18ddXXVySj886PR2iTOnkhNGt9iT_phfBo";
        let keys = keys("a key of at least thirty-two characters!");
        assert_eq!(open(&keys, "totp", v1).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(open(&keys, "other", v1), None);
        assert_eq!(open(&keys, "totp", &v1.replacen("v1.", "v2.", 1)), None, "the version picks the key");
    }

    #[test]
    fn purpose_keys_differ_from_each_other_and_stay_the_same_for_a_master_key() {
        let a = keys("a key of at least thirty-two characters!");
        let again = keys("a key of at least thirty-two characters!");
        let all = [&a.csrf, &a.media, &a.links, &a.seal];
        for (i, x) in all.iter().enumerate() {
            for y in &all[i + 1..] {
                assert_ne!(x.0, y.0);
            }
        }
        for (x, y) in all.iter().zip([&again.csrf, &again.media, &again.links, &again.seal]) {
            assert_eq!(x.0, y.0, "stable across restarts");
        }
        assert_ne!(a.csrf.0, keys("another key of at least thirty-two chars").csrf.0);
        assert_eq!(format!("{a:?}").matches("***").count(), 5, "Debug shows no key");
    }

    #[test]
    fn no_csrf_token_is_a_sealing_key() {
        // The old derivation made a CSRF token for the visitor id `lyceum-seal-v1:{purpose}`
        // equal to that purpose's sealing key.
        let keys = keys("a key of at least thirty-two characters!");
        let sid = "lyceum-seal-v1:totp";
        let token = keys.csrf().sign(sid);
        assert_ne!(token, hex::encode(keys.seal.0));
        assert_ne!(token, hmac_hex(keys.legacy.expose().as_bytes(), sid), "nor a v1 sealing key");
    }
}
