//! Turning orders into course access, through the outbox. `order.paid` grants every course of
//! the order's products through [`courses::enrollment::enroll`]; a full refund or a chargeback
//! takes them back (unless the school keeps access on refunds); a lapsed subscription pauses
//! them and a recovered one opens them again. Each step is recorded per order and course in
//! `access_grants`, so the same event handled twice changes nothing the second time.

use kernel::{AppState, db::TenantTx, events::Event, ids::UserId};

use crate::{model::OrderId, store};

/// Subscribes the handlers.
pub fn wire(w: &mut kernel::state::Wiring) {
    w.events.subscribe(&mut w.jobs, "order.paid", "commerce.grant_access", on_paid);
    w.events.subscribe(&mut w.jobs, "order.refunded", "commerce.revoke_access", on_refunded);
}

fn order_of(event: &Event) -> anyhow::Result<OrderId> {
    Ok(serde_json::from_value(event.payload["order_id"].clone())?)
}

async fn on_paid(state: AppState, event: Event) -> anyhow::Result<()> {
    let mut tx = state.db.tenant(event.tenant).await?;
    grant(&state, &mut tx, order_of(&event)?).await?;
    tx.commit().await?;
    Ok(())
}

async fn on_refunded(state: AppState, event: Event) -> anyhow::Result<()> {
    let take_back = event.payload["revoke_access"].as_bool().unwrap_or(false)
        && (event.payload["fully_refunded"].as_bool().unwrap_or(false)
            || event.payload["dispute"].as_bool().unwrap_or(false));
    if !take_back {
        return Ok(());
    }
    let mut tx = state.db.tenant(event.tenant).await?;
    revoke(&state, &mut tx, order_of(&event)?).await?;
    tx.commit().await?;
    Ok(())
}

/// Grants the courses of `order` that it has not granted yet; returns how many it granted.
pub async fn grant(state: &AppState, tx: &mut TenantTx, order: OrderId) -> anyhow::Result<usize> {
    let Some(order) = store::order(tx, order).await? else { return Ok(0) };
    lock_person(tx, order.user_id).await?;
    if taken_back(tx, order.id).await? {
        // Refunded in full (or disputed) with access taken back before this grant ran.
        return Ok(0);
    }
    let products = store::order_products(tx, order.id).await?;
    let ends_at = None;
    let mut granted = 0;
    for course_id in store::product_course_ids(tx, &products).await? {
        let fresh: Option<i32> = sqlx::query_scalar(
            "insert into access_grants (tenant_id, order_id, course_id, user_id, granted_at) values ($1, $2, $3, $4, $5)
             on conflict do nothing returning 1",
        )
        .bind(tx.tenant())
        .bind(order.id)
        .bind(course_id)
        .bind(order.user_id)
        .bind(state.clock.now())
        .fetch_optional(&mut **tx)
        .await?;
        if fresh.is_none() {
            continue;
        }
        let Some(course) = courses::store::course(tx, course_id).await? else { continue };
        let order_ref = order.id.to_string();
        courses::enrollment::enroll(
            state,
            tx,
            order.user_id,
            &course,
            courses::enrollment::Source::Purchase,
            Some(&order_ref),
            ends_at,
        )
        .await?;
        granted += 1;
    }
    Ok(granted)
}

/// Takes back the courses `order` granted, unless another open grant still gives them;
/// returns how many enrolments were revoked.
pub async fn revoke(state: &AppState, tx: &mut TenantTx, order: OrderId) -> anyhow::Result<usize> {
    if let Some(o) = store::order(tx, order).await? {
        lock_person(tx, o.user_id).await?;
    }
    let taken: Vec<(courses::CourseId, UserId)> = sqlx::query_as(
        "update access_grants set revoked_at = $3 where tenant_id = $1 and order_id = $2 and revoked_at is null
         returning course_id, user_id",
    )
    .bind(tx.tenant())
    .bind(order)
    .bind(state.clock.now())
    .fetch_all(&mut **tx)
    .await?;
    let mut revoked = 0;
    for (course_id, user) in taken {
        lock_person(tx, user).await?;
        if still_granted(tx, user, course_id).await? {
            continue;
        }
        let Some(course) = courses::store::course(tx, course_id).await? else { continue };
        if courses::enrollment::revoke(state, tx, user, &course).await? {
            revoked += 1;
        }
    }
    Ok(revoked)
}

/// Pauses the access `order` gave (its subscription lapsed); returns how many were paused.
pub async fn pause(state: &AppState, tx: &mut TenantTx, order: OrderId) -> anyhow::Result<usize> {
    if let Some(o) = store::order(tx, order).await? {
        lock_person(tx, o.user_id).await?;
    }
    let paused: Vec<(courses::CourseId, UserId)> = sqlx::query_as(
        "update access_grants set paused_at = $3 where tenant_id = $1 and order_id = $2
           and revoked_at is null and paused_at is null returning course_id, user_id",
    )
    .bind(tx.tenant())
    .bind(order)
    .bind(state.clock.now())
    .fetch_all(&mut **tx)
    .await?;
    let mut count = 0;
    for (course_id, user) in paused {
        lock_person(tx, user).await?;
        if still_granted(tx, user, course_id).await? {
            continue;
        }
        let (Some(course), Some(enrollment)) =
            (courses::store::course(tx, course_id).await?, courses::store::enrollment(tx, user, course_id).await?)
        else {
            continue;
        };
        if courses::enrollment::change(state, tx, &enrollment, &course, courses::enrollment::Change::Pause).await? {
            count += 1;
        }
    }
    Ok(count)
}

/// Opens again the access `order` gave (its subscription recovered); returns how many.
pub async fn resume(state: &AppState, tx: &mut TenantTx, order: OrderId) -> anyhow::Result<usize> {
    let resumed: Vec<(courses::CourseId, UserId)> = sqlx::query_as(
        "update access_grants set paused_at = null where tenant_id = $1 and order_id = $2
           and revoked_at is null and paused_at is not null returning course_id, user_id",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_all(&mut **tx)
    .await?;
    let mut count = 0;
    for (course_id, user) in resumed {
        lock_person(tx, user).await?;
        let (Some(course), Some(enrollment)) =
            (courses::store::course(tx, course_id).await?, courses::store::enrollment(tx, user, course_id).await?)
        else {
            continue;
        };
        if courses::enrollment::change(state, tx, &enrollment, &course, courses::enrollment::Change::Resume).await? {
            count += 1;
        }
    }
    Ok(count)
}

/// Serialises one person's access changes until the transaction ends: a grant by one order
/// and a revocation by another run at once in different jobs, and without this the revocation
/// could miss the other order's grant (not committed yet) and close a course it still gives.
pub(crate) async fn lock_person(tx: &mut TenantTx, user: UserId) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('access:' || $1::text || ':' || $2::text, 0))")
        .bind(tx.tenant())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether a refund of `order` took its access back: refunded in full or disputed, with
/// access revoked (the same rule as `order.refunded`'s handler).
async fn taken_back(tx: &mut TenantTx, order: OrderId) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from refunds r where r.tenant_id = $1 and r.order_id = $2 and r.revoke_access
           and (r.kind = 'dispute'
                or (select coalesce(sum(amount), 0) from refunds where tenant_id = $1 and order_id = $2)
                   >= (select coalesce(sum(amount), 0) from payments where tenant_id = $1 and order_id = $2
                         and status = 'succeeded')))",
    )
    .bind(tx.tenant())
    .bind(order)
    .fetch_one(&mut **tx)
    .await
}

/// Whether some other order still gives `user` open access to `course`.
async fn still_granted(tx: &mut TenantTx, user: UserId, course: courses::CourseId) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from access_grants where tenant_id = $1 and user_id = $2 and course_id = $3
                          and revoked_at is null and paused_at is null)",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(course)
    .fetch_one(&mut **tx)
    .await
}
