//! The CRL (RFC 5280): signed by the issuing CA, current, and the certificate's serial not on it.

use crate::algorithms;
use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use x509_cert::crl::CertificateList;
use x509_cert::Certificate;

/// A CRL that checked out: the serials it lists and until when it may be reused.
#[derive(Debug, Clone)]
pub struct Crl {
    pub revoked: Vec<Vec<u8>>,
    pub next_update: Option<DateTime<Utc>>,
}

impl Crl {
    pub fn lists(&self, cert: &Certificate) -> bool {
        let serial = cert.tbs_certificate.serial_number.as_bytes();
        self.revoked.iter().any(|r| r.as_slice() == serial)
    }
}

/// Reads a CRL issued by `issuer`: `Err` says why it cannot be used.
pub fn read(der: &[u8], issuer: &Certificate, now: DateTime<Utc>) -> Result<Crl, String> {
    let list = CertificateList::from_der(der).map_err(|e| format!("not a CRL: {e}"))?;
    if list.tbs_cert_list.issuer != issuer.tbs_certificate.subject {
        return Err("the CRL is another CA's".into());
    }
    let alg = algorithms::verification(&list.signature_algorithm, None).map_err(|e| e.detail)?;
    let tbs = list.tbs_cert_list.to_der().map_err(|e| e.to_string())?;
    let signature = list.signature.as_bytes().ok_or("unaligned signature")?;
    if !algorithms::verifies(&alg, &issuer.tbs_certificate.subject_public_key_info, &tbs, signature) {
        return Err("the CRL's signature does not verify".into());
    }
    let this_update = crate::time::of(&list.tbs_cert_list.this_update);
    let next_update = list.tbs_cert_list.next_update.as_ref().map(crate::time::of);
    if this_update > now + chrono::Duration::minutes(5) || next_update.is_some_and(|n| n <= now) {
        return Err("the CRL is not current".into());
    }
    let revoked =
        list.tbs_cert_list.revoked_certificates.iter().flatten().map(|r| r.serial_number.as_bytes().to_vec()).collect();
    Ok(Crl { revoked, next_update })
}
