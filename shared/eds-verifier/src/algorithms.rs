//! Which algorithms an EDS may use, and the one place a signature is checked:
//! - RSA PKCS#1 v1.5 and PSS over SHA-256, -384 and -512 (aws-lc-rs);
//! - GOST 34.10-2015 512-bit with GOST 34.11-2015 (Streebog-512), as NCA's 2022 keys are (the `gost` crate).
//!
//! Anything else is refused by name: GOST 34.310-2004 (NCA's expired generation), GOST 2015 256-bit (no
//! parameter set of NCA's is known), and any other OID.

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, VerificationAlgorithm};
use const_oid::db::rfc5912 as oids;
use const_oid::ObjectIdentifier;
use der::asn1::OctetString;
use der::{Decode, Encode};
use domain::eds::{EdsRefusal, EdsRule};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// NCA's GOST 2015 OIDs (Kazakhstan's arc 1.2.398.3.10).
pub mod kz {
    use const_oid::ObjectIdentifier;
    pub const GOST_KEY_512: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::KEY_512);
    pub const GOST_KEY_256: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::KEY_256);
    pub const GOST_PARAMS_512_A: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::PARAMS_512_A);
    pub const STREEBOG_512: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::DIGEST_512);
    pub const STREEBOG_256: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::DIGEST_256);
    pub const GOST_SIGNATURE_512: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::SIGNATURE_512);
    pub const GOST_SIGNATURE_256: ObjectIdentifier = ObjectIdentifier::new_unwrap(gost::kz::SIGNATURE_256);
}

/// A digest an EDS may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
    /// GOST 34.11-2015, 512-bit.
    Streebog512,
}

impl Hash {
    pub fn of_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            oids::ID_SHA_256 => Some(Hash::Sha256),
            oids::ID_SHA_384 => Some(Hash::Sha384),
            oids::ID_SHA_512 => Some(Hash::Sha512),
            kz::STREEBOG_512 => Some(Hash::Streebog512),
            _ => None,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
            Hash::Streebog512 => return gost::kz::streebog512(data).to_vec(),
        };
        digest::digest(alg, data).as_ref().to_vec()
    }

    fn len(self) -> u8 {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 | Hash::Streebog512 => 64,
        }
    }

    fn pkcs1(self) -> Option<Verification> {
        let alg: &'static dyn VerificationAlgorithm = match self {
            Hash::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Hash::Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Hash::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Hash::Streebog512 => return None,
        };
        Some(Verification::Rsa(alg))
    }

    fn pss(self) -> Option<Verification> {
        let alg: &'static dyn VerificationAlgorithm = match self {
            Hash::Sha256 => &signature::RSA_PSS_2048_8192_SHA256,
            Hash::Sha384 => &signature::RSA_PSS_2048_8192_SHA384,
            Hash::Sha512 => &signature::RSA_PSS_2048_8192_SHA512,
            Hash::Streebog512 => return None,
        };
        Some(Verification::Rsa(alg))
    }
}

/// How a signature is checked: which family, and what key it needs.
#[derive(Clone, Copy)]
pub enum Verification {
    /// RSA (PKCS#1 v1.5 or PSS) with its digest: the key must be an RSA key.
    Rsa(&'static dyn VerificationAlgorithm),
    /// GOST 34.10-2015 512-bit over Streebog-512: the key must be a GOST 2015 512-bit key.
    Gost512,
}

impl Verification {
    /// The family's name, for a refusal.
    pub fn family(&self) -> &'static str {
        match self {
            Verification::Rsa(_) => "an RSA signature algorithm",
            Verification::Gost512 => "GOST 34.10-2015 512-bit",
        }
    }

    /// Whether the digest a CMS signer names goes with this algorithm.
    pub fn digest_fits(&self, hash: Hash) -> bool {
        matches!((self, hash), (Verification::Gost512, Hash::Streebog512))
            || matches!((self, hash), (Verification::Rsa(_), Hash::Sha256 | Hash::Sha384 | Hash::Sha512))
    }
}

/// A name for any algorithm this crate knows, else its OID.
pub fn describe(oid: &ObjectIdentifier) -> String {
    let known = match *oid {
        kz::GOST_KEY_512 => "GOST 34.10-2015 512-bit key",
        kz::GOST_SIGNATURE_512 => "GOST 34.10-2015 512-bit with GOST 34.11-2015",
        kz::STREEBOG_512 => "GOST 34.11-2015 512-bit (Streebog)",
        oids::RSA_ENCRYPTION => "RSA",
        oids::ID_RSASSA_PSS => "RSASSA-PSS",
        oids::SHA_256_WITH_RSA_ENCRYPTION => "sha256WithRSAEncryption",
        oids::SHA_384_WITH_RSA_ENCRYPTION => "sha384WithRSAEncryption",
        oids::SHA_512_WITH_RSA_ENCRYPTION => "sha512WithRSAEncryption",
        oids::ID_SHA_256 => "SHA-256",
        oids::ID_SHA_384 => "SHA-384",
        oids::ID_SHA_512 => "SHA-512",
        _ => return name(oid),
    };
    format!("{known} ({oid})")
}

/// A name for an algorithm that is refused: GOST by its family, anything else by its OID.
pub fn name(oid: &ObjectIdentifier) -> String {
    let dotted = oid.to_string();
    match *oid {
        kz::GOST_KEY_256 | kz::GOST_SIGNATURE_256 | kz::STREEBOG_256 => {
            format!(
                "GOST 34.10-2015 256-bit ({dotted}; NCA's test packs hold no such key, so no curve is known for it)"
            )
        }
        _ if dotted.starts_with("1.2.398.3.10.1.1.2.") || dotted.starts_with("1.2.398.3.10.1.3.3.") => {
            format!("GOST 34.10-2015 with an unknown parameter set ({dotted})")
        }
        _ if dotted.starts_with("1.2.398.3.10") => format!("GOST 34.310-2004 ({dotted}), NCA's expired generation,"),
        _ if dotted.starts_with("1.2.643") => format!("GOST R 34.10 with Russian parameters ({dotted})"),
        _ => format!("algorithm {dotted}"),
    }
}

fn unsupported(oid: &ObjectIdentifier) -> EdsRefusal {
    EdsRefusal::new(
        EdsRule::AlgorithmUnsupported,
        format!(
            "{} is not supported: sign with NCA's GOST 2015 512-bit key (or an RSA key: PKCS#1 v1.5 or PSS, \
             SHA-256/384/512)",
            name(oid)
        ),
    )
}

/// The GOST key of a certificate: algorithm 1.2.398.3.10.1.1.2.2 with parameters SEQUENCE { paramSetA, Streebog
/// 512 }, an OCTET STRING of 128 bytes X‖Y on the curve. Refused by name otherwise.
pub fn gost_key(spki: &SubjectPublicKeyInfoOwned) -> Result<gost::PublicKey, EdsRefusal> {
    let refuse = |detail: String| EdsRefusal::new(EdsRule::AlgorithmUnsupported, detail);
    if spki.algorithm.oid != kz::GOST_KEY_512 {
        return Err(unsupported(&spki.algorithm.oid));
    }
    let params = spki.algorithm.parameters.as_ref().ok_or_else(|| refuse("a GOST key without parameters".into()))?;
    let set = params
        .decode_as::<Vec<ObjectIdentifier>>()
        .ok()
        .and_then(|oids| oids.first().copied())
        .ok_or_else(|| refuse("the GOST key's parameters are not a sequence of OIDs".into()))?;
    let curve = gost::kz::curve_of(&set.to_string()).ok_or_else(|| unsupported(&set))?;
    let bits = spki.subject_public_key.as_bytes().ok_or_else(|| refuse("the GOST key is not whole bytes".into()))?;
    let octets = OctetString::from_der(bits).map_err(|_| refuse("the GOST key is not an OCTET STRING".into()))?;
    gost::kz::public_key(curve, octets.as_bytes()).map_err(|e| refuse(format!("the GOST key is refused: {e}")))
}

/// The key must be an RSA key or NCA's GOST 2015 512-bit key.
pub fn check_key(spki: &SubjectPublicKeyInfoOwned) -> Result<(), EdsRefusal> {
    match spki.algorithm.oid {
        oids::RSA_ENCRYPTION | oids::ID_RSASSA_PSS => Ok(()),
        _ => gost_key(spki).map(|_| ()),
    }
}

/// The signature algorithm goes with the key: a GOST signature over an RSA key (or the reverse) is refused.
pub fn check_pair(spki: &SubjectPublicKeyInfoOwned, verification: &Verification) -> Result<(), EdsRefusal> {
    let rsa_key = matches!(spki.algorithm.oid, oids::RSA_ENCRYPTION | oids::ID_RSASSA_PSS);
    let fits = match verification {
        Verification::Rsa(_) => rsa_key,
        Verification::Gost512 => spki.algorithm.oid == kz::GOST_KEY_512,
    };
    if fits {
        Ok(())
    } else {
        Err(EdsRefusal::new(
            EdsRule::AlgorithmUnsupported,
            format!("{} is named over a key of {}", verification.family(), name(&spki.algorithm.oid)),
        ))
    }
}

/// The digest a signer info names.
pub fn digest_of(alg: &AlgorithmIdentifierOwned) -> Result<Hash, EdsRefusal> {
    Hash::of_oid(&alg.oid).ok_or_else(|| unsupported(&alg.oid))
}

/// The verification for a signature algorithm; `digest` is the signer info's digest (what `rsaEncryption`,
/// as OpenSSL writes it, signs with).
pub fn verification(alg: &AlgorithmIdentifierOwned, digest: Option<Hash>) -> Result<Verification, EdsRefusal> {
    let rsa = |v: Option<Verification>| v.ok_or_else(|| unsupported(&alg.oid));
    match alg.oid {
        oids::SHA_256_WITH_RSA_ENCRYPTION => rsa(Hash::Sha256.pkcs1()),
        oids::SHA_384_WITH_RSA_ENCRYPTION => rsa(Hash::Sha384.pkcs1()),
        oids::SHA_512_WITH_RSA_ENCRYPTION => rsa(Hash::Sha512.pkcs1()),
        oids::RSA_ENCRYPTION => rsa(digest.and_then(Hash::pkcs1)),
        oids::ID_RSASSA_PSS => pss(alg).and_then(|h| rsa(h.pss())),
        kz::GOST_SIGNATURE_512 => Ok(Verification::Gost512),
        _ => Err(unsupported(&alg.oid)),
    }
}

/// RSASSA-PSS as aws-lc verifies it: MGF1 with the same digest, a salt as long as the digest.
fn pss(alg: &AlgorithmIdentifierOwned) -> Result<Hash, EdsRefusal> {
    let odd =
        |what: &str| EdsRefusal::new(EdsRule::AlgorithmUnsupported, format!("RSASSA-PSS with {what} is not supported"));
    let params = alg.parameters.as_ref().ok_or_else(|| odd("default parameters (SHA-1)"))?;
    let der = params.to_der().map_err(|_| odd("unreadable parameters"))?;
    let params = pkcs1::RsaPssParams::from_der(&der).map_err(|_| odd("unreadable parameters"))?;
    let hash = Hash::of_oid(&params.hash.oid)
        .filter(|h| *h != Hash::Streebog512)
        .ok_or_else(|| odd(&name(&params.hash.oid)))?;
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if params.mask_gen.oid != oids::ID_MGF_1 || mgf_hash != Some(params.hash.oid) {
        return Err(odd("a mask generation other than MGF1 over the same digest"));
    }
    if params.salt_len != hash.len() {
        return Err(odd(&format!("a {}-byte salt (the digest's length is required)", params.salt_len)));
    }
    Ok(hash)
}

/// Whether `signature` over `message` verifies with the key of `spki` by `alg`. A key of the other family
/// never verifies.
pub fn verifies(alg: &Verification, spki: &SubjectPublicKeyInfoOwned, message: &[u8], signature: &[u8]) -> bool {
    if check_pair(spki, alg).is_err() {
        return false;
    }
    match alg {
        Verification::Rsa(alg) => {
            let Some(key) = spki.subject_public_key.as_bytes() else { return false };
            signature::UnparsedPublicKey::new(*alg, key).verify(message, signature).is_ok()
        }
        Verification::Gost512 => match gost_key(spki) {
            Ok(key) => gost::kz::verify(&key, message, signature),
            Err(_) => false,
        },
    }
}
