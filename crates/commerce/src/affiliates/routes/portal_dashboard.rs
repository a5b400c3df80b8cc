//! `GET /affiliates/dashboard`: an approved affiliate's numbers for a period (`?period=7|30|90|all`),
//! a daily chart, their links and the link builder (`?path=…&utm_…`, a GET form), their rate,
//! latest commissions and payouts. Someone pending, refused or suspended sees where they stand;
//! someone who never applied is sent to `/affiliates`.

use std::collections::HashMap;

use axum::{
    extract::RawQuery,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use identity::Ctx;
use kernel::{AppResult, db::TenantTx, i18n::Locale};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    affiliates::{
        Affiliate, balance,
        portal::{
            Period,
            links::{BuilderForm, PathError},
            stats,
        },
        settings::{self, Rule},
        store,
    },
    catalog_store,
};

/// The query: the period, and the link builder's fields.
#[derive(Debug, Default, Deserialize)]
struct DashQuery {
    period: Option<String>,
    #[serde(flatten)]
    builder: BuilderForm,
}

/// The viewer's affiliate row when approved; otherwise the page to answer with.
pub(super) async fn approved(ctx: &Ctx, tx: &mut TenantTx) -> AppResult<Result<Affiliate, Response>> {
    let user = ctx.user()?;
    let Some(affiliate) = store::of_user(tx, user.id).await? else {
        return Ok(Err(Redirect::to("/affiliates").into_response()));
    };
    if affiliate.approved() {
        return Ok(Ok(affiliate));
    }
    let html = ctx.render(
        "commerce/affiliates/portal/status.html",
        context! { affiliate => Serde(&affiliate), layout => layout(ctx)? },
    )?;
    Ok(Err(html.into_response()))
}

/// The layout of a person's own pages: the admin's for the team, the school's site otherwise.
pub(super) fn layout(ctx: &Ctx) -> AppResult<&'static str> {
    Ok(if ctx.user()?.role().is_staff() { "kernel/admin.html" } else { "kernel/public.html" })
}

/// A rule as the affiliate reads it: "30 %" or "$25.00", and for how long on subscriptions.
pub(super) fn rate_label(rule: &Rule, personal: Option<i32>, locale: Locale) -> String {
    let amount = match rule.kind.as_str() {
        "fixed" => rule
            .amounts
            .iter()
            .map(|(currency, minor)| kernel::format::money(*minor, currency, locale))
            .collect::<Vec<_>>()
            .join(" / "),
        _ => kernel::format::percent_bp(i64::from(personal.unwrap_or(rule.percent_bp)), locale),
    };
    let span = match (rule.recurring.as_str(), rule.recurring_months) {
        ("months", Some(months)) => {
            kernel::i18n::t_args(locale, "aff-portal-rate-months", &[("months", i64::from(months).into())])
        }
        ("forever", _) => kernel::i18n::t(locale, "aff-portal-rate-forever"),
        _ => kernel::i18n::t(locale, "aff-portal-rate-first"),
    };
    format!("{amount} · {span}")
}

/// One bar pair of the chart, in the SVG's units.
#[derive(Serialize)]
struct Bar {
    x: f64,
    w: f64,
    clicks_h: f64,
    sales_h: f64,
    day: String,
    clicks: i64,
    sales: i64,
}

const CHART_W: f64 = 640.0;
const CHART_H: f64 = 140.0;

fn bars(days: &[stats::Day]) -> Vec<Bar> {
    let max = days.iter().map(|d| d.clicks.max(d.sales)).max().unwrap_or(0).max(1) as f64;
    let slot = CHART_W / days.len().max(1) as f64;
    days.iter()
        .enumerate()
        .map(|(i, d)| Bar {
            x: (i as f64 * slot * 100.0).round() / 100.0,
            w: ((slot * 0.7).max(1.0) * 100.0).round() / 100.0,
            clicks_h: (d.clicks as f64 / max * CHART_H * 10.0).round() / 10.0,
            sales_h: (d.sales as f64 / max * CHART_H * 10.0).round() / 10.0,
            day: d.day.format("%Y-%m-%d").to_string(),
            clicks: d.clicks,
            sales: d.sales,
        })
        .collect()
}

/// How many days the chart covers: the period's, or since joining (at least a week, at most a year).
fn chart_days(period: Period, joined: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    match period {
        Period::Days7 => 7,
        Period::Days30 => 30,
        Period::Days90 => 90,
        Period::All => ((now - joined).num_days() + 1).clamp(7, 365),
    }
}

fn conversion(n: &stats::Numbers, locale: Locale) -> String {
    match n.conversion_permille() {
        None => "—".into(),
        Some(p) => kernel::format::percent_bp(p * 10, locale),
    }
}

pub async fn page(ctx: Ctx, RawQuery(query): RawQuery) -> AppResult<Response> {
    let q: DashQuery = serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let mut tx = ctx.tx().await?;
    let affiliate = match approved(&ctx, &mut tx).await? {
        Ok(a) => a,
        Err(page) => return Ok(page),
    };
    let locale = ctx.shell.locale;
    let now = ctx.state.clock.now();
    let period = Period::parse(q.period.as_deref());
    let program = settings::load(&mut tx).await?;
    let numbers = stats::numbers(&mut tx, affiliate.id, period.since(now)).await?;
    let days = chart_days(period, affiliate.created_at, now);
    let daily = stats::daily(&mut tx, affiliate.id, now, days, &ctx.shell.time_zone).await?;
    let balances = balance::balances(&mut tx, Some(affiliate.id), now).await?;
    let (commissions, total_commissions) = stats::commissions(&mut tx, affiliate.id, 1, 5).await?;
    let payouts = stats::payouts(&mut tx, affiliate.id, 5).await?;
    let rules = settings::rules(&mut tx).await?;
    let offers = catalog_store::offers(&mut tx).await?;
    tx.commit().await?;

    let default_rule = rules.iter().find(|r| r.offer_id.is_none()).cloned().unwrap_or_default();
    let by_offer: HashMap<_, _> = rules.iter().filter_map(|r| r.offer_id.map(|o| (o, r))).collect();
    let personal = affiliate.personal_percent_bp;
    let base = ctx.school.base_url.trim_end_matches('/');
    let code = &affiliate.code;
    let offer_links: Vec<_> = offers
        .iter()
        .filter(|o| o.visible && o.archived_at.is_none())
        .map(|o| {
            let rule = by_offer.get(&o.id).copied().unwrap_or(&default_rule);
            context! { name => o.name.clone(), url => format!("{base}/checkout/{}?ref={code}", o.slug), rate => rate_label(rule, personal, locale) }
        })
        .collect();
    let built = if q.builder.is_filled() { Some(q.builder.build(base, code)) } else { None };
    let builder_error = match built {
        Some(Err(PathError::OtherSite)) => Some(ctx.t("aff-portal-builder-error-site")),
        Some(Err(PathError::TooLong)) => Some(ctx.t("aff-portal-builder-error-long")),
        _ => None,
    };
    let commissions: Vec<_> = commissions
        .iter()
        .map(|c| {
            let rate = crate::affiliates::commissions::rate_text(&c.commission.rate_label, locale);
            context! { line => Serde(c), state => c.commission.state(now), rate }
        })
        .collect();
    let html = ctx.render(
        "commerce/affiliates/portal/dashboard.html",
        context! {
            layout => layout(&ctx)?,
            affiliate => Serde(&affiliate),
            program => Serde(&program),
            period => period.as_str(),
            periods => Period::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            numbers => Serde(&numbers),
            conversion => conversion(&numbers, locale),
            bars => Serde(&bars(&daily)),
            chart_w => CHART_W, chart_h => CHART_H,
            balances => Serde(&balances),
            commissions, total_commissions,
            payouts => Serde(&payouts),
            school_link => format!("{base}/?ref={code}"),
            short_link => format!("{base}/a/{code}"),
            offer_links,
            default_rate => rate_label(&default_rule, personal, locale),
            personal_rate => personal.map(|bp| kernel::format::percent_bp(i64::from(bp), locale)),
            builder => Serde(&q.builder),
            built => built.and_then(Result::ok),
            builder_error,
        },
    )?;
    Ok(html.into_response())
}
