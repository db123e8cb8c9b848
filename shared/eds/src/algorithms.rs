//! Which algorithms an EDS may use: RSA PKCS#1 v1.5 and PSS over SHA-256, -384 and -512. GOST (Kazakhstan's
//! 34.310-2004 and its 2015 curves) has no well-kept Rust implementation: it is refused by name.

use aws_lc_rs::digest;
use aws_lc_rs::signature::{self, VerificationAlgorithm};
use const_oid::db::rfc5912 as oids;
use const_oid::ObjectIdentifier;
use der::Decode;
use domain::eds::{EdsRefusal, EdsRule};
use spki::AlgorithmIdentifierOwned;

/// A digest an EDS may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn of_oid(oid: &ObjectIdentifier) -> Option<Hash> {
        match *oid {
            oids::ID_SHA_256 => Some(Hash::Sha256),
            oids::ID_SHA_384 => Some(Hash::Sha384),
            oids::ID_SHA_512 => Some(Hash::Sha512),
            _ => None,
        }
    }

    pub fn digest(self, data: &[u8]) -> Vec<u8> {
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

    fn pkcs1(self) -> &'static dyn VerificationAlgorithm {
        match self {
            Hash::Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Hash::Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Hash::Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        }
    }

    fn pss(self) -> &'static dyn VerificationAlgorithm {
        match self {
            Hash::Sha256 => &signature::RSA_PSS_2048_8192_SHA256,
            Hash::Sha384 => &signature::RSA_PSS_2048_8192_SHA384,
            Hash::Sha512 => &signature::RSA_PSS_2048_8192_SHA512,
        }
    }
}

/// A name for an algorithm that is refused: GOST by its family, anything else by its OID.
pub fn name(oid: &ObjectIdentifier) -> String {
    let dotted = oid.to_string();
    if dotted.starts_with("1.2.398.3.10.1.1.2") || dotted.starts_with("1.2.398.3.10.1.3.2") {
        format!("GOST 34.310-2004 with the 2015 curves ({dotted})")
    } else if dotted.starts_with("1.2.398.3.10") {
        format!("GOST 34.310-2004 ({dotted})")
    } else if dotted.starts_with("1.2.643") {
        format!("GOST R 34.10 ({dotted})")
    } else {
        format!("algorithm {dotted}")
    }
}

fn unsupported(oid: &ObjectIdentifier) -> EdsRefusal {
    EdsRefusal::new(
        EdsRule::AlgorithmUnsupported,
        format!("{} is not supported: sign with an RSA key (PKCS#1 v1.5 or PSS, SHA-256/384/512)", name(oid)),
    )
}

/// The key must be an RSA key.
pub fn check_key(spki_alg: &AlgorithmIdentifierOwned) -> Result<(), EdsRefusal> {
    if spki_alg.oid == oids::RSA_ENCRYPTION || spki_alg.oid == oids::ID_RSASSA_PSS {
        Ok(())
    } else {
        Err(unsupported(&spki_alg.oid))
    }
}

/// The digest a signer info names.
pub fn digest_of(alg: &AlgorithmIdentifierOwned) -> Result<Hash, EdsRefusal> {
    Hash::of_oid(&alg.oid).ok_or_else(|| unsupported(&alg.oid))
}

/// The verification for a signature algorithm; `digest` is the signer info's digest (what `rsaEncryption`,
/// as OpenSSL writes it, signs with).
pub fn verification(
    alg: &AlgorithmIdentifierOwned,
    digest: Option<Hash>,
) -> Result<&'static dyn VerificationAlgorithm, EdsRefusal> {
    match alg.oid {
        oids::SHA_256_WITH_RSA_ENCRYPTION => Ok(Hash::Sha256.pkcs1()),
        oids::SHA_384_WITH_RSA_ENCRYPTION => Ok(Hash::Sha384.pkcs1()),
        oids::SHA_512_WITH_RSA_ENCRYPTION => Ok(Hash::Sha512.pkcs1()),
        oids::RSA_ENCRYPTION => digest.map(Hash::pkcs1).ok_or_else(|| unsupported(&alg.oid)),
        oids::ID_RSASSA_PSS => pss(alg).map(Hash::pss),
        _ => Err(unsupported(&alg.oid)),
    }
}

/// RSASSA-PSS as aws-lc verifies it: MGF1 with the same digest, a salt as long as the digest.
fn pss(alg: &AlgorithmIdentifierOwned) -> Result<Hash, EdsRefusal> {
    let odd =
        |what: &str| EdsRefusal::new(EdsRule::AlgorithmUnsupported, format!("RSASSA-PSS with {what} is not supported"));
    let params = alg.parameters.as_ref().ok_or_else(|| odd("default parameters (SHA-1)"))?;
    let der = der::Encode::to_der(params).map_err(|_| odd("unreadable parameters"))?;
    let params = pkcs1::RsaPssParams::from_der(&der).map_err(|_| odd("unreadable parameters"))?;
    let hash = Hash::of_oid(&params.hash.oid).ok_or_else(|| odd(&name(&params.hash.oid)))?;
    let mgf_hash = params.mask_gen.parameters.as_ref().map(|p| p.oid);
    if params.mask_gen.oid != oids::ID_MGF_1 || mgf_hash != Some(params.hash.oid) {
        return Err(odd("a mask generation other than MGF1 over the same digest"));
    }
    if params.salt_len != hash.len() {
        return Err(odd(&format!("a {}-byte salt (the digest's length is required)", params.salt_len)));
    }
    Ok(hash)
}

/// Whether `signature` over `message` verifies with the RSA key of `spki` by `alg`.
pub fn verifies(
    alg: &'static dyn VerificationAlgorithm,
    spki: &spki::SubjectPublicKeyInfoOwned,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Some(key) = spki.subject_public_key.as_bytes() else { return false };
    signature::UnparsedPublicKey::new(alg, key).verify(message, signature).is_ok()
}
