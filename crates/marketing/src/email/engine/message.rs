//! The MIME message of one delivery: From, To, Subject, Date, our Message-ID, one-click
//! unsubscribe headers (RFC 8058) and a multipart/alternative text and HTML body.

use lettre::{
    Message,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};

use super::transport::Outgoing;

/// What goes into one message.
pub struct Parts<'a> {
    /// Sender.
    pub from: &'a kernel::mail::Sender,
    /// Recipient address and name.
    pub to: (&'a str, &'a str),
    /// Subject, HTML and text, personalised and decorated.
    pub subject: &'a str,
    /// HTML body.
    pub html: &'a str,
    /// Text body.
    pub text: &'a str,
    /// `id@host`, without angle brackets (as kept in `email_deliveries.message_id`).
    pub message_id: &'a str,
    /// The delivery's one-click unsubscribe address.
    pub unsubscribe: &'a str,
    /// When it is sent.
    pub date: std::time::SystemTime,
}

/// Builds the message; the raw bytes in the result are unsigned.
pub fn build(p: &Parts<'_>) -> anyhow::Result<Outgoing> {
    let from = Mailbox::new(Some(p.from.name.clone()).filter(|n| !n.is_empty()), p.from.email.parse()?);
    let to = Mailbox::new(Some(p.to.1.to_string()).filter(|n| !n.is_empty()), p.to.0.parse()?);
    let list_unsubscribe = format!("<{}>", p.unsubscribe);
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(p.subject)
        .date(p.date)
        .message_id(Some(format!("<{}>", p.message_id)))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), list_unsubscribe.clone()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        ));
    if let Some(reply_to) = p.from.reply_to.as_deref().filter(|r| !r.is_empty()) {
        builder = builder.reply_to(Mailbox::new(None, reply_to.parse()?));
    }
    let message = builder.multipart(MultiPart::alternative_plain_html(p.text.to_string(), p.html.to_string()))?;
    Ok(Outgoing {
        envelope_from: p.from.email.clone(),
        to: p.to.0.to_string(),
        raw: message.formatted(),
        from_header: from.to_string(),
        subject: p.subject.to_string(),
        html: p.html.to_string(),
        text: p.text.to_string(),
        headers: vec![
            ("Message-ID".into(), format!("<{}>", p.message_id)),
            ("List-Unsubscribe".into(), list_unsubscribe),
            ("List-Unsubscribe-Post".into(), "List-Unsubscribe=One-Click".into()),
        ],
    })
}
