//! Issuing the CAs and the personal certificates.

use super::{Ca, Person, Pki};
use der::{Decode, Encode};
use rcgen::{
    BasicConstraints, CertificateParams, CrlDistributionPoint, CustomExtension, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SerialNumber,
};
use time::{Duration, OffsetDateTime};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{AccessDescription, AuthorityInfoAccessSyntax};
use x509_cert::Certificate;

/// What kind of personal certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// NCA's signing key: digitalSignature + nonRepudiation.
    Signing,
    /// NCA's authentication key: digitalSignature + keyEncipherment.
    Authentication,
    /// A signing key whose certificate ended yesterday.
    Expired,
    /// A signing key revoked when issued.
    Revoked,
    /// A signing key under a root nobody configured.
    Foreign,
    /// A company's signing key issued to an employee (their IIN in the subject, the legal entity's extended key
    /// usage 1.2.398.3.3.4.1.2 and .2.1, as NCA writes for a first head).
    LegalEntity,
}

/// NCA's extended key usage of an individual's key.
const INDIVIDUAL: [u64; 8] = [1, 2, 398, 3, 3, 4, 1, 1];
/// NCA's extended key usages of a legal entity's key (employee, first head).
const LEGAL_ENTITY: [u64; 8] = [1, 2, 398, 3, 3, 4, 1, 2];
const FIRST_HEAD: [u64; 9] = [1, 2, 398, 3, 3, 4, 1, 2, 1];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn rsa_key() -> Result<KeyPair, String> {
    KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).map_err(err)
}

fn parsed(cert: &rcgen::Certificate) -> Result<Certificate, String> {
    Certificate::from_der(cert.der()).map_err(err)
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn.push(DnType::CountryName, "KZ");
    dn
}

fn offset(at: chrono::DateTime<chrono::Utc>) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(at.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn ca_params(cn: &str, serial: u64, at: chrono::DateTime<chrono::Utc>) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = name(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.serial_number = Some(SerialNumber::from(serial));
    let now = offset(at);
    p.not_before = now - Duration::days(20 * 365);
    p.not_after = now + Duration::days(20 * 365);
    p.use_authority_key_identifier_extension = true;
    p
}

/// A root and an intermediate it issued, naming the root's CRL at `root_crl_url` if given.
pub fn ca_pair(
    root_cn: &str,
    intermediate_cn: &str,
    serial: u64,
    at: chrono::DateTime<chrono::Utc>,
    root_crl_url: Option<&str>,
) -> Result<(Ca, Ca), String> {
    let root_key = rsa_key()?;
    let mut root_params = ca_params(root_cn, serial, at);
    root_params.use_authority_key_identifier_extension = false;
    let root_cert = root_params.self_signed(&root_key).map_err(err)?;
    let key = rsa_key()?;
    let mut params = ca_params(intermediate_cn, serial + 1, at);
    params.crl_distribution_points =
        root_crl_url.map(|url| CrlDistributionPoint { uris: vec![url.to_string()] }).into_iter().collect();
    let cert = params.signed_by(&key, &root_cert, &root_key).map_err(err)?;
    let root = Ca { x509: parsed(&root_cert)?, cert: root_cert, key: root_key };
    let intermediate = Ca { x509: parsed(&cert)?, cert, key };
    Ok((root, intermediate))
}

/// The OCSP responder's certificate, delegated by the intermediate.
pub fn responder(issuer: &Ca, serial: u64, at: chrono::DateTime<chrono::Utc>) -> Result<Ca, String> {
    let key = rsa_key()?;
    let mut p = ca_params("TEST NCA OCSP RESPONDER", serial, at);
    p.is_ca = IsCa::ExplicitNoCa;
    p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::OcspSigning];
    let cert = p.signed_by(&key, &issuer.cert, &issuer.key).map_err(err)?;
    Ok(Ca { x509: parsed(&cert)?, cert, key })
}

fn aia(ocsp_url: &str) -> Result<CustomExtension, String> {
    let aia = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: const_oid::db::rfc5280::ID_AD_OCSP,
        access_location: GeneralName::UniformResourceIdentifier(der::asn1::Ia5String::new(ocsp_url).map_err(err)?),
    }]);
    Ok(CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], aia.to_der().map_err(err)?))
}

pub fn person(pki: &Pki, issuer: &Ca, iin: &str, profile: Profile, serial: u64) -> Result<Person, String> {
    let key = rsa_key()?;
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "TEST PERSON");
    let iin_value = rcgen::PrintableString::try_from(format!("IIN{iin}")).map_err(err)?;
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 5]), DnValue::PrintableString(iin_value));
    dn.push(DnType::CountryName, "KZ");
    p.distinguished_name = dn;
    p.serial_number = Some(SerialNumber::from(serial));
    p.key_usages = match profile {
        Profile::Authentication => vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment],
        _ => vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::ContentCommitment],
    };
    let now = offset(pki.at);
    (p.not_before, p.not_after) = match profile {
        Profile::Expired => (now - Duration::days(366), now - Duration::days(1)),
        _ => (now - Duration::days(365), now + Duration::days(365)),
    };
    p.extended_key_usages = match profile {
        Profile::LegalEntity => vec![
            ExtendedKeyUsagePurpose::EmailProtection,
            ExtendedKeyUsagePurpose::Other(LEGAL_ENTITY.to_vec()),
            ExtendedKeyUsagePurpose::Other(FIRST_HEAD.to_vec()),
        ],
        _ => vec![ExtendedKeyUsagePurpose::EmailProtection, ExtendedKeyUsagePurpose::Other(INDIVIDUAL.to_vec())],
    };
    p.use_authority_key_identifier_extension = true;
    p.crl_distribution_points = vec![CrlDistributionPoint { uris: vec![pki.crl_url.clone()] }];
    p.custom_extensions = vec![aia(&pki.ocsp_url)?];
    let cert = p.signed_by(&key, &issuer.cert, &issuer.key).map_err(err)?;
    Ok(Person {
        cert: parsed(&cert)?,
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
        key: crate::PersonKey::Rsa(key.serialize_der()),
        chain: vec![issuer.x509.clone()],
        chain_pem: issuer.pem(),
    })
}
