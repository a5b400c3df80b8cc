//! The API's JSON request body: 415 for another content type, 413 past the size limit, 400 for
//! malformed JSON, and 422 with the offending fields named when a value has the wrong type or
//! a field is not one the body's schema declares.

use axum::{
    extract::{FromRequest, Request},
    http::{StatusCode, header},
};
use kernel::{
    AppState, i18n,
    web::{FieldErrors, Json, Shell},
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::{
    PartialSchema,
    openapi::{
        RefOr,
        schema::{AdditionalProperties, Schema},
    },
};

use crate::problem::{ApiError, Problem};

/// A JSON object body deserialised into `T`.
///
/// Every field of `T` must have a default, so that a body with a single field deserialises
/// exactly when that field's value has the right type: that is how the failing fields are found.
/// A `T` with `#[serde(deny_unknown_fields)]` refuses other fields, and its schema says so
/// (`additionalProperties: false`); each unknown field is then named as such.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + PartialSchema> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let shell = shell_of(&req)?;
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !is_json(content_type) {
            let detail = i18n::t(shell.locale, "api-error-json-only");
            return Err(Problem::new(&shell, StatusCode::UNSUPPORTED_MEDIA_TYPE).detail(detail).into());
        }
        // The kernel's extractor answers 413 past the body limit and 400 for malformed JSON.
        let Json(value) = Json::<Value>::from_request(req, state).await?;
        let Value::Object(map) = value else {
            let detail = i18n::t(shell.locale, "api-error-object-expected");
            return Err(Problem::new(&shell, StatusCode::UNPROCESSABLE_ENTITY).detail(detail).into());
        };
        match serde_json::from_value::<T>(Value::Object(map.clone())) {
            Ok(v) => Ok(Self(v)),
            Err(_) => {
                let mut errors = FieldErrors::default();
                let declared = closed_fields::<T>();
                for (field, v) in &map {
                    if let Some(declared) = declared.as_ref().filter(|d| !d.contains(field)) {
                        let fields = declared.join(", ");
                        errors.add(
                            field,
                            i18n::t_args(shell.locale, "api-error-unknown-field", &[("fields", fields.into())]),
                        );
                        continue;
                    }
                    let alone = Map::from_iter([(field.clone(), v.clone())]);
                    if serde_json::from_value::<T>(Value::Object(alone)).is_err() {
                        errors.add(field, i18n::t(shell.locale, "api-error-wrong-type"));
                    }
                }
                Err(Problem::new(&shell, StatusCode::UNPROCESSABLE_ENTITY)
                    .detail(i18n::t(shell.locale, "api-error-invalid-fields"))
                    .errors(errors)
                    .into())
            }
        }
    }
}

/// The fields of a body whose schema refuses any others.
fn closed_fields<T: PartialSchema>() -> Option<Vec<String>> {
    let RefOr::T(Schema::Object(object)) = T::schema() else { return None };
    let closed = matches!(object.additional_properties.as_deref(), Some(AdditionalProperties::FreeForm(false)));
    closed.then(|| object.properties.keys().cloned().collect())
}

/// `application/json`, or any `application/…+json`, with or without parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The shell of a whole request (the kernel's extractor works on parts).
fn shell_of(req: &Request) -> Result<Shell, ApiError> {
    req.extensions()
        .get::<Shell>()
        .cloned()
        .ok_or_else(|| kernel::AppError::Internal(anyhow::anyhow!("shell layer missing")).into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn closed_bodies_list_their_fields() {
        let fields = super::closed_fields::<crate::schema::NewUser>().unwrap();
        assert_eq!(fields, ["email", "name", "role", "password"]);
        assert_eq!(super::closed_fields::<serde_json::Value>(), None);
    }

    #[test]
    fn json_content_types() {
        assert!(super::is_json("application/json"));
        assert!(super::is_json("Application/JSON; charset=utf-8"));
        assert!(super::is_json("application/merge-patch+json"));
        assert!(!super::is_json("text/plain"));
        assert!(!super::is_json("application/x-www-form-urlencoded"));
        assert!(!super::is_json(""));
    }
}
