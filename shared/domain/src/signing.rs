//! Checking an SMS-code signature on an application (an NCA EDS is checked by the `eds-verifier` crate, [`crate::eds`]).

use crate::errors::StoreError;
use crate::model::{ApplicationDraft, CodeHash, CodeKey, Iin, OneTimeCode, SigningRequestId};
use crate::ports::{CodeCheck, SigningRequest, SigningStore};
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
    /// Electronic digital signature issued by NCA RK, as a CMS over the form's signed document.
    Eds,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature method must be SMS_CODE or EDS")]
    UnknownMethod,
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

/// A code that checked out: the request it signs and the code's hash, for the transaction that stores the
/// application to mark it used ([`crate::ports::Admission::signed_with`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Signed {
    pub request: SigningRequestId,
    pub code: CodeHash,
}

/// Checks an SMS-code signature over `draft`. The code is compared and a wrong one counted in one
/// conditional write ([`SigningStore::try_code`]): however many guesses arrive at once, at most
/// [`CODE_ATTEMPTS`] are ever compared, and a right code that comes after them is refused. A right code is
/// not spent here: the transaction that stores the application marks it used, so a submission that is
/// refused (an open application, a limit) leaves it usable, and retries of it cost no attempt.
#[allow(clippy::too_many_arguments)]
pub async fn verify_sms_code(
    store: &dyn SigningStore,
    key: &CodeKey,
    applicant: &Iin,
    draft: &ApplicationDraft,
    request_id: &str,
    code: &str,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Signed, SignatureError> {
    let id = SigningRequestId::parse(request_id).ok_or(SignatureError::UnknownRequest)?;
    let digest = draft.digest(applicant);
    // Not six digits: a wrong code all the same (counted), whose hash matches no stored one.
    let candidate = OneTimeCode::parse(code).map_or_else(CodeHash::never, |c| c.hash(key, id.as_str()));
    match store.try_code(&id, applicant, &digest, &candidate, now).await? {
        CodeCheck::Right => Ok(Signed { request: id, code: candidate }),
        CodeCheck::Wrong { attempts_left } => Err(SignatureError::WrongCode { attempts_left }),
        CodeCheck::NotTried(request) => Err(why_not_tried(request, applicant, &digest, idempotency_key, now)),
    }
}

/// Why a code was not compared, from the request as it is: only to say so, nothing is decided on it.
fn why_not_tried(
    request: Option<SigningRequest>,
    applicant: &Iin,
    digest: &str,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> SignatureError {
    let Some(r) = request.filter(|r| &r.applicant == applicant) else { return SignatureError::UnknownRequest };
    if r.used {
        return match (&r.used_for_key, idempotency_key) {
            (Some(by), Some(key)) if by == key => SignatureError::UsedByThisKey,
            _ => SignatureError::Used,
        };
    }
    if now >= r.expires_at {
        SignatureError::Expired
    } else if r.digest != digest {
        SignatureError::DifferentForm
    } else {
        SignatureError::Locked
    }
}
