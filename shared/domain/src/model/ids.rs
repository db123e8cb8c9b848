//! Identifiers. They are random, carry no personal data, and are what state-machine payloads hold.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($name:ident, $prefix:literal) => {
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new() -> Self {
                $name(new_id($prefix))
            }

            /// Accepts only what [`Self::new`] makes: `prefix-` and a UUID.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix(concat!($prefix, "-"))?;
                let ok = rest.len() == 36 && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
                ok.then(|| $name(s.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(ApplicationId, "app");
id_type!(ConsentId, "cns");

impl ConsentId {
    /// The id of the `index`-th owner's consent for an application: the same on every attempt, so a retried
    /// step writes the same consents again instead of asking anyone twice. Derived from ids only.
    pub fn for_owner(application: &ApplicationId, index: usize) -> ConsentId {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{application}#{index}").as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        ConsentId(format!("cns-{}", uuid::Builder::from_sha1_bytes(bytes).into_uuid().hyphenated()))
    }
}
id_type!(SigningRequestId, "sig");

pub fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owners_consent_id_is_stable_and_parses() {
        let app = ApplicationId::new();
        let first = ConsentId::for_owner(&app, 0);
        assert_eq!(first, ConsentId::for_owner(&app, 0));
        assert_ne!(first, ConsentId::for_owner(&app, 1));
        assert_ne!(first, ConsentId::for_owner(&ApplicationId::new(), 0));
        assert_eq!(ConsentId::parse(first.as_str()), Some(first));
    }

    #[test]
    fn ids_round_trip_and_refuse_other_shapes() {
        let id = ApplicationId::new();
        assert_eq!(ApplicationId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(ApplicationId::parse("cns-00000000-0000-0000-0000-000000000000"), None);
        assert_eq!(ApplicationId::parse("app-../../etc"), None);
        assert!(id.as_str().len() <= 80, "execution names are at most 80 characters");
    }
}
