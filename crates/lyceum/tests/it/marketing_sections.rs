//! Section templates on a published page: every kind renders with its live data (a course's
//! curriculum, offers with checkout links, a form, library images), script typed into any text
//! field comes out escaped, and a deleted course or archived offer hides its section while
//! `render::warnings` tells the editor why. Every template makes a page that publishes.

use marketing::{
    render,
    sections::{Document, Field, SPEC, Section},
};
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

use crate::{
    commerce_support::offer,
    courses_support::{library_item, published_course},
    marketing_sections_support::{library_image, set_draft},
    marketing_support::{new_page, owner, publish},
    support::TestApp,
};

const SCRIPT: &str = "<script>x</script>";

/// A value for every field of `fields`, with script in all plain text.
fn fill(fields: &[(&str, Field)], refs: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, field) in fields {
        let v = match field {
            Field::Text { .. } | Field::Multiline { .. } => json!(format!("{SCRIPT}{name}")),
            Field::Rich => json!(format!("<p>Rich {name}</p>{SCRIPT}")),
            Field::Html => json!("<p class=\"custom\">Custom</p><script>x</script>"),
            Field::Url => json!("#pricing"),
            Field::Date => json!("2099-01-01T12:00:00Z"),
            Field::Number { .. } => json!(30),
            Field::Toggle => json!(true),
            Field::Choice { options } => json!(options[0]),
            Field::List { item, .. } => json!([fill(item, refs), fill(item, refs)]),
            Field::Image => refs["image"].clone(),
            Field::Video => refs["video"].clone(),
            Field::Course => refs["course"].clone(),
            Field::Offers => refs["offers"].clone(),
            Field::Form => refs["form"].clone(),
        };
        out.insert((*name).to_string(), v);
    }
    out
}

#[tokio::test]
async fn every_section_kind_renders_live_data_escaped_and_hides_what_is_gone() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let course =
        published_course(&app, &acme, "Watercolor", &[("Basics", &[("Brushes", "text"), ("Paper", "text")])]).await;
    let full = offer(&app, &acme, "full", "one_time", 4900, &[course.course.id]).await;
    let plan = offer(&app, &acme, "plan", "plan", 1900, &[course.course.id]).await;
    let image = library_image(&app, &acme, "Studio", 2000, 1000).await;
    let video = library_item(&app, &acme, "Trailer", "video", "video/mp4").await;
    let form = uuid::Uuid::now_v7();
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("insert into forms (tenant_id, id, name, embed_key) values ($1, $2, 'Guide', 'k1')")
            .bind(acme.school.id)
            .bind(form)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let refs: Map<String, Value> = serde_json::from_value(json!({
        "image": image.to_string(), "video": video.to_string(), "course": course.course.id.to_string(),
        "offers": [full.id.to_string(), plan.id.to_string()], "form": form.to_string(),
    }))
    .unwrap();
    let mut sections: Vec<Section> = SPEC
        .iter()
        .map(|k| Section { id: format!("sec-{}", k.kind), kind: k.kind.to_string(), data: fill(k.fields, &refs) })
        .collect();
    // A countdown whose end has passed shows its closing line instead.
    let over = json!({ "heading": "Hurry", "ends_at": "2001-01-01T00:00:00Z", "expired_text": "Doors are closed" });
    sections.push(Section {
        id: "sec-over".into(),
        kind: "countdown".into(),
        data: serde_json::from_value(over).unwrap(),
    });
    let doc = Document { sections, ..Default::default() };

    let path = new_page(&b, "Sales", "sales", "blank").await;
    set_draft(&app, &acme, &path, &doc).await;
    publish(&b, &path).await;
    let visitor = app.browser("acme");
    let (status, html) = visitor.page("/p/sales").await;
    assert_eq!(status, StatusCode::OK, "{html}");

    // Every kind is there, and nothing typed runs.
    for k in SPEC {
        assert!(html.contains(&format!("id=\"sec-{}\"", k.kind)), "{} missing: {html}", k.kind);
    }
    assert!(!html.contains(SCRIPT) && html.contains("&lt;script&gt;x&lt;&#x2f;script&gt;headline"), "{html}");
    assert!(html.contains("<p class=\"custom\">Custom</p>") && html.contains("Rich body"), "{html}");
    // Editable in place.
    assert!(html.contains("data-field=\"headline\"") && html.contains("data-field=\"items.1.question\""), "{html}");
    // Live data: the curriculum, prices with the page's checkout links, the video, the countdown.
    assert!(html.contains("Brushes") && html.contains("2 lessons"), "{html}");
    assert!(html.contains("$49.00") && html.contains("&#x2f;checkout&#x2f;full?lp=sales"), "{html}");
    assert!(html.contains("$19.00") && html.contains("&#x2f;checkout&#x2f;plan?lp=sales"), "{html}");
    assert!(html.contains(&format!("&#x2f;media&#x2f;{video}")), "{html}");
    assert!(html.contains("<time datetime=\"2099-01-01T12:00:00+00:00\""), "{html}");
    assert!(html.contains("<details") && html.contains("30-day money-back guarantee"), "{html}");
    assert!(html.contains("Doors are closed") && !html.contains("Hurry"), "{html}");
    // Images: sized and responsive; the first section's loads first, the others lazily.
    assert!(html.contains(&format!("&#x2f;media&#x2f;i&#x2f;{image}&#x2f;")), "{html}");
    assert!(html.contains("width=\"1600\" height=\"800\"") && html.contains(" 480w, "), "{html}");
    assert!(html.contains("fetchpriority=\"high\"") && html.contains("loading=\"lazy\" decoding=\"async\""), "{html}");

    let warnings = |doc: Document| {
        let app = &app;
        let school = acme.school.id;
        async move {
            let mut tx = app.state.db.tenant(school).await.unwrap();
            let live = render::live(&app.state, &mut tx, &doc, "sales", kernel::i18n::Locale::En).await.unwrap();
            tx.commit().await.unwrap();
            render::warnings(&doc, &live)
        }
    };
    assert!(warnings(doc.clone()).await.is_empty());

    // The course is deleted and one offer archived: the curriculum hides, pricing shows the other.
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("update courses set deleted_at = now() where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(course.course.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("update offers set archived_at = now() where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(full.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    // Published pages are cached for a short while: a change to a course or an offer reaches them
    // when the copy expires (30 s); the test does not wait for it.
    marketing::render::forget(&app.state, acme.school.id);
    let (status, html) = visitor.page("/p/sales").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("id=\"sec-curriculum\"") && !html.contains("Brushes"), "{html}");
    assert!(html.contains("id=\"sec-pricing\"") && !html.contains("$49.00") && html.contains("$19.00"), "{html}");
    let w = warnings(doc.clone()).await;
    assert!(w.contains(&("sec-curriculum".into(), "section-warning-course")), "{w:?}");
    assert!(w.contains(&("sec-pricing".into(), "section-warning-offer")), "{w:?}");

    // With no offer left on sale, the pricing section hides too.
    {
        let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
        sqlx::query("update offers set archived_at = now() where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(plan.id)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("update forms set archived_at = now() where tenant_id = $1 and id = $2")
            .bind(acme.school.id)
            .bind(form)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    marketing::render::forget(&app.state, acme.school.id);
    let (_, html) = visitor.page("/p/sales").await;
    assert!(!html.contains("id=\"sec-pricing\"") && !html.contains("id=\"sec-optin\""), "{html}");
    assert!(html.contains("id=\"sec-hero\""), "{html}");
    let w = warnings(doc).await;
    assert!(w.contains(&("sec-optin".into(), "section-warning-form")), "{w:?}");
}

#[tokio::test]
async fn every_template_makes_a_page_that_publishes() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let b = owner(&app, &acme).await;
    let (_, list) = b.page("/admin/pages").await;
    for t in marketing::page_templates::ALL {
        assert!(list.contains(&format!("value=\"{}\"", t.name)), "{}: {list}", t.name);
        let slug = format!("t-{}", t.name);
        let path = new_page(&b, "Paint Like a Pro", &slug, t.name).await;
        publish(&b, &path).await;
        let (status, html) = app.browser("acme").page(&format!("/p/{slug}")).await;
        assert_eq!(status, StatusCode::OK, "{}: {html}", t.name);
        assert!(html.contains("Paint Like a Pro") && html.contains("data-field=\"headline\""), "{}", t.name);
        assert!(!html.contains("lorem"), "{}", t.name);
    }
    let (_, html) = app.browser("acme").page("/p/t-sales-page").await;
    assert!(html.contains("Try it risk-free") && html.contains("Questions, answered"), "{html}");
}
