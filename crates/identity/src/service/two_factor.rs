//! Two-factor login for the team: TOTP codes from an authenticator app (RFC 6238: SHA-1,
//! six digits, 30-second steps), the QR code that sets the app up, and one-time recovery codes.

use kernel::{AppError, db::TenantTx, secret::hash_token};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use crate::{model::User, password, store, store::two_factor as tf};

/// How many recovery codes a person gets.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret, base32 encoded as authenticator apps expect.
pub fn new_secret() -> String {
    Secret::generate().to_base32()
}

fn totp(secret: &str, issuer: &str, account: &str) -> anyhow::Result<Totp> {
    let bytes = Secret::try_from_base32(secret).map_err(|e| anyhow::anyhow!("stored TOTP secret: {e:?}"))?;
    // The otpauth label separates issuer and account with a colon, so neither may hold one.
    let clean = |s: &str| s.replace(':', " ").trim().to_string();
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(1)
        .with_secret(bytes)
        .with_issuer(Some(clean(issuer)))
        .with_account_name(clean(account))
        .build()
        .map_err(|e| anyhow::anyhow!("building TOTP: {e}"))
}

/// The `otpauth://` link an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, school_name: &str, email: &str) -> anyhow::Result<String> {
    totp(secret, school_name, email)?.to_url().map_err(|e| anyhow::anyhow!("otpauth URL: {e}"))
}

/// The secret split in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// A QR code as an inline SVG: one `rect` per run of dark modules, with the quiet zone.
pub fn qr_svg(text: &str) -> anyhow::Result<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    const BORDER: i32 = 4;
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).map_err(|e| anyhow::anyhow!("QR code: {e}"))?;
    let size = qr.size();
    let full = size + 2 * BORDER;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" shape-rendering="crispEdges" role="img" class="h-full w-full"><rect width="{full}" height="{full}" fill="#ffffff"/>"##
    );
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            svg.push_str(&format!(
                r##"<rect x="{}" y="{}" width="{}" height="1" fill="#000000"/>"##,
                start + BORDER,
                y + BORDER,
                x - start
            ));
        }
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// The time step a six-digit code matches (the one before and after count too, for clock drift).
fn matching_step(secret: &str, code: &str) -> Option<i64> {
    let totp = totp(secret, "", "").ok()?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    totp.check(code, now).and_then(|s| i64::try_from(s).ok())
}

fn only_digits(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect()
}

/// Recovery codes are compared without case, spaces or dashes.
fn normalize_recovery(input: &str) -> String {
    input.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Checks a code against the secret stored for setup and, when it matches, turns two-factor
/// login on and returns fresh recovery codes to show once. `None` when the code is wrong.
pub async fn enable(
    tx: &mut TenantTx,
    keys: &kernel::secret::Keys,
    user: &User,
    code: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let Some(secret) = tf::state(tx, keys, user.id).await?.and_then(|s| s.totp_secret) else { return Ok(None) };
    let Some(step) = matching_step(&secret, &only_digits(code)) else { return Ok(None) };
    if !tf::claim_step(tx, user.id, step).await? {
        return Ok(None);
    }
    tf::enable(tx, user.id).await?;
    Ok(Some(new_recovery_codes(tx, user).await?))
}

/// Replaces the recovery codes; returns them in clear (stored only hashed).
pub async fn new_recovery_codes(tx: &mut TenantTx, user: &User) -> Result<Vec<String>, AppError> {
    use rand::Rng;
    // No 0/o, 1/l or i: codes are read off paper and typed back.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let codes: Vec<String> = {
        let mut rng = rand::rng();
        let mut part = || (0..5).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect::<String>();
        (0..RECOVERY_CODES).map(|_| format!("{}-{}", part(), part())).collect()
    };
    let hashes: Vec<String> = codes.iter().map(|c| hash_token(&normalize_recovery(c))).collect();
    tf::replace_recovery_codes(tx, user.id, &hashes).await?;
    Ok(codes)
}

/// Turns two-factor login off after checking the password; false when the password is wrong.
pub async fn disable(tx: &mut TenantTx, user: &User, current_password: &str) -> Result<bool, AppError> {
    let stored = store::password_hash(tx, user.id).await?;
    if !stored.is_some_and(|h| password::verify(current_password, &h)) {
        return Ok(false);
    }
    tf::disable(tx, user.id).await?;
    Ok(true)
}

/// How the second factor was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondFactor {
    /// A code from the authenticator app.
    App,
    /// A one-time recovery code (now used up).
    RecoveryCode,
}

/// Checks a six-digit code (each accepted once) or a recovery code (each works once).
pub async fn check(
    tx: &mut TenantTx,
    keys: &kernel::secret::Keys,
    user: &User,
    input: &str,
) -> Result<Option<SecondFactor>, AppError> {
    let Some(state) = tf::state(tx, keys, user.id).await? else { return Ok(None) };
    let Some(secret) = state.totp_secret.filter(|_| user.totp_enabled_at.is_some()) else { return Ok(None) };
    let digits = only_digits(input);
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        let Some(step) = matching_step(&secret, &digits) else { return Ok(None) };
        return Ok(tf::claim_step(tx, user.id, step).await?.then_some(SecondFactor::App));
    }
    let code = normalize_recovery(input);
    if code.len() != 10 {
        return Ok(None);
    }
    Ok(tf::use_recovery_code(tx, user.id, &hash_token(&code)).await?.then_some(SecondFactor::RecoveryCode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_from_the_secret_matches_and_others_do_not() {
        let secret = new_secret();
        let t = totp(&secret, "Bloom: Studio", "ana@bloom.test").unwrap();
        let code = t.generate_current().to_string();
        assert!(matching_step(&secret, &code).is_some());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert!(matching_step(&secret, wrong).is_none());
        let url = otpauth_url(&secret, "Bloom: Studio", "ana@bloom.test").unwrap();
        assert!(url.starts_with("otpauth://totp/") && url.contains(&format!("secret={secret}")), "{url}");
    }

    #[test]
    fn the_qr_code_is_an_svg_of_rects() {
        let svg = qr_svg("otpauth://totp/Bloom:ana%40bloom.test?secret=ABCDEFGHIJKLMNOP").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.matches("<rect").count() > 50);
    }

    #[test]
    fn recovery_codes_ignore_case_spaces_and_dashes() {
        assert_eq!(normalize_recovery(" AbCde-12345 "), "abcde12345");
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
