//! CMS SignedData as NCALayer, eGov Mobile and Kalkan write it: one signer, its certificate (and, for RSA as
//! NCALayer did, the intermediate), signed attributes (content type, signing time, message digest; for GOST
//! also signingCertificateV2, as Kalkan writes), content attached or detached; for GOST optionally a
//! signature timestamp token from the test TSA (CAdES-T), as Kalkan adds.

use super::{Person, PersonKey, Pki};
use crate::gost_key::{self, GostKey};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, RsaKeyPair};
use chrono::{DateTime, Utc};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::{rfc5911, rfc5912};
use const_oid::ObjectIdentifier;
use der::asn1::{Any, GeneralizedTime, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::time::Time;
use x509_cert::Certificate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Pkcs1(Hash),
    Pss(Hash),
    /// GOST 34.10-2015 512-bit with Streebog-512: NCA's keys since 2022 (needs a GOST person).
    Gost512,
}

/// How to sign; the defaults are NCALayer's RSA ones: PKCS#1 v1.5 with SHA-256, attached, signed attributes,
/// now. [`SignOptions::kalkan`] is what Kalkan writes for a GOST key.
#[derive(Debug, Clone)]
pub struct SignOptions {
    pub scheme: Scheme,
    pub detached: bool,
    /// Without signed attributes the signature is over the content itself (and there is no signing time).
    pub signed_attributes: bool,
    pub signing_time: Option<DateTime<Utc>>,
    /// The intermediate in the CMS (NCALayer includes it; Kalkan does not).
    pub include_chain: bool,
    /// Leave the signer's own certificate out.
    pub omit_signer_certificate: bool,
    /// Name other algorithms than the ones used (for the GOST refusal): (digest, signature).
    pub claim_algorithms: Option<(ObjectIdentifier, ObjectIdentifier)>,
    /// A signingCertificateV2 attribute naming the signer's certificate (Kalkan writes it).
    pub signing_certificate: bool,
    /// A signature timestamp token from the test TSA at this time (CAdES-T; GOST keys only).
    pub timestamp: Option<DateTime<Utc>>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            scheme: Scheme::Pkcs1(Hash::Sha256),
            detached: false,
            signed_attributes: true,
            signing_time: Some(Utc::now()),
            include_chain: true,
            omit_signer_certificate: false,
            claim_algorithms: None,
            signing_certificate: false,
            timestamp: None,
        }
    }
}

impl SignOptions {
    /// Kalkan with a GOST 2015-512 key: the signer's certificate alone, signingCertificateV2, and a timestamp
    /// token, all at `at`.
    pub fn kalkan(at: DateTime<Utc>) -> SignOptions {
        SignOptions {
            scheme: Scheme::Gost512,
            signing_time: Some(at),
            include_chain: false,
            signing_certificate: true,
            timestamp: Some(at),
            ..SignOptions::default()
        }
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Hash {
    fn oid(self) -> ObjectIdentifier {
        match self {
            Hash::Sha256 => rfc5912::ID_SHA_256,
            Hash::Sha384 => rfc5912::ID_SHA_384,
            Hash::Sha512 => rfc5912::ID_SHA_512,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        use aws_lc_rs::digest;
        let alg = match self {
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
        };
        digest::digest(alg, data).as_ref().to_vec()
    }

    fn len(self) -> u8 {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

impl Scheme {
    fn digest_oid(self) -> ObjectIdentifier {
        match self {
            Scheme::Pkcs1(h) | Scheme::Pss(h) => h.oid(),
            Scheme::Gost512 => gost_key::DIGEST,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Scheme::Pkcs1(h) | Scheme::Pss(h) => h.digest(data),
            Scheme::Gost512 => gost::kz::streebog512(data).to_vec(),
        }
    }

    fn encoding(self) -> Option<&'static dyn sig::RsaEncoding> {
        Some(match self {
            Scheme::Pkcs1(Hash::Sha256) => &sig::RSA_PKCS1_SHA256,
            Scheme::Pkcs1(Hash::Sha384) => &sig::RSA_PKCS1_SHA384,
            Scheme::Pkcs1(Hash::Sha512) => &sig::RSA_PKCS1_SHA512,
            Scheme::Pss(Hash::Sha256) => &sig::RSA_PSS_SHA256,
            Scheme::Pss(Hash::Sha384) => &sig::RSA_PSS_SHA384,
            Scheme::Pss(Hash::Sha512) => &sig::RSA_PSS_SHA512,
            Scheme::Gost512 => return None,
        })
    }

    fn algorithm(self) -> Result<AlgorithmIdentifierOwned, String> {
        match self {
            Scheme::Pkcs1(_) => {
                Ok(AlgorithmIdentifierOwned { oid: rfc5912::RSA_ENCRYPTION, parameters: Some(der::asn1::Null.into()) })
            }
            Scheme::Pss(h) => {
                let hash = spki::AlgorithmIdentifierRef { oid: h.oid(), parameters: Some(der::asn1::AnyRef::NULL) };
                let params = pkcs1::RsaPssParams {
                    hash,
                    mask_gen: spki::AlgorithmIdentifier { oid: rfc5912::ID_MGF_1, parameters: Some(hash) },
                    salt_len: h.len(),
                    trailer_field: pkcs1::TrailerField::BC,
                };
                let any = Any::from_der(&params.to_der().map_err(err)?).map_err(err)?;
                Ok(AlgorithmIdentifierOwned { oid: rfc5912::ID_RSASSA_PSS, parameters: Some(any) })
            }
            Scheme::Gost512 => Ok(GostKey::algorithm()),
        }
    }
}

fn attribute(oid: ObjectIdentifier, value: impl Encode) -> Result<Attribute, String> {
    let value: AttributeValue = Any::from_der(&value.to_der().map_err(err)?).map_err(err)?;
    Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(err)? })
}

fn utc(at: DateTime<Utc>) -> Result<Time, String> {
    let at = std::time::Duration::from_secs(u64::try_from(at.timestamp()).map_err(err)?);
    Ok(Time::UtcTime(der::asn1::UtcTime::from_unix_duration(at).map_err(err)?))
}

/// signingCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash (SHA-256, the default algorithm) } }.
fn signing_certificate_v2(cert: &Certificate) -> Result<Attribute, String> {
    let hash = Hash::Sha256.digest(&cert.to_der().map_err(err)?);
    let id = vec![Any::from_der(&OctetString::new(hash).map_err(err)?.to_der().map_err(err)?).map_err(err)?];
    let value = vec![vec![id]];
    attribute(ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47"), value)
}

/// How a key signs a message.
type SignFn<'a> = &'a dyn Fn(&[u8]) -> Result<Vec<u8>, String>;

/// Who signs: the certificate and how its key signs.
struct Signer<'a> {
    cert: &'a Certificate,
    sign: SignFn<'a>,
}

/// The parts of a SignedData besides its signer.
struct Parts<'a> {
    content_type: ObjectIdentifier,
    content: &'a [u8],
    detached: bool,
    scheme: Scheme,
    signed_attrs: Option<Vec<Attribute>>,
    unsigned_attrs: Option<Vec<Attribute>>,
    certificates: Vec<Certificate>,
    claim: Option<(ObjectIdentifier, ObjectIdentifier)>,
}

fn signed_data(signer: Signer<'_>, p: Parts<'_>) -> Result<Vec<u8>, String> {
    let (mut digest_alg, mut signature_alg) =
        (AlgorithmIdentifierOwned { oid: p.scheme.digest_oid(), parameters: None }, p.scheme.algorithm()?);
    if let Some((digest, signature)) = p.claim {
        digest_alg = AlgorithmIdentifierOwned { oid: digest, parameters: None };
        signature_alg = AlgorithmIdentifierOwned { oid: signature, parameters: None };
    }
    let signed_attrs = match p.signed_attrs {
        Some(mut attrs) => {
            attrs.push(attribute(rfc5911::ID_CONTENT_TYPE, p.content_type)?);
            attrs.push(attribute(
                rfc5911::ID_MESSAGE_DIGEST,
                OctetString::new(p.scheme.digest(p.content)).map_err(err)?,
            )?);
            Some(SetOfVec::try_from(attrs).map_err(err)?)
        }
        None => None,
    };
    let message = match &signed_attrs {
        Some(attrs) => attrs.to_der().map_err(err)?,
        None => p.content.to_vec(),
    };
    let signature = (signer.sign)(&message)?;
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: signer.cert.tbs_certificate.issuer.clone(),
            serial_number: signer.cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs,
        signature_algorithm: signature_alg,
        signature: OctetString::new(signature).map_err(err)?,
        unsigned_attrs: p.unsigned_attrs.map(SetOfVec::try_from).transpose().map_err(err)?,
    };
    let econtent = if p.detached {
        None
    } else {
        Some(Any::from_der(&OctetString::new(p.content.to_vec()).map_err(err)?.to_der().map_err(err)?).map_err(err)?)
    };
    let certs = p.certificates.into_iter().map(CertificateChoices::Certificate).collect::<Vec<_>>();
    let data = SignedData {
        version: if p.content_type == rfc5911::ID_DATA { CmsVersion::V1 } else { CmsVersion::V3 },
        digest_algorithms: SetOfVec::try_from(vec![digest_alg]).map_err(err)?,
        encap_content_info: EncapsulatedContentInfo { econtent_type: p.content_type, econtent },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(err)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(err)?),
    };
    let info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::from_der(&data.to_der().map_err(err)?).map_err(err)?,
    };
    info.to_der().map_err(err)
}

/// The TSA's token over `signature` at `at`: a SignedData over TSTInfo { version 1, policy, messageImprint
/// (Streebog-512 of the signature), serial, genTime }.
fn timestamp_token(pki: &Pki, signature: &[u8], at: DateTime<Utc>) -> Result<Attribute, String> {
    let any = |e: &dyn Fn() -> Result<Vec<u8>, der::Error>| -> Result<Any, String> {
        Any::from_der(&e().map_err(err)?).map_err(err)
    };
    let imprint_alg = AlgorithmIdentifierOwned { oid: gost_key::DIGEST, parameters: Some(der::asn1::Null.into()) };
    let imprint = vec![
        any(&|| imprint_alg.to_der())?,
        any(&|| OctetString::new(gost::kz::streebog512(signature).to_vec())?.to_der())?,
    ];
    let secs = std::time::Duration::from_secs(u64::try_from(at.timestamp()).map_err(err)?);
    let serial = at.timestamp_subsec_nanos().to_be_bytes();
    let tst_info = vec![
        any(&|| 1u8.to_der())?,
        any(&|| ObjectIdentifier::new_unwrap("1.2.398.3.3.2.6.4").to_der())?,
        any(&|| imprint.to_der())?,
        any(&|| der::asn1::Uint::new(&serial)?.to_der())?,
        any(&|| GeneralizedTime::from_unix_duration(secs)?.to_der())?,
    ]
    .to_der()
    .map_err(err)?;
    let tsa = &pki.gost_tsa;
    let sign = |m: &[u8]| tsa.key.sign(m);
    let token = signed_data(
        Signer { cert: &tsa.x509, sign: &sign },
        Parts {
            content_type: ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4"),
            content: &tst_info,
            detached: false,
            scheme: Scheme::Gost512,
            signed_attrs: Some(vec![
                attribute(rfc5911::ID_SIGNING_TIME, utc(at)?)?,
                signing_certificate_v2(&tsa.x509)?,
            ]),
            unsigned_attrs: None,
            certificates: vec![tsa.x509.clone()],
            claim: None,
        },
    )?;
    attribute(ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14"), Any::from_der(&token).map_err(err)?)
}

pub fn sign(pki: &Pki, person: &Person, content: &[u8], o: &SignOptions) -> Result<Vec<u8>, String> {
    let mut signed_attrs = Vec::new();
    if let Some(at) = o.signing_time {
        signed_attrs.push(attribute(rfc5911::ID_SIGNING_TIME, utc(at)?)?);
    }
    if o.signing_certificate {
        signed_attrs.push(signing_certificate_v2(&person.cert)?);
    }
    let sign = |message: &[u8]| -> Result<Vec<u8>, String> {
        match (&person.key, o.scheme.encoding()) {
            (PersonKey::Rsa(pkcs8), Some(encoding)) => {
                let key = RsaKeyPair::from_pkcs8(pkcs8).map_err(err)?;
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(encoding, &SystemRandom::new(), message, &mut signature).map_err(err)?;
                Ok(signature)
            }
            (PersonKey::Gost(key), None) => key.sign(message),
            _ => Err(format!("the {:?} scheme does not go with this person's key", o.scheme)),
        }
    };
    let mut certificates = Vec::new();
    if !o.omit_signer_certificate {
        certificates.push(person.cert.clone());
    }
    if o.include_chain {
        certificates.extend(person.chain.iter().cloned());
    }
    let parts = |unsigned_attrs| Parts {
        content_type: rfc5911::ID_DATA,
        content,
        detached: o.detached,
        scheme: o.scheme,
        signed_attrs: o.signed_attributes.then(|| signed_attrs.clone()),
        unsigned_attrs,
        certificates: certificates.clone(),
        claim: o.claim_algorithms,
    };
    let cms = signed_data(Signer { cert: &person.cert, sign: &sign }, parts(None))?;
    let Some(at) = o.timestamp else { return Ok(cms) };
    // The token is over the signature value: sign once, then add the token to that very SignerInfo.
    let info = ContentInfo::from_der(&cms).map_err(err)?;
    let mut data: SignedData = info.content.decode_as().map_err(err)?;
    let mut signers = data.signer_infos.0.into_vec();
    let token = timestamp_token(pki, signers[0].signature.as_bytes(), at)?;
    signers[0].unsigned_attrs = Some(SetOfVec::try_from(vec![token]).map_err(err)?);
    data.signer_infos = SignerInfos(SetOfVec::try_from(signers).map_err(err)?);
    let info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::from_der(&data.to_der().map_err(err)?).map_err(err)?,
    };
    info.to_der().map_err(err)
}
