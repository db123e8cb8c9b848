//! The numbers: template parameters in AWS (environment variables of the functions that count), flags of
//! the local stack (`infra/local-stack/src/main.rs`). The defaults and why: `docs/rate-limits.md`.

use super::{Counter, LimitName};
use crate::model::{Iin, PhoneNumber};
use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Signing codes per applicant, and per BMG phone, in 15 minutes.
    pub signing_codes_per_15_min: u32,
    /// ... and in a day.
    pub signing_codes_per_day: u32,
    /// Accepted submissions per applicant in a day.
    pub submissions_per_applicant_per_day: u32,
    /// Accepted submissions naming one registrant in a day.
    pub submissions_per_registrant_per_day: u32,
    /// Consent requests texted to one owner's phone for one applicant's applications in an hour.
    pub consent_requests_per_owner_from_applicant_per_hour: u32,
    /// Consent requests texted to one owner's phone in an hour, from everyone.
    pub consent_requests_per_owner_per_hour: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            signing_codes_per_15_min: 5,
            signing_codes_per_day: 20,
            submissions_per_applicant_per_day: 10,
            submissions_per_registrant_per_day: 5,
            consent_requests_per_owner_from_applicant_per_hour: 3,
            consent_requests_per_owner_per_hour: 10,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name} is not valid: {value:?} (a whole number from 1 to 100000)")]
pub struct RateLimitsError {
    pub name: &'static str,
    pub value: String,
}

impl RateLimits {
    /// The environment variable of each number, in the order of the fields (the local stack's flags are the
    /// same names in kebab case: `--limit-signing-codes-per-15-min`).
    pub const SETTINGS: [&'static str; 6] = [
        "LIMIT_SIGNING_CODES_PER_15_MIN",
        "LIMIT_SIGNING_CODES_PER_DAY",
        "LIMIT_SUBMISSIONS_PER_APPLICANT_PER_DAY",
        "LIMIT_SUBMISSIONS_PER_REGISTRANT_PER_DAY",
        "LIMIT_CONSENT_REQUESTS_PER_OWNER_FROM_APPLICANT_PER_HOUR",
        "LIMIT_CONSENT_REQUESTS_PER_OWNER_PER_HOUR",
    ];

    fn fields(&mut self) -> [&mut u32; 6] {
        [
            &mut self.signing_codes_per_15_min,
            &mut self.signing_codes_per_day,
            &mut self.submissions_per_applicant_per_day,
            &mut self.submissions_per_registrant_per_day,
            &mut self.consent_requests_per_owner_from_applicant_per_hour,
            &mut self.consent_requests_per_owner_per_hour,
        ]
    }

    /// The defaults, with each number `get(environment variable)` gives instead.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<RateLimits, RateLimitsError> {
        let mut limits = RateLimits::default();
        for (field, name) in limits.fields().into_iter().zip(Self::SETTINGS) {
            if let Some(value) = get(name) {
                *field = parse(&value).ok_or(RateLimitsError { name, value })?;
            }
        }
        Ok(limits)
    }

    pub fn signing_code(&self, applicant: &Iin, phone: &PhoneNumber, now: DateTime<Utc>) -> Vec<Counter> {
        let (quarter, day) = (Duration::minutes(15), Duration::days(1));
        vec![
            Counter::new(
                LimitName::SigningCodesPerApplicant15Min,
                applicant.as_str(),
                self.signing_codes_per_15_min,
                quarter,
                now,
            ),
            Counter::new(
                LimitName::SigningCodesPerApplicantDay,
                applicant.as_str(),
                self.signing_codes_per_day,
                day,
                now,
            ),
            Counter::new(
                LimitName::SigningCodesPerPhone15Min,
                phone.as_str(),
                self.signing_codes_per_15_min,
                quarter,
                now,
            ),
            Counter::new(LimitName::SigningCodesPerPhoneDay, phone.as_str(), self.signing_codes_per_day, day, now),
        ]
    }

    pub fn submission(&self, applicant: &Iin, registrant: &Iin, now: DateTime<Utc>) -> Vec<Counter> {
        let day = Duration::days(1);
        vec![
            Counter::new(
                LimitName::SubmissionsPerApplicantDay,
                applicant.as_str(),
                self.submissions_per_applicant_per_day,
                day,
                now,
            ),
            Counter::new(
                LimitName::SubmissionsPerRegistrantDay,
                registrant.as_str(),
                self.submissions_per_registrant_per_day,
                day,
                now,
            ),
        ]
    }

    pub fn consent_request(&self, owner_phone: &PhoneNumber, applicant: &Iin, now: DateTime<Utc>) -> Vec<Counter> {
        let hour = Duration::hours(1);
        let pair = format!("{}#{}", owner_phone.as_str(), applicant.as_str());
        vec![
            Counter::new(
                LimitName::ConsentRequestsPerOwnerFromApplicantHour,
                &pair,
                self.consent_requests_per_owner_from_applicant_per_hour,
                hour,
                now,
            ),
            Counter::new(
                LimitName::ConsentRequestsPerOwnerHour,
                owner_phone.as_str(),
                self.consent_requests_per_owner_per_hour,
                hour,
                now,
            ),
        ]
    }
}

fn parse(value: &str) -> Option<u32> {
    value.trim().parse().ok().filter(|n| (1..=100_000).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_from_the_environment_and_bad_ones_are_named() {
        let limits = RateLimits::from_lookup(|k| (k == "LIMIT_SIGNING_CODES_PER_DAY").then(|| "7".into())).expect("ok");
        assert_eq!((limits.signing_codes_per_day, limits.signing_codes_per_15_min), (7, 5));
        let bad = RateLimits::from_lookup(|k| (k == "LIMIT_CONSENT_REQUESTS_PER_OWNER_PER_HOUR").then(|| "0".into()));
        assert_eq!(bad.map_err(|e| e.name), Err("LIMIT_CONSENT_REQUESTS_PER_OWNER_PER_HOUR"));
    }
}
