//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` annotations and
//! the types in [`crate::schema`]. The routes and the document come from the same
//! [`OpenApiRouter`], so an endpoint cannot exist without being documented.

use std::sync::LazyLock;

use axum::Router;
use kernel::{AppState, web::School};
use utoipa::{
    OpenApi,
    openapi::{
        self, Content, HeaderBuilder, Ref, RefOr, ResponseBuilder, Server,
        schema::{ObjectBuilder, Type},
        security::{Http, HttpAuthScheme, SecurityScheme},
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::routes::commerce_catalog;
use crate::routes::{
    affiliate_ledger_api, affiliates_api, automations_api, broadcasts_api, contacts_api, contacts_tags_api, forms_api,
    orders, pages_api, subscriptions as subscriptions_api,
};
use crate::{
    problem::ProblemBody,
    routes::{
        certificate_show, courses_list, courses_show, create_user, docs, enrollment_revoke, enrollments, list_users,
        me, media_delete, media_list, media_show, media_uploads, progress, show_user,
    },
};

/// Where the API lives on a school's site.
pub const BASE_PATH: &str = "/api/v1";
/// The security scheme's name in the document.
pub const SCHEME: &str = "api_key";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lyceum API",
        version = "1.0.0",
        description = "Read and add the people of your school, read its courses, enrolments and progress, manage its media \
                       library and check its certificates, from your own tools. \
                       Authenticate with an API key created by the school's owner under Settings → API keys, sent as \
                       `Authorization: Bearer <key>`. Errors are `application/problem+json` (RFC 9457), except the \
                       tus upload protocol's own answers, which are plain text.",
        license(name = "AGPL-3.0-only", identifier = "AGPL-3.0-only"),
    ),
    tags(
        (name = "School", description = "The key you are using and the school it belongs to."),
        (name = "Users", description = "Everyone with an account in the school: students, team members and affiliates."),
        (name = "Courses", description = "The school's courses, with their modules and lessons."),
        (name = "Media", description = "The school's library of videos, audio and files."),
        (name = "Enrollments", description = "Who has access to which course, and granting or ending that access."),
        (name = "Media uploads", description = "Sending files to the library over the resumable tus 1.0 protocol \
                                                (https://tus.io/protocols/resumable-upload): create an upload, send the \
                                                file in chunks, resume from where it stopped."),
        (name = "Progress", description = "How far students are in their courses: lessons completed, how and when."),
        (name = "Certificates", description = "Certificates the school issued when students completed a course: check \
                                                one by its code, and whether it was revoked."),
        (name = "Products", description = "What the school sells: products (the courses each opens) and their offers \
                                            (one-time prices, payment plans and subscriptions), with checkout addresses."),
        (name = "Coupons", description = "Discount codes, their limits and how often they were used."),
        (name = "Orders", description = "What was bought, by whom, and what was paid and refunded."),
        (name = "Subscriptions", description = "Memberships and payment plans, with their status and next payment."),
        (name = "Pages", description = "Pages built with the page builder: sales pages, opt-in pages and the home page."),
        (name = "Forms", description = "Opt-in forms: the fields they ask for, their consent text and lead magnet."),
        (name = "Contacts", description = "Leads and customers in one list, with their tags, consent and source. Changes \
                                            publish the events `contact.created`, `contact.subscribed` and \
                                            `contact.tagged`; an opt-in publishes `form.submitted`."),
        (name = "Broadcasts", description = "Emails sent to a segment of contacts, now or scheduled, with their opens and clicks."),
        (name = "Automations", description = "Email automations: a trigger, then emails, waits and branches per contact."),
        (name = "Affiliates", description = "The affiliate program: affiliates with their totals, the commission ledger \
                                              and payouts. Payout details are never exposed."),
        (name = "Reference", description = "This document itself."),
    ),
    components(schemas(ProblemBody)),
    security(("api_key" = [])),
)]
struct ApiDoc;

/// The API's routes (relative to [`BASE_PATH`]) and their document.
pub fn parts() -> (Router<AppState>, openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::show))
        .routes(routes!(list_users::list, create_user::create))
        .routes(routes!(show_user::show))
        .routes(routes!(courses_list::list))
        .routes(routes!(courses_show::show))
        .routes(routes!(media_list::list))
        .routes(routes!(enrollments::list, enrollments::create))
        .routes(routes!(enrollment_revoke::revoke))
        .routes(routes!(media_show::show, media_delete::delete))
        .routes(routes!(progress::show))
        .routes(routes!(certificate_show::show))
        .routes(routes!(commerce_catalog::list_products))
        .routes(routes!(commerce_catalog::show_product))
        .routes(routes!(commerce_catalog::list_offers))
        .routes(routes!(commerce_catalog::show_offer))
        .routes(routes!(commerce_catalog::list_coupons, commerce_catalog::create_coupon))
        .routes(routes!(commerce_catalog::show_coupon))
        .routes(routes!(orders::list))
        .routes(routes!(orders::show))
        .routes(routes!(subscriptions_api::list))
        .routes(routes!(subscriptions_api::show))
        .routes(routes!(pages_api::list))
        .routes(routes!(pages_api::show))
        .routes(routes!(forms_api::list))
        .routes(routes!(forms_api::show))
        .routes(routes!(contacts_api::list, contacts_api::create))
        .routes(routes!(contacts_api::show, contacts_api::update, contacts_api::delete))
        .routes(routes!(contacts_tags_api::add_tags, contacts_tags_api::remove_tags))
        .routes(routes!(broadcasts_api::list))
        .routes(routes!(broadcasts_api::show))
        .routes(routes!(automations_api::list))
        .routes(routes!(automations_api::enroll))
        .routes(routes!(affiliates_api::list))
        .routes(routes!(affiliates_api::show))
        .routes(routes!(affiliate_ledger_api::commissions))
        .routes(routes!(affiliate_ledger_api::payouts))
        .merge(uploads())
        .routes(routes!(docs::openapi_json))
        .split_for_parts();
    conventions(&mut doc);
    (router, doc)
}

/// The tus endpoints, which answer with `Tus-Resumable` whatever happens.
fn uploads() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(media_uploads::options, media_uploads::create))
        .routes(routes!(media_uploads::head, media_uploads::patch, media_uploads::cancel))
        .route_layer(axum::middleware::map_response(media_uploads::tus_resumable))
}

static DOCUMENT: LazyLock<openapi::OpenApi> = LazyLock::new(|| parts().1);

/// The document as served to one school: its own address is the server.
pub fn document(school: &School) -> openapi::OpenApi {
    let mut doc = DOCUMENT.clone();
    let mut server = Server::new(format!("{}{BASE_PATH}", school.base_url));
    server.description = Some(school.name.clone());
    doc.servers = Some(vec![server]);
    doc
}

/// What every endpoint shares, added in one place: the bearer scheme, and the responses that
/// the key check ([`crate::auth::ApiCtx`]) and the body parser ([`crate::body::ApiJson`]) give.
/// The tests walk every operation and check that each status it answers is declared here or on
/// the handler.
fn conventions(doc: &mut openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(openapi::Components::new);
    let mut bearer = Http::new(HttpAuthScheme::Bearer);
    bearer.bearer_format = Some("API key".into());
    bearer.description = Some("An API key from Settings → API keys, for example `lyc_Ab12…`.".into());
    components.security_schemes.insert(SCHEME.into(), RefOr::T(SecurityScheme::Http(bearer)));
    for (name, description) in COMMON {
        let mut res = ResponseBuilder::new().description(*description).content("application/problem+json", problem());
        if matches!(*name, "TooManyRequests" | "ServiceUnavailable") {
            let wait = HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some("Seconds to wait before trying again."))
                .build();
            res = res.header("Retry-After", wait);
        }
        components.responses.insert((*name).into(), RefOr::T(res.build()));
    }
    for item in doc.paths.paths.values_mut() {
        let ops = [
            (&mut item.get, false),
            (&mut item.head, false),
            (&mut item.options, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ];
        for (op, writes) in ops {
            let Some(op) = op.as_mut() else { continue };
            let public = op.security.as_ref().is_some_and(|s| {
                s.iter().all(|r| serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty())))
            });
            let mut add = |status: &str, name: &str| {
                op.responses
                    .responses
                    .entry(status.into())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            };
            if op.request_body.is_some() {
                add("400", "BadRequest");
                add("413", "PayloadTooLarge");
                add("415", "UnsupportedMediaType");
            }
            if !public {
                add("401", "Unauthorized");
                if writes {
                    add("403", "Forbidden");
                }
                add("429", "TooManyRequests");
                add("503", "ServiceUnavailable");
            }
        }
    }
}

/// Shared error responses: component name and description.
const COMMON: &[(&str, &str)] = &[
    ("BadRequest", "The body is not valid JSON."),
    ("Unauthorized", "The API key is missing, unknown or revoked, or belongs to another school."),
    ("Forbidden", "The key can only read; this needs a read and write key. Or the school is suspended."),
    ("PayloadTooLarge", "The body is larger than the server accepts."),
    ("UnsupportedMediaType", "The body must be sent as `application/json`."),
    ("TooManyRequests", "Too many requests with this key; wait as long as `Retry-After` says."),
    ("ServiceUnavailable", "The service cannot reach its database for a moment; retry after `Retry-After`."),
];

fn problem() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}
