//! OCSP (RFC 6960): the request for one certificate with a nonce, and the checks on the answer: signed by
//! the issuing CA or a responder it delegated to, the nonce echoed, the answer current.

use crate::algorithms;
use crate::chain::issued_by;
use aws_lc_rs::digest;
use chrono::{DateTime, Duration, Utc};
use const_oid::db::rfc5912 as oids;
use const_oid::db::rfc6960;
use der::asn1::OctetString;
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::ext::Extension;
use x509_cert::Certificate;
use x509_ocsp::{
    BasicOcspResponse, CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, Request, ResponderId,
    TbsRequest, Version,
};

/// What the answer says about the certificate, and until when it may be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Good,
    Revoked,
    Unknown,
}

/// How far a responder's clock may run ahead.
const SKEW_SECONDS: i64 = 300;

/// The CertID NCA's responder matches on (SHA-1 of the issuer's name and key, as RFC 5019 asks).
pub fn cert_id(cert: &Certificate, issuer: &Certificate) -> Result<CertId, String> {
    let sha1 = |b: &[u8]| OctetString::new(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, b).as_ref().to_vec());
    let name = issuer.tbs_certificate.subject.to_der().map_err(|e| e.to_string())?;
    let key = issuer.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned { oid: oids::ID_SHA_1, parameters: Some(der::asn1::Null.into()) },
        issuer_name_hash: sha1(&name).map_err(|e| e.to_string())?,
        issuer_key_hash: sha1(key).map_err(|e| e.to_string())?,
        serial_number: cert.tbs_certificate.serial_number.clone(),
    })
}

/// A DER OCSP request for `id` carrying `nonce`.
pub fn request(id: &CertId, nonce: &[u8]) -> Result<Vec<u8>, String> {
    let nonce = Extension {
        extn_id: rfc6960::ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(
            OctetString::new(nonce.to_vec()).map_err(|e| e.to_string())?.to_der().map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?,
    };
    let req = OcspRequest {
        tbs_request: TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: vec![Request { req_cert: id.clone(), single_request_extensions: None }],
            request_extensions: Some(vec![nonce]),
        },
        optional_signature: None,
    };
    req.to_der().map_err(|e| e.to_string())
}

/// Reads an answer to [`request`]: `Err` says why it cannot be used (then the CRL is asked).
pub fn read(
    der: &[u8],
    id: &CertId,
    issuer: &Certificate,
    nonce: &[u8],
    now: DateTime<Utc>,
) -> Result<(Answer, Option<DateTime<Utc>>), String> {
    let resp = OcspResponse::from_der(der).map_err(|e| format!("not an OCSP response: {e}"))?;
    if resp.response_status != OcspResponseStatus::Successful {
        return Err(format!("the responder answered {:?}", resp.response_status));
    }
    let bytes = resp.response_bytes.ok_or("no response bytes")?;
    if bytes.response_type != rfc6960::ID_PKIX_OCSP_BASIC {
        return Err("not a basic OCSP response".into());
    }
    let basic = BasicOcspResponse::from_der(bytes.response.as_bytes()).map_err(|e| e.to_string())?;
    let signer = responder(&basic, issuer, now)?;
    let alg = algorithms::verification(&basic.signature_algorithm, None).map_err(|e| e.detail)?;
    let tbs = basic.tbs_response_data.to_der().map_err(|e| e.to_string())?;
    let signature = basic.signature.as_bytes().ok_or("unaligned signature")?;
    if !algorithms::verifies(&alg, &signer.tbs_certificate.subject_public_key_info, &tbs, signature) {
        return Err("the OCSP answer's signature does not verify".into());
    }
    let echoed = basic
        .tbs_response_data
        .response_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == rfc6960::ID_PKIX_OCSP_NONCE)
        .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok());
    if echoed.as_ref().map(OctetString::as_bytes) != Some(nonce) {
        return Err("the OCSP answer does not echo the request's nonce".into());
    }
    let single = basic
        .tbs_response_data
        .responses
        .iter()
        .find(|r| {
            r.cert_id.issuer_name_hash == id.issuer_name_hash
                && r.cert_id.issuer_key_hash == id.issuer_key_hash
                && r.cert_id.serial_number == id.serial_number
        })
        .ok_or("the OCSP answer is about another certificate")?;
    let this_update = crate::time::of_generalized(&single.this_update.0);
    if this_update > now + Duration::seconds(SKEW_SECONDS) {
        return Err("the OCSP answer is from the future".into());
    }
    let next_update = single.next_update.as_ref().map(|t| crate::time::of_generalized(&t.0));
    if next_update.is_some_and(|n| n <= now) {
        return Err("the OCSP answer is out of date".into());
    }
    let answer = match single.cert_status {
        CertStatus::Good(_) => Answer::Good,
        CertStatus::Revoked(_) => Answer::Revoked,
        CertStatus::Unknown(_) => Answer::Unknown,
    };
    Ok((answer, next_update))
}

/// Who signed the answer: the issuing CA itself, or a certificate it issued for OCSP signing.
fn responder<'a>(
    basic: &'a BasicOcspResponse,
    issuer: &'a Certificate,
    now: DateTime<Utc>,
) -> Result<&'a Certificate, String> {
    let names = |c: &Certificate| match &basic.tbs_response_data.responder_id {
        ResponderId::ByName(name) => *name == c.tbs_certificate.subject,
        ResponderId::ByKey(hash) => {
            let key = c.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
            hash.as_bytes() == digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, key).as_ref()
        }
    };
    if names(issuer) {
        return Ok(issuer);
    }
    let delegated = basic.certs.iter().flatten().find(|c| {
        names(c)
            && issued_by(c, issuer)
            && crate::chain::valid_at(&[c], now).is_ok()
            && matches!(c.tbs_certificate.get::<ExtendedKeyUsage>(),
                        Ok(Some((_, eku))) if eku.0.contains(&const_oid::db::rfc5280::ID_KP_OCSP_SIGNING))
    });
    delegated.ok_or_else(|| "the OCSP answer is not signed by the issuing CA or its OCSP responder".into())
}
