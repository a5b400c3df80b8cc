//! Mail: messages are rendered from templates (HTML and plain text), stored, and sent by a
//! job over SMTP (lettre) when `LYCEUM_SMTP_URL` is set. Without SMTP they are kept, and the
//! dev mailbox shows each one as its recipient would see it.

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use serde::Serialize;

use crate::{
    db::TenantTx,
    ids::TenantId,
    jobs::{self, Job, JobRegistry, NewJob},
    state::AppState,
};

/// The SMTP transport, when one is configured.
pub type SmtpTransport = AsyncSmtpTransport<Tokio1Executor>;

/// Builds the SMTP transport from a URL such as `smtp://user:pass@host:587?tls=required`.
pub fn transport(url: &str) -> anyhow::Result<SmtpTransport> {
    Ok(SmtpTransport::from_url(url).context("LYCEUM_SMTP_URL is not a valid SMTP URL")?.build())
}

/// The SMTP transport with a pool of at most `pool_size` connections.
pub fn pooled_transport(url: &str, pool_size: u32) -> anyhow::Result<SmtpTransport> {
    let pool = lettre::transport::smtp::PoolConfig::new().max_size(pool_size.max(1));
    Ok(SmtpTransport::from_url(url).context("LYCEUM_SMTP_URL is not a valid SMTP URL")?.pool_config(pool).build())
}

/// A message ready to be queued.
#[derive(Clone, Debug, Serialize)]
pub struct OutgoingMail {
    /// Recipient address.
    pub to_email: String,
    /// Recipient name (may be empty).
    pub to_name: String,
    /// Sender address.
    pub from_email: String,
    /// Sender name, usually the school's.
    pub from_name: String,
    /// Where replies go when that is not the sender (the school's own address while its domain
    /// is unverified).
    pub reply_to: Option<String>,
    /// Subject line.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Plain-text body.
    pub text: String,
    /// Which template produced it (for the mailbox and tests).
    pub template: String,
}

/// Stores the message and queues its delivery, inside the caller's transaction.
pub async fn queue(tx: &mut TenantTx, mail: &OutgoingMail) -> sqlx::Result<uuid::Uuid> {
    let id = uuid::Uuid::now_v7();
    sqlx::query(
        "insert into mail_messages
           (tenant_id, id, to_email, to_name, from_email, from_name, reply_to, subject, html, text, template)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&mail.to_email)
    .bind(&mail.to_name)
    .bind(&mail.from_email)
    .bind(&mail.from_name)
    .bind(&mail.reply_to)
    .bind(&mail.subject)
    .bind(&mail.html)
    .bind(&mail.text)
    .bind(&mail.template)
    .execute(&mut **tx)
    .await?;
    jobs::enqueue(tx, NewJob::new("mail.send", serde_json::json!({ "id": id })).key(id.to_string())).await?;
    Ok(id)
}

/// Signs a school's outgoing message (DKIM): the marketing domain puts one in
/// `Wiring::extensions` as a [`Signer`], and [`deliver`] adds the header it returns.
#[async_trait::async_trait]
pub trait MailSigner: Send + Sync {
    /// The `DKIM-Signature` header (name and value, without the line end) for `raw` sent from
    /// `from_email`, or `None` when the school has no verified key for that domain.
    async fn sign(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        from_email: &str,
        raw: &[u8],
    ) -> anyhow::Result<Option<String>>;
}

/// The signer in `state.extensions`.
#[derive(Clone)]
pub struct Signer(pub std::sync::Arc<dyn MailSigner>);

/// Stores a message that was not sent because no SMTP is configured (status `kept`), so the dev
/// mailbox shows it: what marketing's engine does in development.
pub async fn keep(tx: &mut TenantTx, mail: &OutgoingMail) -> sqlx::Result<uuid::Uuid> {
    let id = uuid::Uuid::now_v7();
    sqlx::query(
        "insert into mail_messages
           (tenant_id, id, to_email, to_name, from_email, from_name, reply_to, subject, html, text, template,
            status, sent_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'kept', now())",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&mail.to_email)
    .bind(&mail.to_name)
    .bind(&mail.from_email)
    .bind(&mail.from_name)
    .bind(&mail.reply_to)
    .bind(&mail.subject)
    .bind(&mail.html)
    .bind(&mail.text)
    .bind(&mail.template)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Registers the delivery job.
pub fn register(jobs: &mut JobRegistry) {
    jobs.register("mail.send", deliver);
}

async fn deliver(state: AppState, job: Job) -> anyhow::Result<()> {
    let id: uuid::Uuid = serde_json::from_value(job.payload["id"].clone()).context("mail job payload")?;
    let mut tx = state.db.tenant(job.tenant).await?;
    let Some(m) = find(&mut tx, id).await? else {
        return Ok(()); // deleted with its school
    };
    if m.status == "sent" || m.status == "kept" {
        return Ok(()); // already handled by an earlier attempt
    }
    let new_status = match &state.mailer {
        Some(transport) => {
            let from = Mailbox::new(Some(m.from_name).filter(|n| !n.is_empty()), m.from_email.parse()?);
            let to = Mailbox::new(Some(m.to_name).filter(|n| !n.is_empty()), m.to_email.parse()?);
            let mut message = Message::builder().from(from).to(to);
            if let Some(reply_to) = m.reply_to.filter(|r| !r.is_empty()) {
                message = message.reply_to(Mailbox::new(None, reply_to.parse()?));
            }
            let message = message
                .subject(m.subject)
                .multipart(MultiPart::alternative_plain_html(m.text, m.html))
                .context("building the message")?;
            let signer = state.extensions.get::<Signer>().cloned();
            match signer {
                Some(Signer(signer)) => {
                    let raw = message.formatted();
                    let signed = match signer.sign(&state, &mut tx, &m.from_email, &raw).await {
                        Ok(Some(header)) => [header.as_bytes(), b"\r\n", &raw].concat(),
                        Ok(None) => raw,
                        Err(e) => {
                            tracing::warn!(error = %e, "DKIM signing failed; sending unsigned");
                            raw
                        }
                    };
                    transport.send_raw(message.envelope(), &signed).await.context("sending over SMTP")?;
                }
                None => {
                    transport.send(message).await.context("sending over SMTP")?;
                }
            }
            "sent"
        }
        None => "kept",
    };
    sqlx::query("update mail_messages set status = $3, sent_at = now() where tenant_id = $1 and id = $2")
        .bind(job.tenant)
        .bind(id)
        .bind(new_status)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A stored message, for the dev mailbox.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct StoredMail {
    /// Message id.
    pub id: uuid::Uuid,
    /// School.
    pub tenant_id: TenantId,
    /// Recipient.
    pub to_email: String,
    /// Recipient's name.
    pub to_name: String,
    /// Sender name.
    pub from_name: String,
    /// Sender address.
    pub from_email: String,
    /// Reply-To address, when replies go elsewhere than the sender.
    pub reply_to: Option<String>,
    /// Subject.
    pub subject: String,
    /// HTML body.
    pub html: String,
    /// Text body.
    pub text: String,
    /// Template name.
    pub template: String,
    /// queued, sent, kept or failed.
    pub status: String,
    /// When it was queued.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When its bodies were removed after the retention period ([`purge_bodies`]).
    pub purged_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl StoredMail {
    /// The message with its bodies left out: what may be shown where one-time links must not
    /// be (the operator's mailbox outside demo mode).
    pub fn metadata_only(mut self) -> Self {
        self.html.clear();
        self.text.clear();
        self
    }
}

const STORED_COLUMNS: &str = "id, tenant_id, to_email, to_name, from_name, from_email, reply_to, subject, html, text,
    template, status, created_at, purged_at";

/// The school's latest messages, newest first.
pub async fn recent(tx: &mut TenantTx, limit: i64) -> sqlx::Result<Vec<StoredMail>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {STORED_COLUMNS} from mail_messages where tenant_id = $1 order by created_at desc limit $2"
    )))
    .bind(tx.tenant())
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// One message of the school.
pub async fn find(tx: &mut TenantTx, id: uuid::Uuid) -> sqlx::Result<Option<StoredMail>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {STORED_COLUMNS} from mail_messages where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Every school's latest messages, for the operator's mailbox.
pub async fn recent_all(state: &AppState, limit: i64) -> sqlx::Result<Vec<StoredMail>> {
    let mut tx = state.db.platform().await?;
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {STORED_COLUMNS} from mail_messages order by created_at desc limit $1"
    )))
    .bind(limit)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Empties the bodies (HTML and text, which carry one-time links) of messages older than
/// `LYCEUM_MAIL_RETENTION_DAYS`, keeping who, what and when. Messages still waiting to be sent
/// keep theirs. Run by the worker's maintenance; returns how many messages were purged.
pub async fn purge_bodies(state: &AppState) -> anyhow::Result<u64> {
    let mut tx = state.db.platform().await?;
    let n = sqlx::query(
        "update mail_messages set html = '', text = '', purged_at = now()
         where purged_at is null and status <> 'queued' and created_at < now() - make_interval(days => $1)",
    )
    .bind(state.config.mail_retention_days as i32)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Renders `{template}.html` (which extends `kernel/mail.html`) and `{template}.txt` in the
/// recipient's language, addressed from the school.
pub fn compose(
    state: &AppState,
    school: &crate::web::School,
    locale: crate::i18n::Locale,
    to: (&str, &str),
    template: &str,
    subject: String,
    ctx: minijinja::Value,
) -> anyhow::Result<OutgoingMail> {
    use minijinja::context;
    let brand = crate::web::school::parse_hex(&school.brand_color).unwrap_or((79, 70, 229));
    let on_brand = if crate::web::school::contrast(brand, (255, 255, 255)) >= 4.5 { "#ffffff" } else { "#0b1020" };
    let full = context! {
        locale => locale.code(),
        time_zone => school.time_zone.clone(),
        subject => subject.clone(),
        school_name => school.name.clone(),
        school_url => school.base_url.clone(),
        brand_color => school.brand_color.clone(),
        on_brand,
        // Mail clients load images only by absolute address, from the school's own host.
        logo_url => school.logo_url.as_ref().map(|path| format!("{}{path}", school.base_url)),
        school_initial => school.name.chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default(),
        ..ctx
    };
    let html = state.templates.get_template(&format!("{template}.html"))?.render(&full)?;
    let text = state.templates.get_template(&format!("{template}.txt"))?.render(&full)?;
    let from = sender(&state.config.mail_from, school);
    Ok(OutgoingMail {
        to_email: to.0.to_string(),
        to_name: to.1.to_string(),
        from_email: from.email,
        from_name: from.name,
        reply_to: from.reply_to,
        subject,
        html,
        text,
        template: template.to_string(),
    })
}

/// The address in `LYCEUM_MAIL_FROM` (`Name <address>`, or a bare address).
pub fn platform_address(from: &str) -> String {
    from.rsplit_once('<').map(|(_, a)| a.trim_end_matches('>').trim().to_string()).unwrap_or_else(|| from.trim().into())
}

/// The platform's own sender from `LYCEUM_MAIL_FROM`, for messages a person asked the platform
/// for (sign-in links from the platform's login page) rather than a school.
pub fn platform_sender(from: &str) -> Sender {
    let name = from.rsplit_once('<').map(|(n, _)| n.trim().trim_matches('"').to_string()).unwrap_or_default();
    Sender { name, email: platform_address(from), reply_to: None }
}

/// Who a school's message is from, and where replies go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    /// Display name.
    pub name: String,
    /// From address.
    pub email: String,
    /// Reply-To address, when it differs from the sender.
    pub reply_to: Option<String>,
}

/// Decides the sender of every message a school sends. The school's own address is the From
/// only once the school has verified that address's domain (a TXT record, as for custom
/// domains); until then the message comes from the platform's address under the school's name,
/// with the school's address as Reply-To, so a school cannot send in the name of a domain it
/// does not control.
pub fn sender(platform_from: &str, school: &crate::web::School) -> Sender {
    let platform_addr = platform_address(platform_from);
    if school.sender_email.is_empty() || !school.sender_verified {
        let reply_to = Some(school.sender_email.clone()).filter(|a| !a.is_empty());
        return Sender { name: school.name.clone(), email: platform_addr, reply_to };
    }
    let name = if school.sender_name.is_empty() { school.name.clone() } else { school.sender_name.clone() };
    Sender { name, email: school.sender_email.clone(), reply_to: None }
}

#[cfg(test)]
mod tests {
    use super::{Sender, sender};
    use crate::{i18n::Locale, ids::TenantId, web::School};

    fn school(sender_email: &str, sender_verified: bool) -> School {
        School {
            id: TenantId::new(),
            slug: "acme".into(),
            name: "Acme Academy".into(),
            status: "active".into(),
            status_reason: String::new(),
            plan: "free".into(),
            tagline: String::new(),
            logo_url: None,
            brand_color: "#4f46e5".into(),
            accent_color: "#0f172a".into(),
            heading_font: "inter".into(),
            default_locale: Locale::En,
            currency: "USD".into(),
            time_zone: "UTC".into(),
            sender_name: "Acme Team".into(),
            sender_email: sender_email.into(),
            sender_verified,
            base_url: "http://acme.localhost".into(),
            theme_css: String::new(),
        }
    }

    #[test]
    fn only_a_verified_school_address_is_the_sender() {
        let platform = "Lyceum <hello@lyceum.test>";
        let platform_as_school = |reply_to: Option<&str>| Sender {
            name: "Acme Academy".into(),
            email: "hello@lyceum.test".into(),
            reply_to: reply_to.map(Into::into),
        };
        assert_eq!(sender(platform, &school("", false)), platform_as_school(None));
        assert_eq!(sender(platform, &school("hi@acme.example", false)), platform_as_school(Some("hi@acme.example")));
        assert_eq!(
            sender(platform, &school("hi@acme.example", true)),
            Sender { name: "Acme Team".into(), email: "hi@acme.example".into(), reply_to: None }
        );
        assert_eq!(sender("bare@lyceum.test", &school("", false)).email, "bare@lyceum.test");
    }
}
