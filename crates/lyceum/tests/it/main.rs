//! Black-box tests through the HTTP surface and the database, one binary for link time.
//! Each test gets a fresh database; the server connects as `lyceum_app`.

mod admin_nav;
mod api;
mod api_contract;
mod api_media;
mod cli;
mod identity_accounts;
mod identity_flows;
mod identity_students;
mod identity_team;
mod isolation;
mod jobs_and_mail;
mod jobs_leases;
mod login_limits;
mod mail_sender;
mod media_captions;
mod media_library;
mod media_playback;
mod media_support;
mod media_upload;
mod operator;
mod operator_pause;
mod platform;
mod platform_login;
mod preferences;
mod site_icons;
mod storage;
mod support;
mod tenancy_branding;
mod tenancy_domain_records;
mod tenancy_domains;
mod tenancy_settings;
mod web_ops;
mod web_phone;
mod web_security;
mod web_shell;
