//! The demo school's forty contacts: who they are, where they came from, when.

use chrono::{DateTime, Duration, Utc};
use kernel::{AppState, db::TenantTx};
use serde_json::json;

use crate::{
    contacts::{self, Incoming},
    model::{ContactId, FormId, PageId},
};

/// People who found the school: first name, last name.
pub(super) const PEOPLE: [(&str, &str); 40] = [
    ("Amelia", "Hart"),
    ("Rafael", "Souza"),
    ("Ingrid", "Larsen"),
    ("Kwame", "Mensah"),
    ("Elena", "Petrova"),
    ("Jonah", "Weiss"),
    ("Mei", "Lin"),
    ("Lucas", "Moreau"),
    ("Zara", "Ahmed"),
    ("Declan", "Byrne"),
    ("Paula", "Jiménez"),
    ("Henrik", "Nyberg"),
    ("Ruth", "Abernathy"),
    ("Tariq", "Hassan"),
    ("Camille", "Dubois"),
    ("Owen", "Price"),
    ("Yuki", "Sato"),
    ("Marta", "Kowalska"),
    ("Samuel", "Adeyemi"),
    ("Leah", "Goldberg"),
    ("Nina", "Rossi"),
    ("Arjun", "Mehta"),
    ("Freya", "Lindqvist"),
    ("Diego", "Fuentes"),
    ("Harriet", "Cole"),
    ("Ivan", "Novak"),
    ("Rosa", "Delgado"),
    ("Theo", "Papadopoulos"),
    ("Ayesha", "Siddiqui"),
    ("Felix", "Wagner"),
    ("Clara", "Bianchi"),
    ("Malik", "Johnson"),
    ("Sienna", "Walsh"),
    ("Hugo", "Laurent"),
    ("Beatriz", "Lima"),
    ("Kai", "Nakamura"),
    ("Esther", "Okafor"),
    ("Ronan", "Kelly"),
    ("Vera", "Horvath"),
    ("Maeve", "Gallagher"),
];

/// Where a lead came from (`utm_source`, `utm_medium`, `utm_campaign`).
pub(super) const SOURCES: [(&str, &str, &str); 5] = [
    ("instagram", "social", "spring-launch"),
    ("youtube", "video", "color-mixing"),
    ("pinterest", "social", "cheat-sheet"),
    ("newsletter", "email", "spring-launch"),
    ("", "", ""),
];

/// One opt-in through the form: when, from which page, from which source.
#[derive(Clone, Debug)]
pub(super) struct OptIn {
    pub(super) contact: ContactId,
    pub(super) email: String,
    pub(super) first_name: &'static str,
    pub(super) at: DateTime<Utc>,
    pub(super) page: PageId,
    pub(super) source: usize,
}

/// The forty contacts, spread over sixty days: most from the cheat-sheet form (on its page or
/// the home page), some imported from a workshop's sign-up sheet, a few customers and two who
/// unsubscribed. Returns the form's opt-ins.
pub(super) async fn people(
    state: &AppState,
    tx: &mut TenantTx,
    now: DateTime<Utc>,
    form: FormId,
    lead: PageId,
    home: PageId,
) -> anyhow::Result<Vec<OptIn>> {
    let mut optins = vec![];
    for (i, (first, last)) in PEOPLE.iter().enumerate() {
        let ago = 59 - (i as i64 * 59) / 39;
        let at = now - Duration::days(ago) - Duration::minutes((i as i64 * 137) % 900);
        let source_index = i % SOURCES.len();
        let (utm_source, utm_medium, utm_campaign) = SOURCES[source_index];
        let email = format!("{}.{}@example.test", ascii(first), ascii(last));
        let mut tags = vec![];
        let mut optin_page = None;
        let (source, consent) = match i % 10 {
            7 => {
                tags.push("Berkeley library workshop");
                (json!({ "kind": "import", "file": "workshop-signups.csv" }), None)
            }
            9 => {
                tags.push("Customer");
                tags.push("Watercolor Foundations");
                (json!({ "kind": "purchase", "offer": commerce::demo::FOUNDATIONS, "lp": super::SALES_PAGE }), None)
            }
            n => {
                let page = if n == 8 { home } else { lead };
                optin_page = Some(page);
                tags.extend(["Lead magnet", "Cheat sheet"]);
                if i % 5 == 0 {
                    tags.extend(["Customer", "Watercolor Foundations"]);
                }
                let consent = json!({
                    "text": "Send me the cheat sheet and Maya's weekly painting tip. I can unsubscribe at any time.",
                    "at": at, "form_id": form, "page_id": page,
                });
                (
                    json!({ "kind": "form", "form_id": form, "page_id": page, "utm_source": utm_source,
                            "utm_medium": utm_medium, "utm_campaign": utm_campaign }),
                    Some(consent),
                )
            }
        };
        let customer = tags.contains(&"Customer");
        let who = Incoming {
            email: email.clone(),
            first_name: Some((*first).to_string()),
            last_name: Some((*last).to_string()),
            source,
            consent,
            status: Some("subscribed"),
            customer,
            ..Incoming::default()
        };
        let (id, _) = contacts::upsert(state, tx, who).await.map_err(|e| anyhow::anyhow!("a demo contact: {e}"))?;
        if let Some(page) = optin_page {
            optins.push(OptIn { contact: id, email, first_name: first, at, page, source: source_index });
        }
        let names: Vec<String> = tags.iter().map(|t| (*t).to_string()).collect();
        contacts::tag(state, tx, id, &names).await?;
        let unsubscribed = (i == 13 || i == 26).then(|| at + Duration::days(ago / 2));
        sqlx::query(
            "update contacts set created_at = $3, status = case when $4::timestamptz is null then status else 'unsubscribed' end,
               unsubscribed_at = $4 where tenant_id = $1 and id = $2",
        )
        .bind(tx.tenant())
        .bind(id)
        .bind(at)
        .bind(unsubscribed)
        .execute(&mut **tx)
        .await?;
        sqlx::query("update contact_activity set occurred_at = $3 where tenant_id = $1 and contact_id = $2")
            .bind(tx.tenant())
            .bind(id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
        sqlx::query("update contact_tags set created_at = $3 where tenant_id = $1 and contact_id = $2")
            .bind(tx.tenant())
            .bind(id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
    }
    Ok(optins)
}

/// `name` without accents, lower case, for an address.
fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}
