//! What the API sends and accepts. These types are the OpenAPI document's schemas: change a
//! field here and the document and the reference page follow.

use chrono::{DateTime, Utc};
use identity::{Role, User};
use kernel::{ids::UserId, web::School};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::model::{ApiKey, ApiKeyId, Scope};

/// A person's role in the school.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[schema(example = "student")]
#[serde(rename_all = "lowercase")]
pub enum RoleName {
    /// Created the school.
    Owner,
    /// Runs the school with the owner.
    Admin,
    /// Builds and teaches courses.
    Instructor,
    /// Helps students.
    Support,
    /// Promotes the school for commission.
    Affiliate,
    /// Learns.
    Student,
}

impl From<Role> for RoleName {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Instructor => Self::Instructor,
            Role::Support => Self::Support,
            Role::Affiliate => Self::Affiliate,
            Role::Student => Self::Student,
        }
    }
}

/// A role a new account may be given: any but `owner`.
#[derive(Clone, Copy, Debug, ToSchema)]
#[schema(example = "student", rename_all = "lowercase")]
pub enum NewRoleName {
    /// Runs the school with the owner.
    Admin,
    /// Builds and teaches courses.
    Instructor,
    /// Helps students.
    Support,
    /// Promotes the school for commission.
    Affiliate,
    /// Learns.
    Student,
}

/// Every role name, for messages.
pub fn role_names() -> String {
    Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
}

/// A person with an account in the school.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUser {
    /// The account's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")]
    pub id: UserId,
    /// Email address, in lower case.
    #[schema(format = Email, example = "ana@example.com")]
    pub email: String,
    /// Display name.
    #[schema(example = "Ana García")]
    pub name: String,
    /// Role in the school.
    pub role: RoleName,
    /// Whether the person has confirmed their email address.
    pub email_verified: bool,
    /// When the account was created.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
    /// When the person last logged in, if ever.
    #[schema(example = "2026-11-28T18:02:11Z")]
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<&User> for ApiUser {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role().into(),
            email_verified: u.email_verified_at.is_some(),
            created_at: u.created_at,
            last_login_at: u.last_login_at,
        }
    }
}

/// One page of people, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    /// The people on this page.
    pub data: Vec<ApiUser>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(example = "AZL3xIpOfMO31T8OHJp7IQ")]
    pub next_cursor: Option<String>,
}

/// Filters and paging for the list of people.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// How many people to return, from 1 to 100.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 25, example = 25)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(value_type = Option<crate::paging::Cursor>, inline)]
    pub cursor: Option<String>,
    /// Only these roles; several may be given separated by commas (`student,instructor`).
    #[param(value_type = Option<Vec<RoleName>>, style = Form, explode = false, example = json!(["student"]))]
    pub role: Option<String>,
    /// Only people whose name or email contains this text (any case).
    #[param(max_length = 200, example = "garcia")]
    pub q: Option<String>,
}

/// A new account. Fields not listed here are refused, so that a misspelt one (`pasword`)
/// cannot silently create an account other than the one meant.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Email address; must not belong to another account in the school.
    #[serde(default)]
    #[schema(required = true, format = Email, example = "ana@example.com")]
    pub email: String,
    /// Display name (up to 120 characters, not only spaces).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 120, pattern = r"\S", example = "Ana García")]
    pub name: String,
    /// Role in the school; `student` when left out. `owner` cannot be given.
    #[serde(default)]
    #[schema(value_type = Option<NewRoleName>, example = "student")]
    pub role: Option<String>,
    /// A password of at least 10 characters (and at most 1024 bytes). Leave it out to send the
    /// person an email with a link to confirm their address; they set a password with "Forgot
    /// password?".
    #[serde(default)]
    #[schema(write_only, min_length = 10, max_length = 1024, example = "a long and memorable sentence")]
    pub password: Option<String>,
}

/// The key that made the request.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeKey {
    /// The key's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c4-1f2b-7a9e-9d41-6c1d2e3f4a5b")]
    pub id: ApiKeyId,
    /// The name it was given.
    #[schema(example = "Zapier")]
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// The key's first characters.
    #[schema(example = "lyc_Ab12Cd34")]
    pub prefix: String,
    /// When it was created.
    #[schema(example = "2026-11-27T09:30:00Z")]
    pub created_at: DateTime<Utc>,
}

/// The school the key belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeSchool {
    /// The school's id.
    #[schema(value_type = uuid::Uuid, example = "0192f7c4-0000-7000-8000-000000000001")]
    pub id: kernel::TenantId,
    /// Name.
    #[schema(example = "Bloom Yoga")]
    pub name: String,
    /// Subdomain label.
    #[schema(example = "bloom")]
    pub slug: String,
    /// The school's web address.
    #[schema(format = "uri", example = "https://bloom.lyceum.example")]
    pub url: String,
    /// ISO 4217 currency of its prices.
    #[schema(example = "USD")]
    pub currency: String,
    /// Default language (BCP 47).
    #[schema(example = "en")]
    pub locale: String,
    /// IANA time zone.
    #[schema(example = "America/New_York")]
    pub time_zone: String,
}

/// Who is calling: the key and its school.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The key that made the request.
    pub key: MeKey,
    /// The school it belongs to.
    pub school: MeSchool,
}

impl Me {
    /// Describes a key and its school.
    pub fn new(key: &ApiKey, school: &School) -> Self {
        Self {
            key: MeKey {
                id: key.id,
                name: key.name.clone(),
                scope: key.scope(),
                prefix: key.prefix.clone(),
                created_at: key.created_at,
            },
            school: MeSchool {
                id: school.id,
                name: school.name.clone(),
                slug: school.slug.clone(),
                url: school.base_url.clone(),
                currency: school.currency.clone(),
                locale: school.default_locale.code().to_string(),
                time_zone: school.time_zone.clone(),
            },
        }
    }
}
