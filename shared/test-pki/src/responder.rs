//! The OCSP responder of the test intermediate, and the CRLs of the intermediate and the root.

use super::{Ca, Pki};
use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use chrono::{DateTime, Duration, Utc};
use const_oid::db::{rfc5912, rfc6960};
use der::asn1::{BitString, GeneralizedTime, Null, OctetString};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_ocsp::{
    BasicOcspResponse, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse, OcspResponseStatus, ResponderId,
    ResponseBytes, ResponseData, RevokedInfo, SingleResponse, Version,
};

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn sha1(data: &[u8]) -> Vec<u8> {
    digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data).as_ref().to_vec()
}

fn generalized(at: DateTime<Utc>) -> Result<OcspGeneralizedTime, String> {
    let secs = std::time::Duration::from_secs(u64::try_from(at.timestamp()).map_err(err)?);
    Ok(OcspGeneralizedTime(GeneralizedTime::from_unix_duration(secs).map_err(err)?))
}

fn sign_rsa(key: &rcgen::KeyPair, message: &[u8]) -> Result<Vec<u8>, String> {
    let key = RsaKeyPair::from_pkcs8(&key.serialize_der()).map_err(err)?;
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature).map_err(err)?;
    Ok(signature)
}

/// Whether a CertID names `issuer` (SHA-1 of its name and key).
fn names(id: &x509_ocsp::CertId, issuer: &x509_cert::certificate::TbsCertificate) -> Result<bool, String> {
    let name_hash = sha1(&issuer.subject.to_der().map_err(err)?);
    let key_hash = sha1(issuer.subject_public_key_info.subject_public_key.raw_bytes());
    Ok(id.issuer_name_hash.as_bytes() == name_hash && id.issuer_key_hash.as_bytes() == key_hash)
}

/// The answer for certificates of the RSA intermediate (signed by its delegated responder) or of the GOST
/// issuing CA (signed by the CA itself, with GOST, as NCA's responder signs).
pub fn answer(pki: &Pki, request: &[u8], now: DateTime<Utc>) -> Result<Vec<u8>, String> {
    let request = OcspRequest::from_der(request).map_err(err)?;
    let gost = match request.tbs_request.request_list.first() {
        Some(r) => names(&r.req_cert, &pki.gost_intermediate.x509.tbs_certificate)?,
        None => false,
    };
    let issuer =
        if gost { &pki.gost_intermediate.x509.tbs_certificate } else { &pki.intermediate.x509.tbs_certificate };
    let mut responses = Vec::new();
    for r in &request.tbs_request.request_list {
        let id = &r.req_cert;
        let ours = names(id, issuer)?;
        let cert_status = match (ours, pki.revoked_at(&issuer.subject, id.serial_number.as_bytes())) {
            (false, _) => CertStatus::Unknown(Null),
            (true, Some(at)) => {
                CertStatus::Revoked(RevokedInfo { revocation_time: generalized(at)?, revocation_reason: None })
            }
            (true, None) => CertStatus::Good(Null),
        };
        responses.push(SingleResponse {
            cert_id: id.clone(),
            cert_status,
            this_update: generalized(now)?,
            next_update: Some(generalized(now + Duration::hours(1))?),
            single_extensions: None,
        });
    }
    let nonce = request
        .tbs_request
        .request_extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == rfc6960::ID_PKIX_OCSP_NONCE)
        .cloned();
    let responder = if gost { issuer } else { &pki.responder.x509.tbs_certificate };
    let responder_key = responder.subject_public_key_info.subject_public_key.raw_bytes();
    let data = ResponseData {
        version: Version::V1,
        responder_id: ResponderId::ByKey(OctetString::new(sha1(responder_key)).map_err(err)?),
        produced_at: generalized(now)?,
        responses,
        response_extensions: nonce.map(|n| vec![n]),
    };
    let tbs = data.to_der().map_err(err)?;
    let (signature, signature_algorithm, certs) = if gost {
        (pki.gost_intermediate.key.sign(&tbs)?, crate::gost_key::GostKey::algorithm(), None)
    } else {
        let rsa = AlgorithmIdentifierOwned { oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION, parameters: Some(Null.into()) };
        (sign_rsa(&pki.responder.key, &tbs)?, rsa, Some(vec![pki.responder.x509.clone()]))
    };
    let basic = BasicOcspResponse {
        tbs_response_data: data,
        signature_algorithm,
        signature: BitString::from_bytes(&signature).map_err(err)?,
        certs,
    };
    let response = OcspResponse {
        response_status: OcspResponseStatus::Successful,
        response_bytes: Some(ResponseBytes {
            response_type: rfc6960::ID_PKIX_OCSP_BASIC,
            response: OctetString::new(basic.to_der().map_err(err)?).map_err(err)?,
        }),
    };
    response.to_der().map_err(err)
}

/// `ca`'s CRL: the certificates it issued that are revoked.
pub fn crl(pki: &Pki, ca: &Ca, now: DateTime<Utc>) -> Result<Vec<u8>, String> {
    let offset = |at: DateTime<Utc>| time::OffsetDateTime::from_unix_timestamp(at.timestamp()).map_err(err);
    let revoked = pki
        .revoked_by(&ca.x509.tbs_certificate.subject)
        .into_iter()
        .map(|(serial, at)| {
            Ok(rcgen::RevokedCertParams {
                serial_number: rcgen::SerialNumber::from(serial),
                revocation_time: offset(at)?,
                reason_code: Some(rcgen::RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let params = rcgen::CertificateRevocationListParams {
        this_update: offset(now - Duration::minutes(1))?,
        next_update: offset(now + Duration::hours(1))?,
        crl_number: rcgen::SerialNumber::from(now.timestamp().unsigned_abs()),
        issuing_distribution_point: None,
        revoked_certs: revoked,
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    };
    let list = params.signed_by(&ca.cert, &ca.key).map_err(err)?;
    Ok(list.der().to_vec())
}
