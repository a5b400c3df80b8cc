//! Platform operators: the people who run the deployment (not any school's staff). They log in
//! on the platform host with their own cookie, [`COOKIE`], which holds a random token that is
//! stored only hashed in `operator_sessions`.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, request::Parts},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use kernel::{
    AppError, AppState,
    secret::{hash_token, random_token},
    web::{Shell, Visitor},
};
use uuid::Uuid;

/// The operator session cookie (platform host only).
pub const COOKIE: &str = "lyceum_op";
/// How long an operator stays logged in.
pub const SESSION_HOURS: i64 = 12;

/// Creates an operator account; fails with "already exists" for a taken address.
pub async fn create(state: &AppState, email: &str, name: &str, password: &str) -> anyhow::Result<()> {
    let email = identity::model::Email::parse(email).ok_or_else(|| anyhow::anyhow!("not a valid email address"))?;
    if password.chars().count() < identity::password::MIN_LEN {
        anyhow::bail!("the password must be at least {} characters", identity::password::MIN_LEN);
    }
    let hash = identity::password::hash(password)?;
    let mut tx = state.db.platform().await?;
    let res = sqlx::query("insert into operators (id, email, name, password_hash) values ($1, $2, $3, $4)")
        .bind(Uuid::now_v7())
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

/// The logged-in operator. As an extractor it sends anyone else to the operator login page.
#[derive(Clone, Debug)]
pub struct Operator {
    /// Id.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Operator {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Operator>().cloned().ok_or_else(|| Redirect::to("/operator/login").into_response())
    }
}

/// Checks an operator's email and password; `None` when they do not match an account.
pub async fn check_login(state: &AppState, email: &str, password: &str) -> anyhow::Result<Option<Operator>> {
    let mut tx = state.db.platform().await?;
    let row: Option<(Uuid, String, String, String)> =
        sqlx::query_as("select id, name, email, password_hash from operators where lower(email) = lower($1)")
            .bind(email.trim())
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    Ok(match row {
        Some((id, name, email, hash)) if identity::password::verify(password, &hash) => {
            Some(Operator { id, name, email })
        }
        Some(_) => None,
        None => {
            identity::password::dummy_verify(password);
            None
        }
    })
}

/// Starts a session; returns the token for the cookie (stored only as its hash).
pub async fn start_session(state: &AppState, operator: &Operator) -> anyhow::Result<String> {
    let token = random_token(32);
    let mut tx = state.db.platform().await?;
    sqlx::query(
        "insert into operator_sessions (id, operator_id, expires_at)
         values ($1, $2, now() + make_interval(hours => $3))",
    )
    .bind(hash_token(&token))
    .bind(operator.id)
    .bind(SESSION_HOURS as i32)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends the session the cookie in `headers` belongs to, if any.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> anyhow::Result<()> {
    let Some(token) = kernel::web::cookie(headers, COOKIE) else { return Ok(()) };
    let mut tx = state.db.platform().await?;
    sqlx::query("delete from operator_sessions where id = $1").bind(hash_token(token)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// The `Set-Cookie` value carrying `token` (an empty token clears the cookie).
pub fn cookie_header(visitor: &Visitor, token: &str) -> HeaderValue {
    let secure = visitor.is_https();
    let max_age = if token.is_empty() { 0 } else { SESSION_HOURS * 3600 };
    let c = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&c).expect("cookie is ASCII")
}

/// Middleware on the platform host: resolves the operator cookie, and shows the operator's
/// name in the shell.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = kernel::web::cookie(req.headers(), COOKIE).map(str::to_string);
    if let Some(token) = token {
        match session_operator(&state, &token).await {
            Ok(Some(op)) => {
                if let Some(visitor) = req.extensions().get::<Visitor>() {
                    visitor.logged_in();
                }
                if let Some(shell) = req.extensions_mut().get_mut::<Shell>() {
                    shell.operator = Some(op.name.clone());
                }
                req.extensions_mut().insert(op);
            }
            Ok(None) => {}
            // As on schools' sites: a failed lookup is a retry, not a logout.
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "operator session lookup failed");
                return AppError::Unavailable.into_response();
            }
        }
    }
    next.run(req).await
}

async fn session_operator(state: &AppState, token: &str) -> anyhow::Result<Option<Operator>> {
    if token.len() < 32 || token.len() > 64 {
        return Ok(None);
    }
    let mut tx = state.db.platform().await?;
    let row: Option<(Uuid, String, String)> = sqlx::query_as(
        "select o.id, o.name, o.email from operator_sessions s join operators o on o.id = s.operator_id
         where s.id = $1 and s.expires_at > now()",
    )
    .bind(hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.map(|(id, name, email)| Operator { id, name, email }))
}
