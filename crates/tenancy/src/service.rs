//! Tenancy's rules: creating schools, loading them, listing them for the operator.

use std::sync::Arc;

use identity::{
    model::Role,
    service::{NewAccount, create_account},
};
use kernel::{
    AppError, AppState, TenantId,
    db::TenantTx,
    events::Event,
    i18n::{self, Locale},
    mail,
    state::{SchoolDirectory, Wiring},
    web::{FieldErrors, School},
};
use minijinja::context;

use crate::{
    model::{Slug, parse_school_name},
    store,
};

/// What it takes to start a school.
pub struct NewSchool {
    /// School name.
    pub name: String,
    /// Subdomain.
    pub slug: Slug,
    /// The owner's account.
    pub owner: NewAccount,
    /// Default language.
    pub locale: Locale,
}

impl NewSchool {
    /// Validates the signup form; messages in `locale`.
    pub fn parse(
        name: &str,
        slug: &str,
        owner_name: &str,
        email: &str,
        password: &str,
        locale: Locale,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let school_name = parse_school_name(name, locale, &mut errors, "school_name");
        let slug = Slug::parse(slug).map_err(|key| errors.add("slug", i18n::t(locale, key))).ok();
        let owner = NewAccount::parse(owner_name, email, password, locale)
            .map_err(|e| {
                for (k, v) in e.0 {
                    errors.add(&k, v);
                }
            })
            .ok();
        match (errors.is_empty(), slug, owner) {
            (true, Some(slug), Some(owner)) => Ok(Self { name: school_name, slug, owner, locale }),
            _ => Err(errors),
        }
    }
}

/// Why a school could not be created.
pub enum CreateError {
    /// The subdomain is taken.
    SlugTaken,
    /// Anything else.
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for CreateError {
    fn from(e: E) -> Self {
        Self::Other(e.into())
    }
}

/// Creates a school, its settings and its owner in one transaction, and publishes
/// `school.created`. `owner_verified` is true when the operator vouches for the address.
pub async fn create_school(
    state: &AppState,
    new: &NewSchool,
    owner_verified: bool,
) -> Result<(School, identity::User), CreateError> {
    let (school, owner, tx) = create(state, new, owner_verified).await?;
    tx.commit().await?;
    Ok((school, owner))
}

/// A school started by its creator on the platform's `/start` page, with the sign-in link that
/// takes them into its admin on the school's own host, already logged in. The link is made in
/// the transaction that creates the school, so there is never a school without a way in.
pub async fn start_school(state: &AppState, new: &NewSchool) -> Result<(School, String), CreateError> {
    let (school, owner, mut tx) = create(state, new, false).await?;
    let link = identity::service::sign_in::issue_link(&mut tx, &school, &owner).await?;
    tx.commit().await?;
    Ok((school, link))
}

/// Creates the school in a transaction left open for the caller to add to and commit.
async fn create(
    state: &AppState,
    new: &NewSchool,
    owner_verified: bool,
) -> Result<(School, identity::User, TenantTx), CreateError> {
    let id = TenantId::new();
    let mut ptx = state.db.platform().await?;
    let inserted = sqlx::query("insert into tenants (id, slug, name) values ($1, $2, $3)")
        .bind(id)
        .bind(new.slug.as_str())
        .bind(&new.name)
        .execute(&mut *ptx)
        .await;
    match inserted {
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("tenants_slug_key") => {
            return Err(CreateError::SlugTaken);
        }
        other => {
            other?;
        }
    }
    let mut tx = ptx.into_tenant(id).await?;
    sqlx::query("insert into tenant_settings (tenant_id, default_locale) values ($1, $2)")
        .bind(id)
        .bind(new.locale.code())
        .execute(&mut *tx)
        .await?;
    let mut owner = create_account(state, &mut tx, &new.owner, Role::Owner, owner_verified)
        .await?
        .ok_or_else(|| AppError::Conflict("owner email taken in a new school".into()))?;
    // The creator's own language, which a later change of the school's default must not move.
    identity::store::set_locale(&mut tx, owner.id, new.locale.code()).await?;
    owner.locale = Some(new.locale.code().to_string());
    let row = store::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let school = row.into_school(&state.config);
    if !owner_verified {
        identity::service::send_verification(state, &mut tx, &school, &owner).await?;
    }
    state
        .events
        .publish(&mut tx, "school.created", serde_json::json!({ "owner_id": owner.id, "slug": new.slug.as_str() }))
        .await?;
    Ok((school, owner, tx))
}

/// Loads schools for jobs and mail.
pub struct Directory;

#[async_trait::async_trait]
impl SchoolDirectory for Directory {
    async fn load(&self, state: &AppState, tenant: TenantId) -> anyhow::Result<School> {
        let mut tx = state.db.tenant(tenant).await?;
        let row = store::by_id(&mut tx, tenant).await?.ok_or_else(|| anyhow::anyhow!("school {tenant} not found"))?;
        tx.commit().await?;
        Ok(row.into_school(&state.config))
    }
}

/// Emails the owner that their school is ready (subscriber of `school.created`).
async fn school_ready(state: AppState, event: Event) -> anyhow::Result<()> {
    let school = state.school(event.tenant).await?;
    let mut tx = state.db.tenant(event.tenant).await?;
    let owner_id = serde_json::from_value(event.payload["owner_id"].clone())?;
    let Some(owner) = identity::store::find(&mut tx, owner_id).await? else { return Ok(()) };
    let locale = identity::service::user_locale(&owner, &school);
    let subject = i18n::t_args(locale, "mail-school-ready-subject", &[("school", school.name.clone().into())]);
    let m = mail::compose(
        &state,
        &school,
        locale,
        (&owner.email, &owner.name),
        "tenancy/mail/school_ready",
        subject,
        context! { name => owner.name.clone(), url => format!("{}/admin", school.base_url), site => school.base_url.clone() },
    )?;
    mail::queue(&mut tx, &m).await?;
    tx.commit().await?;
    Ok(())
}

/// Tenancy's wiring.
pub fn wire(w: &mut Wiring) {
    w.schools = Some(Arc::new(Directory));
    w.events.subscribe(&mut w.jobs, "school.created", "tenancy.school_ready_email", school_ready);
    crate::domain_check::register(&mut w.jobs);
}

/// A school with its numbers, for the operator and the CLI.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct SchoolSummary {
    /// Tenant id.
    pub id: TenantId,
    /// Subdomain.
    pub slug: String,
    /// Name.
    pub name: String,
    /// active or suspended.
    pub status: String,
    /// Plan.
    pub plan: String,
    /// Accounts.
    pub users: i64,
    /// Students.
    pub students: i64,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Every school with its counts, newest first.
pub async fn list_schools(state: &AppState) -> anyhow::Result<Vec<SchoolSummary>> {
    search_schools(state, None).await
}

/// Schools whose name or subdomain contains `search` (all when `None`), newest first.
pub async fn search_schools(state: &AppState, search: Option<&str>) -> anyhow::Result<Vec<SchoolSummary>> {
    let mut tx = state.db.platform().await?;
    let rows = sqlx::query_as(
        "select t.id, t.slug, t.name, t.status, t.plan, t.created_at,
                count(u.id) as users, count(u.id) filter (where u.role = 'student') as students
         from tenants t left join users u on u.tenant_id = t.id
         where $1::text is null or t.name ilike '%' || $1 || '%' or t.slug ilike '%' || $1 || '%'
         group by t.id order by t.created_at desc",
    )
    .bind(search.map(|q| q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// One school with its numbers, for the operator's pause form.
pub async fn school_summary(state: &AppState, id: TenantId) -> anyhow::Result<Option<SchoolSummary>> {
    let mut tx = state.db.platform().await?;
    let row = sqlx::query_as(
        "select t.id, t.slug, t.name, t.status, t.plan, t.created_at,
                count(u.id) as users, count(u.id) filter (where u.role = 'student') as students
         from tenants t left join users u on u.tenant_id = t.id where t.id = $1 group by t.id",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Longest reason an operator may give for pausing a school.
pub const MAX_REASON_CHARS: usize = 1000;

/// Why the operator pauses a school: required, so the owner learns what to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PauseReason(String);

impl PauseReason {
    /// Trims what the operator typed; `Err` holds a Fluent key.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            Err("operator-reason-required")
        } else if s.chars().count() > MAX_REASON_CHARS {
            Err("operator-reason-too-long")
        } else {
            Ok(Self(s.to_string()))
        }
    }

    /// The reason.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Pauses a school (with a reason) or resumes it (`None`), records who did it, when, from
/// which status and why in the school's audit log, and emails the owners. False when there is
/// no such school.
pub async fn set_status(
    state: &AppState,
    id: TenantId,
    pause: Option<&PauseReason>,
    actor: uuid::Uuid,
) -> anyhow::Result<bool> {
    let to = if pause.is_some() { "suspended" } else { "active" };
    let reason = pause.map(PauseReason::as_str).unwrap_or_default();
    let mut ptx = state.db.platform().await?;
    let from: Option<String> = sqlx::query_scalar(
        "update tenants t set status = $2, status_reason = $3 from tenants old
         where t.id = $1 and old.id = t.id returning old.status",
    )
    .bind(id)
    .bind(to)
    .bind(reason)
    .fetch_optional(&mut *ptx)
    .await?;
    let Some(from) = from else { return Ok(false) };
    let mut tx = ptx.into_tenant(id).await?;
    sqlx::query("insert into audit_log (tenant_id, id, actor_id, action, detail) values ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(uuid::Uuid::now_v7())
        .bind(actor)
        .bind(if pause.is_some() { "operator.school_suspended" } else { "operator.school_resumed" })
        .bind(serde_json::json!({ "by": "operator", "from": from, "to": to, "reason": reason }))
        .execute(&mut *tx)
        .await?;
    email_owners_about_status(state, &mut tx, pause).await?;
    tx.commit().await?;
    crate::resolve::forget(state);
    Ok(true)
}

/// Tells every owner that the school was paused (and why, and what to do) or resumed.
async fn email_owners_about_status(
    state: &AppState,
    tx: &mut kernel::db::TenantTx,
    pause: Option<&PauseReason>,
) -> anyhow::Result<()> {
    let school = state.school(tx.tenant()).await?;
    let (template, subject) = match pause {
        Some(_) => ("tenancy/mail/school_paused", "mail-school-paused-subject"),
        None => ("tenancy/mail/school_resumed", "mail-school-resumed-subject"),
    };
    let owners = identity::store::team::members(tx).await?;
    for owner in owners.iter().filter(|u| u.role() == Role::Owner) {
        let ctx = context! {
            name => owner.name.clone(),
            school_name => school.name.clone(),
            reason => pause.map(|r| r.as_str().to_string()),
            support => kernel::mail::platform_address(&state.config.mail_from),
            url => format!("{}/admin", school.base_url),
        };
        let to = identity::service::Recipient::user(owner, &school);
        identity::service::send_mail(state, tx, &school, to, template, subject, ctx)
            .await
            .map_err(|e| anyhow::anyhow!("queueing the school-status email: {e}"))?;
    }
    Ok(())
}
