//! CMS SignedData as NCALayer and eGov Mobile write it: one signer, its certificate and the intermediate,
//! signed attributes (content type, signing time, message digest), content attached or detached.

use super::Person;
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
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::{Attribute, AttributeValue};
use x509_cert::time::Time;

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
}

/// How to sign; the defaults are NCALayer's: PKCS#1 v1.5 with SHA-256, attached, signed attributes, now.
#[derive(Debug, Clone)]
pub struct SignOptions {
    pub scheme: Scheme,
    pub detached: bool,
    /// Without signed attributes the signature is over the content itself (and there is no signing time).
    pub signed_attributes: bool,
    pub signing_time: Option<DateTime<Utc>>,
    /// The intermediate in the CMS (NCALayer includes it).
    pub include_chain: bool,
    /// Leave the signer's own certificate out.
    pub omit_signer_certificate: bool,
    /// Name other algorithms than the ones used (for the GOST refusal): (digest, signature).
    pub claim_algorithms: Option<(ObjectIdentifier, ObjectIdentifier)>,
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
    fn hash(self) -> Hash {
        match self {
            Scheme::Pkcs1(h) | Scheme::Pss(h) => h,
        }
    }

    fn encoding(self) -> &'static dyn sig::RsaEncoding {
        match self {
            Scheme::Pkcs1(Hash::Sha256) => &sig::RSA_PKCS1_SHA256,
            Scheme::Pkcs1(Hash::Sha384) => &sig::RSA_PKCS1_SHA384,
            Scheme::Pkcs1(Hash::Sha512) => &sig::RSA_PKCS1_SHA512,
            Scheme::Pss(Hash::Sha256) => &sig::RSA_PSS_SHA256,
            Scheme::Pss(Hash::Sha384) => &sig::RSA_PSS_SHA384,
            Scheme::Pss(Hash::Sha512) => &sig::RSA_PSS_SHA512,
        }
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
        }
    }
}

fn attribute(oid: ObjectIdentifier, value: impl Encode) -> Result<Attribute, String> {
    let value: AttributeValue = Any::from_der(&value.to_der().map_err(err)?).map_err(err)?;
    Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(err)? })
}

pub fn sign(person: &Person, content: &[u8], o: &SignOptions) -> Result<Vec<u8>, String> {
    let hash = o.scheme.hash();
    let (mut digest_alg, mut signature_alg) =
        (AlgorithmIdentifierOwned { oid: hash.oid(), parameters: None }, o.scheme.algorithm()?);
    if let Some((digest, signature)) = o.claim_algorithms {
        digest_alg = AlgorithmIdentifierOwned { oid: digest, parameters: None };
        signature_alg = AlgorithmIdentifierOwned { oid: signature, parameters: None };
    }
    let signed_attrs = if o.signed_attributes {
        let mut attrs = vec![
            attribute(rfc5911::ID_CONTENT_TYPE, rfc5911::ID_DATA)?,
            attribute(rfc5911::ID_MESSAGE_DIGEST, OctetString::new(hash.digest(content)).map_err(err)?)?,
        ];
        if let Some(at) = o.signing_time {
            let at = std::time::Duration::from_secs(u64::try_from(at.timestamp()).map_err(err)?);
            attrs.push(attribute(
                rfc5911::ID_SIGNING_TIME,
                Time::UtcTime(der::asn1::UtcTime::from_unix_duration(at).map_err(err)?),
            )?);
        }
        Some(SetOfVec::try_from(attrs).map_err(err)?)
    } else {
        None
    };
    let message = match &signed_attrs {
        Some(attrs) => attrs.to_der().map_err(err)?,
        None => content.to_vec(),
    };
    let key = RsaKeyPair::from_pkcs8(person.pkcs8()).map_err(err)?;
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(o.scheme.encoding(), &SystemRandom::new(), &message, &mut signature).map_err(err)?;

    let mut certs = Vec::new();
    if !o.omit_signer_certificate {
        certs.push(CertificateChoices::Certificate(person.cert.clone()));
    }
    if o.include_chain {
        certs.extend(person.chain.iter().cloned().map(CertificateChoices::Certificate));
    }
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: person.cert.tbs_certificate.issuer.clone(),
            serial_number: person.cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: digest_alg.clone(),
        signed_attrs,
        signature_algorithm: signature_alg,
        signature: OctetString::new(signature).map_err(err)?,
        unsigned_attrs: None,
    };
    let econtent = if o.detached {
        None
    } else {
        Some(Any::from_der(&OctetString::new(content.to_vec()).map_err(err)?.to_der().map_err(err)?).map_err(err)?)
    };
    let data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![digest_alg]).map_err(err)?,
        encap_content_info: EncapsulatedContentInfo { econtent_type: rfc5911::ID_DATA, econtent },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(err)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(err)?),
    };
    let info = ContentInfo {
        content_type: rfc5911::ID_SIGNED_DATA,
        content: Any::from_der(&data.to_der().map_err(err)?).map_err(err)?,
    };
    info.to_der().map_err(err)
}
