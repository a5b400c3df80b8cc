//! The contacts list's SQL: one filter (search, tag, status, customer or lead, source, form)
//! shared by the page, its bulk actions, the CSV export and the API; a contact's activity; the
//! tag names in use; and what staff change on a contact. Every function takes the school's
//! transaction.

use chrono::{DateTime, Utc};
use kernel::db::TenantTx;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::{
    model::{Contact, ContactId},
    store::CONTACT,
};

/// Which contacts a list shows. Empty strings mean "any".
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Filter {
    /// Part of the address or the name.
    pub q: String,
    /// A tag's name (any case).
    pub tag: String,
    /// `subscribed`, `pending`, `unsubscribed` or `suppressed`.
    pub status: String,
    /// `customer` or `lead`.
    pub kind: String,
    /// How they arrived: `form`, `import`, `purchase`, `signup`, `api` or `staff`.
    pub source: String,
    /// The form they came through (its id).
    pub form: String,
    /// `newest` (the default), `oldest`, `email` or `name`.
    pub sort: String,
}

/// The statuses a filter takes.
pub const STATUSES: &[&str] = &["subscribed", "pending", "unsubscribed", "suppressed"];
/// The source kinds a filter takes.
pub const SOURCES: &[&str] = &["form", "import", "purchase", "signup", "api", "staff"];
/// The sort orders a filter takes.
pub const SORTS: &[&str] = &["newest", "oldest", "email", "name"];

impl Filter {
    /// The same filter with anything unknown dropped, so a hand-edited address shows all.
    pub fn cleaned(mut self) -> Self {
        self.q = self.q.trim().chars().take(200).collect();
        self.tag = self.tag.trim().chars().take(60).collect();
        if !STATUSES.contains(&self.status.as_str()) {
            self.status.clear();
        }
        if !["customer", "lead"].contains(&self.kind.as_str()) {
            self.kind.clear();
        }
        if !SOURCES.contains(&self.source.as_str()) {
            self.source.clear();
        }
        if self.form.parse::<Uuid>().is_err() {
            self.form.clear();
        }
        if !SORTS.contains(&self.sort.as_str()) {
            self.sort.clear();
        }
        self
    }

    /// Whether anything narrows the list.
    pub fn narrows(&self) -> bool {
        [&self.q, &self.tag, &self.status, &self.kind, &self.source, &self.form].iter().any(|s| !s.is_empty())
    }

    /// The filter as a query string (no leading `?`), for links that keep it.
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    fn order(&self) -> &'static str {
        match self.sort.as_str() {
            "oldest" => "created_at, id",
            "email" => "email, id",
            "name" => "lower(first_name || ' ' || last_name), email",
            _ => "created_at desc, id desc",
        }
    }
}

/// `%`, `_` and `\` typed in a search are matched as themselves.
fn like(q: &str) -> String {
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

const WHERE: &str = "tenant_id = $1 \
    and ($2 = '%%' or email ilike $2 or (first_name || ' ' || last_name) ilike $2) \
    and ($3 = '' or exists (select 1 from contact_tags ct join tags t on t.tenant_id = ct.tenant_id and t.id = ct.tag_id \
                            where ct.tenant_id = contacts.tenant_id and ct.contact_id = contacts.id and lower(t.name) = lower($3))) \
    and ($4 = '' or ($4 = 'suppressed' and suppressed_at is not null) or (status = $4 and suppressed_at is null)) \
    and ($5 = '' or is_customer = ($5 = 'customer')) \
    and ($6 = '' or source->>'kind' = $6) \
    and ($7 = '' or source->>'form_id' = $7)";

const TAGS: &str = "array(select t.name from contact_tags ct join tags t on t.tenant_id = ct.tenant_id and t.id = ct.tag_id \
                    where ct.tenant_id = contacts.tenant_id and ct.contact_id = contacts.id order by lower(t.name)) as tags";

/// A contact with their tags, as a list shows them.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Row {
    /// The contact.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub contact: Contact,
    /// Their tags, by name.
    pub tags: Vec<String>,
}

fn bind<'q>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, Row, sqlx::postgres::PgArguments>,
    tx: &TenantTx,
    f: &'q Filter,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, Row, sqlx::postgres::PgArguments> {
    query.bind(tx.tenant()).bind(like(&f.q)).bind(&f.tag).bind(&f.status).bind(&f.kind).bind(&f.source).bind(&f.form)
}

/// One page of the contacts `f` matches, and how many match in all.
pub async fn list(tx: &mut TenantTx, f: &Filter, offset: i64, limit: i64) -> sqlx::Result<(Vec<Row>, i64)> {
    let sql = format!("select {CONTACT}, {TAGS} from contacts where {WHERE} order by {} offset $8 limit $9", f.order());
    let rows = bind(sqlx::query_as(AssertSqlSafe(sql)), tx, f).bind(offset).bind(limit).fetch_all(&mut **tx).await?;
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!("select count(*) from contacts where {WHERE}")))
        .bind(tx.tenant())
        .bind(like(&f.q))
        .bind(&f.tag)
        .bind(&f.status)
        .bind(&f.kind)
        .bind(&f.source)
        .bind(&f.form)
        .fetch_one(&mut **tx)
        .await?;
    Ok((rows, total))
}

/// The contacts after `after` (by id) that `f` matches, in id order: the API's cursor paging.
pub async fn list_after(tx: &mut TenantTx, f: &Filter, after: Option<Uuid>, limit: i64) -> sqlx::Result<Vec<Row>> {
    let sql = format!(
        "select {CONTACT}, {TAGS} from contacts where {WHERE} and ($8::uuid is null or id > $8) order by id limit $9"
    );
    bind(sqlx::query_as(AssertSqlSafe(sql)), tx, f).bind(after).bind(limit).fetch_all(&mut **tx).await
}

/// One contact with their tags.
pub async fn row(tx: &mut TenantTx, id: ContactId) -> sqlx::Result<Option<Row>> {
    sqlx::query_as(AssertSqlSafe(format!("select {CONTACT}, {TAGS} from contacts where tenant_id = $1 and id = $2")))
        .bind(tx.tenant())
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// The ids of every contact `f` matches (bulk actions on "all matching").
pub async fn matching_ids(tx: &mut TenantTx, f: &Filter) -> sqlx::Result<Vec<ContactId>> {
    sqlx::query_scalar(AssertSqlSafe(format!("select id from contacts where {WHERE} order by id")))
        .bind(tx.tenant())
        .bind(like(&f.q))
        .bind(&f.tag)
        .bind(&f.status)
        .bind(&f.kind)
        .bind(&f.source)
        .bind(&f.form)
        .fetch_all(&mut **tx)
        .await
}

/// The list header's counts.
#[derive(Clone, Debug, Default, Serialize, sqlx::FromRow)]
pub struct Counts {
    /// Every contact.
    pub total: i64,
    /// Those who get marketing email.
    pub subscribed: i64,
    /// Those who bought.
    pub customers: i64,
}

/// How many contacts, subscribers and customers the school has.
pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<Counts> {
    sqlx::query_as(
        "select count(*) as total, \
                count(*) filter (where status = 'subscribed' and suppressed_at is null) as subscribed, \
                count(*) filter (where is_customer) as customers \
         from contacts where tenant_id = $1",
    )
    .bind(tx.tenant())
    .fetch_one(&mut **tx)
    .await
}

/// Every tag name in use, alphabetically.
pub async fn tag_names(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select name from tags where tenant_id = $1 order by lower(name)")
        .bind(tx.tenant())
        .fetch_all(&mut **tx)
        .await
}

/// The id of the tag named `name` (any case), if there is one.
pub async fn find_tag(tx: &mut TenantTx, name: &str) -> sqlx::Result<Option<crate::model::TagId>> {
    sqlx::query_scalar("select id from tags where tenant_id = $1 and lower(name) = lower($2)")
        .bind(tx.tenant())
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
}

/// Something that happened to a contact.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Activity {
    /// `created`, `purchase`, `refund`, `enrolled`, `signed_up`, `unsubscribed`, `resubscribed`,
    /// `imported`, or what forms write.
    pub kind: String,
    /// Its details.
    pub detail: serde_json::Value,
    /// When.
    pub occurred_at: DateTime<Utc>,
}

/// A contact's activity, newest first.
pub async fn activity(tx: &mut TenantTx, id: ContactId) -> sqlx::Result<Vec<Activity>> {
    sqlx::query_as(
        "select kind, detail, occurred_at from contact_activity where tenant_id = $1 and contact_id = $2 \
         order by occurred_at desc, id desc limit 200",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Notes what an event did to a contact, once per event; whether it was new.
pub async fn activity_once(
    tx: &mut TenantTx,
    contact: ContactId,
    kind: &str,
    detail: &serde_json::Value,
    at: DateTime<Utc>,
    event: Uuid,
) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "insert into contact_activity (tenant_id, id, contact_id, kind, detail, occurred_at, event_id) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (tenant_id, event_id) where event_id is not null do nothing",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(contact)
    .bind(kind)
    .bind(detail)
    .bind(at)
    .bind(event)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Whether an event was already handled (its activity row exists).
pub async fn event_seen(tx: &mut TenantTx, event: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from contact_activity where tenant_id = $1 and event_id = $2)")
        .bind(tx.tenant())
        .bind(event)
        .fetch_one(&mut **tx)
        .await
}

/// The contact linked to an account, if any.
pub async fn by_user(tx: &mut TenantTx, user: Uuid) -> sqlx::Result<Option<ContactId>> {
    sqlx::query_scalar("select id from contacts where tenant_id = $1 and user_id = $2 order by created_at limit 1")
        .bind(tx.tenant())
        .bind(user)
        .fetch_optional(&mut **tx)
        .await
}

/// Changes a contact's name and custom fields (replacing the fields).
pub async fn set_details(
    tx: &mut TenantTx,
    id: ContactId,
    first: &str,
    last: &str,
    fields: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query("update contacts set first_name = $3, last_name = $4, fields = $5 where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .bind(first)
        .bind(last)
        .bind(fields)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets a contact's status (`subscribed` or `unsubscribed`) as staff chose.
pub async fn set_status(tx: &mut TenantTx, id: ContactId, status: &str, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query(
        "update contacts set status = $3, \
           unsubscribed_at = case when $3 = 'unsubscribed' then $4 end \
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(status)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes a contact; their tags and activity go with them (foreign key cascades).
pub async fn delete(tx: &mut TenantTx, id: ContactId) -> sqlx::Result<bool> {
    let n = sqlx::query("delete from contacts where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(n == 1)
}
