//! Turns the OpenAPI document into what the reference page shows: endpoints grouped by tag,
//! their parameters and body fields, an example request and an example response.
//! It reads the document as JSON, so it shows exactly what `openapi.json` says.

use serde::Serialize;
use serde_json::json;

use crate::ordered::Json;

/// The whole reference.
#[derive(Debug, Serialize)]
pub struct Reference {
    /// API title.
    pub title: String,
    /// API version.
    pub version: String,
    /// The server URL (`https://school…/api/v1`).
    pub base_url: String,
    /// A request that checks a key.
    pub auth_curl: String,
    /// Endpoints by tag, in the document's order.
    pub sections: Vec<Section>,
    /// Fields of the error body.
    pub problem_fields: Vec<Field>,
    /// An example error body.
    pub problem_example: String,
}

/// One tag and its endpoints.
#[derive(Debug, Serialize)]
pub struct Section {
    /// Tag name.
    pub name: String,
    /// Anchor id.
    pub anchor: String,
    /// Tag description.
    pub description: Text,
    /// Endpoints.
    pub operations: Vec<Operation>,
}

/// One endpoint.
#[derive(Debug, Serialize)]
pub struct Operation {
    /// Anchor id (the operation id).
    pub anchor: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Full path, e.g. `/api/v1/users/{id}`.
    pub path: String,
    /// One line.
    pub summary: String,
    /// The rest of the description.
    pub description: Text,
    /// Whether it works without a key.
    pub public: bool,
    /// Path and query parameters.
    pub params: Vec<Field>,
    /// Request body fields.
    pub body: Vec<Field>,
    /// The success response's fields.
    pub returns: Vec<Field>,
    /// Every documented response.
    pub responses: Vec<Outcome>,
    /// A curl command.
    pub curl: String,
    /// The success response's example, pretty-printed.
    pub example: Option<String>,
}

/// A parameter or a field of a body.
#[derive(Debug, Serialize)]
pub struct Field {
    /// Name (`data[].email` for nested fields).
    pub name: String,
    /// `path` or `query` for parameters.
    pub location: Option<String>,
    /// Type, e.g. `string (uuid)`, `integer`, `array of objects`.
    pub kind: String,
    /// Whether it must be given (or is always present).
    pub required: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
    /// What it means.
    pub description: Text,
    /// Allowed values of an enum.
    pub values: Vec<String>,
}

/// A documented response.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// HTTP status.
    pub status: String,
    /// When it happens.
    pub description: Text,
}

/// Text with `code` spans: `(is_code, text)` pairs, rendered without trusting any HTML.
pub type Text = Vec<(bool, String)>;

/// Builds the reference from a serialised OpenAPI document.
pub fn build(doc: &Json) -> Reference {
    let base_url = doc["servers"][0]["url"].as_str().unwrap_or_default().to_string();
    let base_path = base_path_of(&base_url);
    let mut sections: Vec<Section> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            let name = t["name"].as_str().unwrap_or_default().to_string();
            Section { anchor: slug(&name), description: text(&t["description"]), name, operations: vec![] }
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete", "head", "options"] {
            let Some(op) = item.get(method).filter(|o| o.as_object().is_some()) else { continue };
            let operation = operation(doc, (&base_url, &base_path), path, method, op);
            let tag = op["tags"][0].as_str().unwrap_or("API");
            match sections.iter_mut().find(|s| s.name == tag) {
                Some(s) => s.operations.push(operation),
                None => sections.push(Section {
                    name: tag.to_string(),
                    anchor: slug(tag),
                    description: vec![],
                    operations: vec![operation],
                }),
            }
        }
    }
    sections.retain(|s| !s.operations.is_empty());
    let problem = &doc["components"]["schemas"]["Problem"];
    let mut problem_fields = vec![];
    flatten(doc, problem, "", 0, &mut problem_fields);
    Reference {
        title: doc["info"]["title"].as_str().unwrap_or_default().to_string(),
        version: doc["info"]["version"].as_str().unwrap_or_default().to_string(),
        auth_curl: format!("curl {base_url}/me \\\n  -H \"Authorization: Bearer $LYCEUM_API_KEY\""),
        base_url,
        sections,
        problem_fields,
        problem_example: pretty(&example(doc, problem, Dir::Response, 0)),
    }
}

/// One endpoint; `base` is the server URL and its path, `rel` the path relative to it.
fn operation(doc: &Json, base: (&str, &str), rel: &str, method: &str, op: &Json) -> Operation {
    let (base_url, base_path) = base;
    let path = format!("{base_path}{rel}");
    let public =
        op["security"].as_array().is_some_and(|s| s.iter().all(|r| r.as_object().is_some_and(|m| m.is_empty())));
    let params: Vec<Field> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let (schema, _) = non_null(doc, &p["schema"]);
            Field {
                name: p["name"].as_str().unwrap_or_default().to_string(),
                location: p["in"].as_str().map(str::to_string),
                kind: kind(doc, schema),
                required: p["required"].as_bool().unwrap_or(false),
                nullable: false,
                description: text(&p["description"]),
                values: values(schema),
            }
        })
        .collect();
    let body_schema = &op["requestBody"]["content"]["application/json"]["schema"];
    let mut body = vec![];
    flatten(doc, body_schema, "", 0, &mut body);
    let responses: Vec<(String, &Json)> = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, r)| (status.clone(), resolve(doc, r)))
        .collect();
    let success = responses.iter().find(|(s, _)| s.starts_with('2'));
    let success_schema = success.map(|(_, r)| &r["content"]["application/json"]["schema"]);
    let mut returns = vec![];
    if let Some(s) = success_schema {
        flatten(doc, s, "", 0, &mut returns);
    }
    let sample = success_schema.filter(|s| !s.is_null()).map(|s| pretty(&example(doc, s, Dir::Response, 0)));
    let mut url = format!("{base_url}{rel}");
    for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap_or_default();
        let value = p["example"].as_str().or(p["schema"]["example"].as_str()).unwrap_or("…");
        url = url.replace(&format!("{{{name}}}"), value);
    }
    let mut curl = format!("curl {url}");
    if method != "get" && body_schema.is_null() {
        curl.push_str(&format!(" \\\n  -X {}", method.to_uppercase()));
    }
    if !public {
        curl.push_str(" \\\n  -H \"Authorization: Bearer $LYCEUM_API_KEY\"");
    }
    if !body_schema.is_null() {
        let body = pretty(&example(doc, body_schema, Dir::Request, 0)).replace('\n', "\n  ");
        curl.push_str(" \\\n  -H \"Content-Type: application/json\"");
        curl.push_str(&format!(" \\\n  -d '{}'", body.replace('\'', "'\\''")));
    }
    let (summary, description) = match (op["summary"].as_str(), op["description"].as_str()) {
        (Some(s), d) => (s.to_string(), d.unwrap_or_default()),
        (None, d) => (path.clone(), d.unwrap_or_default()),
    };
    Operation {
        anchor: op["operationId"].as_str().map(slug).unwrap_or_else(|| slug(&format!("{method}-{path}"))),
        method: method.to_uppercase(),
        path,
        summary,
        description: text_str(description),
        public,
        params,
        body,
        returns,
        responses: responses
            .iter()
            .map(|(status, r)| Outcome { status: status.clone(), description: text(&r["description"]) })
            .collect(),
        curl,
        example: sample,
    }
}

/// The path part of a URL (`/api/v1` of `https://host/api/v1`).
fn base_path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_default()
}

/// Follows a local `$ref` (schemas and responses); anything else is returned as is.
fn resolve<'a>(doc: &'a Json, v: &'a Json) -> &'a Json {
    let mut v = v;
    for _ in 0..8 {
        let Some(r) = v["$ref"].as_str().and_then(|r| r.strip_prefix("#/")) else { return v };
        v = r.split('/').fold(doc, |node, part| &node[part]);
    }
    v
}

/// The schema without its `null` alternative, and whether there was one.
fn non_null<'a>(doc: &'a Json, schema: &'a Json) -> (&'a Json, bool) {
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = schema[key].as_array() {
            let nullable = list.iter().any(|s| s["type"] == "null");
            let rest: Vec<&Json> = list.iter().filter(|s| s["type"] != "null").collect();
            if rest.len() == 1 {
                return (resolve(doc, rest[0]), nullable);
            }
        }
    }
    if let Some([only]) = schema["allOf"].as_array() {
        return (resolve(doc, only), false);
    }
    let nullable = schema["type"].as_array().is_some_and(|t| t.iter().any(|t| *t == "null"));
    (resolve(doc, schema), nullable)
}

/// The first non-null JSON type of a schema.
fn base_type(schema: &Json) -> &str {
    match &schema["type"] {
        Json::String(s) => s,
        Json::Array(list) => list.iter().filter_map(Json::as_str).find(|t| *t != "null").unwrap_or("null"),
        _ if schema["properties"].as_object().is_some() => "object",
        _ => "",
    }
}

fn kind(doc: &Json, schema: &Json) -> String {
    let t = base_type(schema);
    if schema["enum"].as_array().is_some() {
        return "enum".into();
    }
    match (t, schema["format"].as_str()) {
        ("array", _) => {
            let (items, _) = non_null(doc, &schema["items"]);
            let inner = kind(doc, items);
            if inner == "object" { "array of objects".into() } else { format!("array of {inner}") }
        }
        ("", _) => "any".into(),
        (t, Some(f)) if !matches!(f, "int32" | "int64") => format!("{t} ({f})"),
        (t, _) => t.to_string(),
    }
}

fn values(schema: &Json) -> Vec<String> {
    schema["enum"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
}

/// Lists an object's properties, descending into nested objects and arrays of objects.
fn flatten(doc: &Json, schema: &Json, prefix: &str, depth: usize, out: &mut Vec<Field>) {
    let (schema, _) = non_null(doc, schema);
    let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(Json::as_str).collect();
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        let (inner, nullable) = non_null(doc, prop);
        let branches = ["oneOf", "anyOf", "allOf"].into_iter().filter_map(|k| prop[k].as_array()).flatten();
        let description = std::iter::once(prop)
            .chain(branches)
            .chain([inner])
            .map(|s| &s["description"])
            .find(|d| d.as_str().is_some())
            .unwrap_or(&Json::Null);
        let full = format!("{prefix}{name}");
        out.push(Field {
            name: full.clone(),
            location: None,
            kind: kind(doc, inner),
            required: required.contains(&name.as_str()),
            nullable,
            description: text(description),
            values: values(inner),
        });
        if depth < 2 {
            match base_type(inner) {
                "object" => flatten(doc, inner, &format!("{full}."), depth + 1, out),
                "array" => flatten(doc, &inner["items"], &format!("{full}[]."), depth + 1, out),
                _ => {}
            }
        }
    }
}

/// An example value for a schema: its own example, or one made up from its type.
/// Which way a value travels: requests leave out read-only fields, responses write-only ones.
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    Request,
    Response,
}

fn example(doc: &Json, schema: &Json, dir: Dir, depth: usize) -> Json {
    let given = |s: &Json| s.get("example").or_else(|| s["examples"].as_array().and_then(|a| a.first())).cloned();
    if let Some(e) = given(schema) {
        return e;
    }
    let (schema, _) = non_null(doc, schema);
    if let Some(e) = given(schema).or_else(|| schema["enum"].as_array().and_then(|a| a.first()).cloned()) {
        return e;
    }
    if depth > 4 {
        return Json::Null;
    }
    match (base_type(schema), schema["format"].as_str()) {
        ("object", _) => {
            let props = schema["properties"].as_object().into_iter().flatten();
            Json::Object(
                props
                    .filter(|(_, p)| {
                        let hidden = if dir == Dir::Request { "readOnly" } else { "writeOnly" };
                        p[hidden].as_bool() != Some(true)
                    })
                    .map(|(k, p)| (k.clone(), example(doc, p, dir, depth + 1)))
                    .collect(),
            )
        }
        ("array", _) => Json::Array(vec![example(doc, &schema["items"], dir, depth + 1)]),
        ("string", Some("date-time")) => Json::from(json!("2026-11-27T09:30:00Z")),
        ("string", Some("uuid")) => Json::from(json!("0192f7c4-8a4e-7cc3-b7d5-3f0e1c9a7b21")),
        ("string", Some("email")) => Json::from(json!("ana@example.com")),
        ("string", _) => Json::from(json!("string")),
        ("integer" | "number", _) => Json::from(json!(0)),
        ("boolean", _) => Json::Bool(true),
        _ => Json::Null,
    }
}

fn pretty(v: &Json) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Splits `a `b` c` into text and code spans; line breaks become spaces.
fn text(v: &Json) -> Text {
    text_str(v.as_str().unwrap_or_default())
}

fn text_str(s: &str) -> Text {
    let s = s.replace('\n', " ");
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| (i % 2 == 1, part.to_string()))
        .collect()
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}
