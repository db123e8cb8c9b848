//! The JWT authorizer's part: HS256 tokens signed with a per-process secret, checked for issuer,
//! audience and expiry like API Gateway's JWT authorizer, their claims handed to the functions.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use domain::Iin;
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use serde_json::{json, Map, Value};
use sha2::Sha256;

pub const ISSUER: &str = "https://local-stack.residence-registration";
pub const AUDIENCE: &str = "residence-registration";
pub const LIFETIME_SECONDS: i64 = 24 * 3600;

pub struct Authorizer {
    secret: [u8; 32],
}

impl Default for Authorizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Authorizer {
    pub fn new() -> Self {
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        Authorizer { secret }
    }

    fn sign(&self, data: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(data.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// A token for a citizen, as the eGov identity provider would issue it.
    pub fn mint(&self, iin: &Iin, now: i64) -> String {
        let header = URL_SAFE_NO_PAD.encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
        let claims = json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": iin.as_str(), "iin": iin.as_str(),
            "iat": now, "exp": now + LIFETIME_SECONDS,
        });
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        let signature = self.sign(&format!("{header}.{body}"));
        format!("{header}.{body}.{signature}")
    }

    /// The claims of a valid `Authorization: Bearer` value, as strings (as API Gateway passes them).
    pub fn verify(&self, authorization: Option<&str>, now: i64) -> Option<Map<String, Value>> {
        let token = authorization?.strip_prefix("Bearer ")?.trim();
        let mut parts = token.split('.');
        let (header, body, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let expected = self.sign(&format!("{header}.{body}"));
        if expected.len() != signature.len()
            || expected.bytes().zip(signature.bytes()).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0
        {
            return None;
        }
        let head: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if head.get("alg")? != "HS256" {
            return None;
        }
        let claims: Map<String, Value> = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()?;
        let ok = claims.get("iss")? == ISSUER && claims.get("aud")? == AUDIENCE && claims.get("exp")?.as_i64()? > now;
        ok.then(|| {
            claims
                .into_iter()
                .map(|(k, v)| (k, Value::String(v.as_str().map_or_else(|| v.to_string(), str::to_string))))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_verify_until_they_expire_and_not_when_tampered() {
        let a = Authorizer::new();
        let iin = Iin::parse("900315400017").expect("iin");
        let t = a.mint(&iin, 1000);
        let claims = a.verify(Some(&format!("Bearer {t}")), 1001).expect("valid");
        assert_eq!(claims["iin"], "900315400017");
        assert!(a.verify(Some(&format!("Bearer {t}")), 1000 + LIFETIME_SECONDS).is_none(), "expired");
        assert!(a.verify(Some(&t), 1001).is_none(), "Bearer scheme required");
        let mut forged = t.clone();
        forged.insert(forged.find('.').expect("dot") + 3, 'x');
        assert!(a.verify(Some(&format!("Bearer {forged}")), 1001).is_none());
        assert!(Authorizer::new().verify(Some(&format!("Bearer {t}")), 1001).is_none(), "another secret");
    }
}
