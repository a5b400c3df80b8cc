//! Platform operators: the people who run the deployment (not any school's staff).

use kernel::AppState;

/// Creates an operator account; fails with "already exists" for a taken address.
pub async fn create(state: &AppState, email: &str, name: &str, password: &str) -> anyhow::Result<()> {
    let email = identity::model::Email::parse(email).ok_or_else(|| anyhow::anyhow!("not a valid email address"))?;
    if password.chars().count() < identity::password::MIN_LEN {
        anyhow::bail!("the password must be at least {} characters", identity::password::MIN_LEN);
    }
    let hash = identity::password::hash(password)?;
    let mut tx = state.db.platform().await?;
    let res = sqlx::query("insert into operators (id, email, name, password_hash) values ($1, $2, $3, $4)")
        .bind(uuid::Uuid::now_v7())
        .bind(email.as_str())
        .bind(name)
        .bind(hash)
        .execute(&mut *tx)
        .await;
    match res {
        Err(sqlx::Error::Database(d)) if d.constraint() == Some("operators_email_key") => {
            anyhow::bail!("an operator with that email already exists")
        }
        other => {
            other?;
        }
    }
    tx.commit().await?;
    Ok(())
}
