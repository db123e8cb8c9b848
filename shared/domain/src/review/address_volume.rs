//! An address that collects more registrations than usual within a window ("rubber flats": many people
//! registered at one address they do not live at) is flagged for review when one more is registered there.

use chrono::{Duration, NaiveDate};

/// `ADDRESS_REVIEW_THRESHOLD` registrations in `ADDRESS_REVIEW_WINDOW_DAYS` days are normal; one more is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressReview {
    pub threshold: u32,
    pub window_days: u32,
}

impl Default for AddressReview {
    /// A large family moving in together stays under it; a flat used as a registration address does not.
    fn default() -> Self {
        AddressReview { threshold: 10, window_days: 30 }
    }
}

impl AddressReview {
    /// The first day of the window that ends `today` (inclusive).
    pub fn window_start(&self, today: NaiveDate) -> NaiveDate {
        today - Duration::days(i64::from(self.window_days.max(1)) - 1)
    }

    /// Whether `registrations` made at one address within the window (this one included) call for a review.
    pub fn flags(&self, registrations: usize) -> bool {
        registrations > self.threshold as usize
    }

    /// What the timeline says when it flags.
    pub fn detail(&self) -> String {
        format!(
            "more than {} registrations at this address in the last {} days: a person will review it; the \
             registration stands",
            self.threshold, self.window_days
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_only_above_the_threshold_within_the_window() {
        let r = AddressReview { threshold: 3, window_days: 30 };
        assert!(!r.flags(3));
        assert!(r.flags(4));
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        assert_eq!(r.window_start(today), NaiveDate::from_ymd_opt(2026, 10, 27).unwrap_or_default());
        assert_eq!(AddressReview { threshold: 3, window_days: 1 }.window_start(today), today);
    }
}
