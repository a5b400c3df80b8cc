//! `impl PaymentProvider for Stripe`: checkout sessions, off-session charges of saved cards and
//! refunds on the school's connected account, with the platform's application fee.
//!
//! Amounts are always the server's own totals (see [`crate::pricing`]): a checkout session's
//! lines carry the checkout's computed amounts, discount already applied, and tax as its own
//! line (or Stripe Tax when the school turned it on). Stripe never sees a coupon code.

use async_trait::async_trait;
use kernel::{AppState, db::TenantTx, web::School};

use super::{
    account,
    client::{Client, Params, StripeError, id_segment, push},
};
use crate::{
    model::{Checkout, Offer, Payment, PaymentMethod},
    pricing,
    provider::{Charge, PaymentProvider},
    store,
};

/// The Stripe Connect provider.
pub struct Stripe {
    client: Client,
}

impl Stripe {
    /// The provider on the platform's key.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

/// `amount × bp / 10 000`, rounded half up.
pub fn fee_of(amount: i64, fee_bp: i32) -> i64 {
    (amount * i64::from(fee_bp) + 5_000) / 10_000
}

/// `250` → `"2.5"`: Stripe's `application_fee_percent`.
pub fn percent_of_bp(fee_bp: i32) -> String {
    let whole = fee_bp / 100;
    let frac = fee_bp % 100;
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

async fn connected(tx: &mut TenantTx) -> anyhow::Result<String> {
    account::settings(tx).await?.account_id.ok_or_else(|| anyhow::anyhow!("the school has no Stripe account"))
}

fn line(
    p: &mut Params,
    i: usize,
    currency: &str,
    name: &str,
    amount: i64,
    interval: Option<&str>,
    tax_behavior: Option<&str>,
) {
    let k = |f: &str| format!("line_items[{i}][{f}]");
    push(p, k("quantity"), 1);
    push(p, k("price_data][currency"), currency.to_lowercase());
    push(p, k("price_data][unit_amount"), amount);
    push(p, k("price_data][product_data][name"), name);
    if let Some(interval) = interval {
        push(p, k("price_data][recurring][interval"), interval);
    }
    if let Some(b) = tax_behavior {
        push(p, k("price_data][tax_behavior"), b);
    }
}

/// The form of `POST /v1/checkout/sessions` for `checkout` (pure, so tests can read it).
#[allow(clippy::too_many_arguments)]
pub fn session_params(
    school_url: &str,
    checkout: &Checkout,
    offer: &Offer,
    product_name: &str,
    bump_name: Option<&str>,
    renewal: Option<&pricing::Quote>,
    fee_bp: i32,
    stripe_tax: bool,
    tax_label: &str,
    first_discount_coupon: Option<&str>,
) -> Params {
    let mut p = Params::new();
    let recurring = offer.is_recurring();
    push(&mut p, "mode", if recurring { "subscription" } else { "payment" });
    push(&mut p, "client_reference_id", checkout.id);
    push(&mut p, "metadata[checkout_id]", checkout.id);
    push(&mut p, "customer_email", &checkout.email);
    push(&mut p, "success_url", format!("{school_url}/checkout/thanks/{}", checkout.id));
    push(&mut p, "cancel_url", format!("{school_url}/checkout/{}", offer.slug));
    let name = match bump_name {
        Some(b) => format!("{product_name} — {} + {b}", offer.name),
        None => format!("{product_name} — {}", offer.name),
    };
    let cur = checkout.currency.as_str();
    // Tax as its own line when we computed it and prices did not include it.
    let split_tax = !stripe_tax && !checkout.tax_inclusive && checkout.tax > 0;
    let behavior = stripe_tax.then_some(if checkout.tax_inclusive { "inclusive" } else { "exclusive" });
    let mut i = 0;
    if recurring {
        let interval = offer.interval.as_deref().unwrap_or("month");
        let r = renewal.expect("a renewal quote for a recurring offer");
        let r_split = !stripe_tax && !r.tax_rule.inclusive && r.tax > 0;
        let r_net = if r_split || (stripe_tax && !r.tax_rule.inclusive) { r.total - r.tax } else { r.total };
        line(&mut p, i, cur, &name, r_net, Some(interval), behavior);
        i += 1;
        if r_split {
            line(&mut p, i, cur, tax_label, r.tax, Some(interval), None);
            i += 1;
        }
        // What the first invoice charges beyond (or below) a normal period: the setup fee,
        // the bump, a first-payment discount, or a trial's nothing.
        let first_regular = if offer.trial_days > 0 { 0 } else { r.total };
        let diff = checkout.total - first_regular;
        if diff > 0 {
            let net = if stripe_tax && !checkout.tax_inclusive { diff - (checkout.tax - r.tax).max(0) } else { diff };
            line(&mut p, i, cur, &format!("{} — {}", offer.name, "setup"), net, None, behavior);
        }
        if let Some(coupon) = first_discount_coupon {
            push(&mut p, "discounts[0][coupon]", coupon);
        }
        if offer.trial_days > 0 {
            push(&mut p, "subscription_data[trial_period_days]", offer.trial_days);
        }
        push(&mut p, "subscription_data[metadata][checkout_id]", checkout.id);
        if fee_bp > 0 {
            push(&mut p, "subscription_data[application_fee_percent]", percent_of_bp(fee_bp));
        }
    } else {
        let net = if split_tax || (stripe_tax && !checkout.tax_inclusive) {
            checkout.total - checkout.tax
        } else {
            checkout.total
        };
        line(&mut p, i, cur, &name, net, None, behavior);
        i += 1;
        if split_tax {
            line(&mut p, i, cur, tax_label, checkout.tax, None, None);
        }
        push(&mut p, "payment_intent_data[metadata][checkout_id]", checkout.id);
        // Keep the card for one-click upsells.
        push(&mut p, "payment_intent_data[setup_future_usage]", "off_session");
        if fee_bp > 0 {
            push(&mut p, "payment_intent_data[application_fee_amount]", fee_of(checkout.total, fee_bp));
        }
    }
    if stripe_tax {
        push(&mut p, "automatic_tax[enabled]", "true");
    }
    p
}

#[async_trait]
impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    async fn begin(
        &self,
        state: &AppState,
        tx: &mut TenantTx,
        school: &School,
        checkout: &Checkout,
    ) -> anyhow::Result<String> {
        let settings = account::settings(tx).await?;
        let account = settings.account_id.clone().ok_or_else(|| anyhow::anyhow!("the school has no Stripe account"))?;
        let offer = store::offer(tx, checkout.offer_id).await?.ok_or_else(|| anyhow::anyhow!("offer gone"))?;
        let product = store::product(tx, offer.product_id).await?.ok_or_else(|| anyhow::anyhow!("product gone"))?;
        let bump = match (checkout.with_bump, offer.bump_offer_id) {
            (true, Some(id)) => store::offer(tx, id).await?,
            _ => None,
        };
        let bump_name = match &bump {
            Some(b) => store::product(tx, b.product_id).await?.map(|p| p.name),
            None => None,
        };
        let fee_bp = account::fee_bp(tx).await?;
        let rule = pricing::TaxRule { rate_bp: checkout.tax_rate_bp, inclusive: checkout.tax_inclusive };
        let renewal = if offer.is_recurring() {
            let coupon = match checkout.coupon_id {
                Some(id) => store::coupon(tx, id).await?,
                None => None,
            };
            Some(pricing::renewal(&offer, coupon.as_ref(), 1, rule))
        } else {
            None
        };
        // A first payment below a normal period (a first-payment discount) cannot be a line:
        // a one-off amount-off coupon on the connected account carries the difference.
        let mut one_off = None;
        if let Some(r) = &renewal {
            let first_regular = if offer.trial_days > 0 { 0 } else { r.total };
            let below = first_regular - checkout.total;
            if below > 0 {
                let mut p = Params::new();
                push(&mut p, "amount_off", below);
                push(&mut p, "currency", checkout.currency.to_lowercase());
                push(&mut p, "duration", "once");
                push(&mut p, "max_redemptions", 1);
                push(&mut p, "name", "Discount");
                let key = format!("coupon-{}", checkout.id);
                let c = self.client.post("/v1/coupons", &p, Some(&account), Some(&key)).await?;
                one_off = c["id"].as_str().map(str::to_string);
            }
        }
        let tax_label = kernel::i18n::t(school.default_locale, "stripe-line-tax");
        let params = session_params(
            &school.base_url,
            checkout,
            &offer,
            &product.name,
            bump_name.as_deref(),
            renewal.as_ref(),
            fee_bp,
            settings.stripe_tax,
            &tax_label,
            one_off.as_deref(),
        );
        let key = format!("session-{}", checkout.id);
        let session = self.client.post("/v1/checkout/sessions", &params, Some(&account), Some(&key)).await?;
        let id = session["id"].as_str().ok_or_else(|| anyhow::anyhow!("session without an id"))?;
        let url = session["url"].as_str().ok_or_else(|| anyhow::anyhow!("session without a url"))?;
        store::set_checkout_ref(tx, checkout.id, Some(id)).await?;
        tracing::info!(checkout = %checkout.id, session = id, "Stripe checkout session created");
        let _ = state;
        Ok(url.to_string())
    }

    async fn charge_saved(
        &self,
        _state: &AppState,
        tx: &mut TenantTx,
        method: &PaymentMethod,
        amount: i64,
        currency: &str,
        key: &str,
    ) -> anyhow::Result<Charge> {
        let account = connected(tx).await?;
        let pm = id_segment(&method.provider_ref).ok_or_else(|| anyhow::anyhow!("bad payment method id"))?;
        let found = self.client.get(&format!("/v1/payment_methods/{pm}"), Some(&account)).await?;
        let fee_bp = account::fee_bp(tx).await?;
        let mut p = Params::new();
        push(&mut p, "amount", amount);
        push(&mut p, "currency", currency.to_lowercase());
        push(&mut p, "payment_method", pm);
        if let Some(customer) = found["customer"].as_str() {
            push(&mut p, "customer", customer);
        }
        push(&mut p, "off_session", "true");
        push(&mut p, "confirm", "true");
        if fee_bp > 0 {
            push(&mut p, "application_fee_amount", fee_of(amount, fee_bp));
        }
        match self.client.post("/v1/payment_intents", &p, Some(&account), Some(key)).await {
            Ok(pi) => {
                let id = pi["id"].as_str().unwrap_or_default().to_string();
                match pi["status"].as_str() {
                    Some("succeeded") | Some("processing") => Ok(Charge::Succeeded { provider_ref: id }),
                    Some("requires_action") | Some("requires_confirmation") => {
                        Ok(Charge::Failed { provider_ref: id, code: "authentication_required".into() })
                    }
                    _ => Ok(Charge::Failed { provider_ref: id, code: "card_declined".into() }),
                }
            }
            Err(StripeError::Api { code, charge, kind, .. }) if kind == "card_error" => {
                Ok(Charge::Failed { provider_ref: charge.unwrap_or_else(|| format!("failed_{key}")), code })
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn refund(
        &self,
        _state: &AppState,
        tx: &mut TenantTx,
        payment: &Payment,
        amount: i64,
        key: &str,
    ) -> anyhow::Result<String> {
        let account = connected(tx).await?;
        let mut p = Params::new();
        let r = payment.provider_ref.as_str();
        if r.starts_with("pi_") {
            push(&mut p, "payment_intent", r);
        } else if r.starts_with("in_") {
            // A subscription's payment is known by its invoice: refund the invoice's charge.
            let id = id_segment(r).ok_or_else(|| anyhow::anyhow!("bad invoice id"))?;
            let invoice = self.client.get(&format!("/v1/invoices/{id}"), Some(&account)).await?;
            match (invoice["payment_intent"].as_str(), invoice["charge"].as_str()) {
                (Some(pi), _) => push(&mut p, "payment_intent", pi),
                (None, Some(ch)) => push(&mut p, "charge", ch),
                _ => anyhow::bail!("the invoice has no charge to refund"),
            }
        } else {
            push(&mut p, "charge", r);
        }
        push(&mut p, "amount", amount);
        push(&mut p, "metadata[payment_id]", payment.id);
        let refund = self.client.post("/v1/refunds", &p, Some(&account), Some(key)).await?;
        refund["id"].as_str().map(str::to_string).ok_or_else(|| anyhow::anyhow!("refund without an id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::{CheckoutId, OfferId, ProductId};

    fn offer(kind: &str, amount: i64, setup_fee: i64, trial_days: i32) -> Offer {
        Offer {
            id: OfferId::new(),
            product_id: ProductId::new(),
            slug: "club".into(),
            name: "Monthly".into(),
            kind: kind.into(),
            currency: "EUR".into(),
            amount,
            interval: (kind != "one_time").then(|| "month".into()),
            installments: None,
            trial_days,
            setup_fee,
            visible: true,
            max_sales: None,
            closes_at: None,
            bump_offer_id: None,
            bump_headline: String::new(),
            upsell_offer_id: None,
            archived_at: None,
            created_at: chrono::Utc::now(),
        }
    }

    fn checkout(o: &Offer, rule: pricing::TaxRule) -> Checkout {
        let q = pricing::quote(o, None, None, rule);
        Checkout {
            id: CheckoutId::new(),
            offer_id: o.id,
            user_id: None,
            email: "ana@example.com".into(),
            name: "Ana".into(),
            country: Some("ES".into()),
            billing_address: String::new(),
            coupon_id: None,
            with_bump: false,
            currency: q.currency.clone(),
            subtotal: q.subtotal,
            discount: q.discount,
            tax: q.tax,
            total: q.total,
            tax_rate_bp: rule.rate_bp,
            tax_inclusive: rule.inclusive,
            parent_order_id: None,
            status: "open".into(),
            provider: "stripe".into(),
            provider_ref: None,
            attribution: serde_json::json!({}),
            created_at: chrono::Utc::now(),
        }
    }

    fn get<'a>(p: &'a Params, k: &str) -> Option<&'a str> {
        p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
    }

    #[test]
    fn exclusive_tax_is_its_own_line_and_stripe_tax_replaces_it() {
        let o = offer("one_time", 10_000, 0, 0);
        let rule = pricing::TaxRule { rate_bp: 2100, inclusive: false };
        let c = checkout(&o, rule);
        let p = session_params("https://acme.test", &c, &o, "Course", None, None, 0, false, "VAT", None);
        assert_eq!(get(&p, "line_items[0][price_data][unit_amount]"), Some("10000"));
        assert_eq!(get(&p, "line_items[1][price_data][unit_amount]"), Some("2100"));
        assert_eq!(get(&p, "line_items[1][price_data][product_data][name]"), Some("VAT"));
        assert_eq!(get(&p, "line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(get(&p, "payment_intent_data[application_fee_amount]"), None);
        let p = session_params("https://acme.test", &c, &o, "Course", None, None, 500, true, "VAT", None);
        assert_eq!(get(&p, "line_items[0][price_data][unit_amount]"), Some("10000"));
        assert_eq!(get(&p, "line_items[1][price_data][unit_amount]"), None);
        assert_eq!(get(&p, "line_items[0][price_data][tax_behavior]"), Some("exclusive"));
        assert_eq!(get(&p, "automatic_tax[enabled]"), Some("true"));
        assert_eq!(get(&p, "payment_intent_data[application_fee_amount]"), Some("605"));
        // Inclusive prices: one line, tax within it.
        let c = checkout(&o, pricing::TaxRule { rate_bp: 2100, inclusive: true });
        let p = session_params("https://acme.test", &c, &o, "Course", None, None, 0, false, "VAT", None);
        assert_eq!(get(&p, "line_items[0][price_data][unit_amount]"), Some("10000"));
        assert_eq!(get(&p, "line_items[1][price_data][unit_amount]"), None);
    }

    #[test]
    fn a_subscription_with_a_setup_fee_or_a_trial_charges_the_first_payment_exactly() {
        let rule = pricing::TaxRule::default();
        let o = offer("subscription", 2_900, 5_000, 0);
        let c = checkout(&o, rule);
        let r = pricing::renewal(&o, None, 1, rule);
        let p = session_params("https://acme.test", &c, &o, "Club", None, Some(&r), 250, false, "Tax", None);
        assert_eq!(get(&p, "mode"), Some("subscription"));
        assert_eq!(get(&p, "line_items[0][price_data][unit_amount]"), Some("2900"));
        assert_eq!(get(&p, "line_items[0][price_data][recurring][interval]"), Some("month"));
        assert_eq!(get(&p, "line_items[1][price_data][unit_amount]"), Some("5000"));
        assert_eq!(get(&p, "line_items[1][price_data][recurring][interval]"), None);
        assert_eq!(get(&p, "subscription_data[application_fee_percent]"), Some("2.5"));
        let trial = offer("subscription", 2_900, 0, 14);
        let c = checkout(&trial, rule);
        let r = pricing::renewal(&trial, None, 1, rule);
        let p = session_params("https://acme.test", &c, &trial, "Club", None, Some(&r), 0, false, "Tax", Some("co_1"));
        assert_eq!(get(&p, "subscription_data[trial_period_days]"), Some("14"));
        assert_eq!(get(&p, "line_items[1][price_data][unit_amount]"), None);
        assert_eq!(get(&p, "discounts[0][coupon]"), Some("co_1"));
    }

    #[test]
    fn fees_round_half_up_and_read_as_percentages() {
        assert_eq!(fee_of(10_000, 250), 250);
        assert_eq!(fee_of(999, 500), 50);
        assert_eq!(fee_of(1, 0), 0);
        assert_eq!(percent_of_bp(250), "2.5");
        assert_eq!(percent_of_bp(500), "5");
        assert_eq!(percent_of_bp(125), "1.25");
        assert_eq!(percent_of_bp(5), "0.05");
    }
}
