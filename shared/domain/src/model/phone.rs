//! A Kazakhstan mobile number, as linked in the Mobile Citizens Database (BMG).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// E.164 form `+77XXXXXXXXX`. `Debug` and `Display` print it masked.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number holds only digits, spaces, '+', '-', '(' and ')'")]
    Characters,
    #[error("a Kazakhstan mobile number is +7 7XX XXX XX XX (or 8 7XX XXX XX XX)")]
    NotKazakhMobile,
}

impl PhoneError {
    pub fn rule(&self) -> &'static str {
        match self {
            PhoneError::Characters => "PHONE_CHARACTERS",
            PhoneError::NotKazakhMobile => "PHONE_KZ_MOBILE",
        }
    }
}

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let s = input.trim();
        if !s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) || s[1.min(s.len())..].contains('+') {
            return Err(PhoneError::Characters);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match (s.starts_with('+'), digits.len()) {
            (true, 11) if digits.starts_with('7') => &digits[1..],
            (false, 11) if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            (false, 10) => &digits[..],
            _ => return Err(PhoneError::NotKazakhMobile),
        };
        // Mobile ranges in Kazakhstan: 70x, 74x, 75x, 76x, 77x (71x and 72x are landline area codes).
        let operator = national.as_bytes().get(1).copied().unwrap_or(b'0');
        if !national.starts_with('7') || !b"04567".contains(&operator) {
            return Err(PhoneError::NotKazakhMobile);
        }
        Ok(PhoneNumber(format!("+7{national}")))
    }

    /// `+77011234567`. Never log this.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+7 701 *** ** 67`: safe to show and to log.
    pub fn masked(&self) -> String {
        format!("+7 {} *** ** {}", &self.0[2..5], &self.0[10..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PhoneNumber::parse(&s).map_err(|e| serde::de::Error::custom(format!("not a phone number: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_common_spellings() {
        for s in ["+77011234567", "+7 701 123 45 67", "87011234567", "8 (701) 123-45-67", "77011234567", "7011234567"] {
            assert_eq!(PhoneNumber::parse(s).map(|p| p.as_str().to_string()), Ok("+77011234567".to_string()), "{s}");
        }
    }

    #[test]
    fn refuses_landlines_foreign_and_garbage() {
        assert_eq!(PhoneNumber::parse("+77172123456"), Err(PhoneError::NotKazakhMobile), "Astana landline");
        assert_eq!(PhoneNumber::parse("+73272123456"), Err(PhoneError::NotKazakhMobile));
        assert_eq!(PhoneNumber::parse("+4915112345678"), Err(PhoneError::NotKazakhMobile));
        assert_eq!(PhoneNumber::parse("+7701abc4567"), Err(PhoneError::Characters));
        assert_eq!(PhoneNumber::parse("7+7011234567"), Err(PhoneError::Characters));
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::NotKazakhMobile));
    }

    #[test]
    fn prints_masked() {
        let p = PhoneNumber::parse("+77011234567").expect("valid");
        assert_eq!(format!("{p}"), "+7 701 *** ** 67");
        assert!(!format!("{p:?}").contains("1234567"));
    }
}
