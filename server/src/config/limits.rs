//! What each rate limit allows and in what window (counted by `crate::limits`).

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_seconds: i32,
}

impl Limit {
    pub const fn new(name: &'static str, max: i32, window_seconds: i32) -> Self {
        Self { name, max, window_seconds }
    }

    /// The stored key of this limit for `subject` (an email, an address, a user id).
    pub fn key(&self, subject: &str) -> Vec<u8> {
        Sha256::digest(format!("{}:{}", self.name, subject.trim().to_lowercase()).as_bytes()).to_vec()
    }
}

/// How many attempts each limit allows, and in what window. Defaults in [`Limits::default`];
/// tests lower them to reach them quickly.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Sign-in attempts per account (workspace + email).
    pub login_per_account: Limit,
    /// Sign-in attempts per client address, across accounts, successful ones included
    /// (generous: an office behind one address signs in together in the morning).
    pub login_per_ip: Limit,
    /// Wrong current passwords when changing the password, per user.
    pub password_change_per_user: Limit,
    /// New workspaces per client address.
    pub signup_per_ip: Limit,
    /// Account emails (sign-up verification, re-sends, invitations, resets) to one address.
    pub email_per_address: Limit,
    /// Password-reset requests per client address.
    pub reset_per_ip: Limit,
    /// Password-reset emails per account (workspace + email), known or not.
    pub reset_per_account: Limit,
    /// Share-link lookups per client address.
    pub share_per_ip: Limit,
    /// Requests per client address per minute, in memory, per process.
    pub requests_per_ip_per_minute: u32,
    /// Requests per signed-in user per minute, in memory, per process.
    pub requests_per_user_per_minute: u32,
    /// Requests per API key per minute for keys made without a number of their own.
    pub requests_per_api_key_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_account: Limit::new("login-account", 5, 15 * 60),
            login_per_ip: Limit::new("login-ip", 300, 15 * 60),
            password_change_per_user: Limit::new("password-change", 5, 15 * 60),
            signup_per_ip: Limit::new("signup-ip", 10, 60 * 60),
            email_per_address: Limit::new("email-address", 5, 60 * 60),
            reset_per_ip: Limit::new("reset-ip", 10, 60 * 60),
            reset_per_account: Limit::new("reset-account", 3, 60 * 60),
            share_per_ip: Limit::new("share-ip", 120, 60),
            requests_per_ip_per_minute: 1200,
            requests_per_user_per_minute: 600,
            requests_per_api_key_per_minute: 300,
        }
    }
}
