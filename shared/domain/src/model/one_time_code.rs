//! Six-digit one-time codes (signing and consent), stored only as keyed hashes: HMAC-SHA-256 under a secret
//! [`CodeKey`] (in AWS a Secrets Manager secret read once at init; locally generated at start) over the id of
//! what the code is for and the code. Without the key, a copy of the table does not make the 10^6 codes of a
//! request searchable; with the id bound in, one request's hash says nothing about another's.

use hmac::{Hmac, KeyInit, Mac};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

/// `h1$hex(hmac_sha256(key, purpose 0x00 code))`: the same code for the same purpose under the same key
/// always hashes alike, so a store can compare it inside a conditional write.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CodeHash(String);

/// The secret the code hashes are keyed with: at least 32 bytes. Never logged, never serialised.
#[derive(Clone)]
pub struct CodeKey(Vec<u8>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the code key must be at least {min} bytes; it has {0}", min = CodeKey::MIN_LEN)]
pub struct CodeKeyTooShort(pub usize);

impl CodeKey {
    pub const MIN_LEN: usize = 32;

    pub fn new(secret: impl Into<Vec<u8>>) -> Result<CodeKey, CodeKeyTooShort> {
        let secret = secret.into();
        if secret.len() < Self::MIN_LEN {
            return Err(CodeKeyTooShort(secret.len()));
        }
        Ok(CodeKey(secret))
    }

    /// A fresh random key (the local stack's, each time it starts).
    pub fn generate() -> CodeKey {
        let mut secret = vec![0u8; 32];
        rand::thread_rng().fill(&mut secret[..]);
        CodeKey(secret)
    }

    fn mac(&self, purpose: &str, code: &str) -> String {
        // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) else { return String::new() };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(code.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeKey(..)")
    }
}

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

    /// The hash of this code for `purpose` (the id of the signing request or consent it is sent for).
    pub fn hash(&self, key: &CodeKey, purpose: &str) -> CodeHash {
        CodeHash(format!("h1${}", key.mac(purpose, &self.0)))
    }
}

impl CodeHash {
    /// As stored: a store compares it inside a conditional write.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A hash no code has: what a malformed code is compared as.
    pub fn never() -> CodeHash {
        CodeHash("h1$-".into())
    }

    pub fn matches(&self, key: &CodeKey, purpose: &str, code: &OneTimeCode) -> bool {
        let expected = code.hash(key, purpose);
        // constant-time comparison of equal-length strings
        expected.0.len() == self.0.len()
            && expected.0.bytes().zip(self.0.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
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

    fn key(byte: u8) -> CodeKey {
        CodeKey::new(vec![byte; 32]).expect("32 bytes")
    }

    #[test]
    fn hash_matches_only_its_code_purpose_and_key_and_hides_the_code() {
        let code = OneTimeCode::parse("042917").expect("six digits");
        let hash = code.hash(&key(1), "sig-1");
        assert!(hash.matches(&key(1), "sig-1", &code));
        assert!(!hash.matches(&key(1), "sig-1", &OneTimeCode::parse("042918").expect("six digits")));
        assert!(!hash.matches(&key(1), "sig-2", &code), "bound to its purpose");
        assert!(!hash.matches(&key(2), "sig-1", &code), "keyed: another key gives another hash");
        assert!(!serde_json::to_string(&hash).expect("json").contains("042917"));
        assert_eq!(code.hash(&key(1), "sig-1"), hash, "deterministic under one key");
        assert_eq!(format!("{code:?} {:?}", key(1)), "OneTimeCode(******) CodeKey(..)");
    }

    #[test]
    fn a_short_key_is_refused() {
        assert_eq!(CodeKey::new(vec![0u8; 31]).map(|_| ()), Err(CodeKeyTooShort(31)));
        assert_ne!(CodeKey::generate().mac("a", "1"), CodeKey::generate().mac("a", "1"));
    }

    #[test]
    fn parse_wants_six_digits() {
        assert!(OneTimeCode::parse("12345").is_none());
        assert!(OneTimeCode::parse("12345a").is_none());
        assert_eq!(OneTimeCode::generate().reveal().len(), 6);
    }
}
