//! Settings, read once from the environment. Production refuses to start
//! with a missing or default secret.

pub mod ip_range;
pub mod limits;

use ip_range::{parse_ranges, IpRange};
use secrecy::SecretString;
use sqlx::postgres::PgConnectOptions;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

/// Used only when `APP_ENV=development` and `JWT_SECRET` is unset.
const DEVELOPMENT_JWT_SECRET: &str = "fieldbook-development-secret-do-not-use-in-production";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Staging,
    Production,
}

impl FromStr for Environment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Self::Development),
            "staging" => Ok(Self::Staging),
            "production" | "prod" => Ok(Self::Production),
            other => Err(format!("APP_ENV must be development, staging or production (got {other:?})")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    /// Connection as the schema owner: runs migrations, nothing else.
    pub owner_database: PgConnectOptions,
    /// Connection as the application's role (`APP_DATABASE_URL`); unset, the owner's
    /// connection with that role's name (`crate::db::app_database`).
    pub app_database: Option<PgConnectOptions>,
    /// When set, migrations give `fieldbook_app` this password.
    pub app_database_password: Option<SecretString>,
    pub jwt_secret: SecretString,
    pub base_url: String,
    pub listen_addr: SocketAddr,
    pub max_sessions_per_user: i64,
    pub run_migrations: bool,
    pub mail: MailSettings,
    /// Proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpRange>,
    /// Open connections beyond this wait to be accepted (`MAX_CONNECTIONS`).
    pub max_connections: usize,
    pub limits: limits::Limits,
    /// How often a live event stream checks that its session still exists.
    pub stream_session_recheck: Duration,
    /// The bearer token a Prometheus scrape of `/metrics` must send (`METRICS_TOKEN`).
    /// Without one, `/metrics` is served in development only.
    pub metrics_token: Option<SecretString>,
    pub webhooks: WebhookSettings,
}

/// Outgoing mail: where to send it and how the outbox retries.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required`) or `smtps://` (TLS),
    /// with optional `user:password@`. None: messages wait in the outbox, unsent.
    pub smtp_url: Option<SecretString>,
    /// The sender, e.g. `Fieldbook <no-reply@example.com>`.
    pub from: String,
    /// Whether this process runs delivery loops (tests switch them off to drive them).
    pub deliver: bool,
    pub delivery: DeliverySettings,
}

#[derive(Debug, Clone, Copy)]
pub struct DeliverySettings {
    /// The first retry waits this long; each further one twice as long as the last.
    pub retry_base: Duration,
    /// After this many failed attempts a message is dead (admins can retry it).
    pub max_attempts: i32,
    /// One SMTP conversation may take this long.
    pub send_timeout: Duration,
    /// Even without a wake-up the loop looks for due mail this often.
    pub poll_interval: Duration,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            send_timeout: Duration::from_secs(30),
            poll_interval: Duration::from_secs(30),
        }
    }
}

/// How webhooks are sent (`crate::webhooks::delivery`).
#[derive(Debug, Clone, Copy)]
pub struct WebhookSettings {
    /// Whether this process runs a delivery loop.
    pub deliver: bool,
    /// Plain HTTP and private, loopback and link-local addresses: development and tests only.
    pub allow_private: bool,
    /// The first retry waits this long; each further one twice as long as the last.
    pub retry_base: Duration,
    /// After this many failed attempts a delivery is given up.
    pub max_attempts: i32,
    /// After this many failed attempts in a row an endpoint is disabled.
    pub disable_after: i32,
    /// One delivery may take this long.
    pub timeout: Duration,
    /// Even without a wake-up the loop looks for due deliveries this often.
    pub poll_interval: Duration,
}

impl WebhookSettings {
    pub fn for_environment(environment: Environment) -> Self {
        Self {
            deliver: true,
            allow_private: environment != Environment::Production,
            // 30 s, 1, 2, 4 … minutes: eight attempts span about an hour and a quarter.
            retry_base: Duration::from_secs(30),
            max_attempts: 8,
            disable_after: 20,
            timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// Enough for every browser of a busy company; idle sockets beyond it cannot pile up.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// `scheme://host[:port]` of a URL as browsers send it in `Origin`: lowercase, and
/// without the scheme's default port.
fn origin_of(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_ascii_lowercase() };
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    format!("{scheme}://{authority}")
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_normalised_as_browsers_send_them() {
        assert_eq!(origin_of("https://Fieldbook.Example:443/app"), "https://fieldbook.example");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin_of("http://example.com:80"), "http://example.com");
        assert_eq!(origin_of("https://example.com:8443"), "https://example.com:8443");
    }
}

pub const DEFAULT_MAIL_FROM: &str = "Fieldbook <no-reply@fieldbook.localhost>";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        let environment = var("APP_ENV")
            .map(|v| v.parse::<Environment>())
            .transpose()
            .map_err(|reason| ConfigError::Invalid { name: "APP_ENV", reason })?
            .unwrap_or(Environment::Development);

        let database_url = var("DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let owner_database = PgConnectOptions::from_str(&database_url)
            .map_err(|e| ConfigError::Invalid { name: "DATABASE_URL", reason: e.to_string() })?;
        let app_database_password = var("APP_DATABASE_PASSWORD").map(SecretString::from);
        let app_database = match var("APP_DATABASE_URL") {
            Some(url) => Some(
                PgConnectOptions::from_str(&url)
                    .map_err(|e| ConfigError::Invalid { name: "APP_DATABASE_URL", reason: e.to_string() })?,
            ),
            None => None,
        };

        let jwt_secret = match (var("JWT_SECRET"), environment) {
            (Some(secret), _) => secret,
            (None, Environment::Development) => DEVELOPMENT_JWT_SECRET.to_string(),
            (None, _) => return Err(ConfigError::Missing("JWT_SECRET")),
        };
        if environment != Environment::Development {
            if jwt_secret == DEVELOPMENT_JWT_SECRET || jwt_secret.contains("change-me") {
                return Err(ConfigError::Invalid {
                    name: "JWT_SECRET",
                    reason: "the default secret is refused outside development".into(),
                });
            }
            if jwt_secret.len() < 32 {
                return Err(ConfigError::Invalid {
                    name: "JWT_SECRET",
                    reason: "use at least 32 random characters".into(),
                });
            }
        }

        let listen_addr =
            var("LISTEN_ADDR").or_else(|| var("LEPTOS_SITE_ADDR")).unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen_addr = listen_addr.parse().map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
            name: "LISTEN_ADDR",
            reason: e.to_string(),
        })?;
        let base_url = var("BASE_URL").unwrap_or_else(|| format!("http://{listen_addr}"));
        let base_url = base_url.trim_end_matches('/').to_string();
        if environment == Environment::Production && !base_url.starts_with("https://") {
            return Err(ConfigError::Invalid {
                name: "BASE_URL",
                reason: "production must be served over https".into(),
            });
        }
        let max_sessions_per_user = match var("MAX_SESSIONS_PER_USER") {
            Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or(ConfigError::Invalid {
                name: "MAX_SESSIONS_PER_USER",
                reason: "must be a positive number".into(),
            })?,
            None => 10,
        };
        let run_migrations = var("RUN_MIGRATIONS").map(|v| v != "false" && v != "0").unwrap_or(true);
        let mail = mail_settings(environment)?;
        let trusted_proxies = var("TRUSTED_PROXIES")
            .map(|v| parse_ranges(&v))
            .transpose()
            .map_err(|reason| ConfigError::Invalid { name: "TRUSTED_PROXIES", reason })?
            .unwrap_or_default();
        let metrics_token = var("METRICS_TOKEN").map(|token| token.trim().to_string());
        if metrics_token.as_ref().is_some_and(|token| token.len() < 24) {
            return Err(ConfigError::Invalid {
                name: "METRICS_TOKEN",
                reason: "use at least 24 random characters".into(),
            });
        }
        let max_connections = match var("MAX_CONNECTIONS") {
            Some(v) => v.parse().ok().filter(|n| *n >= 16).ok_or(ConfigError::Invalid {
                name: "MAX_CONNECTIONS",
                reason: "must be a number of at least 16".into(),
            })?,
            None => DEFAULT_MAX_CONNECTIONS,
        };

        Ok(Self {
            environment,
            owner_database,
            app_database,
            app_database_password,
            jwt_secret: SecretString::from(jwt_secret),
            base_url,
            listen_addr,
            max_sessions_per_user,
            run_migrations,
            mail,
            trusted_proxies,
            max_connections,
            limits: limits::Limits::default(),
            stream_session_recheck: Duration::from_secs(30),
            metrics_token: metrics_token.map(SecretString::from),
            webhooks: WebhookSettings::for_environment(environment),
        })
    }

    /// The origins whose pages may send state-changing requests: `BASE_URL`'s, and in
    /// development the same port on `localhost` and `127.0.0.1` too.
    pub fn allowed_origins(&self) -> Vec<String> {
        let own = origin_of(&self.base_url);
        let mut origins = vec![own.clone()];
        if self.environment == Environment::Development {
            for (from, to) in [("://127.0.0.1", "://localhost"), ("://localhost", "://127.0.0.1")] {
                if own.contains(from) {
                    origins.push(own.replacen(from, to, 1));
                }
            }
        }
        origins
    }

    /// Cookies carry `Secure` everywhere but local development.
    pub fn secure_cookies(&self) -> bool {
        self.environment != Environment::Development
    }

    /// Settings for tests and tools: development, the given databases, port 0.
    pub fn for_tests(owner_database: PgConnectOptions) -> Self {
        Self {
            environment: Environment::Development,
            owner_database,
            app_database: None,
            app_database_password: None,
            jwt_secret: SecretString::from("test-secret-that-is-long-enough-for-hs256-keys".to_string()),
            base_url: "http://127.0.0.1".into(),
            listen_addr: "127.0.0.1:0".parse().expect("valid address"),
            max_sessions_per_user: 10,
            run_migrations: false,
            trusted_proxies: Vec::new(),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            limits: limits::Limits::default(),
            stream_session_recheck: Duration::from_secs(30),
            // Tests that read mail point this at the local sink themselves.
            mail: MailSettings {
                smtp_url: None,
                from: DEFAULT_MAIL_FROM.into(),
                deliver: false,
                delivery: DeliverySettings::default(),
            },
            metrics_token: None,
            // Tests run delivery loops themselves when they want one.
            webhooks: WebhookSettings { deliver: false, ..WebhookSettings::for_environment(Environment::Development) },
        }
    }
}

fn mail_settings(environment: Environment) -> Result<MailSettings, ConfigError> {
    let smtp_url = var("SMTP_URL");
    // The mailer checks the address's shape when the server starts.
    if smtp_url.is_none() && environment == Environment::Production {
        return Err(ConfigError::Missing("SMTP_URL"));
    }
    let from = var("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.into());
    let mut delivery = DeliverySettings::default();
    if let Some(v) = var("OUTBOX_MAX_ATTEMPTS") {
        delivery.max_attempts = v.parse().ok().filter(|n| (1..=50).contains(n)).ok_or(ConfigError::Invalid {
            name: "OUTBOX_MAX_ATTEMPTS",
            reason: "must be a number from 1 to 50".into(),
        })?;
    }
    if let Some(v) = var("OUTBOX_RETRY_SECONDS") {
        let seconds: f64 = v.parse().ok().filter(|n: &f64| *n > 0.0 && *n <= 3600.0).ok_or(ConfigError::Invalid {
            name: "OUTBOX_RETRY_SECONDS",
            reason: "must be a number of seconds above 0 and at most 3600".into(),
        })?;
        delivery.retry_base = Duration::from_secs_f64(seconds);
    }
    Ok(MailSettings { deliver: smtp_url.is_some(), smtp_url: smtp_url.map(SecretString::from), from, delivery })
}
