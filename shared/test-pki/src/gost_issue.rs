//! The GOST side of the test PKI, shaped like NCA's 2022 hierarchy: a root «ТЕСТ НЕГІЗГІ КУӘЛАНДЫРУШЫ
//! ОРТАЛЫҚ (GOST)», its issuing CA «ТЕСТ ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST)» (which also signs OCSP answers
//! and the CRL, as NCA's does), a TSA, and people's certificates as NCA issues them: CN=SURNAME NAME,
//! SURNAME, SERIALNUMBER=IIN…, C=KZ, G=patronymic; key usage digitalSignature, nonRepudiation, keyAgreement;
//! extended key usage emailProtection and the individual's (or a legal entity's) NCA OID. rcgen cannot sign
//! with GOST, so these are written with x509-cert's types and signed here.

use crate::gost_key::GostKey;
use chrono::{DateTime, Duration, Utc};
use const_oid::db::{rfc4519, rfc5280};
use const_oid::ObjectIdentifier;
use der::asn1::{BitString, Ia5String, OctetString, SetOfVec, UtcTime, Utf8StringRef};
use der::{Any, Decode, Encode};
use x509_cert::certificate::{TbsCertificate, Version};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    KeyUsages,
};
use x509_cert::ext::Extension;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

/// A GOST CA (or TSA) of the test PKI: its key and certificate.
pub struct GostCa {
    pub key: GostKey,
    pub x509: Certificate,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The name NCA writes: each attribute its own RDN, in order, UTF8String (PrintableString for SERIALNUMBER
/// and C).
pub fn name(parts: &[(ObjectIdentifier, &str)]) -> Result<Name, String> {
    let mut rdns = Vec::new();
    for (oid, value) in parts {
        let printable = *oid == rfc4519::SERIAL_NUMBER || *oid == rfc4519::C;
        let value = if printable {
            Any::from_der(&der::asn1::PrintableStringRef::new(value).map_err(err)?.to_der().map_err(err)?)
        } else {
            Any::from_der(&Utf8StringRef::new(value).map_err(err)?.to_der().map_err(err)?)
        }
        .map_err(err)?;
        let atv = x509_cert::attr::AttributeTypeAndValue { oid: *oid, value };
        rdns.push(RelativeDistinguishedName(SetOfVec::try_from(vec![atv]).map_err(err)?));
    }
    Ok(RdnSequence(rdns))
}

pub fn time(at: DateTime<Utc>) -> Result<Time, String> {
    let secs = std::time::Duration::from_secs(u64::try_from(at.timestamp()).map_err(err)?);
    Ok(Time::UtcTime(UtcTime::from_unix_duration(secs).map_err(err)?))
}

pub fn extension(oid: ObjectIdentifier, critical: bool, value: impl Encode) -> Result<Extension, String> {
    Ok(Extension { extn_id: oid, critical, extn_value: OctetString::new(value.to_der().map_err(err)?).map_err(err)? })
}

fn uri(url: &str) -> Result<GeneralName, String> {
    Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(url).map_err(err)?))
}

pub fn crl_points(url: &str) -> Result<Extension, String> {
    let point = DistributionPoint {
        distribution_point: Some(DistributionPointName::FullName(vec![uri(url)?])),
        reasons: None,
        crl_issuer: None,
    };
    extension(rfc5280::ID_CE_CRL_DISTRIBUTION_POINTS, false, CrlDistributionPoints(vec![point]))
}

pub fn ocsp_access(url: &str) -> Result<Extension, String> {
    let aia = AuthorityInfoAccessSyntax(vec![AccessDescription {
        access_method: rfc5280::ID_AD_OCSP,
        access_location: uri(url)?,
    }]);
    extension(rfc5280::ID_PE_AUTHORITY_INFO_ACCESS, false, aia)
}

pub fn key_usage(usages: &[KeyUsages]) -> Result<Extension, String> {
    let flags = usages.iter().fold(der::flagset::FlagSet::<KeyUsages>::default(), |f, u| f | *u);
    extension(rfc5280::ID_CE_KEY_USAGE, true, KeyUsage(flags))
}

pub fn extended_key_usage(usages: Vec<ObjectIdentifier>) -> Result<Extension, String> {
    extension(rfc5280::ID_CE_EXT_KEY_USAGE, false, ExtendedKeyUsage(usages))
}

/// A certificate of `subject` with `key`, signed by `issuer` (None: self-signed).
pub struct Issue<'a> {
    pub subject: Name,
    pub serial: u64,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub extensions: Vec<Extension>,
    pub issuer: Option<&'a GostCa>,
}

pub fn issue(key: &GostKey, i: Issue<'_>) -> Result<Certificate, String> {
    let issuer_name = i.issuer.map_or_else(|| i.subject.clone(), |ca| ca.x509.tbs_certificate.subject.clone());
    let serial = [&[0x40u8][..], &i.serial.to_be_bytes()].concat();
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial).map_err(err)?,
        signature: GostKey::algorithm(),
        issuer: issuer_name,
        validity: Validity { not_before: time(i.not_before)?, not_after: time(i.not_after)? },
        subject: i.subject,
        subject_public_key_info: key.spki()?,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(i.extensions),
    };
    let signer = i.issuer.map_or(key, |ca| &ca.key);
    let signature = signer.sign(&tbs.to_der().map_err(err)?)?;
    Ok(Certificate {
        tbs_certificate: tbs,
        signature_algorithm: GostKey::algorithm(),
        signature: BitString::from_bytes(&signature).map_err(err)?,
    })
}

/// A CA certificate: basic constraints CA, keyCertSign and cRLSign; `crl_url` where its own status is.
pub fn ca(
    cn: &str,
    serial: u64,
    at: DateTime<Utc>,
    issuer: Option<&GostCa>,
    crl_url: Option<&str>,
) -> Result<GostCa, String> {
    let key = GostKey::generate()?;
    let mut extensions = vec![
        extension(rfc5280::ID_CE_BASIC_CONSTRAINTS, true, BasicConstraints { ca: true, path_len_constraint: None })?,
        key_usage(&[KeyUsages::KeyCertSign, KeyUsages::CRLSign])?,
    ];
    if let Some(url) = crl_url {
        extensions.push(crl_points(url)?);
    }
    let subject = name(&[(rfc4519::CN, cn), (rfc4519::C, "KZ")])?;
    let x509 = issue(
        &key,
        Issue {
            subject,
            serial,
            not_before: at - Duration::days(20 * 365),
            not_after: at + Duration::days(20 * 365),
            extensions,
            issuer,
        },
    )?;
    Ok(GostCa { key, x509 })
}

/// The TSA: timeStamping, issued by the issuing CA.
pub fn tsa(issuer: &GostCa, serial: u64, at: DateTime<Utc>) -> Result<GostCa, String> {
    let key = GostKey::generate()?;
    let extensions = vec![
        key_usage(&[KeyUsages::DigitalSignature, KeyUsages::NonRepudiation])?,
        extension(rfc5280::ID_CE_EXT_KEY_USAGE, true, ExtendedKeyUsage(vec![rfc5280::ID_KP_TIME_STAMPING]))?,
    ];
    let subject = name(&[
        (rfc4519::CN, "TIME-STAMPING AUTHORITY"),
        (rfc4519::O, "ТЕСТ ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ"),
        (rfc4519::C, "KZ"),
    ])?;
    let x509 = issue(
        &key,
        Issue {
            subject,
            serial,
            not_before: at - Duration::days(365),
            not_after: at + Duration::days(3 * 365),
            extensions,
            issuer: Some(issuer),
        },
    )?;
    Ok(GostCa { key, x509 })
}

/// `ca`'s CRL at `now`, listing `revoked` (serial, when), valid for an hour, numbered by the time.
pub fn crl(ca: &GostCa, revoked: &[(Vec<u8>, DateTime<Utc>)], now: DateTime<Utc>) -> Result<Vec<u8>, String> {
    let entries = revoked
        .iter()
        .map(|(serial, at)| {
            Ok(RevokedCert {
                serial_number: SerialNumber::new(serial).map_err(err)?,
                revocation_date: time(*at)?,
                crl_entry_extensions: None,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let number = der::asn1::Uint::new(&now.timestamp().unsigned_abs().to_be_bytes()).map_err(err)?;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: GostKey::algorithm(),
        issuer: ca.x509.tbs_certificate.subject.clone(),
        this_update: time(now - Duration::minutes(1))?,
        next_update: Some(time(now + Duration::hours(1))?),
        revoked_certificates: if entries.is_empty() { None } else { Some(entries) },
        crl_extensions: Some(vec![extension(ObjectIdentifier::new_unwrap("2.5.29.20"), false, number)?]),
    };
    let signature = ca.key.sign(&tbs.to_der().map_err(err)?)?;
    let list = CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: GostKey::algorithm(),
        signature: BitString::from_bytes(&signature).map_err(err)?,
    };
    list.to_der().map_err(err)
}

/// NCA's extended key usages: an individual's key, a legal entity's (and its first head's).
const INDIVIDUAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.1");
const LEGAL_ENTITY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.2");
const FIRST_HEAD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.2.1");
/// Surname (2.5.4.4) and given name (2.5.4.42), where NCA writes the surname and the patronymic.
const SURNAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.4");
const GIVEN_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.42");

/// A person's GOST 2015-512 certificate as NCA issues it (one key for login and signing since 2022).
pub fn person(
    pki: &crate::Pki,
    issuer: &GostCa,
    iin: &str,
    profile: crate::Profile,
    serial: u64,
) -> Result<crate::Person, String> {
    use crate::Profile;
    let key = GostKey::generate()?;
    let iin_value = format!("IIN{iin}");
    let mut parts = vec![
        (rfc4519::CN, "ТЕСТОВ ТЕСТ"),
        (SURNAME, "ТЕСТОВ"),
        (rfc4519::SERIAL_NUMBER, iin_value.as_str()),
        (rfc4519::C, "KZ"),
    ];
    if profile == Profile::LegalEntity {
        parts.push((rfc4519::O, "АО \"ТЕСТ\""));
        parts.push((rfc4519::OU, "BIN123456789021"));
    }
    parts.push((GIVEN_NAME, "ТЕСТОВИЧ"));
    let usages = match profile {
        Profile::Authentication => vec![KeyUsages::DigitalSignature, KeyUsages::KeyEncipherment],
        _ => vec![KeyUsages::DigitalSignature, KeyUsages::NonRepudiation, KeyUsages::KeyAgreement],
    };
    let extended = match profile {
        Profile::LegalEntity => vec![rfc5280::ID_KP_EMAIL_PROTECTION, LEGAL_ENTITY, FIRST_HEAD],
        _ => vec![rfc5280::ID_KP_EMAIL_PROTECTION, INDIVIDUAL],
    };
    let (not_before, not_after) = match profile {
        Profile::Expired => (pki.at - Duration::days(366), pki.at - Duration::days(1)),
        _ => (pki.at - Duration::days(365), pki.at + Duration::days(365)),
    };
    let extensions = vec![
        key_usage(&usages)?,
        extended_key_usage(extended)?,
        ocsp_access(&pki.ocsp_url)?,
        crl_points(&pki.gost_crl_url)?,
    ];
    let cert =
        issue(&key, Issue { subject: name(&parts)?, serial, not_before, not_after, extensions, issuer: Some(issuer) })?;
    let cert_pem = der::EncodePem::to_pem(&cert, der::pem::LineEnding::LF).map_err(err)?;
    let chain_pem = der::EncodePem::to_pem(&issuer.x509, der::pem::LineEnding::LF).map_err(err)?;
    Ok(crate::Person {
        cert,
        cert_pem,
        key_pem: String::new(),
        key: crate::PersonKey::Gost(key),
        chain: vec![issuer.x509.clone()],
        chain_pem,
    })
}
