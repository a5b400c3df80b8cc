//! Template rendering: one minijinja environment with the translation function, money and
//! date filters, and fingerprinted asset URLs.

use axum::response::Html;
use chrono::{DateTime, Utc};
use minijinja::{
    Environment, State, Value, context,
    value::{Kwargs, Serde},
};

use crate::{
    config::Config,
    error::{AppError, AppResult},
    format,
    i18n::{self, ArgValue, Locale},
    state::AppState,
    web::{Shell, assets::AssetManifest},
};

fn locale_of(state: &State) -> Locale {
    state.lookup("locale").and_then(|v| v.as_str().and_then(Locale::parse)).unwrap_or_default()
}

fn tz_of(state: &State) -> String {
    state.lookup("time_zone").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| "UTC".into())
}

fn parse_time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|d| d.with_timezone(&Utc))
}

/// Builds the environment with Lyceum's functions and filters.
pub fn environment(config: &Config, assets: &AssetManifest) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".txt") { minijinja::AutoEscape::None } else { minijinja::AutoEscape::Html }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.add_function("t", |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        let mut args: Vec<(String, ArgValue)> = vec![];
        for k in kwargs.args() {
            let v: Value = kwargs.get(k)?;
            let arg = match v.as_i64() {
                Some(n) => ArgValue::Num(n as f64),
                None => ArgValue::Str(v.to_string()),
            };
            args.push((k.to_string(), arg));
        }
        let refs: Vec<(&str, ArgValue)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        Ok(if refs.is_empty() { i18n::t(locale_of(state), key) } else { i18n::t_args(locale_of(state), key, &refs) })
    });
    env.add_filter("money", |state: &State, minor: i64, currency: &str| {
        format::money(minor, currency, locale_of(state))
    });
    // A number in percent (`12.5`) as the viewer's language writes it ("12.5%", "12,5 %").
    env.add_filter("percent", |state: &State, v: f64| format::percent_bp((v * 100.0).round() as i64, locale_of(state)));
    env.add_filter("filesize", |state: &State, n: i64| format::bytes(n.max(0) as u64, locale_of(state)));
    env.add_filter("duration", |ms: i64| format::duration(ms));
    // Creators' and students' rich text, sanitised again on output (see `crate::html`).
    env.add_filter("rich", |html: &str| Value::from_safe_string(crate::html::sanitize(html)));
    env.add_filter("date", |state: &State, v: Value| {
        parse_time(&v).map(|t| format::date(t, &tz_of(state), locale_of(state))).unwrap_or_default()
    });
    env.add_filter("datetime", |state: &State, v: Value| {
        parse_time(&v).map(|t| format::datetime(t, &tz_of(state), locale_of(state))).unwrap_or_default()
    });
    let manifest = assets.clone();
    // Asset URLs come from our own build manifest, so they need no escaping.
    env.add_function("asset", move |name: &str| Value::from_safe_string(manifest.url(name)));
    env.add_function("csrf_field", |state: &State| {
        let token =
            state.lookup("shell").and_then(|s| s.get_attr("csrf").ok()).map(|v| v.to_string()).unwrap_or_default();
        Value::from_safe_string(format!(r#"<input type="hidden" name="_csrf" value="{token}">"#))
    });
    // True for the first field in error of a render only: that one gets `autofocus`, which
    // the browser follows without JS to a form that failed far down a long page, and a page
    // may carry only one.
    env.add_function("first_error_focus", |state: &mut State| {
        state.set_temp("first_error_focus", Value::from(true)).is_none()
    });
    let keys = config.keys.clone();
    // Public forms without a per-visitor token (cached pages, embeds) carry when they were drawn.
    env.add_function("form_stamp", move || {
        crate::web::visitor::form_stamp(
            &keys,
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64),
        )
    });
    env.add_global("platform_name", "Lyceum");
    env.add_global(
        "platform_theme",
        crate::web::School::compute_theme(crate::web::school::PLATFORM_BRAND_COLOR, "#0f172a", "inter"),
    );
    env.add_global("platform_url", config.platform_url());
    env.add_global(
        "fonts",
        Value::from(Serde(crate::web::school::FONTS.iter().map(|f| (f.0, f.1)).collect::<Vec<_>>())),
    );
    env
}

/// Renders `name` with the shell (layout data) and the page's own context.
pub fn render(state: &AppState, shell: &Shell, name: &str, ctx: Value) -> AppResult<Html<String>> {
    render_string(state, shell, name, ctx).map(Html)
}

/// Like [`render`], returning the string (mail bodies, fragments).
pub fn render_string(state: &AppState, shell: &Shell, name: &str, ctx: Value) -> AppResult<String> {
    let tmpl = state
        .templates
        .get_template(name)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name}: {e:#}")))?;
    tmpl.render(context! {
        shell => Serde(shell),
        school => Serde(&shell.school),
        user => Serde(&shell.user),
        locale => shell.locale.code(),
        time_zone => shell.time_zone.clone(),
        ..ctx
    })
    .map_err(|e| AppError::Internal(anyhow::anyhow!("rendering {name}: {e:#}")))
}
