//! The affiliate program in tests without its admin pages: switching the program on and making
//! a person an approved affiliate, straight in the school's database.

use commerce::affiliates::{Affiliate, AffiliateId, store};
use identity::Role;

use crate::support::{TestApp, TestSchool};

/// Switches the school's program on (`signup` `open` or `approval`), with a holding period of
/// `holding_days` and the default rule at `percent` % of the sale.
pub async fn enable(app: &TestApp, school: &TestSchool, signup: &str, holding_days: i32, percent: i32) {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    sqlx::query(
        "insert into affiliate_settings (tenant_id, enabled, signup, holding_days, terms)
         values ($1, true, $2, $3, 'Be honest about the course.')
         on conflict (tenant_id) do update set enabled = true, signup = $2, holding_days = $3",
    )
    .bind(school.school.id)
    .bind(signup)
    .bind(holding_days)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "insert into affiliate_rules (tenant_id, id, offer_id, kind, percent_bp) values ($1, $2, null, 'percent', $3)
         on conflict (tenant_id) where offer_id is null do update set percent_bp = $3",
    )
    .bind(school.school.id)
    .bind(uuid::Uuid::now_v7())
    .bind(percent * 100)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// A new student account `email` who is an approved affiliate with `code`.
pub async fn affiliate(app: &TestApp, school: &TestSchool, name: &str, email: &str, code: &str) -> Affiliate {
    let user = app.user(school, name, email, Role::Student).await;
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let id = AffiliateId::new();
    sqlx::query(
        "insert into affiliates (tenant_id, id, user_id, code, status, terms_accepted_at, decided_at)
         values ($1, $2, $3, $4, 'approved', now(), now())",
    )
    .bind(school.school.id)
    .bind(id)
    .bind(user.id)
    .bind(code)
    .execute(&mut *tx)
    .await
    .unwrap();
    let a = store::affiliate(&mut tx, id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    a
}
