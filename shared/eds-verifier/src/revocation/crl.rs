//! The CRL (RFC 5280): signed by the issuing CA, current, and the certificate's serial not on it; a delta CRL
//! (the certificate's Freshest CRL, as NCA publishes `nca_d_gost_2022.crl` beside `nca_gost_2022.crl`)
//! adds what was revoked since the base CRL, and may take a certificate off hold (removeFromCRL).

use crate::algorithms;
use chrono::{DateTime, Utc};
use der::asn1::UintRef;
use der::{Decode, Encode, Tagged};
use x509_cert::crl::CertificateList;
use x509_cert::ext::Extension;
use x509_cert::Certificate;

/// CRL Number (2.5.29.20).
const CRL_NUMBER: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("2.5.29.20");
/// Delta CRL Indicator (2.5.29.27): the number of the base CRL a delta completes.
const DELTA_INDICATOR: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("2.5.29.27");
/// CRL entry Reason Code (2.5.29.21).
const REASON: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("2.5.29.21");
/// removeFromCRL: in a delta, the certificate is no longer on hold.
const REMOVE_FROM_CRL: u8 = 8;

/// A CRL that checked out: the serials it lists and until when it may be reused.
#[derive(Debug, Clone, Default)]
pub struct Crl {
    pub revoked: Vec<Vec<u8>>,
    /// In a delta CRL: serials taken off hold since the base.
    pub removed: Vec<Vec<u8>>,
    pub next_update: Option<DateTime<Utc>>,
    /// Its CRL number (big-endian, no leading zeros).
    pub number: Option<Vec<u8>>,
    /// For a delta CRL: the number of the base CRL it completes.
    pub delta_of: Option<Vec<u8>>,
}

impl Crl {
    pub fn lists(&self, cert: &Certificate) -> bool {
        let serial = cert.tbs_certificate.serial_number.as_bytes();
        self.revoked.iter().any(|r| r.as_slice() == serial)
    }

    fn removes(&self, cert: &Certificate) -> bool {
        let serial = cert.tbs_certificate.serial_number.as_bytes();
        self.removed.iter().any(|r| r.as_slice() == serial)
    }

    /// Whether the certificate is revoked by this base CRL and, if given, its delta.
    pub fn revokes(&self, delta: Option<&Crl>, cert: &Certificate) -> bool {
        match delta {
            Some(d) => d.lists(cert) || (self.lists(cert) && !d.removes(cert)),
            None => self.lists(cert),
        }
    }

    /// `delta` completes this base CRL: a delta whose base number is at most this CRL's number.
    pub fn completed_by(&self, delta: &Crl) -> Result<(), String> {
        let (Some(base), Some(of)) = (&self.number, &delta.delta_of) else {
            return Err("the delta CRL or its base has no number".into());
        };
        if (of.len(), of) <= (base.len(), base) {
            Ok(())
        } else {
            Err("the delta CRL completes a newer base CRL than the one at hand".into())
        }
    }
}

fn integer(ext: &Extension) -> Option<Vec<u8>> {
    let int = UintRef::from_der(ext.extn_value.as_bytes()).ok()?;
    Some(int.as_bytes().to_vec())
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
    let extensions = list.tbs_cert_list.crl_extensions.iter().flatten();
    let mut crl = Crl { next_update, ..Crl::default() };
    for ext in extensions {
        match ext.extn_id {
            CRL_NUMBER => crl.number = Some(integer(ext).ok_or("the CRL number is not an integer")?),
            DELTA_INDICATOR => crl.delta_of = Some(integer(ext).ok_or("the delta CRL indicator is not an integer")?),
            _ if ext.critical => return Err(format!("the CRL has an unknown critical extension {}", ext.extn_id)),
            _ => {}
        }
    }
    for entry in list.tbs_cert_list.revoked_certificates.iter().flatten() {
        let serial = entry.serial_number.as_bytes().to_vec();
        let removed = entry.crl_entry_extensions.iter().flatten().any(|e| {
            e.extn_id == REASON
                && der::Any::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|a| a.tag() == der::Tag::Enumerated && a.value() == [REMOVE_FROM_CRL])
        });
        if removed {
            crl.removed.push(serial);
        } else {
            crl.revoked.push(serial);
        }
    }
    Ok(crl)
}
