//! `GET /admin/orders/{id}`: one order: the buyer, its lines, coupon, tax and totals, its
//! derived state, and its whole history as a timeline in the school's time zone; with the
//! refund form (`POST /admin/orders/{id}/refund`) and, for a comp, taking the product back
//! (`POST /admin/orders/{id}/revoke`).

use axum::{
    extract::Path,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use identity::{Ctx, Permission};
use kernel::{AppError, AppResult, web::FieldErrors, web::Form};
use minijinja::{context, value::Serde};
use serde::{Deserialize, Serialize};

use crate::{
    access, ledger,
    model::{Order, OrderId, PaymentId},
    refunds::{self, RefundError, StaffRefund, StaffRefunded},
    sales, sales_store, store,
};

/// The refund form.
#[derive(Deserialize, Serialize, Default, Clone)]
pub struct RefundForm {
    #[serde(default)]
    pub payment: String,
    /// In major units, as typed.
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub reason: String,
    /// `revoke` or `keep`.
    #[serde(default)]
    pub access: String,
    /// The form's one-time token (a double submit refunds once).
    #[serde(default)]
    pub key: String,
}

async fn load(ctx: &Ctx, raw: &str) -> AppResult<Order> {
    let id: OrderId = raw.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = ctx.tx().await?;
    let order = store::order(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(order)
}

pub async fn show(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    ctx.require(Permission::ManageSales)?;
    let order = load(&ctx, &id).await?;
    page(&ctx, &order, None, &FieldErrors::default()).await
}

async fn page(ctx: &Ctx, order: &Order, form: Option<&RefundForm>, errors: &FieldErrors) -> AppResult<Response> {
    let mut tx = ctx.tx().await?;
    let row = sales_store::order_row(&mut tx, order.id).await?.ok_or(AppError::NotFound)?;
    let items = sales_store::items(&mut tx, order.id).await?;
    let payments = sales_store::payments(&mut tx, order.id).await?;
    let refunds = sales_store::refunds(&mut tx, order.id).await?;
    let grants = sales_store::grants(&mut tx, order.id).await?;
    let subscription = store::subscription_of_order(&mut tx, order.id).await?;
    let coupon = match order.coupon_id {
        Some(c) => sales_store::coupon_code(&mut tx, c.0).await?,
        None => None,
    };
    let timeline =
        sales::timeline(&mut tx, order, &payments, &refunds, &grants, subscription.as_ref().map(|s| s.id)).await?;
    let mut actors: Vec<_> = timeline.iter().filter_map(|m| m.actor).collect();
    actors.sort();
    actors.dedup();
    let names: std::collections::BTreeMap<String, String> =
        identity::store::find_many(&mut tx, &actors).await?.into_iter().map(|u| (u.id.to_string(), u.name)).collect();
    let buyer = identity::store::find(&mut tx, order.user_id).await?;
    let settings = store::settings(&mut tx).await?;
    tx.commit().await?;
    let refundable: Vec<_> = payments.iter().filter(|p| p.status == "succeeded" && p.amount > p.refunded).collect();
    let state = ledger::order_state(row.paid, row.refunded);
    let default_form = RefundForm {
        payment: refundable.last().map(|p| p.id.to_string()).unwrap_or_default(),
        amount: refundable
            .last()
            .map(|p| crate::catalog::amount_input(p.amount - p.refunded, &p.currency))
            .unwrap_or_default(),
        reason: String::new(),
        access: settings.refund_access.clone(),
        key: uuid::Uuid::new_v4().simple().to_string(),
    };
    let form = form.cloned().unwrap_or(default_form);
    let html = ctx.render(
        "commerce/admin/order.html",
        context! {
            order => Serde(order), row => Serde(&row), state => Serde(&state), items => Serde(&items),
            payments => Serde(&payments), refunds => Serde(&refunds), grants => Serde(&grants),
            subscription => Serde(&subscription), coupon, timeline => Serde(&timeline), names => Serde(&names),
            buyer => Serde(&buyer), refundable => Serde(&refundable), form => Serde(&form), errors => Serde(errors),
            open_grants => grants.iter().any(|g| g.revoked_at.is_none()),
        },
    )?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html).into_response())
}

pub async fn refund(ctx: Ctx, Path(id): Path<String>, Form(f): Form<RefundForm>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let order = load(&ctx, &id).await?;
    let back = format!("/admin/orders/{}", order.id);
    let mut errors = FieldErrors::default();
    let mut tx = ctx.tx().await?;
    let payment = match f.payment.parse::<PaymentId>() {
        Ok(p) => store::payment(&mut tx, p).await?.filter(|p| p.order_id == order.id && p.status == "succeeded"),
        Err(_) => None,
    };
    tx.commit().await?;
    let Some(payment) = payment else {
        errors.add("payment", ctx.t("orders-refund-error-payment"));
        return page(&ctx, &order, Some(&f), &errors).await;
    };
    let amount = crate::catalog::parse_amount(&f.amount, &payment.currency).ok().filter(|m| *m > 0);
    if amount.is_none() {
        errors.add("amount", ctx.t("orders-refund-error-amount"));
    }
    if f.reason.chars().count() > 500 {
        errors.add("reason", ctx.t("orders-refund-error-reason"));
    }
    let key: String = f.key.chars().filter(char::is_ascii_alphanumeric).take(64).collect();
    let (Some(amount), true) = (amount, errors.is_empty()) else {
        return page(&ctx, &order, Some(&f), &errors).await;
    };
    // Without a token (an old form), the amount and payment make the key: the same form
    // submitted twice still refunds once.
    let key = if key.is_empty() { format!("{amount}") } else { key };
    let mut tx = ctx.tx().await?;
    let done = refunds::refund_by_staff(
        &ctx.state,
        &mut tx,
        StaffRefund {
            payment: payment.id,
            amount,
            reason: f.reason.trim(),
            revoke_access: f.access != "keep",
            actor,
            key: &key,
        },
    )
    .await;
    match done {
        Ok(StaffRefunded::Done { credit_note }) => {
            identity::store::audit(
                &mut tx,
                actor,
                "order.refunded",
                serde_json::json!({ "order_id": order.id, "payment_id": payment.id, "amount": amount }),
            )
            .await?;
            tx.commit().await?;
            let money = kernel::format::money(amount, &payment.currency, ctx.shell.locale);
            let message = ctx.t_args("orders-refund-done", &[("amount", money.into()), ("note", credit_note.into())]);
            Ok(ctx.redirect_with(&back, "success", message).into_response())
        }
        Ok(StaffRefunded::AlreadyDone) => {
            tx.commit().await?;
            Ok(ctx.redirect_with(&back, "info", ctx.t("orders-refund-already")).into_response())
        }
        Err(RefundError::TooMuch { left }) => {
            drop(tx);
            let money = kernel::format::money(left.max(0), &payment.currency, ctx.shell.locale);
            errors.add("amount", ctx.t_args("orders-refund-error-too-much", &[("left", money.into())]));
            page(&ctx, &order, Some(&f), &errors).await
        }
        Err(RefundError::NoPayment) => {
            drop(tx);
            errors.add("payment", ctx.t("orders-refund-error-payment"));
            page(&ctx, &order, Some(&f), &errors).await
        }
        Err(RefundError::Other(e)) => Err(AppError::Internal(e)),
    }
}

pub async fn revoke(ctx: Ctx, Path(id): Path<String>) -> AppResult<Response> {
    let actor = ctx.require(Permission::ManageSales)?.id;
    let order = load(&ctx, &id).await?;
    let back = format!("/admin/orders/{}", order.id);
    if order.source != "comp" {
        return Ok(ctx.redirect_with(&back, "error", ctx.t("orders-revoke-only-comp")).into_response());
    }
    let mut tx = ctx.tx().await?;
    let n = access::revoke(&ctx.state, &mut tx, order.id).await.map_err(AppError::Internal)?;
    let open: i64 = sqlx::query_scalar(
        "select count(*) from access_grants where tenant_id = $1 and order_id = $2 and revoked_at is not null",
    )
    .bind(tx.tenant())
    .bind(order.id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        identity::store::audit(&mut tx, actor, "order.comp_revoked", serde_json::json!({ "order_id": order.id }))
            .await?;
    }
    tx.commit().await?;
    let (kind, key) =
        if n > 0 || open > 0 { ("success", "orders-revoke-done") } else { ("info", "orders-revoke-nothing") };
    Ok(ctx.redirect_with(&back, kind, ctx.t(key)).into_response())
}
