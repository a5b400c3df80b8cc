//! People, roles and permissions.

use chrono::{DateTime, Utc};
use kernel::ids::{TenantId, UserId};
use serde::Serialize;

kernel::id_type!(
    /// An invitation to join a school's team.
    InvitationId
);

/// What a person is to the school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Created the school; can do everything, including billing and deleting it.
    Owner,
    /// Runs the school with the owner.
    Admin,
    /// Builds and teaches courses.
    Instructor,
    /// Helps students and sees orders.
    Support,
    /// Promotes the school for commission.
    Affiliate,
    /// Learns.
    Student,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 6] =
        [Role::Owner, Role::Admin, Role::Instructor, Role::Support, Role::Affiliate, Role::Student];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Instructor => "instructor",
            Role::Support => "support",
            Role::Affiliate => "affiliate",
            Role::Student => "student",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles a team member can be invited to or given (never owner, never student).
    pub const ASSIGNABLE: [Role; 4] = [Role::Admin, Role::Instructor, Role::Support, Role::Affiliate];

    /// Parses a role that can be invited to or given.
    pub fn parse_assignable(s: &str) -> Option<Self> {
        Self::ASSIGNABLE.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role is on the school's team (sees `/admin`).
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Instructor | Role::Support)
    }
}

/// Something a staff route needs to be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See the admin area at all.
    ViewAdmin,
    /// See the list of students and team.
    ViewPeople,
    /// Invite team members, change roles, remove people.
    ManageTeam,
    /// Edit the school's name, branding, domains, locale and currency.
    ManageSettings,
    /// Create and revoke API keys.
    ManageApiKeys,
    /// Build and edit courses.
    ManageCourses,
    /// Upload, replace and delete videos and files in the media library.
    ManageMedia,
    /// Help a student get back in: resend the verification email, send a password-reset email,
    /// and see their sign-in history.
    HelpStudents,
    /// Correct a student's address, suspend and restore them, and delete their account.
    ManageStudents,
    /// Read messages sent by the school (dev mailbox in demo mode). They hold password-reset
    /// and invitation links, so only the people who can already manage the team may.
    ViewMailbox,
    /// Create and change products, offers and coupons.
    ManageProducts,
    /// See orders and subscriptions, refund, comp, export sales.
    ManageSales,
    /// Build pages and forms, and see and change contacts.
    ManageMarketing,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 13] = [
        Permission::ViewAdmin,
        Permission::ViewPeople,
        Permission::ManageTeam,
        Permission::ManageSettings,
        Permission::ManageApiKeys,
        Permission::ManageCourses,
        Permission::ManageMedia,
        Permission::HelpStudents,
        Permission::ManageStudents,
        Permission::ViewMailbox,
        Permission::ManageProducts,
        Permission::ManageSales,
        Permission::ManageMarketing,
    ];

    /// The name templates test for (`{% if "manage_settings" in user.can %}`).
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewAdmin => "view_admin",
            Permission::ViewPeople => "view_people",
            Permission::ManageTeam => "manage_team",
            Permission::ManageSettings => "manage_settings",
            Permission::ManageApiKeys => "manage_api_keys",
            Permission::ManageCourses => "manage_courses",
            Permission::ManageMedia => "manage_media",
            Permission::HelpStudents => "help_students",
            Permission::ManageStudents => "manage_students",
            Permission::ViewMailbox => "view_mailbox",
            Permission::ManageProducts => "manage_products",
            Permission::ManageSales => "manage_sales",
            Permission::ManageMarketing => "manage_marketing",
        }
    }
}

impl Role {
    /// The names of every permission the role has, for the layout.
    pub fn permission_names(self) -> Vec<&'static str> {
        Permission::ALL.into_iter().filter(|p| allows(self, *p)).map(Permission::as_str).collect()
    }
}

/// The one permission table: which role may do what.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        ViewAdmin => role.is_staff(),
        ViewPeople => matches!(role, Owner | Admin | Instructor | Support),
        ManageTeam => matches!(role, Owner | Admin),
        ManageSettings => matches!(role, Owner | Admin),
        ManageApiKeys => matches!(role, Owner),
        ManageCourses => matches!(role, Owner | Admin | Instructor),
        ManageMedia => matches!(role, Owner | Admin | Instructor),
        ViewMailbox => matches!(role, Owner | Admin),
        HelpStudents => matches!(role, Owner | Admin | Support),
        ManageStudents => matches!(role, Owner | Admin),
        ManageProducts => matches!(role, Owner | Admin),
        ManageSales => matches!(role, Owner | Admin),
        ManageMarketing => matches!(role, Owner | Admin),
    }
}

/// A person's account in one school.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct User {
    /// School.
    pub tenant_id: TenantId,
    /// Account id.
    pub id: UserId,
    /// Email address (unique in the school, compared without case).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Stored role name; see [`User::role`].
    #[sqlx(rename = "role")]
    #[serde(rename = "role")]
    pub role_name: String,
    /// When the address was confirmed.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Interface language the person chose; `None` follows the school's default.
    pub locale: Option<String>,
    /// Time zone the person chose; `None` follows the school's.
    pub time_zone: Option<String>,
    /// When two-factor login was turned on.
    pub totp_enabled_at: Option<DateTime<Utc>>,
    /// Last successful login.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When staff suspended the account (it cannot log in until restored).
    pub suspended_at: Option<DateTime<Utc>>,
    /// When the account was deleted (its personal data is erased; the row stays for history).
    pub deleted_at: Option<DateTime<Utc>>,
}

impl User {
    /// The person's role.
    pub fn role(&self) -> Role {
        Role::parse(&self.role_name).unwrap_or(Role::Student)
    }

    /// Where the person lands after logging in: the admin for the team, their learning otherwise.
    pub fn home(&self) -> &'static str {
        if self.role().is_staff() { "/admin" } else { "/dashboard" }
    }

    /// Initials for the avatar.
    pub fn initials(&self) -> String {
        let mut it = self.name.split_whitespace().filter_map(|w| w.chars().next());
        let s: String = it.by_ref().take(2).collect();
        if s.is_empty() { self.email.chars().next().unwrap_or('?').to_string() } else { s.to_uppercase() }
    }
}

/// A validated email address: trimmed, lowercased, one `@`, a dot in the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses user input.
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim().to_lowercase();
        let (local, domain) = s.split_once('@')?;
        let ok = !local.is_empty()
            && local.len() <= 64
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.contains(char::is_whitespace)
            && s.matches('@').count() == 1
            && s.len() <= 254;
        ok.then_some(Self(s))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_owners_manage_api_keys_and_students_see_no_admin() {
        assert!(allows(Role::Owner, Permission::ManageApiKeys));
        assert!(!allows(Role::Admin, Permission::ManageApiKeys));
        assert!(!allows(Role::Student, Permission::ViewAdmin));
        assert!(!allows(Role::Affiliate, Permission::ViewAdmin));
        assert!(allows(Role::Support, Permission::ViewAdmin));
        assert!(!allows(Role::Support, Permission::ViewMailbox), "the mailbox holds the owner's reset links");
    }

    #[test]
    fn the_layout_gets_the_same_table() {
        assert!(Role::Owner.permission_names().contains(&"manage_api_keys"));
        assert!(!Role::Instructor.permission_names().contains(&"manage_settings"));
        assert!(Role::Instructor.permission_names().contains(&"manage_media"));
        assert!(Role::Student.permission_names().is_empty());
    }

    #[test]
    fn support_helps_students_and_only_owners_and_admins_change_them() {
        assert!(allows(Role::Support, Permission::HelpStudents));
        assert!(!allows(Role::Support, Permission::ManageStudents));
        assert!(!allows(Role::Instructor, Permission::HelpStudents));
        assert!(allows(Role::Admin, Permission::ManageStudents) && allows(Role::Owner, Permission::ManageStudents));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Ana@Example.COM ").unwrap().as_str(), "ana@example.com");
        assert!(Email::parse("ana@example").is_none());
        assert!(Email::parse("a b@example.com").is_none());
        assert!(Email::parse("@example.com").is_none());
    }
}
