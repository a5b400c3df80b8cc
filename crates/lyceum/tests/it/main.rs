//! Black-box tests through the HTTP surface and the database, one binary for link time.
//! Each test gets a fresh database; the server connects as `lyceum_app`.

mod support;

mod api;
mod api_media;
mod cli;
mod identity_accounts;
mod identity_flows;
mod identity_team;
mod isolation;
mod jobs_and_mail;
mod media_playback;
mod media_support;
mod media_upload;
mod operator;
mod platform;
mod storage;
mod tenancy_settings;
mod web_ops;
mod web_security;
mod web_shell;
