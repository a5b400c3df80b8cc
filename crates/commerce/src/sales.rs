//! What the admin's sales pages show, built from the ledger's rows: an order's whole history
//! as one timeline, amounts typed in major units, dates typed in the school's time zone, and
//! CSV cells that spreadsheets keep as text.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kernel::{db::TenantTx, ids::UserId};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    model::{Order, SubscriptionId},
    sales_store::{self, ChangeRow, GrantRow, PaymentRow, RefundRow},
};

/// One moment of an order's history.
#[derive(Clone, Debug, Serialize)]
pub struct Moment {
    /// When.
    pub at: DateTime<Utc>,
    /// `checkout`, `order`, `comp`, `payment_succeeded`, `payment_failed`, `refund`, `dispute`,
    /// `subscription`, `access_granted`, `access_revoked`, `access_paused`.
    pub kind: String,
    /// The facts the page shows with it (amount, currency, code, receipt, reason, course …).
    pub detail: Value,
    /// Who did it, when staff did.
    pub actor: Option<UserId>,
}

/// An order's history, oldest first, from its checkout, payments, refunds, subscription
/// changes and access grants.
pub async fn timeline(
    tx: &mut TenantTx,
    order: &Order,
    payments: &[PaymentRow],
    refunds: &[RefundRow],
    grants: &[GrantRow],
    subscription: Option<SubscriptionId>,
) -> sqlx::Result<Vec<Moment>> {
    let mut out = Vec::new();
    if let Some(at) = sales_store::checkout_started(tx, order.id).await? {
        out.push(Moment { at, kind: "checkout".into(), detail: json!({}), actor: None });
    }
    let given_by = order.attribution.get("given_by").and_then(Value::as_str).and_then(|s| s.parse().ok());
    out.push(Moment {
        at: order.created_at,
        kind: if order.source == "comp" { "comp".into() } else { "order".into() },
        detail: json!({ "total": order.total, "currency": order.currency, "source": order.source }),
        actor: given_by,
    });
    for p in payments {
        out.push(Moment {
            at: p.occurred_at,
            kind: format!("payment_{}", p.status),
            detail: json!({
                "id": p.id, "amount": p.amount, "currency": p.currency, "code": p.failure_code,
                "receipt": p.receipt_number, "renewal": p.subscription_id.is_some(), "card": p.card,
            }),
            actor: None,
        });
    }
    for r in refunds {
        out.push(Moment {
            at: r.occurred_at,
            kind: r.kind.clone(),
            detail: json!({
                "id": r.id, "amount": r.amount, "currency": r.currency, "reason": r.reason,
                "credit_note": r.credit_note_number, "revoke_access": r.revoke_access,
            }),
            actor: r.actor_id,
        });
    }
    if let Some(sub) = subscription {
        for ChangeRow { kind, from_status, to_status, detail, actor_id, occurred_at } in
            sales_store::changes(tx, sub).await?
        {
            out.push(Moment {
                at: occurred_at,
                kind: "subscription".into(),
                detail: json!({ "change": kind, "from": from_status, "to": to_status, "code": detail.get("code"),
                                "reason": detail.get("reason") }),
                actor: actor_id,
            });
        }
    }
    for g in grants {
        out.push(Moment {
            at: g.granted_at,
            kind: "access_granted".into(),
            detail: json!({ "course": g.title, "course_id": g.course_id }),
            actor: None,
        });
        if let Some(at) = g.paused_at {
            out.push(Moment {
                at,
                kind: "access_paused".into(),
                detail: json!({ "course": g.title, "course_id": g.course_id }),
                actor: None,
            });
        }
        if let Some(at) = g.revoked_at {
            out.push(Moment {
                at,
                kind: "access_revoked".into(),
                detail: json!({ "course": g.title, "course_id": g.course_id }),
                actor: None,
            });
        }
    }
    // Stable: facts of one transaction keep their causal order (order, payment, access).
    out.sort_by_key(|m| m.at);
    Ok(out)
}

/// The first moment of `day` in the time zone `zone`.
pub fn start_of_day(day: NaiveDate, zone: &str) -> DateTime<Utc> {
    let tz = kernel::format::tz(zone);
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// A date typed as `YYYY-MM-DD`.
pub fn parse_day(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_in_the_school_zone() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(start_of_day(day, "UTC").to_rfc3339(), "2026-11-30T00:00:00+00:00");
        assert_eq!(start_of_day(day, "America/New_York").to_rfc3339(), "2026-11-30T05:00:00+00:00");
    }
}
