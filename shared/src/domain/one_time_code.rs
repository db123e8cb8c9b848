//! Six-digit one-time codes (signing and consent), stored only as salted hashes.

use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

/// `salt$hex(sha256(salt:code))`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CodeHash(String);

impl OneTimeCode {
    pub fn generate() -> Self {
        OneTimeCode(format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32)))
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| OneTimeCode(s.to_string()))
    }

    /// The digits, for the SMS text only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> CodeHash {
        let salt = format!("{:016x}", rand::thread_rng().gen::<u64>());
        CodeHash(format!("{salt}${}", digest(&salt, &self.0)))
    }
}

impl CodeHash {
    pub fn matches(&self, code: &OneTimeCode) -> bool {
        match self.0.split_once('$') {
            Some((salt, hex)) => {
                let expected = digest(salt, &code.0);
                // constant-time comparison of equal-length hex strings
                expected.len() == hex.len()
                    && expected.bytes().zip(hex.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
            }
            None => false,
        }
    }
}

fn digest(salt: &str, code: &str) -> String {
    let out = Sha256::digest(format!("{salt}:{code}").as_bytes());
    out.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(******)")
    }
}

impl fmt::Debug for CodeHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeHash(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_only_its_code_and_hides_it() {
        let code = OneTimeCode::parse("042917").expect("six digits");
        let hash = code.hash();
        assert!(hash.matches(&code));
        assert!(!hash.matches(&OneTimeCode::parse("042918").expect("six digits")));
        assert!(!serde_json::to_string(&hash).expect("json").contains("042917"));
        assert_ne!(code.hash(), hash, "salted");
        assert_eq!(format!("{code:?}"), "OneTimeCode(******)");
    }

    #[test]
    fn parse_wants_six_digits() {
        assert!(OneTimeCode::parse("12345").is_none());
        assert!(OneTimeCode::parse("12345a").is_none());
        assert_eq!(OneTimeCode::generate().reveal().len(), 6);
    }
}
