//! Individual identification number (IIN / ЖСН / ИИН): `YYMMDD C NNNN K`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A valid IIN. `Debug` and `Display` print it masked; [`Iin::as_str`] gives the digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sex {
    Male,
    Female,
}

/// Why a string is not an IIN. The `rule` names double as problem+json rule names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN is exactly 12 digits")]
    Format,
    #[error("the 5th digit is 4, 5 or 6: this is a BIN (a company's number), not an IIN")]
    IsBin,
    #[error("the 7th digit (century and sex) must be 1 to 6")]
    CenturyDigit,
    #[error("the first six digits are not a real birth date")]
    BirthDate,
    #[error("the check digit does not match")]
    CheckDigit,
}

impl IinError {
    pub fn rule(&self) -> &'static str {
        match self {
            IinError::Format => "IIN_FORMAT",
            IinError::IsBin => "IIN_IS_BIN",
            IinError::CenturyDigit => "IIN_CENTURY_DIGIT",
            IinError::BirthDate => "IIN_BIRTH_DATE",
            IinError::CheckDigit => "IIN_CHECK_DIGIT",
        }
    }
}

const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for the first 11 digits, or `None` when the number can have none.
fn check_digit(digits: &[u32]) -> Option<u32> {
    let sum = |weights: &[u32; 11]| digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11;
    match sum(&WEIGHTS_FIRST) {
        10 => match sum(&WEIGHTS_SECOND) {
            10 => None,
            k => Some(k),
        },
        k => Some(k),
    }
}

impl Iin {
    pub fn parse(input: &str) -> Result<Iin, IinError> {
        let s = input.trim();
        if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IinError::Format);
        }
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        if (4..=6).contains(&d[4]) {
            return Err(IinError::IsBin);
        }
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return Err(IinError::CenturyDigit),
        };
        let year = century + (d[0] * 10 + d[1]) as i32;
        NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5]).ok_or(IinError::BirthDate)?;
        match check_digit(&d[..11]) {
            Some(k) if k == d[11] => Ok(Iin(s.to_string())),
            _ => Err(IinError::CheckDigit),
        }
    }

    /// The 12 digits, for storage and comparisons. Never log this.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        let d = self.0.as_bytes();
        let n = |i: usize| u32::from(d[i] - b'0');
        let century = match n(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        // parse() proved the date real
        NaiveDate::from_ymd_opt(century + (n(0) * 10 + n(1)) as i32, n(2) * 10 + n(3), n(4) * 10 + n(5))
            .unwrap_or(NaiveDate::MIN)
    }

    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[6] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Full years of age on `today`.
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        let born = self.birth_date();
        let mut age = today.year() - born.year();
        if (today.month(), today.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        age.max(0) as u32
    }

    /// `********0017`: safe to show and to log.
    pub fn masked(&self) -> String {
        format!("********{}", &self.0[8..])
    }
}

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iin({})", self.masked())
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IIN {}", self.masked())
    }
}

impl Serialize for Iin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Iin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Iin::parse(&s).map_err(|e| serde::de::Error::custom(format!("{s:?} is not an IIN: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_iins_and_reads_birth_date_and_sex() {
        let iin = Iin::parse("900315400017").expect("valid");
        assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(1990, 3, 15).expect("date"));
        assert_eq!(iin.sex(), Sex::Female);
        let iin = Iin::parse(" 880702300117 ").expect("valid, trimmed");
        assert_eq!(iin.sex(), Sex::Male);
        assert_eq!(iin.birth_date().to_string(), "1988-07-02");
    }

    #[test]
    fn leap_day_of_2000_is_a_real_date() {
        let iin = Iin::parse("000229501016").expect("29 Feb 2000 exists");
        assert_eq!(iin.birth_date().to_string(), "2000-02-29");
    }

    #[test]
    fn rejects_each_broken_part_with_its_rule() {
        assert_eq!(Iin::parse("90031540001"), Err(IinError::Format));
        assert_eq!(Iin::parse("90031540001a"), Err(IinError::Format));
        assert_eq!(Iin::parse("900345400017"), Err(IinError::IsBin));
        assert_eq!(Iin::parse("900315700017"), Err(IinError::CenturyDigit));
        assert_eq!(Iin::parse("900315000017"), Err(IinError::CenturyDigit));
        assert_eq!(Iin::parse("900230400017"), Err(IinError::BirthDate));
        assert_eq!(Iin::parse("010229501016"), Err(IinError::BirthDate), "2001 is not a leap year");
        assert_eq!(Iin::parse("900315400018"), Err(IinError::CheckDigit));
    }

    #[test]
    fn second_weight_pass_is_used_when_first_gives_ten() {
        // digits chosen so that the first pass sums to 10 mod 11
        let mut found = 0;
        for serial in 0..2000u32 {
            let head = format!("8501013{serial:04}");
            let d: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
            let first = d.iter().zip(WEIGHTS_FIRST).map(|(a, w)| a * w).sum::<u32>() % 11;
            if first != 10 {
                continue;
            }
            found += 1;
            match check_digit(&d) {
                Some(k) => {
                    assert!(Iin::parse(&format!("{head}{k}")).is_ok());
                    assert_eq!(Iin::parse(&format!("{head}{}", (k + 1) % 10)), Err(IinError::CheckDigit));
                }
                None => {
                    for k in 0..10 {
                        assert_eq!(Iin::parse(&format!("{head}{k}")), Err(IinError::CheckDigit));
                    }
                }
            }
        }
        assert!(found > 0);
    }

    #[test]
    fn debug_and_display_are_masked() {
        let iin = Iin::parse("900315400017").expect("valid");
        assert_eq!(format!("{iin:?}"), "Iin(********0017)");
        assert!(!format!("{iin}").contains("900315"));
    }

    #[test]
    fn age_counts_full_years() {
        let iin = Iin::parse("110510600516").expect("valid");
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(iin.age_on(d("2025-05-09")), 13);
        assert_eq!(iin.age_on(d("2025-05-10")), 14);
    }
}
