//! The general request budget: requests per client address and per signed-in user
//! per minute, counted in memory by each server process (a flood is refused before it
//! reaches the database; the limits that must hold across processes live in
//! [`super::store`]). The middleware that spends it is `crate::http::budget`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A client address (its /64 network for IPv6).
    Ip(std::net::IpAddr),
    /// A signed-in user.
    User(uuid::Uuid),
    /// An API key (its own budget, whoever made it).
    ApiKey(uuid::Uuid),
}

/// Where a subject stands after a request was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub allowed: bool,
    /// Requests left in this window.
    pub remaining: u32,
    /// Seconds until the window ends (at least 1).
    pub reset_secs: u64,
}

/// Fixed one-minute windows per subject.
#[derive(Clone, Default)]
pub struct RequestBudget {
    windows: Arc<Mutex<Windows>>,
}

#[derive(Default)]
struct Windows {
    counts: HashMap<Subject, (Instant, u32)>,
    last_pruned: Option<Instant>,
}

impl RequestBudget {
    /// Counts a request; the seconds until the window ends when over `max`.
    pub fn take(&self, subject: Subject, max: u32, now: Instant) -> Result<(), u64> {
        let standing = self.count(subject, max, now);
        if standing.allowed {
            Ok(())
        } else {
            Err(standing.reset_secs)
        }
    }

    /// Counts a request and says where the subject stands (for `RateLimit-*` headers).
    pub fn count(&self, subject: Subject, max: u32, now: Instant) -> Standing {
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Forget finished windows once a window, so the map holds only recent clients.
        if windows.last_pruned.is_none_or(|at| now.duration_since(at) >= WINDOW) {
            windows.counts.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            windows.last_pruned = Some(now);
        }
        let entry = windows.counts.entry(subject).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        Standing {
            allowed: entry.1 <= max,
            remaining: max.saturating_sub(entry.1),
            reset_secs: WINDOW.saturating_sub(now.duration_since(entry.0)).as_secs().max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_its_maximum_then_refuses_until_it_ends() {
        let budget = RequestBudget::default();
        let subject = Subject::Ip("203.0.113.9".parse().unwrap());
        let start = Instant::now();
        for _ in 0..3 {
            assert!(budget.take(subject, 3, start).is_ok());
        }
        assert!(budget.take(subject, 3, start).is_err());
        assert!(budget.take(subject, 3, start + WINDOW).is_ok(), "a new window starts afresh");
    }

    #[test]
    fn the_standing_counts_down_to_a_refusal() {
        let budget = RequestBudget::default();
        let key = Subject::ApiKey(uuid::Uuid::new_v4());
        let start = Instant::now();
        assert_eq!(budget.count(key, 2, start), Standing { allowed: true, remaining: 1, reset_secs: 60 });
        assert_eq!(budget.count(key, 2, start + Duration::from_secs(15)).remaining, 0);
        let refused = budget.count(key, 2, start + Duration::from_secs(20));
        assert_eq!(refused, Standing { allowed: false, remaining: 0, reset_secs: 40 });
    }
}
