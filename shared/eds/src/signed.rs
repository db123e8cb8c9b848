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

/// A CMS as it arrived: the signer, every certificate it carries, the attached content (if any).
pub struct Signed {
    pub signer: SignerInfo,
    pub certificates: Vec<Certificate>,
    pub content: Option<Vec<u8>>,
}

fn structure(detail: impl Into<String>) -> EdsRefusal {
    EdsRefusal::new(EdsRule::CmsStructure, detail)
}

/// Rule 1: a ContentInfo holding a SignedData with exactly one signer over `id-data` content.
pub fn parse(der: &[u8]) -> Result<Signed, EdsRefusal> {
    let info = ContentInfo::from_der(der).map_err(|e| structure(format!("not a CMS ContentInfo (DER): {e}")))?;
    if info.content_type != cms_oids::ID_SIGNED_DATA {
        return Err(structure(format!("the CMS holds {} instead of SignedData", info.content_type)));
    }
    let data: SignedData = info.content.decode_as().map_err(|e| structure(format!("not a SignedData: {e}")))?;
    if data.encap_content_info.econtent_type != cms_oids::ID_DATA {
        return Err(structure("the signed content is not of type id-data"));
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
    Ok(Signed { signer, certificates, content })
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

    /// Rules 3 and 4: the algorithms are RSA ones, the content is `document` (attached, or by its message
    /// digest), and the signature verifies with the certificate's key. Answers the signing time attribute.
    pub fn verify_over(&self, cert: &Certificate, document: &[u8]) -> Result<Option<DateTime<Utc>>, EdsRefusal> {
        let spki = &cert.tbs_certificate.subject_public_key_info;
        algorithms::check_key(&spki.algorithm)?;
        let hash = algorithms::digest_of(&self.signer.digest_alg)?;
        let verification = algorithms::verification(&self.signer.signature_algorithm, Some(hash))?;
        if let Some(content) = &self.content {
            if content.as_slice() != document {
                return Err(EdsRefusal::new(
                    EdsRule::ContentIsForm,
                    "the attached content is not this form's signed document: sign the bytes documented in the API",
                ));
            }
        }
        let (message, signing_time) = match &self.signer.signed_attrs {
            None => (document.to_vec(), None),
            Some(attrs) => {
                check_attributes(attrs, hash, document)?;
                let message = attrs.to_der().map_err(|_| structure("the signed attributes cannot be encoded"))?;
                (message, signing_time(attrs)?)
            }
        };
        if !algorithms::verifies(verification, spki, &message, self.signer.signature.as_bytes()) {
            return Err(EdsRefusal::new(
                EdsRule::SignatureValid,
                "the signature does not verify with the signer certificate's key",
            ));
        }
        Ok(signing_time)
    }
}

/// With signed attributes, the content type is id-data and the message digest is the document's.
fn check_attributes(attrs: &cms::signed_data::SignedAttributes, hash: Hash, document: &[u8]) -> Result<(), EdsRefusal> {
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
    if content_type != cms_oids::ID_DATA {
        return Err(structure("the signed content type is not id-data"));
    }
    let digest = single(cms_oids::ID_MESSAGE_DIGEST)?
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| structure("the signed attributes lack the message digest"))?;
    if digest.as_bytes() != hash.digest(document).as_slice() {
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
