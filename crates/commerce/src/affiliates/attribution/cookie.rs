//! The referral cookie `lyceum_ref`: `{code}.{click}.{issued}.{mac}`, where the MAC is an HMAC
//! (the deployment's link key) over the school, the code, the click and the issue time. A value
//! forged by hand, or copied from another school's site, fails the MAC; an old one fails the
//! school's cookie window, which is checked here too so it does not rely on the browser.

use axum::http::HeaderValue;
use chrono::{DateTime, Duration, Utc};
use kernel::{
    ids::TenantId,
    secret::{Keys, constant_eq},
};

use crate::affiliates::model::ClickId;

/// The cookie's name.
pub const NAME: &str = "lyceum_ref";

/// How far in the future an issue time may be (clocks of several servers differ a little).
const SKEW_SECONDS: i64 = 300;

/// A verified referral cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefCookie {
    /// The affiliate's code as it was clicked.
    pub code: String,
    /// The click that set it.
    pub click: ClickId,
    /// When it was set.
    pub issued: DateTime<Utc>,
}

fn mac(keys: &Keys, tenant: TenantId, code: &str, click: ClickId, issued: i64) -> String {
    keys.links().sign(&format!("affiliate referral cookie|{tenant}|{code}|{click}|{issued}"))
}

/// Whether `code` looks like a referral code (what `affiliates.code` accepts).
pub fn code_is_plausible(code: &str) -> bool {
    (3..=40).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The cookie's value for `r` on `tenant`'s site.
pub fn encode(keys: &Keys, tenant: TenantId, r: &RefCookie) -> String {
    let issued = r.issued.timestamp();
    format!("{}.{}.{issued}.{}", r.code, r.click, mac(keys, tenant, &r.code, r.click, issued))
}

/// The cookie's content when `raw` was issued for `tenant`, is intact and is younger than
/// `days` at `now`.
pub fn verify(keys: &Keys, tenant: TenantId, raw: &str, now: DateTime<Utc>, days: i32) -> Option<RefCookie> {
    let mut parts = raw.trim().split('.');
    let (code, click, issued, sig) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !code_is_plausible(code) {
        return None;
    }
    let click: ClickId = click.parse().ok()?;
    let unix: i64 = issued.parse().ok()?;
    if !constant_eq(sig, &mac(keys, tenant, code, click, unix)) {
        return None;
    }
    let issued = DateTime::from_timestamp(unix, 0)?;
    let fresh = issued <= now + Duration::seconds(SKEW_SECONDS) && now < issued + Duration::days(i64::from(days));
    fresh.then(|| RefCookie { code: code.to_string(), click, issued })
}

/// The `Set-Cookie` header for `value`, kept `days` days.
pub fn header(value: &str, days: i32, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let max_age = i64::from(days) * 86_400;
    HeaderValue::from_str(&format!("{NAME}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .expect("cookie is ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::derive(&"a test master key of enough length".into())
    }

    #[test]
    fn only_this_schools_intact_and_fresh_cookie_verifies() {
        let (keys, acme, globex) = (keys(), TenantId::new(), TenantId::new());
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let r = RefCookie { code: "ana".into(), click: ClickId::new(), issued: now };
        let raw = encode(&keys, acme, &r);
        assert_eq!(verify(&keys, acme, &raw, now, 30), Some(r.clone()));
        assert_eq!(verify(&keys, globex, &raw, now, 30), None, "another school's cookie");
        assert_eq!(verify(&keys, acme, &raw.replacen("ana", "bob", 1), now, 30), None, "another code");
        assert_eq!(verify(&keys, acme, &raw, now + Duration::days(30), 30), None, "expired");
        assert_eq!(verify(&keys, acme, &raw, now + Duration::days(29), 30), Some(r));
        assert_eq!(verify(&keys, acme, "ana", now, 30), None);
        assert_eq!(verify(&keys, acme, &format!("{raw}.x"), now, 30), None);
        let h = header("v", 30, true);
        assert_eq!(h.to_str().unwrap(), "lyceum_ref=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000; Secure");
    }
}
