//! CAdES-T: the signature timestamp token Kalkan adds as an unsigned attribute (id-aa-signatureTimeStampToken,
//! RFC 3161 / RFC 5126). When present it is verified whole, and its time is the signing time: a token is a
//! TSA's word that the signature existed then, where the signingTime attribute is the signer's own claim.
//!
//! The token is a CMS SignedData over a TSTInfo: its one signer is the TSA, whose certificate (carried in
//! the token) must chain to a configured NCA root, be valid at the token's time and be marked for
//! timeStamping; its messageImprint must be the hash of this signature's value.

use crate::algorithms::Hash;
use crate::{chain, signed, TrustAnchors};
use chrono::{DateTime, Utc};
use cms::signed_data::SignerInfo;
use der::asn1::{GeneralizedTime, OctetString};
use der::{Any, Encode};
use domain::eds::{EdsRefusal, EdsRule};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::ExtendedKeyUsage;

/// id-aa-signatureTimeStampToken.
pub const TOKEN: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
pub use signed::TST_INFO;

/// A verified token: when, and by which TSA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    pub time: DateTime<Utc>,
    pub tsa: String,
}

fn refuse(detail: impl std::fmt::Display) -> EdsRefusal {
    EdsRefusal::new(EdsRule::TimestampValid, format!("the signature timestamp: {detail}"))
}

/// The timestamp of `signer` (None when it carries none), verified against `anchors` and its signature value.
pub fn check(signer: &SignerInfo, anchors: &TrustAnchors) -> Result<Option<Timestamp>, EdsRefusal> {
    let mut tokens = signer.unsigned_attrs.iter().flat_map(|a| a.iter()).filter(|a| a.oid == TOKEN);
    let Some(attr) = tokens.next() else { return Ok(None) };
    if tokens.next().is_some() || attr.values.len() != 1 {
        return Err(refuse("one timestamp token is accepted, with one value"));
    }
    let der = attr.values.get(0).and_then(|v| v.to_der().ok()).ok_or_else(|| refuse("unreadable"))?;
    let token = signed::parse_of(&der, TST_INFO).map_err(|e| refuse(e.detail))?;
    let tst_info = token.content.clone().ok_or_else(|| refuse("the token carries no TSTInfo"))?;
    let tsa = token.signer_certificate().map_err(|_| refuse("the TSA's certificate is not in the token"))?;
    token.verify_against(tsa, Some(&tst_info)).map_err(|e| refuse(e.detail))?;
    let (imprint_alg, imprint, time) = read_tst_info(&tst_info)?;
    let hash = Hash::of_oid(&imprint_alg.oid)
        .ok_or_else(|| refuse(format!("the imprint's hash {} is not supported", imprint_alg.oid)))?;
    if hash.digest(signer.signature.as_bytes()) != imprint {
        return Err(refuse("it is over another signature (its messageImprint is not this signature's hash)"));
    }
    let time_stamping = matches!(tsa.tbs_certificate.get::<ExtendedKeyUsage>(),
        Ok(Some((_, eku))) if eku.0.contains(&const_oid::db::rfc5280::ID_KP_TIME_STAMPING));
    if !time_stamping {
        return Err(refuse("the TSA's certificate is not marked for timeStamping"));
    }
    let path = chain::to_root(tsa, &token.certificates, anchors).map_err(|e| refuse(e.detail))?;
    chain::valid_at(&path, time).map_err(|e| refuse(e.detail))?;
    Ok(Some(Timestamp { time, tsa: crate::certificate::name(&tsa.tbs_certificate.subject) }))
}

/// TSTInfo ::= SEQUENCE { version, policy, messageImprint SEQUENCE { hashAlgorithm, hashedMessage },
/// serialNumber, genTime GeneralizedTime, ... }: the imprint and the time.
fn read_tst_info(der: &[u8]) -> Result<(AlgorithmIdentifierOwned, Vec<u8>, DateTime<Utc>), EdsRefusal> {
    let bad = || refuse("its TSTInfo is not readable");
    let fields = <Vec<Any> as der::Decode>::from_der(der).map_err(|_| bad())?;
    let imprint = fields.get(2).and_then(|f| f.decode_as::<Vec<Any>>().ok()).ok_or_else(bad)?;
    let alg = imprint.first().and_then(|a| a.decode_as::<AlgorithmIdentifierOwned>().ok()).ok_or_else(bad)?;
    let hashed = imprint.get(1).and_then(|h| h.decode_as::<OctetString>().ok()).ok_or_else(bad)?.into_bytes();
    let time = fields.get(4).and_then(|t| t.decode_as::<GeneralizedTime>().ok()).ok_or_else(bad)?;
    Ok((alg, hashed, crate::time::of_generalized(&time)))
}
