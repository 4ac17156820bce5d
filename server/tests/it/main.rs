//! The server's integration tests, one binary: each module is one area, all of
//! them against real PostgreSQL (a fresh database per test via `#[sqlx::test]`).
//! One binary instead of one per file keeps link time and disk use down.

mod common;
mod hostile_rows;

mod api_matrix;
mod audit;
mod auth;
mod customers;
mod job_matrix;
mod job_pages;
mod jobs;
mod no_script;
mod notifications;
mod offline;
mod ops;
mod public_api;
mod public_api_time;
mod security;
mod statuses;
mod tenancy;
mod time;
mod users;
mod webhooks;
