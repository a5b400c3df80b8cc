//! Short-lived playback and download tokens, bound to the school, the item and the viewer.
//!
//! A token is `{expiry}.{mac}`: the expiry in Unix seconds and an HMAC under the deployment's
//! media-token key ([`secret::Keys::media`]) over the purpose, school, item, viewer and expiry. The viewer is not written in the token;
//! the server checks the token against the logged-in person, so a token copied to another
//! account, another item or another school does not verify.

use chrono::Utc;
use kernel::{TenantId, ids::UserId, secret};

use crate::model::MediaId;

/// How long a playback token lives; the player asks for a fresh one before it runs out.
pub const PLAY_TTL_SECONDS: i64 = 15 * 60;

/// How long a download link lives.
pub const DOWNLOAD_TTL_SECONDS: i64 = 60 * 60;

/// What a token allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Playlists, key, segments, poster, thumbnails, captions.
    Play,
    /// The download file.
    Download,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Play => "play",
            Self::Download => "download",
        }
    }

    fn ttl(self) -> i64 {
        match self {
            Self::Play => PLAY_TTL_SECONDS,
            Self::Download => DOWNLOAD_TTL_SECONDS,
        }
    }
}

/// Who a token is for.
#[derive(Clone, Copy, Debug)]
pub struct Grant {
    /// The school.
    pub tenant: TenantId,
    /// The item.
    pub media: MediaId,
    /// The viewer.
    pub user: UserId,
}

fn message(purpose: Purpose, g: &Grant, expires: i64) -> String {
    format!("media:{}:{}:{}:{}:{expires}", purpose.as_str(), g.tenant, g.media, g.user)
}

/// A new token for `grant`, valid for the purpose's lifetime.
pub fn issue(keys: &secret::Keys, purpose: Purpose, grant: &Grant) -> (String, i64) {
    issue_at(keys, purpose, grant, Utc::now().timestamp() + purpose.ttl())
}

/// A token expiring at `expires` (Unix seconds); tests use it to make expired ones.
pub fn issue_at(keys: &secret::Keys, purpose: Purpose, grant: &Grant, expires: i64) -> (String, i64) {
    let mac = keys.media().sign(&message(purpose, grant, expires));
    (format!("{expires}.{}", &mac[..40]), expires)
}

/// Whether `token` is a live token for `grant`.
pub fn verify(keys: &secret::Keys, purpose: Purpose, grant: &Grant, token: &str) -> bool {
    let Some((expires, mac)) = token.split_once('.') else { return false };
    let Ok(expires) = expires.parse::<i64>() else { return false };
    if expires < Utc::now().timestamp() || mac.len() != 40 {
        return false;
    }
    let expected = keys.media().sign(&message(purpose, grant, expires));
    secret::constant_eq(mac, &expected[..40])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant { tenant: TenantId::new(), media: MediaId::new(), user: UserId::new() }
    }

    #[test]
    fn tokens_bind_school_item_viewer_purpose_and_time() {
        let key = secret::Keys::derive(&secret::Secret::from("k".repeat(32)));
        let g = grant();
        let (token, _) = issue(&key, Purpose::Play, &g);
        assert!(verify(&key, Purpose::Play, &g, &token));
        assert!(!verify(&key, Purpose::Download, &g, &token), "another purpose");
        assert!(!verify(&key, Purpose::Play, &Grant { user: UserId::new(), ..g }, &token), "another viewer");
        assert!(!verify(&key, Purpose::Play, &Grant { media: MediaId::new(), ..g }, &token), "another item");
        assert!(!verify(&key, Purpose::Play, &Grant { tenant: TenantId::new(), ..g }, &token), "another school");
        assert!(
            !verify(&secret::Keys::derive(&secret::Secret::from("x".repeat(32))), Purpose::Play, &g, &token),
            "another key"
        );
        let (old, _) = issue_at(&key, Purpose::Play, &g, Utc::now().timestamp() - 1);
        assert!(!verify(&key, Purpose::Play, &g, &old), "expired");
        let (exp, mac) = token.split_once('.').unwrap();
        let later = format!("{}.{mac}", exp.parse::<i64>().unwrap() + 3600);
        assert!(!verify(&key, Purpose::Play, &g, &later), "expiry moved");
        for junk in ["", ".", "abc", "1.2", &format!("{exp}.")] {
            assert!(!verify(&key, Purpose::Play, &g, junk));
        }
    }
}
