//! Fieldbook's server: configuration, database and tenancy, authentication,
//! the services behind the app's server functions, and the HTTP surface.
// Leptos views are deeply nested types; laying out the app's pages needs more room.
#![recursion_limit = "256"]

pub mod account;
pub mod account_emails;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod company;
pub mod config;
pub mod customers;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod jobs;
pub mod limits;
pub mod maintenance;
pub mod net;
pub mod notify;
pub mod onboarding;
pub mod startup;
pub mod state;
pub mod statuses;
pub mod telemetry;
pub mod time;
pub mod users;
pub mod viewer;
pub mod webhooks;

#[cfg(test)]
mod module_graph;
