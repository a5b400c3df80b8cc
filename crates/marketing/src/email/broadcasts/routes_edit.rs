//! A broadcast's editor (name, email, segment builder with a live count, when to send), the
//! builder's htmx fragments, and the confirmation step that schedules it.

use std::collections::BTreeMap;

use axum::{
    extract::{Path, RawQuery},
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, db::TenantTx, web::Form as Posted};
use minijinja::{context, value::Serde};

use super::{Broadcast, grouped, local_input, routes::load, sending, store, utc_from_local};
use crate::email::{
    content,
    segments::{self, KINDS, Match, Now, RuleRow, Segment},
};

fn query_pairs(q: Option<String>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(q.as_deref().unwrap_or_default()).unwrap_or_default()
}

fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
}

fn now(ctx: &Ctx) -> Now {
    Now { at: ctx.state.clock.now(), zone: ctx.school.time_zone.clone() }
}

/// The courses and offers a rule may name.
async fn choices(tx: &mut TenantTx) -> AppResult<(Vec<(String, String)>, Vec<(String, String)>)> {
    let courses = courses::store::courses(tx).await?.into_iter().map(|c| (c.id.to_string(), c.title)).collect();
    let offers = commerce::catalog_store::offers(tx).await?.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
    Ok((courses, offers))
}

/// "1,284 contacts", or that the segment matches nobody.
fn count_text(ctx: &Ctx, n: i64) -> String {
    let args = [("count", n.into()), ("shown", grouped(n, ctx.shell.locale).into())];
    if n == 0 { ctx.t("broadcasts-nobody") } else { ctx.t_args("broadcasts-count", &args) }
}

/// What the editor shows, as typed.
struct Draft {
    name: String,
    subject: String,
    mode: Match,
    rows: Vec<RuleRow>,
    when: String,
    send_at: String,
    local_time: bool,
}

impl Draft {
    fn of(b: &Broadcast, zone: &str) -> Self {
        let seg = b.segment();
        Self {
            name: b.name.clone(),
            subject: b.subject.clone().unwrap_or_default(),
            mode: seg.mode,
            rows: seg.rules.iter().map(RuleRow::of).collect(),
            when: if b.send_at.is_some() { "later" } else { "now" }.into(),
            send_at: b.send_at.map(|t| local_input(t, zone)).unwrap_or_default(),
            local_time: b.local_time,
        }
    }
}

async fn editor(ctx: &Ctx, b: &Broadcast, d: &Draft, errors: BTreeMap<&str, String>) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let email = content::find(&mut tx, b.email_id).await?.ok_or(AppError::NotFound)?;
    let (courses, offers) = choices(&mut tx).await?;
    let parent = match b.parent_id {
        Some(p) => store::find(&mut tx, p).await?,
        None => None,
    };
    let count = if b.parent_id.is_some() {
        sending::audience(&mut tx, b, &now(ctx)).await?
    } else {
        let seg = Segment { mode: d.mode, rules: d.rows.iter().filter_map(|r| r.parse().ok()).collect() };
        segments::count(&mut tx, &seg, &now(ctx)).await?
    };
    tx.commit().await?;
    let rows: Vec<_> = d.rows.iter().map(|r| (Serde(r.clone()), r.error.map(|e| ctx.t(e)))).collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = ctx.render(
        "marketing/email/broadcast_form.html",
        context! {
            b => Serde(b), email => Serde(&email), parent => Serde(parent),
            name => &d.name, subject => &d.subject, any => d.mode == Match::Any, rows, kinds => Serde(KINDS),
            when => &d.when, send_at => &d.send_at, local_time => d.local_time,
            courses => Serde(&courses), offers => Serde(&offers), errors => Serde(&errors),
            count => count_text(ctx, count), nobody => count == 0,
            zone => &ctx.school.time_zone,
        },
    )?;
    Ok((status, html).into_response())
}

/// The editor.
pub async fn edit(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    if !b.editable() {
        return Ok(ctx
            .redirect_with(&format!("/admin/broadcasts/{}", b.id), "info", ctx.t("broadcasts-not-draft"))
            .into_response());
    }
    editor(&ctx, &b, &Draft::of(&b, &ctx.school.time_zone), BTreeMap::new()).await
}

/// Saves the draft; with `intent=review`, goes on to the confirmation.
pub async fn save(
    ctx: Ctx,
    Path(id): Path<String>,
    Posted(pairs): Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    if !b.editable() {
        return Ok(ctx
            .redirect_with(&format!("/admin/broadcasts/{}", b.id), "error", ctx.t("broadcasts-not-draft"))
            .into_response());
    }
    let zone = ctx.school.time_zone.clone();
    let (rows, segment) = segments::from_form(&pairs);
    let d = Draft {
        name: field(&pairs, "name"),
        subject: field(&pairs, "subject"),
        mode: if field(&pairs, "match") == "any" { Match::Any } else { Match::All },
        rows,
        when: if field(&pairs, "when") == "later" { "later" } else { "now" }.into(),
        send_at: field(&pairs, "send_at"),
        local_time: field(&pairs, "local_time") == "on",
    };
    let mut errors = BTreeMap::new();
    if d.name.is_empty() || d.name.chars().count() > 200 {
        errors.insert("name", ctx.t("broadcasts-error-name"));
    }
    if b.parent_id.is_some() && (d.subject.is_empty() || d.subject.chars().count() > 300) {
        errors.insert("subject", ctx.t("broadcasts-error-subject"));
    }
    if segment.is_none() {
        errors.insert("segment", ctx.t("broadcasts-error-rules"));
    }
    let send_at = if d.when == "later" {
        match utc_from_local(&d.send_at, &zone) {
            Some(t) if t > ctx.state.clock.now() => Some(t),
            Some(_) => {
                errors.insert("send_at", ctx.t("broadcasts-error-past"));
                None
            }
            None => {
                errors.insert("send_at", ctx.t("broadcasts-error-when"));
                None
            }
        }
    } else {
        None
    };
    if !errors.is_empty() {
        return editor(&ctx, &b, &d, errors).await;
    }
    let seg = serde_json::to_value(segment.unwrap_or_default()).map_err(|e| AppError::Internal(e.into()))?;
    let subject = (b.parent_id.is_some()).then_some(d.subject.as_str());
    let mut tx = ctx.tx().await?;
    store::save_draft(&mut tx, b.id, &d.name, &seg, subject, send_at, d.local_time && send_at.is_some()).await?;
    tx.commit().await?;
    if field(&pairs, "intent") == "review" {
        return Ok(axum::response::Redirect::to(&format!("/admin/broadcasts/{}/confirm", b.id)).into_response());
    }
    Ok(ctx
        .redirect_with(&format!("/admin/broadcasts/{}/edit", b.id), "success", ctx.t("broadcasts-saved"))
        .into_response())
}

/// The live count of the builder's segment (`hx-get` with the form's fields).
pub async fn segment_count(ctx: Ctx, RawQuery(q): RawQuery) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let (_, segment) = segments::from_form(&query_pairs(q));
    let Some(segment) = segment else { return Ok(Html(ctx.t("broadcasts-count-incomplete")).into_response()) };
    let mut tx = ctx.tx().await?;
    let n = segments::count(&mut tx, &segment, &now(&ctx)).await?;
    tx.commit().await?;
    let class = if n == 0 { "text-red-700" } else { "text-zinc-900" };
    Ok(Html(format!(
        r#"<span class="{class}" data-count="{n}">{}</span>"#,
        minijinja::HtmlEscape(&count_text(&ctx, n))
    ))
    .into_response())
}

/// One row of the builder: a new one, the same with another kind, or nothing (removed).
pub async fn segment_rule(ctx: Ctx, RawQuery(q): RawQuery) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let pairs = query_pairs(q);
    if field(&pairs, "remove") == "1" {
        return Ok(Html(String::new()).into_response());
    }
    let kind = Some(field(&pairs, "rule")).filter(|k| KINDS.contains(&k.as_str())).unwrap_or_else(|| "has_tag".into());
    let row = RuleRow { kind, ..Default::default() };
    let mut tx = ctx.tx().await?;
    let (courses, offers) = choices(&mut tx).await?;
    tx.commit().await?;
    let html = ctx.render(
        "marketing/email/segment_rule.html",
        context! { row => (Serde(&row), None::<String>), kinds => Serde(KINDS), courses => Serde(&courses), offers => Serde(&offers) },
    )?;
    Ok(html.into_response())
}

/// The confirmation: who and when, before anything is sent.
pub async fn confirm(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    if !b.editable() {
        return Ok(ctx
            .redirect_with(&format!("/admin/broadcasts/{}", b.id), "info", ctx.t("broadcasts-not-draft"))
            .into_response());
    }
    let mut tx = ctx.tx().await?;
    let n = sending::audience(&mut tx, &b, &now(&ctx)).await?;
    let email = content::find(&mut tx, b.email_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let subject = b.subject.clone().unwrap_or_else(|| email.subject.clone());
    let html = ctx.render(
        "marketing/email/broadcast_confirm.html",
        context! { b => Serde(&b), subject, count => count_text(&ctx, n), shown => grouped(n, ctx.shell.locale), n },
    )?;
    Ok(html.into_response())
}

/// Schedules the broadcast (now, or at its time), refused when it reaches nobody.
pub async fn send(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageMarketing)?;
    let b = load(&ctx, &id).await?;
    let send_at = b.send_at.unwrap_or_else(|| ctx.state.clock.now());
    let mut tx = ctx.tx().await?;
    let outcome = sending::schedule(&ctx.state, &mut tx, &b, send_at, &ctx.school.time_zone).await?;
    tx.commit().await?;
    let to = format!("/admin/broadcasts/{}", b.id);
    Ok(match outcome {
        Ok(_) if b.send_at.is_some() => ctx.redirect_with(&to, "success", ctx.t("broadcasts-scheduled")),
        Ok(_) => ctx.redirect_with(&to, "success", ctx.t("broadcasts-sending")),
        Err(sending::Refused::Nobody) => {
            ctx.redirect_with(&format!("/admin/broadcasts/{}/edit", b.id), "error", ctx.t("broadcasts-nobody-refused"))
        }
        Err(sending::Refused::NotDraft) => ctx.redirect_with(&to, "error", ctx.t("broadcasts-not-draft")),
    }
    .into_response())
}
