//! Limits per person and per phone against floods: signing codes, submissions, and consent requests reaching
//! one owner's phone. Each is a fixed-window counter kept in the store (DynamoDB with TTL, or the embedded
//! store), incremented in the same conditional write or transaction as what it limits, so a refusal changes
//! nothing and nothing slips past under concurrency. Why each number was chosen: `docs/rate-limits.md`.

mod counter;
mod policy;

pub use counter::{Counter, LimitHit};
pub use policy::{RateLimits, RateLimitsError};

use serde::{Deserialize, Serialize};

/// Which limit: a stable name, the `rule` of a 429 and the `limit` dimension of its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LimitName {
    SigningCodesPerApplicant15Min,
    SigningCodesPerApplicantDay,
    SigningCodesPerPhone15Min,
    SigningCodesPerPhoneDay,
    SubmissionsPerApplicantDay,
    SubmissionsPerRegistrantDay,
    ConsentRequestsPerOwnerFromApplicantHour,
    ConsentRequestsPerOwnerHour,
    /// Certificate checks (`GET /verify/{number}`) from one caller address.
    CertificateChecksPerCaller10Min,
}

impl LimitName {
    pub const ALL: [LimitName; 9] = [
        LimitName::SigningCodesPerApplicant15Min,
        LimitName::SigningCodesPerApplicantDay,
        LimitName::SigningCodesPerPhone15Min,
        LimitName::SigningCodesPerPhoneDay,
        LimitName::SubmissionsPerApplicantDay,
        LimitName::SubmissionsPerRegistrantDay,
        LimitName::ConsentRequestsPerOwnerFromApplicantHour,
        LimitName::ConsentRequestsPerOwnerHour,
        LimitName::CertificateChecksPerCaller10Min,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            LimitName::SigningCodesPerApplicant15Min => "SIGNING_CODES_PER_APPLICANT_15_MIN",
            LimitName::SigningCodesPerApplicantDay => "SIGNING_CODES_PER_APPLICANT_DAY",
            LimitName::SigningCodesPerPhone15Min => "SIGNING_CODES_PER_PHONE_15_MIN",
            LimitName::SigningCodesPerPhoneDay => "SIGNING_CODES_PER_PHONE_DAY",
            LimitName::SubmissionsPerApplicantDay => "SUBMISSIONS_PER_APPLICANT_DAY",
            LimitName::SubmissionsPerRegistrantDay => "SUBMISSIONS_PER_REGISTRANT_DAY",
            LimitName::ConsentRequestsPerOwnerFromApplicantHour => "CONSENT_REQUESTS_PER_OWNER_FROM_APPLICANT_HOUR",
            LimitName::ConsentRequestsPerOwnerHour => "CONSENT_REQUESTS_PER_OWNER_HOUR",
            LimitName::CertificateChecksPerCaller10Min => "CERTIFICATE_CHECKS_PER_CALLER_10_MIN",
        }
    }

    /// The request field whose holder the limit counts (the `field` of a 429).
    pub fn field(&self) -> &'static str {
        match self {
            LimitName::SigningCodesPerApplicant15Min
            | LimitName::SigningCodesPerApplicantDay
            | LimitName::SubmissionsPerApplicantDay => "applicant",
            LimitName::SigningCodesPerPhone15Min | LimitName::SigningCodesPerPhoneDay => "phone",
            LimitName::SubmissionsPerRegistrantDay => "registrantIin",
            LimitName::ConsentRequestsPerOwnerFromApplicantHour | LimitName::ConsentRequestsPerOwnerHour => "owner",
            LimitName::CertificateChecksPerCaller10Min => "caller",
        }
    }
}
