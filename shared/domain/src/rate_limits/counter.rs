//! One counter of one limit for one subject in one fixed window.

use super::LimitName;
use chrono::{DateTime, Duration, Utc};

/// What a store increments: `key` names the limit, the subject and the window, so a counter of an earlier
/// window is never read again (TTL removes it after `window_ends`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub limit: LimitName,
    pub key: String,
    pub max: u32,
    pub window_ends: DateTime<Utc>,
}

impl Counter {
    /// The counter of `limit` for `subject` in the window of length `window` (aligned to the Unix epoch)
    /// that holds `now`.
    pub fn new(limit: LimitName, subject: &str, max: u32, window: Duration, now: DateTime<Utc>) -> Counter {
        let len = window.num_seconds().max(1);
        let start = now.timestamp().div_euclid(len) * len;
        let window_ends = DateTime::<Utc>::from_timestamp(start + len, 0).unwrap_or(now + window);
        Counter { limit, key: format!("{}#{subject}#{start}", limit.as_str()), max, window_ends }
    }

    pub fn hit(&self) -> LimitHit {
        LimitHit { limit: self.limit, retry_at: self.window_ends }
    }
}

/// A limit that was reached: nothing was counted or written; the same request succeeds from `retry_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitHit {
    pub limit: LimitName,
    pub retry_at: DateTime<Utc>,
}

impl LimitHit {
    /// Whole seconds from `now` to `retry_at`, at least 1: the `Retry-After` header.
    pub fn retry_after_seconds(&self, now: DateTime<Utc>) -> u64 {
        let ms = (self.retry_at - now).num_milliseconds().max(1);
        u64::try_from((ms + 999) / 1000).unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_the_key_names_limit_subject_and_window() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:07:30Z").expect("time").with_timezone(&Utc);
        let c = Counter::new(LimitName::SigningCodesPerPhone15Min, "+77010000002", 5, Duration::minutes(15), now);
        assert_eq!(c.window_ends.to_rfc3339(), "2026-11-25T10:15:00+00:00");
        assert!(c.key.starts_with("SIGNING_CODES_PER_PHONE_15_MIN#+77010000002#"));
        let later = Counter::new(c.limit, "+77010000002", 5, Duration::minutes(15), c.window_ends);
        assert_ne!(c.key, later.key, "the next window counts afresh");
        assert_eq!(c.hit().retry_after_seconds(now), 450);
        assert_eq!(c.hit().retry_after_seconds(c.window_ends), 1);
    }
}
