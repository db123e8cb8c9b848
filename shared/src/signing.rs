//! Checking the signature on an application: an SMS code from 1414 now, an NCA EDS later.

use crate::domain::{ApplicationDraft, Iin, OneTimeCode, SigningRequestId};
use crate::errors::StoreError;
use crate::ports::{SigningRequest, SigningStore};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A signing code is valid this long after it is sent...
pub const CODE_LIFETIME_SECONDS: i64 = 300;
/// ...for this many tries.
pub const CODE_ATTEMPTS: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SignatureMethod {
    SmsCode,
    /// Electronic digital signature issued by NCA RK: not accepted yet.
    Eds,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature method must be SMS_CODE or EDS")]
    UnknownMethod,
    #[error("EDS signatures are not accepted yet: sign with the SMS code")]
    MethodNotSupported,
    #[error("no such signing request for this applicant")]
    UnknownRequest,
    #[error("the signing code has expired: request a new one")]
    Expired,
    #[error("the signing code was used already: request a new one")]
    Used,
    /// Used by a submission with this request's own Idempotency-Key: its application is the answer.
    #[error("the signing code was used by a submission with this Idempotency-Key")]
    UsedByThisKey,
    #[error("the code was requested for a different form: request a code for this one")]
    DifferentForm,
    #[error("too many wrong codes: request a new one")]
    Locked,
    #[error("the code is wrong")]
    WrongCode { attempts_left: u8 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SignatureError {
    pub fn rule(&self) -> &'static str {
        match self {
            SignatureError::UnknownMethod => "SIGNATURE_METHOD_VALUES",
            SignatureError::MethodNotSupported => "SIGNATURE_METHOD_SUPPORTED",
            SignatureError::UnknownRequest => "SIGNING_REQUEST_KNOWN",
            SignatureError::Expired => "SIGNING_CODE_NOT_EXPIRED",
            SignatureError::Used | SignatureError::UsedByThisKey => "SIGNING_CODE_SINGLE_USE",
            SignatureError::DifferentForm => "SIGNING_CODE_FOR_THIS_FORM",
            SignatureError::Locked => "SIGNING_CODE_ATTEMPTS",
            SignatureError::WrongCode { .. } => "SIGNING_CODE_MATCHES",
            SignatureError::Store(_) => "STORE",
        }
    }
}

pub fn parse_method(s: &str) -> Result<SignatureMethod, SignatureError> {
    match s {
        "SMS_CODE" => Ok(SignatureMethod::SmsCode),
        "EDS" => Ok(SignatureMethod::Eds),
        _ => Err(SignatureError::UnknownMethod),
    }
}

/// Verifies an SMS-code signature over `draft` and uses it up. A wrong code spends an attempt.
pub async fn verify_sms_code(
    store: &dyn SigningStore,
    applicant: &Iin,
    draft: &ApplicationDraft,
    request_id: &str,
    code: &str,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    let id = SigningRequestId::parse(request_id).ok_or(SignatureError::UnknownRequest)?;
    let request = store.get(&id).await?.filter(|r| &r.applicant == applicant).ok_or(SignatureError::UnknownRequest)?;
    let used = |r: &SigningRequest| match (&r.used_for_key, idempotency_key) {
        (Some(by), Some(key)) if by == key => SignatureError::UsedByThisKey,
        _ => SignatureError::Used,
    };
    if request.used {
        return Err(used(&request));
    }
    if now >= request.expires_at {
        return Err(SignatureError::Expired);
    }
    if request.attempts_left == 0 {
        return Err(SignatureError::Locked);
    }
    if request.digest != draft.digest(applicant) {
        return Err(SignatureError::DifferentForm);
    }
    let matches = OneTimeCode::parse(code).is_some_and(|c| request.code_hash.matches(&c));
    if !matches {
        return match store.spend_attempt(&id).await? {
            Some(attempts_left) => Err(SignatureError::WrongCode { attempts_left }),
            None => Err(SignatureError::Locked),
        };
    }
    if !store.consume(&id, idempotency_key).await? {
        // Spent meanwhile: by whom decides the answer.
        let spent = store.get(&id).await?;
        return Err(spent.as_ref().map(used).unwrap_or(SignatureError::Used));
    }
    Ok(())
}
