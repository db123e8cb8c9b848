//! Address registration code (RKA / РКА): identifies a land plot, building or flat in the address register.

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// 16 digits, as issued by the address register (spaces are dropped).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Rka(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an address registration code (RKA) is 16 digits")]
pub struct RkaError;

impl Rka {
    pub fn parse(input: &str) -> Result<Rka, RkaError> {
        let s: String = input.chars().filter(|c| *c != ' ').collect();
        if s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Rka(s))
        } else {
            Err(RkaError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Rka {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rka({})", self.0)
    }
}

impl fmt::Display for Rka {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Rka {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Rka::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_digits_with_optional_spaces() {
        assert_eq!(Rka::parse("0201 5000 0001 2345").map(|r| r.to_string()), Ok("0201500000012345".into()));
        assert_eq!(Rka::parse("020150000001234"), Err(RkaError));
        assert_eq!(Rka::parse("02015000000123456"), Err(RkaError));
        assert_eq!(Rka::parse("020150000001234x"), Err(RkaError));
    }
}
