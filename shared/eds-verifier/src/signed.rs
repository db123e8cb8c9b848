//! The CMS SignedData: its one signer, the signer's certificate, and the signature over the form.

use crate::algorithms::{self, Hash};
use chrono::{DateTime, Utc};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use const_oid::db::rfc5911 as cms_oids;
use der::asn1::OctetString;
use der::{Decode, Encode};
use domain::eds::{EdsRefusal, EdsRule};
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::time::Time;
use x509_cert::Certificate;

/// id-ct-TSTInfo: what a timestamp token's signature is over ([`crate::timestamp`]).
pub const TST_INFO: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

/// A CMS as it arrived: the signer, every certificate it carries, the attached content (if any).
pub struct Signed {
    /// What the signature is over: id-data for an application, id-ct-TSTInfo for a timestamp token.
    pub content_type: const_oid::ObjectIdentifier,
    pub signer: SignerInfo,
    pub certificates: Vec<Certificate>,
    pub content: Option<Vec<u8>>,
}

fn structure(detail: impl Into<String>) -> EdsRefusal {
    EdsRefusal::new(EdsRule::CmsStructure, detail)
}

/// Rule 1: a ContentInfo holding a SignedData with exactly one signer over `id-data` content.
pub fn parse(der: &[u8]) -> Result<Signed, EdsRefusal> {
    parse_of(der, cms_oids::ID_DATA)
}

/// A SignedData with one signer over content of `content_type`.
pub fn parse_of(der: &[u8], content_type: const_oid::ObjectIdentifier) -> Result<Signed, EdsRefusal> {
    let info = ContentInfo::from_der(der).map_err(|e| structure(format!("not a CMS ContentInfo (DER): {e}")))?;
    if info.content_type != cms_oids::ID_SIGNED_DATA {
        return Err(structure(format!("the CMS holds {} instead of SignedData", info.content_type)));
    }
    let data: SignedData = info.content.decode_as().map_err(|e| structure(format!("not a SignedData: {e}")))?;
    if data.encap_content_info.econtent_type != content_type {
        return Err(structure(format!("the signed content is not of type {}", type_name(content_type))));
    }
    let content = match &data.encap_content_info.econtent {
        Some(any) => Some(
            any.decode_as::<OctetString>()
                .map_err(|_| structure("the attached content is not an OCTET STRING"))?
                .into_bytes(),
        ),
        None => None,
    };
    let mut signers = data.signer_infos.0.into_vec();
    if signers.len() != 1 {
        return Err(structure(format!("exactly one signer is accepted, the CMS has {}", signers.len())));
    }
    let signer = signers.remove(0);
    let certificates = data
        .certificates
        .map(|set| {
            set.0
                .into_vec()
                .into_iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(c) => Some(c),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Signed { content_type, signer, certificates, content })
}

impl Signed {
    /// Rule 2: the certificate the signer info names (by issuer and serial, or by key identifier).
    pub fn signer_certificate(&self) -> Result<&Certificate, EdsRefusal> {
        let found = self.certificates.iter().find(|c| match &self.signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(id) => {
                c.tbs_certificate.issuer == id.issuer && c.tbs_certificate.serial_number == id.serial_number
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                c.tbs_certificate.get::<SubjectKeyIdentifier>().ok().flatten().is_some_and(|(_, own)| own == *ski)
            }
        });
        found.ok_or_else(|| {
            EdsRefusal::new(EdsRule::SignerCertificate, "the signer's certificate is not in the CMS: include it")
        })
    }

    /// Rules 3 and 4: the algorithms are ones we verify, the content is `document` (attached, or by its message
    /// digest), and the signature verifies with the certificate's key. Answers the signing time attribute.
    pub fn verify_over(&self, cert: &Certificate, document: &[u8]) -> Result<Option<DateTime<Utc>>, EdsRefusal> {
        let verified = self.verify_against(cert, Some(document))?;
        Ok(verified.signing_time)
    }

    /// As [`Signed::verify_over`]; without a document (a support tool given a detached CMS alone), the content
    /// is the attached one if any, else not compared, and a signature over signed attributes is still checked.
    pub fn verify_against(&self, cert: &Certificate, document: Option<&[u8]>) -> Result<Verified, EdsRefusal> {
        let spki = &cert.tbs_certificate.subject_public_key_info;
        algorithms::check_key(spki)?;
        let hash = algorithms::digest_of(&self.signer.digest_alg)?;
        let verification = algorithms::verification(&self.signer.signature_algorithm, Some(hash))?;
        algorithms::check_pair(spki, &verification)?;
        if !verification.digest_fits(hash) {
            return Err(EdsRefusal::new(
                EdsRule::AlgorithmUnsupported,
                format!(
                    "{} does not go with the digest {}",
                    verification.family(),
                    algorithms::name(&self.signer.digest_alg.oid)
                ),
            ));
        }
        if let (Some(content), Some(document)) = (&self.content, document) {
            if content.as_slice() != document {
                return Err(EdsRefusal::new(
                    EdsRule::ContentIsForm,
                    "the attached content is not this form's signed document: sign the bytes documented in the API",
                ));
            }
        }
        let given = document.is_some();
        let document = document.or(self.content.as_deref());
        let (message, signing_time) = match (&self.signer.signed_attrs, document) {
            (None, None) => {
                return Ok(Verified { signing_time: None, content_checked: false, signature_checked: false })
            }
            (None, Some(document)) => (document.to_vec(), None),
            (Some(attrs), _) => {
                check_attributes(attrs, self.content_type, hash, document)?;
                crate::signing_certificate::check(attrs, cert)?;
                let message = attrs.to_der().map_err(|_| structure("the signed attributes cannot be encoded"))?;
                (message, signing_time(attrs)?)
            }
        };
        if !algorithms::verifies(&verification, spki, &message, self.signer.signature.as_bytes()) {
            return Err(EdsRefusal::new(
                EdsRule::SignatureValid,
                "the signature does not verify with the signer certificate's key",
            ));
        }
        Ok(Verified { signing_time, content_checked: given, signature_checked: true })
    }
}

/// What [`Signed::verify_against`] found: the signing-time attribute, and what it could check.
#[derive(Debug, Clone, Copy)]
pub struct Verified {
    pub signing_time: Option<DateTime<Utc>>,
    /// The content was compared with a document given (attached content or message digest); without one, an
    /// attached content is still checked against the signed message digest, but nothing says it is the form.
    pub content_checked: bool,
    /// The signature was verified (not possible for a detached CMS without signed attributes or content).
    pub signature_checked: bool,
}

/// With signed attributes, the content type is id-data and the message digest is the document's (when the
/// document is known).
fn check_attributes(
    attrs: &cms::signed_data::SignedAttributes,
    expected_type: const_oid::ObjectIdentifier,
    hash: Hash,
    document: Option<&[u8]>,
) -> Result<(), EdsRefusal> {
    let single = |oid| {
        let mut found = attrs.iter().filter(|a| a.oid == oid);
        match (found.next(), found.next()) {
            (Some(a), None) if a.values.len() == 1 => Ok(a.values.get(0)),
            (None, _) => Ok(None),
            _ => Err(structure(format!("the signed attribute {oid} must appear once with one value"))),
        }
    };
    let content_type = single(cms_oids::ID_CONTENT_TYPE)?
        .and_then(|v| v.decode_as::<const_oid::ObjectIdentifier>().ok())
        .ok_or_else(|| structure("the signed attributes lack the content type"))?;
    if content_type != expected_type {
        return Err(structure(format!("the signed content type is not {}", type_name(expected_type))));
    }
    let digest = single(cms_oids::ID_MESSAGE_DIGEST)?
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| structure("the signed attributes lack the message digest"))?;
    if document.is_some_and(|document| digest.as_bytes() != hash.digest(document).as_slice()) {
        return Err(EdsRefusal::new(
            EdsRule::ContentIsForm,
            "the signed message digest is not this form's signed document's: sign the bytes documented in the API",
        ));
    }
    Ok(())
}

fn signing_time(attrs: &cms::signed_data::SignedAttributes) -> Result<Option<DateTime<Utc>>, EdsRefusal> {
    let Some(attr) = attrs.iter().find(|a| a.oid == cms_oids::ID_SIGNING_TIME) else { return Ok(None) };
    let time = attr
        .values
        .get(0)
        .and_then(|v| v.to_der().ok())
        .and_then(|d| Time::from_der(&d).ok())
        .ok_or_else(|| structure("the signing time attribute is not a time"))?;
    Ok(Some(crate::time::of(&time)))
}

fn type_name(oid: const_oid::ObjectIdentifier) -> String {
    match oid {
        cms_oids::ID_DATA => "id-data".to_string(),
        TST_INFO => "id-ct-TSTInfo".to_string(),
        other => other.to_string(),
    }
}
