//! Time as a port, so the one-hour consent window can be tested without waiting.

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Real time (or a fixed start) plus an offset that only grows: the local stack's and the tests' clock.
pub struct AdjustableClock {
    fixed: Option<DateTime<Utc>>,
    offset: Mutex<Duration>,
}

impl AdjustableClock {
    pub fn real() -> Self {
        AdjustableClock { fixed: None, offset: Mutex::new(Duration::zero()) }
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        AdjustableClock { fixed: Some(at), offset: Mutex::new(Duration::zero()) }
    }

    /// Moves the clock forward; a negative or zero step changes nothing.
    pub fn advance(&self, by: Duration) -> DateTime<Utc> {
        if by > Duration::zero() {
            let mut offset = self.offset.lock().unwrap_or_else(|p| p.into_inner());
            *offset += by;
        }
        self.now()
    }
}

impl Clock for AdjustableClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = *self.offset.lock().unwrap_or_else(|p| p.into_inner());
        self.fixed.unwrap_or_else(Utc::now) + offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_forward_only() {
        let start = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z").expect("time").with_timezone(&Utc);
        let clock = AdjustableClock::fixed(start);
        clock.advance(Duration::seconds(-5));
        assert_eq!(clock.now(), start);
        assert_eq!(clock.advance(Duration::hours(1)), start + Duration::hours(1));
    }
}
