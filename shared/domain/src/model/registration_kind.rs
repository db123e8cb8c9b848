//! Permanent registration, or temporary for 1 to 12 months.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegistrationKind {
    Permanent,
    Temporary { months: u8 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KindError {
    #[error("kind is PERMANENT or TEMPORARY")]
    UnknownKind,
    #[error("a temporary registration lasts 1 to 12 months")]
    MonthsOutOfRange,
    #[error("months is given for TEMPORARY registrations only")]
    MonthsNotAllowed,
}

impl KindError {
    pub fn rule(&self) -> &'static str {
        match self {
            KindError::UnknownKind => "KIND_VALUES",
            KindError::MonthsOutOfRange => "TEMPORARY_1_TO_12_MONTHS",
            KindError::MonthsNotAllowed => "MONTHS_ONLY_FOR_TEMPORARY",
        }
    }

    pub fn field(&self) -> &'static str {
        match self {
            KindError::UnknownKind => "kind",
            _ => "months",
        }
    }
}

impl RegistrationKind {
    pub fn parse(kind: &str, months: Option<i64>) -> Result<RegistrationKind, KindError> {
        match (kind, months) {
            ("PERMANENT", None) => Ok(RegistrationKind::Permanent),
            ("PERMANENT", Some(_)) => Err(KindError::MonthsNotAllowed),
            ("TEMPORARY", Some(m)) if (1..=12).contains(&m) => Ok(RegistrationKind::Temporary { months: m as u8 }),
            ("TEMPORARY", _) => Err(KindError::MonthsOutOfRange),
            _ => Err(KindError::UnknownKind),
        }
    }

    /// The last day of validity for a registration starting on `from`; `None` for permanent.
    pub fn valid_to(&self, from: NaiveDate) -> Option<NaiveDate> {
        match self {
            RegistrationKind::Permanent => None,
            RegistrationKind::Temporary { months } => {
                from.checked_add_months(Months::new(u32::from(*months))).and_then(|d| d.pred_opt())
            }
        }
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, RegistrationKind::Permanent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_is_one_to_twelve_months() {
        assert_eq!(RegistrationKind::parse("TEMPORARY", Some(0)), Err(KindError::MonthsOutOfRange));
        assert_eq!(RegistrationKind::parse("TEMPORARY", Some(13)), Err(KindError::MonthsOutOfRange));
        assert_eq!(RegistrationKind::parse("TEMPORARY", None), Err(KindError::MonthsOutOfRange));
        assert_eq!(RegistrationKind::parse("TEMPORARY", Some(12)), Ok(RegistrationKind::Temporary { months: 12 }));
        assert_eq!(RegistrationKind::parse("PERMANENT", Some(3)), Err(KindError::MonthsNotAllowed));
        assert_eq!(RegistrationKind::parse("FOREVER", None), Err(KindError::UnknownKind));
    }

    #[test]
    fn validity_ends_the_day_before_the_same_date_months_later() {
        let from = NaiveDate::from_ymd_opt(2026, 1, 31).expect("date");
        let kind = RegistrationKind::Temporary { months: 1 };
        assert_eq!(kind.valid_to(from), NaiveDate::from_ymd_opt(2026, 2, 27));
        assert_eq!(RegistrationKind::Permanent.valid_to(from), None);
    }
}
