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

/// Reads an amount typed in major units (`49`, `49.5`, `49,50`, `1,234.50`, `1.234,50`) as
/// minor units of `currency`; `None` when it is not a positive amount with at most the
/// currency's decimals.
pub fn parse_major(input: &str, currency: &str) -> Option<i64> {
    let s: String = input.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains('-') {
        return None;
    }
    let s = s.trim_start_matches(|c: char| !c.is_ascii_digit() && c != '.' && c != ',');
    let digits = kernel::format::minor_digits(currency) as usize;
    let decimal = match (s.rfind('.'), s.rfind(',')) {
        (Some(d), Some(c)) => Some(d.max(c)),
        (Some(i), None) | (None, Some(i)) => {
            let sep = s.as_bytes()[i] as char;
            let once = s.matches(sep).count() == 1;
            let grouped = s.len() - i - 1 == 3 && digits < 3 && !matches!(&s[..i], "" | "0");
            (once && !grouped).then_some(i)
        }
        (None, None) => None,
    };
    let (int, frac) = match decimal {
        Some(i) => (s[..i].replace([',', '.'], ""), s[i + 1..].to_string()),
        None => (s.replace([',', '.'], ""), String::new()),
    };
    if int.is_empty() && frac.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > digits
    {
        return None;
    }
    let units: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_value: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<digits$}").parse().ok()? };
    let minor = units.checked_mul(10i64.pow(digits as u32))?.checked_add(frac_value)?;
    (minor > 0).then_some(minor)
}

/// Minor units as a plain decimal (`12345, USD` → `123.45`), for CSV and form values.
pub fn plain_major(minor: i64, currency: &str) -> String {
    let digits = kernel::format::minor_digits(currency);
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(digits);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = digits as usize)
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

/// One CSV cell that spreadsheets keep as text (the same rule as insights' exports): a cell
/// starting like a formula gets a `'`, and cells with commas, quotes or line breaks are quoted.
pub fn csv_cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// One CSV line ended with CRLF.
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|c| csv_cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_in_major_units() {
        assert_eq!(parse_major("49", "USD"), Some(4_900));
        assert_eq!(parse_major("49.5", "USD"), Some(4_950));
        assert_eq!(parse_major("49,50", "EUR"), Some(4_950));
        assert_eq!(parse_major("$1,234.50", "USD"), Some(123_450));
        assert_eq!(parse_major("1.234,50", "EUR"), Some(123_450));
        assert_eq!(parse_major("1,234", "USD"), Some(123_400));
        assert_eq!(parse_major("5000", "JPY"), Some(5_000));
        assert_eq!(parse_major("0.001", "USD"), None);
        assert_eq!(parse_major("0", "USD"), None);
        assert_eq!(parse_major("-5", "USD"), None);
        assert_eq!(parse_major("abc", "USD"), None);
        assert_eq!(parse_major("", "USD"), None);
    }

    #[test]
    fn plain_amounts_for_spreadsheets() {
        assert_eq!(plain_major(12_345, "USD"), "123.45");
        assert_eq!(plain_major(5, "USD"), "0.05");
        assert_eq!(plain_major(5_000, "JPY"), "5000");
    }

    #[test]
    fn days_start_in_the_school_zone() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(start_of_day(day, "UTC").to_rfc3339(), "2026-11-30T00:00:00+00:00");
        assert_eq!(start_of_day(day, "America/New_York").to_rfc3339(), "2026-11-30T05:00:00+00:00");
    }

    #[test]
    fn csv_cells_stay_text() {
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(csv_row(&["a", "b"]), "a,b\r\n");
    }
}
