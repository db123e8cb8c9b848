//! The signing-certificate attributes (RFC 2634 ESS `signingCertificate`, RFC 5035 `signingCertificateV2`),
//! which Kalkan writes into every CMS: the hash of the certificate the signer meant. When present, the first
//! ESSCertID must be the hash of the certificate that verifies the signature, so a certificate swapped into
//! the CMS (same key, another certificate) is refused.

use crate::algorithms::{self, Hash};
use aws_lc_rs::digest;
use cms::signed_data::SignedAttributes;
use der::asn1::OctetString;
use der::{Any, Encode, Tag, Tagged};
use domain::eds::{EdsRefusal, EdsRule};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

/// id-aa-signingCertificate (SHA-1 ESSCertID).
const V1: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.12");
/// id-aa-signingCertificateV2 (ESSCertIDv2, SHA-256 unless named).
const V2: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

fn malformed(which: &str) -> EdsRefusal {
    EdsRefusal::new(EdsRule::CmsStructure, format!("the {which} attribute is not an ESS signing certificate"))
}

/// The hash algorithm, the hash and the named algorithm of the first certificate the attribute names.
fn first_cert_id(value: &Any, v2: bool) -> Option<(Option<Hash>, Vec<u8>, Option<AlgorithmIdentifierOwned>)> {
    let outer = value.decode_as::<Vec<Any>>().ok()?;
    let ids = outer.first()?.decode_as::<Vec<Any>>().ok()?;
    let id = ids.first()?.decode_as::<Vec<Any>>().ok()?;
    let mut fields = id.iter();
    let mut next = fields.next()?;
    let mut alg = None;
    if v2 && next.tag() == Tag::Sequence {
        alg = Some(next.decode_as::<AlgorithmIdentifierOwned>().ok()?);
        next = fields.next()?;
    }
    let hash = next.decode_as::<OctetString>().ok()?.into_bytes();
    // v1 is SHA-1 (None here); v2 names its hash, SHA-256 by default (None here: a hash we do not know).
    let hash_alg = match (v2, &alg) {
        (false, _) => None,
        (true, None) => Some(Hash::Sha256),
        (true, Some(a)) => Hash::of_oid(&a.oid),
    };
    Some((hash_alg, hash, alg))
}

/// Ok when no signing-certificate attribute is present, or the first one names `cert`.
pub fn check(attrs: &SignedAttributes, cert: &Certificate) -> Result<(), EdsRefusal> {
    let der = cert.to_der().map_err(|_| malformed("signing certificate"))?;
    for (oid, v2, which) in [(V2, true, "signingCertificateV2"), (V1, false, "signingCertificate")] {
        let Some(attr) = attrs.iter().find(|a| a.oid == oid) else { continue };
        let value = attr.values.get(0).ok_or_else(|| malformed(which))?;
        let (hash, expected, alg) = first_cert_id(value, v2).ok_or_else(|| malformed(which))?;
        let actual = match (hash, v2) {
            (Some(h), _) => h.digest(&der),
            (None, false) => digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &der).as_ref().to_vec(),
            (None, true) => {
                let oid = alg.map(|a| a.oid).unwrap_or(V2);
                return Err(EdsRefusal::new(
                    EdsRule::AlgorithmUnsupported,
                    format!("the signingCertificateV2 hash {} is not supported", algorithms::name(&oid)),
                ));
            }
        };
        if actual != expected {
            return Err(EdsRefusal::new(
                EdsRule::SignerCertificate,
                format!("the signed {which} attribute names another certificate than the one the CMS carries"),
            ));
        }
    }
    Ok(())
}
