//! The demo school sells (`make demo`): Watercolor Foundations in full or in three payments,
//! a small "Color Mixing Cheat Sheet" course as the order bump, the "Bloom Studio" membership
//! (monthly with a seven-day trial, or yearly) offered as the upsell, the coupon `SPRING20`,
//! tax rates and the seller's details; and three months of believable sales.
//!
//! The history is made through the same ledger a real provider's webhooks reach
//! ([`checkout::create`] and [`inbox::handle_sandbox`], [`subscriptions::renewal_paid`] and
//! [`ledger::refund`]), one fact at a time in the order it happened, so receipt numbers run
//! gap-free in date order. The ledger stamps rows with the clock's "now"; each fact's rows and
//! events are then moved back to the moment it happened.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, TenantId, db::TenantTx, ids::UserId};
use serde_json::json;

use crate::{
    access, affiliates, checkout, inbox, ledger,
    model::{Coupon, OrderId, SubscriptionId},
    pricing, sandbox, store, subscriptions,
};

/// What the demo's courses seed made, and who its students are.
#[derive(Clone, Copy, Debug)]
pub struct DemoSchool {
    /// The school.
    pub school: TenantId,
    /// The owner (the cheat sheet's instructor).
    pub owner: UserId,
    /// Watercolor Foundations.
    pub foundations: courses::CourseId,
    /// Loose Florals in 7 Days.
    pub florals: courses::CourseId,
    /// Priya, who finished Foundations (bought it in full a month ago).
    pub finished: UserId,
    /// Tom, half-way through Foundations (paying in three instalments).
    pub halfway: UserId,
    /// Lucía, on the free course (now trying the membership).
    pub newcomer: UserId,
}

/// What the seed sold, for tests and the operator's summary.
#[derive(Clone, Debug, Default)]
pub struct DemoSales {
    /// Orders placed.
    pub orders: usize,
    /// Renewals and instalments taken after the first payment.
    pub renewals: usize,
    /// Refunds given.
    pub refunds: usize,
}

/// The offers' addresses.
pub const FOUNDATIONS: &str = "watercolor-foundations";
/// Three payments of $75.
pub const FOUNDATIONS_PLAN: &str = "watercolor-foundations-3-payments";
/// The bump.
pub const CHEAT_SHEET: &str = "color-mixing-cheat-sheet";
/// The membership, monthly.
pub const STUDIO_MONTHLY: &str = "bloom-studio-monthly";
/// The membership, yearly.
pub const STUDIO_YEARLY: &str = "bloom-studio-yearly";
/// The spring coupon.
pub const COUPON: &str = "SPRING20";

/// Buyers of the history: name, email, country.
const BUYERS: [(&str, &str, &str); 36] = [
    ("Hannah Whitfield", "hannah.whitfield@example.test", "GB"),
    ("Carlos Medina", "carlos.medina@example.test", "ES"),
    ("Aiko Tanaka", "aiko.tanaka@example.test", "US"),
    ("Olivia Brooks", "olivia.brooks@example.test", "US"),
    ("Noah Fischer", "noah.fischer@example.test", "DE"),
    ("Sofía Navarro", "sofia.navarro@example.test", "ES"),
    ("Grace Osei", "grace.osei@example.test", "GB"),
    ("Liam O'Connor", "liam.oconnor@example.test", "IE"),
    ("Emma Lefèvre", "emma.lefevre@example.test", "FR"),
    ("Mateo Rossi", "mateo.rossi@example.test", "US"),
    ("Chloe Martin", "chloe.martin@example.test", "CA"),
    ("Isabel Costa", "isabel.costa@example.test", "US"),
    ("Ben Carter", "ben.carter@example.test", "US"),
    ("Fatima Khan", "fatima.khan@example.test", "GB"),
    ("Jonas Weber", "jonas.weber@example.test", "DE"),
    ("Ruth Adeyemi", "ruth.adeyemi@example.test", "US"),
    ("Marta Gil", "marta.gil@example.test", "ES"),
    ("Daniel Kim", "daniel.kim@example.test", "US"),
    ("Ines Duarte", "ines.duarte@example.test", "US"),
    ("Oscar Lindqvist", "oscar.lindqvist@example.test", "US"),
    ("Amelia Hughes", "amelia.hughes@example.test", "GB"),
    ("Priyanka Shah", "priyanka.shah@example.test", "US"),
    ("Lucas Moreau", "lucas.moreau@example.test", "FR"),
    ("Nora Byrne", "nora.byrne@example.test", "IE"),
    ("Elena Vidal", "elena.vidal@example.test", "ES"),
    ("Sam Taylor", "sam.taylor@example.test", "AU"),
    ("Mia Johansson", "mia.johansson@example.test", "US"),
    ("Kofi Mensah", "kofi.mensah@example.test", "US"),
    ("Laura Bianchi", "laura.bianchi@example.test", "US"),
    ("Jack Turner", "jack.turner@example.test", "GB"),
    ("Ana Ferreira", "ana.ferreira@example.test", "US"),
    ("Yuki Sato", "yuki.sato@example.test", "US"),
    ("Clara Schmidt", "clara.schmidt@example.test", "DE"),
    ("Pablo Ruiz", "pablo.ruiz@example.test", "ES"),
    ("Zoe Mitchell", "zoe.mitchell@example.test", "CA"),
    ("Ethan Park", "ethan.park@example.test", "US"),
];

/// One sale of the history.
#[derive(Clone, Copy)]
struct Sale {
    /// Minutes before now.
    ago: i64,
    /// Index into [`BUYERS`], or a demo student.
    buyer: Buyer,
    offer: &'static str,
    bump: bool,
    coupon: bool,
    /// The card later charges fail on.
    fails_later: bool,
}

#[derive(Clone, Copy)]
enum Buyer {
    Listed(usize),
    Finished,
    Halfway,
    Newcomer,
}

const DAY: i64 = 24 * 60;

/// The sales, oldest first: steady Foundations sales, a launch bump for the membership in the
/// second month, the spring coupon in the last weeks.
fn sales() -> Vec<Sale> {
    let mut out = Vec::new();
    let offers = [
        FOUNDATIONS,
        STUDIO_MONTHLY,
        FOUNDATIONS,
        FOUNDATIONS_PLAN,
        STUDIO_MONTHLY,
        FOUNDATIONS,
        STUDIO_YEARLY,
        FOUNDATIONS,
        STUDIO_MONTHLY,
        CHEAT_SHEET,
    ];
    for (i, _) in BUYERS.iter().enumerate() {
        // Spread over 88 days, a little uneven, at believable hours.
        let day = 88 - (i as i64 * 88) / BUYERS.len() as i64 - (i as i64 % 3);
        let minute = ((i as i64 * 397) % (14 * 60)) + 7 * 60;
        let offer = offers[i % offers.len()];
        out.push(Sale {
            ago: day * DAY - minute,
            buyer: Buyer::Listed(i),
            offer,
            bump: matches!(offer, FOUNDATIONS | FOUNDATIONS_PLAN) && i % 3 != 1,
            coupon: day < 40 && i % 2 == 0 && offer != CHEAT_SHEET,
            fails_later: false,
        });
    }
    out.push(Sale {
        ago: 32 * DAY + 300,
        buyer: Buyer::Finished,
        offer: FOUNDATIONS,
        bump: true,
        coupon: false,
        fails_later: false,
    });
    out.push(Sale {
        ago: 12 * DAY + 600,
        buyer: Buyer::Halfway,
        offer: FOUNDATIONS_PLAN,
        bump: false,
        coupon: false,
        fails_later: false,
    });
    out.push(Sale {
        ago: 3 * DAY + 120,
        buyer: Buyer::Newcomer,
        offer: STUDIO_MONTHLY,
        bump: false,
        coupon: true,
        fails_later: false,
    });
    out.sort_by_key(|s| std::cmp::Reverse(s.ago));
    out
}

/// Seeds the catalogue and the history, once: a school that already sells is left alone.
pub async fn seed(state: &AppState, demo: DemoSchool) -> anyhow::Result<DemoSales> {
    let mut tx = state.db.tenant(demo.school).await?;
    let sells: bool = sqlx::query_scalar("select exists (select 1 from products where tenant_id = $1)")
        .bind(demo.school)
        .fetch_one(&mut *tx)
        .await?;
    if sells {
        return Ok(DemoSales::default());
    }
    catalogue(state, &mut tx, &demo).await?;
    tx.commit().await?;
    history(state, &demo).await
}

async fn catalogue(state: &AppState, tx: &mut TenantTx, demo: &DemoSchool) -> anyhow::Result<()> {
    let now = state.clock.now();
    sqlx::query(
        "insert into commerce_settings (tenant_id, legal_name, address, tax_id, prices_include_tax, refund_access, grace_days)
         values ($1, $2, $3, $4, false, 'revoke', 7)
         on conflict (tenant_id) do update set legal_name = excluded.legal_name, address = excluded.address,
           tax_id = excluded.tax_id",
    )
    .bind(demo.school)
    .bind("Bloom Watercolor Studio LLC")
    .bind("2150 Shattuck Avenue, Suite 400\nBerkeley, CA 94704\nUnited States")
    .bind("EIN 88-4127730")
    .execute(&mut **tx)
    .await?;
    for (country, rate, label) in
        [("ES", 2100, "IVA"), ("GB", 2000, "VAT"), ("DE", 1900, "MwSt."), ("FR", 2000, "TVA"), ("IE", 2300, "VAT")]
    {
        sqlx::query("insert into tax_rates (tenant_id, country, rate_bp, label) values ($1, $2, $3, $4)")
            .bind(demo.school)
            .bind(country)
            .bind(rate)
            .bind(label)
            .execute(&mut **tx)
            .await?;
    }
    let cheat_course = cheat_sheet_course(tx, demo.owner).await?;

    let foundations = store::insert_product(
        tx,
        "Watercolor Foundations",
        "Ten minutes a day to loose, luminous paintings: washes, clean color mixing and your first landscape, \
         with personal feedback from Maya.",
    )
    .await?;
    store::set_product_courses(tx, foundations, &[demo.foundations]).await?;
    let cheat = store::insert_product(
        tx,
        "Color Mixing Cheat Sheet",
        "The six-tube palette, 36 mixes and the ratios behind them, on one printable page and four short lessons.",
    )
    .await?;
    store::set_product_courses(tx, cheat, &[cheat_course]).await?;
    let studio = store::insert_product(
        tx,
        "Bloom Studio membership",
        "Every Bloom course, new lessons each month and the members' critique sessions. Cancel any time.",
    )
    .await?;
    store::set_product_courses(tx, studio, &[demo.foundations, demo.florals, cheat_course]).await?;

    let offer = |product, slug, name, kind, amount, interval, installments, trial_days| store::NewOffer {
        product,
        slug,
        name,
        kind,
        currency: "USD",
        amount,
        interval,
        installments,
        trial_days,
        setup_fee: 0,
    };
    let full =
        store::insert_offer(tx, &offer(foundations, FOUNDATIONS, "Pay in full", "one_time", 19_900, None, None, 0))
            .await?;
    let plan = store::insert_offer(
        tx,
        &offer(foundations, FOUNDATIONS_PLAN, "3 monthly payments", "plan", 7_500, Some("month"), Some(3), 0),
    )
    .await?;
    let bump =
        store::insert_offer(tx, &offer(cheat, CHEAT_SHEET, "Cheat sheet", "one_time", 1_900, None, None, 0)).await?;
    let monthly = store::insert_offer(
        tx,
        &offer(studio, STUDIO_MONTHLY, "Monthly", "subscription", 2_900, Some("month"), None, 7),
    )
    .await?;
    let yearly = store::insert_offer(
        tx,
        &offer(studio, STUDIO_YEARLY, "Yearly (2 months free)", "subscription", 29_000, Some("year"), None, 0),
    )
    .await?;
    for id in [full, plan] {
        sqlx::query(
            "update offers set bump_offer_id = $3, bump_headline = $4, upsell_offer_id = $5 where tenant_id = $1 and id = $2",
        )
        .bind(demo.school)
        .bind(id)
        .bind(bump)
        .bind("Yes, add the Color Mixing Cheat Sheet for just $19: 36 mixes on one page by your palette")
        .bind(monthly)
        .execute(&mut **tx)
        .await?;
    }
    crate::affiliates::demo::seed(
        state,
        tx,
        demo.finished,
        &[
            (FOUNDATIONS, full),
            (FOUNDATIONS_PLAN, plan),
            (CHEAT_SHEET, bump),
            (STUDIO_MONTHLY, monthly),
            (STUDIO_YEARLY, yearly),
        ],
    )
    .await?;
    // The membership's yearly price sells through its link only; the bump is sold alone too.
    sqlx::query(
        "insert into coupons (tenant_id, id, code, percent_off, duration, expires_at, max_redemptions, per_customer_limit,
                              created_at)
         values ($1, $2, $3, 20, 'once', $4, 200, 1, $5)",
    )
    .bind(demo.school)
    .bind(crate::model::CouponId::new())
    .bind(COUPON)
    .bind(now + Duration::days(60))
    .bind(now - Duration::days(40))
    .execute(&mut **tx)
    .await?;
    sqlx::query("update products set created_at = $2 where tenant_id = $1")
        .bind(demo.school)
        .bind(now - Duration::days(95))
        .execute(&mut **tx)
        .await?;
    sqlx::query("update offers set created_at = $2 where tenant_id = $1")
        .bind(demo.school)
        .bind(now - Duration::days(95))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const CHEAT_LESSONS: [(&str, &str); 4] = [
    (
        "The six-tube palette",
        "<p>Hansa yellow, quinacridone rose, phthalo blue, ultramarine, burnt sienna and perylene green: \
         why these six mix almost everything, and where each sits on your palette.</p>",
    ),
    (
        "Greens, from spring to pine",
        "<p>Nine greens from two yellows and three blues, with the ratio for each. Print the chart and \
         paint your own swatch beside every square.</p>",
    ),
    ("Skies and shadows", "<p>Three sky blues and the violet-grey that makes shadows glow instead of going muddy.</p>"),
    (
        "Neutral greys and browns",
        "<p>Burnt sienna and ultramarine in five proportions: the warm and cool greys every landscape \
         needs.</p>",
    ),
];

/// A short published course for the bump.
async fn cheat_sheet_course(tx: &mut TenantTx, owner: UserId) -> anyhow::Result<courses::CourseId> {
    use courses::model::{LessonId, ModuleId};
    let id = courses::CourseId::new();
    courses::store::insert_course(tx, id, CHEAT_SHEET, "Color Mixing Cheat Sheet", Some(owner)).await?;
    sqlx::query(
        "update courses set subtitle = $3, description_html = $4, category = 'Painting', is_free = false,
           status = 'published', published_at = now() - interval '95 days'
         where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind("36 clean mixes from six tubes, on one page")
    .bind(kernel::html::sanitize(
        "<p>Keep it by your palette: the mixes Maya uses most, with the ratios, in four short lessons \
         and a printable chart.</p>",
    ))
    .execute(&mut **tx)
    .await?;
    sqlx::query("insert into course_instructors (tenant_id, course_id, user_id, position) values ($1, $2, $3, 0)")
        .bind(tx.tenant())
        .bind(id)
        .bind(owner)
        .execute(&mut **tx)
        .await?;
    let module = ModuleId::new();
    courses::store::insert_module(tx, module, id, "The mixes").await?;
    for (i, (title, body)) in CHEAT_LESSONS.iter().enumerate() {
        let lesson = LessonId::new();
        courses::store::insert_lesson(tx, lesson, id, module, title, "text").await?;
        sqlx::query(
            "update lessons set status = 'published', body_html = $3, duration_minutes = 5, free_preview = $4
             where tenant_id = $1 and id = $2",
        )
        .bind(tx.tenant())
        .bind(lesson)
        .bind(kernel::html::sanitize(body))
        .bind(i == 0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

/// Something that happened, in date order.
enum Fact {
    Sale(Sale),
    Renewal(SubscriptionId),
}

async fn history(state: &AppState, demo: &DemoSchool) -> anyhow::Result<DemoSales> {
    let now = state.clock.now();
    let mut out = DemoSales::default();
    let mut sales = sales();
    // The card of the listed member whose latest renewal fell due most recently (within the
    // last ten days) is declined then: that membership is past due, in its grace period.
    let latest_renewal = |s: &Sale| {
        let mut due = now - Duration::minutes(s.ago) + Duration::days(7);
        let mut last = None;
        while due < now {
            last = Some(due);
            due = due.checked_add_months(chrono::Months::new(1)).unwrap_or(now);
        }
        last
    };
    if let Some(s) = sales
        .iter_mut()
        .filter(|s| s.offer == STUDIO_MONTHLY && matches!(s.buyer, Buyer::Listed(_)))
        .filter(|s| latest_renewal(s).is_some_and(|at| at > now - Duration::days(10)))
        .max_by_key(|s| latest_renewal(s))
    {
        s.fails_later = true;
    }
    let mut queue: Vec<(DateTime<Utc>, Fact)> =
        sales.into_iter().map(|s| (now - Duration::minutes(s.ago), Fact::Sale(s))).collect();
    let mut failing: Vec<SubscriptionId> = Vec::new();
    let mut one_time_orders: Vec<(DateTime<Utc>, OrderId)> = Vec::new();
    let mut upsold = false;
    while !queue.is_empty() {
        let next = queue.iter().enumerate().min_by_key(|(_, (at, _))| *at).map(|(i, _)| i).unwrap_or(0);
        let (at, fact) = queue.swap_remove(next);
        match fact {
            Fact::Sale(sale) => {
                let (order, sub) = sell(state, demo, &sale, at, None).await?;
                out.orders += 1;
                if let Some((sub, period_end)) = sub {
                    if sale.fails_later {
                        failing.push(sub);
                    }
                    if period_end < now {
                        queue.push((period_end, Fact::Renewal(sub)));
                    }
                }
                if sale.offer == FOUNDATIONS {
                    one_time_orders.push((at, order));
                    // One buyer took the membership offered after paying, with the same card.
                    if !upsold && sale.ago < 60 * DAY && matches!(sale.buyer, Buyer::Listed(_)) {
                        upsold = true;
                        let upsell = Sale { offer: STUDIO_MONTHLY, bump: false, coupon: false, ..sale };
                        let later = at + Duration::minutes(2);
                        let (_, sub) = sell(state, demo, &upsell, later, Some(order)).await?;
                        out.orders += 1;
                        if let Some((sub, period_end)) = sub
                            && period_end < now
                        {
                            queue.push((period_end, Fact::Renewal(sub)));
                        }
                    }
                }
            }
            Fact::Renewal(sub) => {
                let fails = failing.contains(&sub) && at > now - Duration::days(10);
                if let Some(period_end) = renew(state, demo, sub, at, fails).await? {
                    out.renewals += 1;
                    if period_end < now {
                        queue.push((period_end, Fact::Renewal(sub)));
                    }
                }
            }
        }
    }
    // A full refund three weeks ago (the buyer changed her mind in the first week), a partial
    // one (a duplicate bump), and a membership cancelled at the end of its period.
    if let Some((at, order)) = one_time_orders.iter().find(|(at, _)| *at < now - Duration::days(25)).copied() {
        refund(state, demo, order, None, at + Duration::days(4), "Changed my mind: not enough time this season")
            .await?;
        out.refunds += 1;
    }
    if let Some((at, order)) = one_time_orders.iter().rev().find(|(at, _)| *at < now - Duration::days(5)).copied() {
        refund(state, demo, order, Some(1_900), at + Duration::days(1), "Already owned the cheat sheet").await?;
        out.refunds += 1;
    }
    let mut tx = state.db.tenant(demo.school).await?;
    let active: Option<SubscriptionId> = sqlx::query_scalar(
        "select s.id from subscriptions s join offers o on o.tenant_id = s.tenant_id and o.id = s.offer_id
         where s.tenant_id = $1 and s.status = 'active' and o.slug = $2 order by s.created_at limit 1",
    )
    .bind(demo.school)
    .bind(STUDIO_MONTHLY)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(id) = active {
        let mark = state.clock.now();
        subscriptions::cancel(
            state,
            &mut tx,
            id,
            subscriptions::CancelAt::PeriodEnd,
            None,
            "Taking a break over summer",
        )
        .await?;
        backdate_changes(&mut tx, mark, now - Duration::days(2)).await?;
    }
    // Three visitors filled the form and left before paying.
    for (i, days) in [(30usize, 9i64), (31, 4), (32, 1)] {
        let offer = store::offer_by_slug(&mut tx, if i == 31 { STUDIO_MONTHLY } else { FOUNDATIONS })
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo offer"))?;
        let (name, email, country) = BUYERS[i];
        let (c, _) = checkout::create(
            state,
            &mut tx,
            "sandbox",
            checkout::Request {
                offer: &offer,
                bump: None,
                coupon: None,
                user: None,
                email: &format!("left.{email}"),
                name,
                country: Some(country),
                billing_address: "",
                parent_order: None,
                attribution: json!({ "utm_source": "instagram" }),
            },
        )
        .await?;
        sqlx::query("update checkouts set created_at = $3 where tenant_id = $1 and id = $2")
            .bind(demo.school)
            .bind(c.id)
            .bind(now - Duration::days(days))
            .execute(&mut *tx)
            .await?;
    }
    affiliates::demo::settle(state, &mut tx, demo.owner).await?;
    tx.commit().await?;
    Ok(out)
}

/// Places one order as the checkout page and the card form would, at `at`. Returns the order
/// and, for plans and subscriptions, the subscription with the end of its first period.
async fn sell(
    state: &AppState,
    demo: &DemoSchool,
    sale: &Sale,
    at: DateTime<Utc>,
    parent: Option<OrderId>,
) -> anyhow::Result<(OrderId, Option<(SubscriptionId, DateTime<Utc>)>)> {
    let mut tx = state.db.tenant(demo.school).await?;
    let mark = state.clock.now();
    let offer = store::offer_by_slug(&mut tx, sale.offer).await?.ok_or_else(|| anyhow::anyhow!("demo offer"))?;
    let bump = if sale.bump { checkout::bump_of(state, &mut tx, &offer).await? } else { None };
    let (user, name, email, country): (Option<UserId>, String, String, &str) = match sale.buyer {
        Buyer::Listed(i) => (None, BUYERS[i].0.into(), BUYERS[i].1.into(), BUYERS[i].2),
        Buyer::Finished => (Some(demo.finished), "Priya Raman".into(), "priya@example.test".into(), "GB"),
        Buyer::Halfway => (Some(demo.halfway), "Tom Becker".into(), "tom@example.test".into(), "DE"),
        Buyer::Newcomer => (Some(demo.newcomer), "Lucía Ortega".into(), "lucia@example.test".into(), "ES"),
    };
    let listed = match sale.buyer {
        Buyer::Listed(i) => Some(i),
        _ => None,
    };
    let coupon: Option<Coupon> = if listed.is_some_and(affiliates::demo::podcast_buyer) {
        store::coupon_by_code(&mut tx, affiliates::demo::PODCAST_COUPON).await?
    } else if sale.coupon {
        store::coupon_by_code(&mut tx, COUPON).await?
    } else {
        None
    };
    let mut attribution = match sale.ago % 4 {
        0 => json!({ "utm_source": "instagram", "utm_medium": "social" }),
        1 => json!({ "utm_source": "newsletter", "utm_campaign": "spring" }),
        2 => json!({ "utm_source": "youtube" }),
        _ => json!({}),
    };
    // A partner's viewer arrives through their link, which the checkout carries into the order.
    if let Some(code) = listed.and_then(affiliates::demo::referral_of)
        && let Some(map) = attribution.as_object_mut()
    {
        map.insert("ref".into(), json!(code));
        map.insert("utm_source".into(), json!(code));
    }
    let (c, _) = checkout::create(
        state,
        &mut tx,
        "sandbox",
        checkout::Request {
            offer: &offer,
            bump: bump.as_ref(),
            coupon: coupon.as_ref(),
            user,
            email: &email,
            name: &name,
            country: Some(country),
            billing_address: "",
            parent_order: parent,
            attribution,
        },
    )
    .await?;
    let behaviour = if sale.fails_later { sandbox::TestCard::FailsLater } else { sandbox::TestCard::Succeeds };
    let card = ledger::NewCard {
        provider_ref: sandbox::card_ref(behaviour),
        brand: "visa".into(),
        last4: if sale.fails_later { "0341".into() } else { "4242".into() },
        exp_month: 12,
        exp_year: 2030,
        // Each buyer's own card (the sandbox's single test card would make every buyer share one).
        fingerprint: format!("fp_demo_{}", email.split('@').next().unwrap_or_default()),
    };
    let payload = json!({ "checkout_id": c.id, "charge": sandbox::object_id("ch"), "card": card });
    inbox::handle_sandbox(state, &mut tx, &sandbox::object_id("evt"), "checkout.session.completed", &payload)
        .await
        .map_err(|e| anyhow::anyhow!("demo sale: {e}"))?;
    let order = store::order_of_checkout(&mut tx, c.id).await?.ok_or_else(|| anyhow::anyhow!("demo order"))?;
    // Access as the worker would give it, so the history's enrolments carry the sale's date.
    access::grant(state, &mut tx, order.id).await?;
    let t = tx.tenant();
    sqlx::query("update checkouts set created_at = $3, paid_at = $4 where tenant_id = $1 and id = $2")
        .bind(t)
        .bind(c.id)
        .bind(at - Duration::minutes(4))
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query("update orders set created_at = $3 where tenant_id = $1 and id = $2")
        .bind(t)
        .bind(order.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query("update payments set occurred_at = $3 where tenant_id = $1 and order_id = $2")
        .bind(t)
        .bind(order.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "update payment_methods set created_at = least(created_at, $3) where tenant_id = $1 and provider_ref = $2",
    )
    .bind(t)
    .bind(&card.provider_ref)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("update access_grants set granted_at = $3 where tenant_id = $1 and order_id = $2")
        .bind(t)
        .bind(order.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    // Enrolments this order opened start with it; the courses seed's purchases (Priya and
    // Tom) now point at their real orders.
    sqlx::query(
        "update enrollments set started_at = $3 where tenant_id = $1 and source_ref = $2::text and started_at >= $4",
    )
    .bind(t)
    .bind(order.id.to_string())
    .bind(at)
    .bind(mark)
    .execute(&mut *tx)
    .await?;
    if user.is_some() {
        sqlx::query(
            "update enrollments set source_ref = $3 where tenant_id = $1 and user_id = $2 and source_ref = 'demo-order'",
        )
        .bind(t)
        .bind(order.user_id)
        .bind(order.id.to_string())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("update users set created_at = least(created_at, $3) where tenant_id = $1 and id = $2")
        .bind(t)
        .bind(order.user_id)
        .bind(at - Duration::minutes(3))
        .execute(&mut *tx)
        .await?;
    let sub = match store::subscription_of_order(&mut tx, order.id).await? {
        Some(s) => {
            let first_end = if offer.trial_days > 0 {
                at + Duration::days(i64::from(offer.trial_days))
            } else {
                offer.period_end(at)
            };
            sqlx::query(
                "update subscriptions set created_at = $3, current_period_start = $3, current_period_end = $4
                 where tenant_id = $1 and id = $2",
            )
            .bind(t)
            .bind(s.id)
            .bind(at)
            .bind(first_end)
            .execute(&mut *tx)
            .await?;
            backdate_changes(&mut tx, mark, at).await?;
            Some((s.id, first_end))
        }
        None => None,
    };
    affiliates::commissions::reconcile(state, &mut tx, order.id).await?;
    backdate_events(&mut tx, mark, at).await?;
    tx.commit().await?;
    Ok((order.id, sub))
}

/// Takes a period's payment at `at` (or fails it, for the card that fails later). Returns the
/// end of the new period, or `None` when the subscription stopped (failed or completed).
async fn renew(
    state: &AppState,
    demo: &DemoSchool,
    id: SubscriptionId,
    at: DateTime<Utc>,
    fails: bool,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let mut tx = state.db.tenant(demo.school).await?;
    let mark = state.clock.now();
    let sub = store::subscription(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("demo subscription"))?;
    let offer = store::offer(&mut tx, sub.offer_id).await?.ok_or_else(|| anyhow::anyhow!("demo offer"))?;
    let order = store::order(&mut tx, sub.order_id).await?.ok_or_else(|| anyhow::anyhow!("demo order"))?;
    let charge = sandbox::object_id("ch");
    let t = tx.tenant();
    if fails {
        subscriptions::renewal_failed(state, &mut tx, id, &charge, "card_declined")
            .await
            .map_err(|e| anyhow::anyhow!("demo renewal: {e}"))?;
        let grace = i64::from(store::settings(&mut tx).await?.grace_days);
        sqlx::query(
            "update subscriptions set grace_ends_at = $3, retry_at = greatest($4, $5) where tenant_id = $1 and id = $2",
        )
        .bind(t)
        .bind(id)
        .bind(at + Duration::days(grace))
        .bind(at + Duration::days(subscriptions::RETRY_DAYS[0]))
        .bind(mark + Duration::hours(12))
        .execute(&mut *tx)
        .await?;
        sqlx::query("update payments set occurred_at = $3 where tenant_id = $1 and provider_ref = $2")
            .bind(t)
            .bind(&charge)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        backdate_changes(&mut tx, mark, at).await?;
        backdate_events(&mut tx, mark, at).await?;
        tx.commit().await?;
        return Ok(None);
    }
    let coupon = match sub.coupon_id {
        Some(c) => store::coupon(&mut tx, c).await?,
        None => None,
    };
    let rule = checkout::tax_rule(&mut tx, order.country.as_deref()).await?;
    let quote = pricing::renewal(&offer, coupon.as_ref(), sub.payments_made, rule);
    subscriptions::renewal_paid(state, &mut tx, id, &charge, quote.total, quote.tax, None)
        .await
        .map_err(|e| anyhow::anyhow!("demo renewal: {e}"))?;
    sqlx::query("update payments set occurred_at = $3 where tenant_id = $1 and provider_ref = $2")
        .bind(t)
        .bind(&charge)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    backdate_changes(&mut tx, mark, at).await?;
    affiliates::commissions::reconcile(state, &mut tx, sub.order_id).await?;
    backdate_events(&mut tx, mark, at).await?;
    let after = store::subscription(&mut tx, id).await?.ok_or_else(|| anyhow::anyhow!("demo subscription"))?;
    tx.commit().await?;
    Ok((after.status != "completed").then_some(after.current_period_end))
}

async fn refund(
    state: &AppState,
    demo: &DemoSchool,
    order: OrderId,
    amount: Option<i64>,
    at: DateTime<Utc>,
    reason: &str,
) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(demo.school).await?;
    let mark = state.clock.now();
    let payment = store::payments_of_order(&mut tx, order)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("demo payment"))?;
    let amount = amount.unwrap_or(payment.amount).min(payment.amount);
    let full = amount == payment.amount;
    let refund_ref = sandbox::object_id("re");
    ledger::refund(
        state,
        &mut tx,
        ledger::RefundFact {
            charge_ref: &payment.provider_ref,
            refund_ref: &refund_ref,
            amount,
            dispute: false,
            reason,
            actor: Some(demo.owner),
            revoke_access: Some(full),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo refund: {e}"))?;
    if full {
        access::revoke(state, &mut tx, order).await?;
    }
    let t = tx.tenant();
    sqlx::query("update refunds set occurred_at = $3 where tenant_id = $1 and provider_ref = $2")
        .bind(t)
        .bind(&refund_ref)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    sqlx::query("update access_grants set revoked_at = $3 where tenant_id = $1 and order_id = $2 and revoked_at >= $4")
        .bind(t)
        .bind(order)
        .bind(at)
        .bind(mark)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "update enrollments set revoked_at = $3 where tenant_id = $1 and source_ref = $2::text and revoked_at >= $4",
    )
    .bind(t)
    .bind(order.to_string())
    .bind(at)
    .bind(mark)
    .execute(&mut *tx)
    .await?;
    affiliates::commissions::reconcile(state, &mut tx, order).await?;
    backdate_events(&mut tx, mark, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the subscription changes written since `mark` to `at`.
async fn backdate_changes(tx: &mut TenantTx, mark: DateTime<Utc>, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update subscription_changes set occurred_at = $3 where tenant_id = $1 and occurred_at >= $2")
        .bind(tx.tenant())
        .bind(mark)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves the events published since `mark` to `at`, in the outbox and in the jobs that carry
/// them, so reports built from events see the sale on its day.
pub(crate) async fn backdate_events(tx: &mut TenantTx, mark: DateTime<Utc>, at: DateTime<Utc>) -> sqlx::Result<()> {
    let ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("update events set created_at = $3 where tenant_id = $1 and created_at >= $2 returning id")
            .bind(tx.tenant())
            .bind(mark)
            .bind(at)
            .fetch_all(&mut **tx)
            .await?;
    let keys: Vec<String> = ids.iter().map(ToString::to_string).collect();
    sqlx::query(
        "update jobs set payload = jsonb_set(payload, '{occurred_at}', to_jsonb($3::timestamptz))
         where tenant_id = $1 and idempotency_key = any($2) and payload ? 'occurred_at'",
    )
    .bind(tx.tenant())
    .bind(&keys)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
