//! Helpers for the deliverability tests: sent deliveries, reports, a DKIM verifier fed from a
//! table instead of DNS.

use std::{collections::HashMap, sync::Mutex};

use mail_auth::{ResolverCache, Txt};
use marketing::email::{DeliveryId, content, deliveries};

use crate::support::{TestApp, TestSchool};

/// `n` deliveries already sent to `user{i}@list.test` (contacts made too); their ids.
pub async fn sent(app: &TestApp, school: &TestSchool, n: usize) -> Vec<DeliveryId> {
    let mut tx = app.state.db.tenant(school.school.id).await.unwrap();
    let email = content::create(&mut tx, "News", "Hello", serde_json::json!({ "blocks": [] }), None).await.unwrap();
    let now = app.state.clock.now();
    let mut batch = Vec::new();
    for i in 0..n {
        let addr = format!("user{i}@list.test");
        sqlx::query("insert into contacts (tenant_id, id, email) values ($1, $2, $3)")
            .bind(school.school.id)
            .bind(uuid::Uuid::now_v7())
            .bind(&addr)
            .execute(&mut *tx)
            .await
            .unwrap();
        batch.push(deliveries::NewDelivery {
            email_id: email,
            contact_id: None,
            to_email: addr,
            source: "automation",
            broadcast_id: None,
            automation_id: None,
            step_id: None,
            subject: None,
            not_before: now,
        });
    }
    let ids = deliveries::enqueue(&mut tx, &batch).await.unwrap();
    sqlx::query(
        "update email_deliveries set status = 'sent', sent_at = $2, message_id = '<' || id::text || '@mail.test>'
         where tenant_id = $1",
    )
    .bind(school.school.id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ids
}

/// A DSN (RFC 3464) for `to`, status `status`, about the message `message_id`.
pub fn dsn(to: &str, status: &str, message_id: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.list.test>\r\n\
         To: bounces@acme.test\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n\
         \r\n\
         --B1\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         Your message could not be delivered.\r\n\
         --B1\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx.list.test\r\n\
         \r\n\
         Final-Recipient: rfc822; {to}\r\n\
         Action: failed\r\n\
         Status: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} user unknown\r\n\
         \r\n\
         --B1\r\n\
         Content-Type: message/rfc822\r\n\
         \r\n\
         From: news@acme.test\r\n\
         To: {to}\r\n\
         Subject: Hello\r\n\
         Message-ID: {message_id}\r\n\
         \r\n\
         Hi\r\n\
         --B1--\r\n"
    )
}

/// An ARF complaint (RFC 5965) about the message `message_id`.
pub fn arf(to: &str, message_id: &str) -> String {
    format!(
        "From: feedback@isp.test\r\n\
         To: abuse@acme.test\r\n\
         Subject: Complaint\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=feedback-report; boundary=\"B2\"\r\n\
         \r\n\
         --B2\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         This is an email abuse report.\r\n\
         --B2\r\n\
         Content-Type: message/feedback-report\r\n\
         \r\n\
         Feedback-Type: abuse\r\n\
         User-Agent: ISP-FBL/1.0\r\n\
         Version: 1\r\n\
         Original-Rcpt-To: {to}\r\n\
         \r\n\
         --B2\r\n\
         Content-Type: text/rfc822-headers\r\n\
         \r\n\
         From: news@acme.test\r\n\
         To: {to}\r\n\
         Message-ID: {message_id}\r\n\
         \r\n\
         --B2--\r\n"
    )
}

/// A TXT table for mail-auth's verifier, so it needs no DNS.
#[derive(Default)]
pub struct TxtTable(pub Mutex<HashMap<Box<str>, Txt>>);

impl ResolverCache<Box<str>, Txt> for TxtTable {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.0.lock().unwrap().get(name).cloned()
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.0.lock().unwrap().remove(name)
    }

    fn insert(&self, key: Box<str>, value: Txt, _: std::time::Instant) {
        self.0.lock().unwrap().insert(key, value);
    }
}
