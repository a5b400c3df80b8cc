//! Black-box tests through the HTTP surface and the database, one binary for link time.
//! Each test gets a fresh database; the server connects as `lyceum_app`.

mod support;

mod identity_accounts;
mod isolation;
mod jobs_and_mail;
mod platform;
mod web_shell;
