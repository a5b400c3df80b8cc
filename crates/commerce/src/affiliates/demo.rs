//! The demo school's affiliate program: switched on with a default rule, a membership rule and
//! a tier; Sam (a YouTube painter) and Nadia (a podcast host, with her own coupon) as partners,
//! Priya (a student who finished Foundations) recruited by Sam, and Leo waiting for approval;
//! a believable stream of clicks and sign-ups over the 88 days of the sales history. Which
//! sales came through whom is decided by [`referral_of`]; the commissions themselves are made
//! by the real ledger from the orders' events.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx, i18n::Locale, ids::UserId};
use serde_json::json;

use super::{
    AffiliateId, payouts,
    portal::details::{self, BankAccount, PayoutDetails},
};

/// Sam's code.
pub const SAM: &str = "sketchbook-sam";
/// Nadia's code.
pub const NADIA: &str = "brushstrokes";
/// Priya's code.
pub const PRIYA: &str = "priya";
/// Nadia's podcast coupon.
pub const PODCAST_COUPON: &str = "BRUSH15";

/// The partner who referred the `i`-th listed buyer of the history, if any: Sam's viewers
/// come through his links, Priya's classmates through hers, Nadia's listeners type her code.
pub fn referral_of(i: usize) -> Option<&'static str> {
    match i {
        0 | 2 | 6 | 9 | 13 | 17 | 22 | 28 | 34 => Some(SAM),
        25 | 27 | 33 | 35 => Some(PRIYA),
        _ => None,
    }
}

/// Whether the `i`-th listed buyer used Nadia's podcast coupon.
pub fn podcast_buyer(i: usize) -> bool {
    matches!(i, 8 | 15 | 23 | 29)
}

async fn person(tx: &mut TenantTx, email: &str, name: &str) -> anyhow::Result<UserId> {
    let email = identity::model::Email::parse(email).ok_or_else(|| anyhow::anyhow!("demo email {email}"))?;
    let (user, _) = identity::service::people::find_or_create_student(tx, &email, name)
        .await
        .map_err(|e| anyhow::anyhow!("demo affiliate: {e}"))?;
    Ok(user.id)
}

#[allow(clippy::too_many_arguments)]
async fn affiliate(
    tx: &mut TenantTx,
    user: UserId,
    code: &str,
    status: &str,
    recruited_by: Option<AffiliateId>,
    pitch: &str,
    website: &str,
    since: DateTime<Utc>,
) -> anyhow::Result<AffiliateId> {
    let id = AffiliateId::new();
    sqlx::query(
        "insert into affiliates (tenant_id, id, user_id, code, status, recruited_by, pitch, website, terms_accepted_at,
                                 decided_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9)",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(user)
    .bind(code)
    .bind(status)
    .bind(recruited_by)
    .bind(pitch)
    .bind(website)
    .bind(since)
    .bind((status != "pending").then_some(since + Duration::hours(20)))
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Seeds the program (before the sales history, so its orders can name the partners).
pub async fn seed(
    state: &AppState,
    tx: &mut TenantTx,
    priya: UserId,
    offers: &[(&str, crate::OfferId)],
) -> anyhow::Result<()> {
    let now = state.clock.now();
    let t = tx.tenant();
    sqlx::query(
        "insert into affiliate_settings (tenant_id, enabled, signup, terms, cookie_days, attribution, holding_days, min_payout)
         values ($1, true, 'approval', $2, 60, 'last_click', 30, '{\"USD\": 5000}')
         on conflict (tenant_id) do nothing",
    )
    .bind(t)
    .bind(
        "Promote Bloom honestly: say you earn a commission, never bid on \"Bloom Watercolor\" in search ads, and \
         never send unsolicited email. Commissions are paid monthly by PayPal or bank transfer once they pass the \
         30-day holding period and reach $50. A refunded sale earns nothing.",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into affiliate_rules (tenant_id, id, offer_id, kind, percent_bp, recurring, tier_sales, tier_percent_bp,
                                      second_level_bp)
         values ($1, $2, null, 'percent', 3000, 'first', 5, 4000, 500)",
    )
    .bind(t)
    .bind(uuid::Uuid::now_v7())
    .execute(&mut **tx)
    .await?;
    // The membership pays 20 % of each payment for a year.
    for (slug, offer) in offers {
        if slug.starts_with("bloom-studio") {
            sqlx::query(
                "insert into affiliate_rules (tenant_id, id, offer_id, kind, percent_bp, recurring, recurring_months)
                 values ($1, $2, $3, 'percent', 2000, 'months', 12)",
            )
            .bind(t)
            .bind(uuid::Uuid::now_v7())
            .bind(offer)
            .execute(&mut **tx)
            .await?;
        }
    }
    let sam_user = person(tx, "sam@sketchbook-sam.example.test", "Sam Rivera").await?;
    let sam = affiliate(
        tx,
        sam_user,
        SAM,
        "approved",
        None,
        "Weekly watercolor tutorials for 48k subscribers on YouTube; I'd link Foundations in my beginner playlist.",
        "https://youtube.example.test/@sketchbooksam",
        now - Duration::days(89),
    )
    .await?;
    let nadia_user = person(tx, "nadia@brushstrokes.example.test", "Nadia Petrova").await?;
    let nadia = affiliate(
        tx,
        nadia_user,
        NADIA,
        "approved",
        None,
        "I host Brushstrokes, a podcast about making art for a living (about 9,000 listeners an episode).",
        "https://brushstrokes.example.test",
        now - Duration::days(70),
    )
    .await?;
    let priya_id = affiliate(
        tx,
        priya,
        PRIYA,
        "approved",
        Some(sam),
        "I finished Foundations and post my paintings on Instagram; friends keep asking where I learned.",
        "https://instagram.example.test/priya.paints",
        now - Duration::days(28),
    )
    .await?;
    let paypal = |email: &str| PayoutDetails::Paypal { email: email.into() };
    details::save(state, tx, sam, &paypal("payments@sketchbook-sam.example.test"), Locale::En).await?;
    details::save(state, tx, priya_id, &paypal("priya.paints@example.test"), Locale::En).await?;
    let bank = BankAccount {
        holder: "Nadia Petrova".into(),
        iban: "DE89370400440532013000".into(),
        account_number: String::new(),
        routing_code: "COBADEFFXXX".into(),
        country: "DE".into(),
        currency: "EUR".into(),
    };
    details::save(state, tx, nadia, &PayoutDetails::Bank(bank), Locale::En).await?;
    let leo = person(tx, "leo.grant@example.test", "Leo Grant").await?;
    affiliate(
        tx,
        leo,
        "leo-grant",
        "pending",
        None,
        "Art supply reviews on my blog, around 20k visits a month.",
        "https://leo-reviews.example.test",
        now - Duration::days(2),
    )
    .await?;
    sqlx::query(
        "insert into coupons (tenant_id, id, code, percent_off, duration, affiliate_id) values ($1, $2, $3, 15, 'once', $4)",
    )
    .bind(t)
    .bind(uuid::Uuid::now_v7())
    .bind(PODCAST_COUPON)
    .bind(nadia)
    .execute(&mut **tx)
    .await?;
    for (id, per_day, landing, referrer) in [
        (sam, 5, "/p/watercolor-foundations", "youtube.example.test"),
        (priya_id, 2, "/", "instagram.example.test"),
        (nadia, 1, "/p/watercolor-foundations", "brushstrokes.example.test"),
    ] {
        clicks(tx, id, per_day, landing, referrer, now).await?;
    }
    for (id, who) in [(sam, 14), (priya_id, 6), (nadia, 3)] {
        sqlx::query(
            "insert into affiliate_signups (tenant_id, id, affiliate_id, email, ip_hash, at)
             select $1, uuid_v7(), $2, format('reader%s.%s@example.test', g, $4::text), md5(g::text || $4::text),
                    $3 - make_interval(days => (g * 83 / $5)::int, hours => g % 11)
             from generate_series(1, $5) g",
        )
        .bind(t)
        .bind(id)
        .bind(now)
        .bind(id.to_string())
        .bind(who)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// About `per_day` clicks a day over the last 88 days, with a weekly rhythm.
async fn clicks(
    tx: &mut TenantTx,
    affiliate: AffiliateId,
    per_day: i32,
    landing: &str,
    referrer: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    sqlx::query(
        "insert into affiliate_clicks (tenant_id, id, affiliate_id, landing, referrer, utm, ip_hash, at)
         select $1, uuid_v7(), $2, $3, $4, $5, md5(d::text || n::text || $2::text),
                $6 - make_interval(days => d, mins => (n * 137 + d * 61) % 1380)
         from generate_series(0, 87) d, generate_series(1, $7 + (d % 7 = 2)::int * $7) n",
    )
    .bind(tx.tenant())
    .bind(affiliate)
    .bind(landing)
    .bind(referrer)
    .bind(json!({ "utm_source": referrer.split('.').next().unwrap_or_default() }))
    .bind(now)
    .bind(per_day)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// After the sales history (whose commissions the real ledger wrote as each fact happened):
/// last month's payout batch, made and paid three weeks ago.
pub async fn settle(state: &AppState, tx: &mut TenantTx, owner: UserId) -> anyhow::Result<()> {
    let now = state.clock.now();
    let paid_on = now - Duration::days(21);
    if let payouts::batch::Created::Batch { id, .. } =
        payouts::batch::create(tx, "USD", Some(owner), paid_on - Duration::days(1)).await?
    {
        let school = state.school(tx.tenant()).await?;
        payouts::paid::mark_batch_paid(state, tx, &school, id, Some(owner)).await?;
        sqlx::query(
            "with batch as (update affiliate_payout_batches set created_at = $3, paid_at = $4
                             where tenant_id = $1 and id = $2 returning tenant_id, id)
             update affiliate_payouts p set created_at = $3, paid_at = $4
               from batch b where p.tenant_id = b.tenant_id and p.batch_id = b.id",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(paid_on - Duration::days(1))
        .bind(paid_on)
        .execute(&mut **tx)
        .await?;
        crate::demo::backdate_events(tx, now, paid_on).await?;
    }
    Ok(())
}
