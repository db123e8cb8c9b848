//! The application form as sent by the apps, parsed into an [`ApplicationDraft`] field by field.

use super::Problem;
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
    /// `SMS_CODE` now; `EDS` when NCA signatures are supported.
    pub method: String,
    pub signing_request_id: String,
    pub code: String,
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
            .field("code", &"<hidden>")
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
