//! A property owner's consent to one application.

use super::{ApplicationId, CodeHash, ConsentDecision, ConsentId, Iin, PhoneNumber};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentStatus {
    Pending,
    Approved,
    Declined,
    Expired,
    /// The application ended some other way while this consent was still open.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentChannel {
    Sms,
    App,
}

super::names::stable_names!(ConsentStatus {
    Pending => "PENDING",
    Approved => "APPROVED",
    Declined => "DECLINED",
    Expired => "EXPIRED",
    Closed => "CLOSED",
});
super::names::stable_names!(ConsentChannel { Sms => "SMS", App => "APP" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub id: ConsentId,
    pub application_id: ApplicationId,
    pub owner: Iin,
    pub status: ConsentStatus,
    /// Set when the request is sent: the workflow's task token, the code's hash, the phone it went to.
    pub task_token: Option<String>,
    pub code_hash: Option<CodeHash>,
    pub owner_phone: Option<PhoneNumber>,
    pub requested_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub channel: Option<ConsentChannel>,
    /// Whom the owner is asked about (set by the eligibility check), so that the request needs no other read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrant: Option<Iin>,
    /// Who applied (set by the eligibility check): the consent-request limits count per applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<Iin>,
    /// When the first attempt to text the request was made: the SMS is retried until the consent window
    /// has passed since then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_attempt_at: Option<DateTime<Utc>>,
    /// Where and for how long (set by the eligibility check): the request names them without another read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rka: Option<super::Rka>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<super::RegistrationKind>,
}

impl Consent {
    pub fn new(application_id: ApplicationId, owner: Iin) -> Self {
        Consent {
            id: ConsentId::new(),
            application_id,
            owner,
            status: ConsentStatus::Pending,
            task_token: None,
            code_hash: None,
            owner_phone: None,
            requested_at: None,
            expires_at: None,
            answered_at: None,
            channel: None,
            registrant: None,
            applicant: None,
            first_attempt_at: None,
            rka: None,
            kind: None,
        }
    }

    /// The consent the `index`-th owner of the address is asked for: its id is the same on every attempt.
    pub fn of_owner(application: &super::Application, index: usize, owner: Iin) -> Self {
        Consent {
            id: ConsentId::for_owner(&application.id, index),
            registrant: Some(application.draft.registrant.clone()),
            applicant: Some(application.applicant.clone()),
            rka: Some(application.draft.address.clone()),
            kind: Some(application.draft.kind),
            ..Consent::new(application.id.clone(), owner)
        }
    }

    /// Open for an answer: pending, requested, and not past its expiry.
    pub fn is_answerable(&self, now: DateTime<Utc>) -> bool {
        self.status == ConsentStatus::Pending && self.task_token.is_some() && self.expires_at.is_some_and(|e| now < e)
    }

    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.status == ConsentStatus::Expired
            || (self.status == ConsentStatus::Pending && self.expires_at.is_some_and(|e| now >= e))
    }
}

impl From<ConsentDecision> for ConsentStatus {
    fn from(d: ConsentDecision) -> Self {
        match d {
            ConsentDecision::Approve => ConsentStatus::Approved,
            ConsentDecision::Decline => ConsentStatus::Declined,
        }
    }
}

/// Which of a phone's consents an SMS reply answers: the one whose code it quotes.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyMatch<'a> {
    /// No consent was ever requested from this number.
    NothingRequested,
    /// The code matches none of them.
    WrongCode,
    Consent(&'a Consent),
}

/// How far back an SMS reply is matched to the requests sent to that phone: a reply later than this (long
/// after the one-hour window) is answered as if nothing was pending.
pub const REPLY_LOOKBACK_DAYS: i64 = 7;

/// The earliest request time an SMS reply received at `now` is matched against.
pub fn replies_match_requests_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::days(REPLY_LOOKBACK_DAYS)
}

pub fn match_reply<'a>(
    consents_for_phone: &'a [Consent],
    key: &super::CodeKey,
    code: &super::OneTimeCode,
) -> ReplyMatch<'a> {
    if consents_for_phone.is_empty() {
        return ReplyMatch::NothingRequested;
    }
    consents_for_phone
        .iter()
        .find(|c| c.code_hash.as_ref().is_some_and(|h| h.matches(key, c.id.as_str(), code)))
        .map_or(ReplyMatch::WrongCode, ReplyMatch::Consent)
}
