//! Sending domains and DKIM: a key per domain (RSA-2048, the private half sealed with
//! `kernel::secret::seal(keys, "dkim", …)`), the DNS records the school publishes, their check
//! through the injectable resolver (`state.dns`), and the signature of each message.
//!
//! A message is signed when its From domain has a key and the last DNS check found the DKIM
//! record as published (a signature whose key cannot be found is worse than none: DMARC
//! counts it as a failure). In demo mode (`config.demo`) a domain with a key signs always, so
//! the dev mailbox and the loopback sink show signed mail without DNS.

use base64::{Engine, engine::general_purpose::STANDARD};
use kernel::{AppState, db::TenantTx, net::TxtResolver, secret};
use mail_auth::{
    common::{crypto::RsaKey, crypto::Sha256, headers::HeaderWriter},
    dkim::{DkimSigner, generate::DkimKeyPair},
};
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer};
use serde::Serialize;

/// The selector of every key made now (`{selector}._domainkey.{domain}`).
pub const SELECTOR: &str = "lyceum2026";
/// The SPF include of the platform's sending servers.
pub const SPF_INCLUDE: &str = "_spf.lyceum.email";
/// The headers signed.
pub const SIGNED_HEADERS: [&str; 9] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// A sending domain.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct SendingDomain {
    /// Id.
    pub id: uuid::Uuid,
    /// `example.com`.
    pub domain: String,
    /// DKIM selector.
    pub selector: String,
    /// The public key, base64 (SubjectPublicKeyInfo DER).
    pub public_key: String,
    /// found | missing | wrong; none before the first check.
    pub dkim_status: Option<String>,
    /// The same for SPF.
    pub spf_status: Option<String>,
    /// The same for DMARC.
    pub dmarc_status: Option<String>,
    /// When DNS was last checked.
    pub checked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One DNS record to publish.
#[derive(Clone, Debug, Serialize)]
pub struct DnsRecord {
    /// `dkim`, `spf` or `dmarc`.
    pub kind: &'static str,
    /// The full name (`lyceum2026._domainkey.example.com`).
    pub name: String,
    /// The TXT value.
    pub value: String,
    /// What the last check found.
    pub status: Option<String>,
}

impl SendingDomain {
    /// The DKIM TXT value.
    pub fn dkim_value(&self) -> String {
        format!("v=DKIM1; k=rsa; p={}", self.public_key)
    }

    /// The three records to publish, with what the last check found.
    pub fn records(&self) -> Vec<DnsRecord> {
        vec![
            DnsRecord {
                kind: "dkim",
                name: format!("{}._domainkey.{}", self.selector, self.domain),
                value: self.dkim_value(),
                status: self.dkim_status.clone(),
            },
            DnsRecord {
                kind: "spf",
                name: self.domain.clone(),
                value: format!("v=spf1 include:{SPF_INCLUDE} ~all"),
                status: self.spf_status.clone(),
            },
            DnsRecord {
                kind: "dmarc",
                name: format!("_dmarc.{}", self.domain),
                value: format!("v=DMARC1; p=none; rua=mailto:dmarc@{}", self.domain),
                status: self.dmarc_status.clone(),
            },
        ]
    }
}

/// Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo (what DKIM's `p=` carries).
fn spki_of_pkcs1(pkcs1: &[u8]) -> Vec<u8> {
    fn der_len(n: usize) -> Vec<u8> {
        match n {
            0..=127 => vec![n as u8],
            128..=255 => vec![0x81, n as u8],
            _ => vec![0x82, (n >> 8) as u8, n as u8],
        }
    }
    let algorithm: &[u8] = &[0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
    let mut bits = vec![0x03];
    bits.extend(der_len(pkcs1.len() + 1));
    bits.push(0);
    bits.extend_from_slice(pkcs1);
    let mut out = vec![0x30];
    out.extend(der_len(algorithm.len() + bits.len()));
    out.extend_from_slice(algorithm);
    out.extend(bits);
    out
}

/// Whether `domain` looks like a host name one can send from.
pub fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|l| l.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Adds a sending domain with a new key. `None` when the school has it already.
pub async fn add(state: &AppState, tx: &mut TenantTx, domain: &str) -> anyhow::Result<Option<SendingDomain>> {
    let pair = tokio::task::spawn_blocking(|| DkimKeyPair::generate_rsa(2048))
        .await?
        .map_err(|e| anyhow::anyhow!("generating the DKIM key: {e}"))?;
    let sealed = secret::seal(&state.config.keys, "dkim", &STANDARD.encode(pair.private_key()));
    let public = STANDARD.encode(spki_of_pkcs1(pair.public_key()));
    let row: Option<SendingDomain> = sqlx::query_as(
        "insert into sending_domains (tenant_id, id, domain, selector, private_key, public_key)
         values ($1, $2, $3, $4, $5, $6) on conflict (tenant_id, domain) do nothing
         returning id, domain, selector, public_key, dkim_status, spf_status, dmarc_status, checked_at",
    )
    .bind(tx.tenant())
    .bind(uuid::Uuid::now_v7())
    .bind(domain.to_ascii_lowercase())
    .bind(SELECTOR)
    .bind(sealed)
    .bind(public)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row)
}

/// The school's sending domains.
pub async fn domains(tx: &mut TenantTx) -> sqlx::Result<Vec<SendingDomain>> {
    sqlx::query_as(
        "select id, domain, selector, public_key, dkim_status, spf_status, dmarc_status, checked_at
         from sending_domains where tenant_id = $1 order by domain",
    )
    .bind(tx.tenant())
    .fetch_all(&mut **tx)
    .await
}

/// Removes a sending domain. Whether there was one.
pub async fn remove(tx: &mut TenantTx, id: uuid::Uuid) -> sqlx::Result<bool> {
    Ok(sqlx::query("delete from sending_domains where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '"').collect::<String>().to_ascii_lowercase()
}

/// What a DNS name holds for one record: `found` (the expected value), `wrong` (a record of
/// that kind, but not ours) or `missing`.
async fn status_of(dns: &dyn TxtResolver, name: &str, kind: &str, expected: &str) -> &'static str {
    let Ok(txts) = dns.txt(name).await else { return "missing" };
    let prefix = match kind {
        "dkim" => "v=dkim1",
        "spf" => "v=spf1",
        _ => "v=dmarc1",
    };
    let ours: Vec<String> =
        txts.iter().map(|t| squash(t)).filter(|t| t.starts_with(prefix) || kind == "dkim").collect();
    if ours.is_empty() {
        return "missing";
    }
    let ok = ours.iter().any(|t| match kind {
        "dkim" => {
            let want = squash(expected);
            let p = want.split("p=").nth(1).unwrap_or_default().to_string();
            t.split(';').any(|part| part.strip_prefix("p=") == Some(p.as_str()))
        }
        "spf" => t.contains(&format!("include:{}", SPF_INCLUDE.to_ascii_lowercase())),
        _ => t.contains("p="),
    });
    if ok { "found" } else { "wrong" }
}

/// Looks the domain's three records up and stores what was found.
pub async fn check(state: &AppState, tx: &mut TenantTx, id: uuid::Uuid) -> anyhow::Result<Option<SendingDomain>> {
    let Some(d) = domains(tx).await?.into_iter().find(|d| d.id == id) else { return Ok(None) };
    let mut found = Vec::new();
    for r in d.records() {
        found.push(status_of(state.dns.as_ref(), &r.name, r.kind, &r.value).await);
    }
    sqlx::query(
        "update sending_domains set dkim_status = $3, spf_status = $4, dmarc_status = $5, checked_at = $6
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(found[0])
    .bind(found[1])
    .bind(found[2])
    .bind(state.clock.now())
    .execute(&mut **tx)
    .await?;
    Ok(domains(tx).await?.into_iter().find(|d| d.id == id))
}

/// A school's DKIM key for one From domain, opened once and used for many messages (the
/// engine loads it once per batch).
pub struct DkimKey {
    signer: DkimSigner<RsaKey<Sha256>, mail_auth::dkim::Done>,
}

impl DkimKey {
    /// The `DKIM-Signature` header (name and value, folded, without the line end) for `raw`.
    pub fn header(&self, raw: &[u8]) -> anyhow::Result<String> {
        let signature = self.signer.sign(raw).map_err(|e| anyhow::anyhow!("DKIM signing: {e}"))?;
        Ok(signature.to_header().trim_end_matches(['\r', '\n']).to_string())
    }
}

/// The key that signs mail from `from_email`: `None` unless that domain has a key whose DNS
/// record was found (or, in demo mode, whenever it has a key).
pub async fn dkim_key(state: &AppState, tx: &mut TenantTx, from_email: &str) -> anyhow::Result<Option<DkimKey>> {
    let Some((_, domain)) = from_email.trim().trim_end_matches('>').rsplit_once('@') else { return Ok(None) };
    let domain = domain.to_ascii_lowercase();
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(
        "select selector, private_key, dkim_status from sending_domains where tenant_id = $1 and domain = $2",
    )
    .bind(tx.tenant())
    .bind(&domain)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((selector, sealed, status)) = row else { return Ok(None) };
    if status.as_deref() != Some("found") && !state.config.demo {
        return Ok(None);
    }
    let der = secret::open(&state.config.keys, "dkim", &sealed)
        .ok_or_else(|| anyhow::anyhow!("DKIM key cannot be opened"))?;
    let der = STANDARD.decode(der)?;
    let key = RsaKey::<Sha256>::from_key_der(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der)))
        .map_err(|e| anyhow::anyhow!("DKIM key: {e}"))?;
    let signer = DkimSigner::from_key(key).domain(domain).selector(selector).headers(SIGNED_HEADERS);
    Ok(Some(DkimKey { signer }))
}

/// The `DKIM-Signature` header (name and value, folded, without the final line end) for a
/// message the school sends from `from_email` (see [`dkim_key`]). `raw` is the whole message
/// as sent.
pub async fn dkim_header(
    state: &AppState,
    tx: &mut TenantTx,
    from_email: &str,
    raw: &[u8],
) -> anyhow::Result<Option<String>> {
    match dkim_key(state, tx, from_email).await? {
        Some(key) => key.header(raw).map(Some),
        None => Ok(None),
    }
}
