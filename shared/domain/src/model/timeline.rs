//! An application's history as its owner sees it in "Service history": typed events with stable names.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What happened to an application. The terminal statuses are events too (the entry that ended it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimelineEvent {
    Submitted,
    /// Submitted more than 10 calendar days after moving in.
    LateRegistration,
    EligibilityChecked,
    ConsentRequested,
    ConsentApproved,
    ConsentDeclined,
    Registered,
    Rejected,
    OfflineRequired,
    Cancelled,
    Failed,
    /// The address collected more registrations than the review threshold.
    FlaggedForReview,
    /// A registration certificate was issued (its number in the facts).
    CertificateIssued,
}

super::names::stable_names!(TimelineEvent {
    Submitted => "SUBMITTED",
    LateRegistration => "LATE_REGISTRATION",
    EligibilityChecked => "ELIGIBILITY_CHECKED",
    ConsentRequested => "CONSENT_REQUESTED",
    ConsentApproved => "CONSENT_APPROVED",
    ConsentDeclined => "CONSENT_DECLINED",
    Registered => "REGISTERED",
    Rejected => "REJECTED",
    OfflineRequired => "OFFLINE_REQUIRED",
    Cancelled => "CANCELLED",
    Failed => "FAILED",
    FlaggedForReview => "FLAGGED_FOR_REVIEW",
    CertificateIssued => "CERTIFICATE_ISSUED",
});

impl TimelineEvent {
    /// The entry that ends an application at `status`; `None` for the open statuses.
    pub fn ended(status: super::Status) -> Option<TimelineEvent> {
        use super::Status as S;
        match status {
            S::Registered => Some(TimelineEvent::Registered),
            S::Rejected => Some(TimelineEvent::Rejected),
            S::OfflineRequired => Some(TimelineEvent::OfflineRequired),
            S::Cancelled => Some(TimelineEvent::Cancelled),
            S::Failed => Some(TimelineEvent::Failed),
            S::Submitted | S::AwaitingConsent => None,
        }
    }
}

/// One line of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub event: TimelineEvent,
    /// The record in English, as written then (operators read it; older entries have only this).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The same record, typed: the apps render it in the reader's language (`crate::texts::timeline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<TimelineFacts>,
}

/// What a timeline entry records. Masked IINs only (`…0017`), never a name or a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimelineFacts {
    SignedWithSmsCode,
    /// The certificate's serial (hex) and its issuer's name: never the signer's name or IIN.
    SignedWithEds {
        serial: String,
        issuer: String,
    },
    LateRegistration,
    Eligible,
    ConsentRequired {
        owners: usize,
    },
    Reasons {
        codes: Vec<super::ReasonCode>,
    },
    OwnerAsked {
        owner: String,
        by_sms: bool,
    },
    OwnerAnswered {
        owner: String,
        channel: super::ConsentChannel,
    },
    Registration {
        rka: String,
        from: chrono::NaiveDate,
        until: Option<chrono::NaiveDate>,
        closed: Option<String>,
    },
    StepError {
        error: String,
    },
    WorkflowNotStarted,
    Review {
        threshold: u32,
        window_days: u32,
    },
    Certificate {
        number: String,
    },
}

impl TimelineEntry {
    pub fn new(at: DateTime<Utc>, event: TimelineEvent, detail: Option<String>) -> Self {
        TimelineEntry { at, event, detail, facts: None }
    }
}
