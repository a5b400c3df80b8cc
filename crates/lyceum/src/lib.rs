//! The Lyceum application: wiring every domain into one router, one worker and one CLI.

pub mod app;
pub mod demo;
pub mod ops;
