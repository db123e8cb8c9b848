//! The application form as sent by the apps, parsed into an [`ApplicationDraft`] field by field.

use super::Problem;
use crate::problem::ProblemKind;
use chrono::NaiveDate;
use domain::{ApplicationDraft, Iin, RegistrationKind, RegistrationReason, Rka};
use serde::Deserialize;

/// As sent, unchecked. `Debug` hides the IIN and the signing code (see the impls below).
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplicationForm {
    pub registrant_iin: String,
    pub rka: String,
    pub kind: String,
    #[serde(default)]
    pub months: Option<i64>,
    pub reason: String,
    pub moved_in_on: String,
    /// Only on submit: the signature over exactly this form.
    #[serde(default)]
    pub signature: Option<SignatureForm>,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignatureForm {
    /// `SMS_CODE` (with `signingRequestId` and `code`) or `EDS` (with `cms`).
    pub method: String,
    #[serde(default)]
    pub signing_request_id: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    /// Base64 (standard alphabet) of a DER CMS SignedData over [`ApplicationDraft::signed_document`].
    #[serde(default)]
    pub cms: Option<String>,
}

/// A signature, its fields those of its method.
pub enum Signature {
    SmsCode {
        signing_request_id: String,
        code: String,
    },
    /// The CMS, decoded from base64.
    Eds {
        cms: Vec<u8>,
    },
}

/// Longest `signature.cms` read, in base64 characters: what fits in a body ([`crate::body::MAX_BODY_BYTES`],
/// 16,384) beside the form's other fields. A CMS from NCALayer with the signer's certificate and NCA's
/// intermediate is about 7,000.
pub const MAX_CMS_BASE64: usize = 16_000;

impl SignatureForm {
    /// The signature of `method`: its own fields present, the other method's absent.
    pub fn parse(&self, method: domain::signing::SignatureMethod) -> Result<Signature, Problem> {
        use domain::signing::SignatureMethod;
        let required = |field: &'static str| {
            Problem::invalid_field(field, "REQUIRED", format!("{field} is required with this signature method"))
        };
        let not_allowed = |field: &'static str| {
            Problem::invalid_field(field, "NOT_ALLOWED", format!("{field} belongs to the other signature method"))
        };
        match method {
            SignatureMethod::SmsCode => {
                if self.cms.is_some() {
                    return Err(not_allowed("signature.cms"));
                }
                Ok(Signature::SmsCode {
                    signing_request_id: self
                        .signing_request_id
                        .clone()
                        .ok_or_else(|| required("signature.signingRequestId"))?,
                    code: self.code.clone().ok_or_else(|| required("signature.code"))?,
                })
            }
            SignatureMethod::Eds => {
                if self.signing_request_id.is_some() {
                    return Err(not_allowed("signature.signingRequestId"));
                }
                if self.code.is_some() {
                    return Err(not_allowed("signature.code"));
                }
                let text = self.cms.as_deref().ok_or_else(|| required("signature.cms"))?;
                // As the verifier refuses a CMS it cannot read: 422, the same rule.
                let unreadable = || {
                    let detail = format!(
                        "signature.cms is the base64 of a DER CMS SignedData, at most {MAX_CMS_BASE64} characters"
                    );
                    Problem::new(ProblemKind::SignatureInvalid, detail).at("signature.cms", "EDS_CMS_STRUCTURE")
                };
                if text.len() > MAX_CMS_BASE64 {
                    return Err(unreadable());
                }
                use base64::Engine as _;
                let cms = base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| unreadable())?;
                Ok(Signature::Eds { cms })
            }
        }
    }
}

impl std::fmt::Debug for ApplicationForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplicationForm")
            .field("registrant_iin", &"<hidden>")
            .field("rka", &self.rka)
            .field("kind", &self.kind)
            .field("months", &self.months)
            .field("reason", &self.reason)
            .field("moved_in_on", &self.moved_in_on)
            .field("signature", &self.signature)
            .finish()
    }
}

impl std::fmt::Debug for SignatureForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureForm")
            .field("method", &self.method)
            .field("signing_request_id", &self.signing_request_id)
            .field("code", &self.code.as_ref().map(|_| "<hidden>"))
            // The CMS carries the signer's certificate: a name and an IIN.
            .field("cms", &self.cms.as_ref().map(|c| format!("<{} base64 characters>", c.len())))
            .finish()
    }
}

impl ApplicationForm {
    /// Every field parsed; the first bad one is named. `today` bounds the moving date.
    pub fn parse(&self, today: NaiveDate) -> Result<ApplicationDraft, Problem> {
        let registrant = Iin::parse(&self.registrant_iin)
            .map_err(|e| Problem::invalid_field("registrantIin", e.rule(), format!("registrantIin: {e}")))?;
        let address =
            Rka::parse(&self.rka).map_err(|e| Problem::invalid_field("rka", "RKA_FORMAT", format!("rka: {e}")))?;
        let kind = RegistrationKind::parse(&self.kind, self.months)
            .map_err(|e| Problem::invalid_field(e.field(), e.rule(), format!("{}: {e}", e.field())))?;
        let reason: RegistrationReason = serde_json::from_value(serde_json::Value::String(self.reason.clone()))
            .map_err(|_| {
                Problem::invalid_field(
                    "reason",
                    "REASON_VALUES",
                    "reason is one of OWN_PROPERTY, RENTAL, STATE_RENTAL, FAMILY_MEMBER, OTHER",
                )
            })?;
        let date_format = || Problem::invalid_field("movedInOn", "DATE_FORMAT", "movedInOn is a date, YYYY-MM-DD");
        let well_formed =
            self.moved_in_on.len() == 10 && self.moved_in_on.as_bytes()[..4].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(date_format());
        }
        let moved_in_on = NaiveDate::parse_from_str(&self.moved_in_on, "%Y-%m-%d").map_err(|_| date_format())?;
        if moved_in_on > today {
            return Err(Problem::invalid_field("movedInOn", "NOT_IN_FUTURE", "movedInOn cannot be in the future"));
        }
        if moved_in_on < registrant.birth_date() {
            return Err(Problem::invalid_field(
                "movedInOn",
                "NOT_BEFORE_BIRTH",
                "movedInOn cannot be before the registrant's date of birth",
            ));
        }
        Ok(ApplicationDraft { registrant, address, kind, reason, moved_in_on })
    }

    pub fn refuse_signature(&self) -> Result<(), Problem> {
        match self.signature {
            Some(_) => Err(Problem::invalid_field(
                "signature",
                "NOT_ALLOWED",
                "this request takes the form without a signature",
            )),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_iin_and_the_signing_code() {
        let form: ApplicationForm = serde_json::from_str(
            r#"{"registrantIin":"880702300117","rka":"0201500000000001","kind":"PERMANENT","reason":"OTHER",
                "movedInOn":"2026-11-24","signature":{"method":"SMS_CODE","signingRequestId":"sig-1","code":"482913"}}"#,
        )
        .expect("form");
        let shown = format!("{form:?}");
        assert!(!shown.contains("880702300117") && !shown.contains("482913"), "{shown}");
        assert!(shown.contains("0201500000000001") && shown.contains("sig-1"), "{shown}");
    }

    /// Issue #10, item 9: `-0001-01-01` and a date before the registrant was born were accepted.
    #[test]
    fn moved_in_on_has_a_four_digit_year_and_is_not_before_birth() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let rule = |date: &str| {
            let json = format!(
                r#"{{"registrantIin":"880702300117","rka":"0201500000000001","kind":"PERMANENT","reason":"OTHER","movedInOn":"{date}"}}"#
            );
            let form: ApplicationForm = serde_json::from_str(&json).expect("form");
            form.parse(today).err().and_then(|p| p.rule)
        };
        assert_eq!(rule("-0001-01-01").as_deref(), Some("DATE_FORMAT"));
        assert_eq!(rule("+2026-11-24").as_deref(), Some("DATE_FORMAT"));
        assert_eq!(rule("1988-07-01").as_deref(), Some("NOT_BEFORE_BIRTH"), "born 1988-07-02");
        assert_eq!(rule("1988-07-02"), None, "the day of birth is allowed");
        assert_eq!(rule("2026-11-24"), None);
    }
}
