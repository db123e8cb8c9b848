//! An application for residence registration, its statuses, reason codes and timeline.

use super::{ApplicationId, Iin, RegistrationKind, Rka};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Submitted,
    AwaitingConsent,
    Registered,
    Rejected,
    OfflineRequired,
    Cancelled,
    Failed,
}

// The API's name (`AWAITING_CONSENT`): what logs show and queries filter on.
super::names::stable_names!(Status {
    Submitted => "SUBMITTED",
    AwaitingConsent => "AWAITING_CONSENT",
    Registered => "REGISTERED",
    Rejected => "REJECTED",
    OfflineRequired => "OFFLINE_REQUIRED",
    Cancelled => "CANCELLED",
    Failed => "FAILED",
});

impl Status {
    pub fn is_terminal(&self) -> bool {
        !matches!(self, Status::Submitted | Status::AwaitingConsent)
    }

    pub const OPEN: [Status; 2] = [Status::Submitted, Status::AwaitingConsent];
}

/// Why an application ended (or would end) the way it did. Stable names: apps switch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    NoBmgPhone,
    UnknownPerson,
    NotACitizen,
    #[serde(rename = "CHILD_UNDER_14")]
    ChildUnder14,
    NotRepresentative,
    NotGuardian,
    MustApplyInPerson,
    UnknownAddress,
    NotInRentalAgreement,
    OwnerIsMinor,
    OwnerIncapable,
    ConsentDeclined,
    ConsentExpired,
    Withdrawn,
    /// The owner's consent request could not be texted within the consent window (SMS service down).
    ConsentRequestUndelivered,
    /// The owner's phone had been sent as many consent requests as the hourly limits allow.
    OwnerAskedTooOften,
    WorkflowError,
}

super::names::stable_names!(ReasonCode {
    NoBmgPhone => "NO_BMG_PHONE",
    UnknownPerson => "UNKNOWN_PERSON",
    NotACitizen => "NOT_A_CITIZEN",
    ChildUnder14 => "CHILD_UNDER_14",
    NotRepresentative => "NOT_REPRESENTATIVE",
    NotGuardian => "NOT_GUARDIAN",
    MustApplyInPerson => "MUST_APPLY_IN_PERSON",
    UnknownAddress => "UNKNOWN_ADDRESS",
    NotInRentalAgreement => "NOT_IN_RENTAL_AGREEMENT",
    OwnerIsMinor => "OWNER_IS_MINOR",
    OwnerIncapable => "OWNER_INCAPABLE",
    ConsentDeclined => "CONSENT_DECLINED",
    ConsentExpired => "CONSENT_EXPIRED",
    Withdrawn => "WITHDRAWN",
    ConsentRequestUndelivered => "CONSENT_REQUEST_UNDELIVERED",
    OwnerAskedTooOften => "OWNER_ASKED_TOO_OFTEN",
    WorkflowError => "WORKFLOW_ERROR",
});

/// Why the person registers at this address, as chosen in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegistrationReason {
    OwnProperty,
    Rental,
    StateRental,
    FamilyMember,
    Other,
}

/// The `document` member of [`ApplicationDraft::signed_document`].
pub const SIGNED_DOCUMENT: &str = "kz.egov.residence-registration/1";

/// What the applicant fills in: parsed, not yet signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDraft {
    pub registrant: Iin,
    pub address: Rka,
    pub kind: RegistrationKind,
    pub reason: RegistrationReason,
    pub moved_in_on: NaiveDate,
}

impl ApplicationDraft {
    /// The bytes an EDS signs: the form's fields as parsed (the signature left out), one JSON object with its
    /// keys in byte order, no whitespace, every value ASCII, `months` only for TEMPORARY, and a `document`
    /// member naming this service, so a signature made for anything else is never this form:
    ///
    /// `{"document":"kz.egov.residence-registration/1","kind":"TEMPORARY","months":6,"movedInOn":"2026-11-24",`
    /// `"reason":"RENTAL","registrantIin":"880702300117","rka":"0201500000000001"}`
    ///
    /// The same as Python's `json.dumps(obj, sort_keys=True, separators=(",", ":"))` (tested).
    pub fn signed_document(&self) -> Vec<u8> {
        use serde_json::Value;
        let mut doc = std::collections::BTreeMap::<&str, Value>::new();
        doc.insert("document", Value::from(SIGNED_DOCUMENT));
        match self.kind {
            RegistrationKind::Permanent => doc.insert("kind", Value::from("PERMANENT")),
            RegistrationKind::Temporary { months } => {
                doc.insert("months", Value::from(months));
                doc.insert("kind", Value::from("TEMPORARY"))
            }
        };
        doc.insert("movedInOn", Value::from(self.moved_in_on.format("%Y-%m-%d").to_string()));
        doc.insert("reason", serde_json::to_value(self.reason).unwrap_or(Value::Null));
        doc.insert("registrantIin", Value::from(self.registrant.as_str()));
        doc.insert("rka", Value::from(self.address.as_str()));
        serde_json::to_vec(&doc).unwrap_or_default()
    }

    /// A digest of the signed content together with the signer: a signature covers exactly this.
    pub fn digest(&self, applicant: &Iin) -> String {
        let canonical = serde_json::json!({ "applicant": applicant, "draft": self }).to_string();
        Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: ApplicationId,
    pub applicant: Iin,
    #[serde(flatten)]
    pub draft: ApplicationDraft,
    pub status: Status,
    /// Reason codes: the first is the primary one.
    #[serde(default)]
    pub reasons: Vec<ReasonCode>,
    /// Digest of the signed content (see [`ApplicationDraft::digest`]).
    pub digest: String,
    pub idempotency_key: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The texts the outcome sends: written PENDING with the outcome, sent after it is committed.
    #[serde(default)]
    pub notices: NoticeState,
    /// Until when (epoch milliseconds) one sender holds the pending texts: a sender that died loses them then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notices_lease_ms: Option<i64>,
    /// The address whose permanent registration this one closed: its owners are told too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_address: Option<Rka>,
}

/// Whether the texts of an application's outcome are still to be sent. Each send is decided by one
/// conditional write (a claim with a lease), so a retried or a concurrent finalize never texts twice and a
/// text that could not go is sent by the next attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NoticeState {
    #[default]
    None,
    Pending,
    Sent,
}

super::names::stable_names!(NoticeState { None => "NONE", Pending => "PENDING", Sent => "SENT" });

impl Application {
    /// An application as it is accepted: SUBMITTED, a new id, nothing sent yet.
    pub fn submitted(
        applicant: Iin,
        draft: ApplicationDraft,
        digest: String,
        idempotency_key: Option<String>,
        now: DateTime<Utc>,
    ) -> Application {
        Application {
            id: ApplicationId::new(),
            applicant,
            draft,
            status: Status::Submitted,
            reasons: vec![],
            digest,
            idempotency_key,
            submitted_at: now,
            updated_at: now,
            notices: NoticeState::None,
            notices_lease_ms: None,
            previous_address: None,
        }
    }

    /// Registration must happen within 10 calendar days of moving in.
    pub fn is_late(&self) -> bool {
        (self.submitted_at.date_naive() - self.draft.moved_in_on).num_days() > 10
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn reason_codes_have_their_published_names() {
        let names: Vec<String> = [
            ReasonCode::NoBmgPhone,
            ReasonCode::NotACitizen,
            ReasonCode::ChildUnder14,
            ReasonCode::NotRepresentative,
            ReasonCode::UnknownAddress,
            ReasonCode::NotInRentalAgreement,
            ReasonCode::ConsentDeclined,
            ReasonCode::ConsentExpired,
            ReasonCode::Withdrawn,
        ]
        .iter()
        .map(|c| serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
        .collect();
        assert_eq!(
            names,
            [
                "NO_BMG_PHONE",
                "NOT_A_CITIZEN",
                "CHILD_UNDER_14",
                "NOT_REPRESENTATIVE",
                "UNKNOWN_ADDRESS",
                "NOT_IN_RENTAL_AGREEMENT",
                "CONSENT_DECLINED",
                "CONSENT_EXPIRED",
                "WITHDRAWN"
            ]
        );
        let s: Vec<Value> =
            [Status::AwaitingConsent, Status::OfflineRequired].iter().map(|s| serde_json::json!(s)).collect();
        assert_eq!(s, vec![serde_json::json!("AWAITING_CONSENT"), serde_json::json!("OFFLINE_REQUIRED")]);
    }
}
