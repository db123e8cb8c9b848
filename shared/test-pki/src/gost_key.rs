//! A GOST 34.10-2015 512-bit key for the test PKI, and signing with it in NCA's byte order (r‖s, each
//! little-endian, over Streebog-512 read little-endian). Signing lives here, in a test crate, never in a
//! Lambda: the `gost` crate only verifies.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{NonZero, Odd, U512};
use der::asn1::{BitString, OctetString};
use der::{Any, Decode, Encode};
use gost::curve::tc26_512_a;
use gost::params::TC26_512_A;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// NCA's OIDs for the key and the signature.
pub const KEY: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap(gost::kz::KEY_512);
pub const PARAMS: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap(gost::kz::PARAMS_512_A);
pub const DIGEST: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap(gost::kz::DIGEST_512);
pub const SIGNATURE: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap(gost::kz::SIGNATURE_512);

pub struct GostKey {
    d: U512,
    /// X‖Y, each little-endian: what the certificate carries.
    public: Vec<u8>,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn random_scalar() -> Result<U512, String> {
    loop {
        let mut bytes = [0u8; 64];
        aws_lc_rs::rand::fill(&mut bytes).map_err(|_| "no randomness")?;
        let k = U512::from_le_slice(&bytes);
        if k != U512::ZERO && k < TC26_512_A.q {
            return Ok(k);
        }
    }
}

fn le(n: &U512) -> Vec<u8> {
    n.to_le_bytes().as_ref().to_vec()
}

impl GostKey {
    pub fn generate() -> Result<GostKey, String> {
        let d = random_scalar()?;
        let (x, y) = tc26_512_a().base_multiple(&d).ok_or("d is a multiple of q")?;
        Ok(GostKey { d, public: [le(&x), le(&y)].concat() })
    }

    /// The SubjectPublicKeyInfo NCA writes: the key OID with SEQUENCE { paramSetA, Streebog-512 }, and an
    /// OCTET STRING of X‖Y in the BIT STRING.
    pub fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, String> {
        let params = vec![PARAMS, DIGEST].to_der().map_err(err)?;
        let key = OctetString::new(self.public.clone()).map_err(err)?.to_der().map_err(err)?;
        Ok(SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned { oid: KEY, parameters: Some(Any::from_der(&params).map_err(err)?) },
            subject_public_key: BitString::from_bytes(&key).map_err(err)?,
        })
    }

    /// The signature algorithm identifier as Kalkan writes it (no parameters).
    pub fn algorithm() -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned { oid: SIGNATURE, parameters: None }
    }

    /// GOST R 34.10-2012 section 6.1: r = x(kG) mod q, s = r·d + k·e mod q; returned as r‖s little-endian.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let curve = tc26_512_a();
        let q = Option::<NonZero<U512>>::from(NonZero::new(TC26_512_A.q)).ok_or("q")?;
        let fq = FixedMontyParams::new_vartime(Option::<Odd<U512>>::from(Odd::new(TC26_512_A.q)).ok_or("q")?);
        let mut e = U512::from_le_slice(&gost::kz::streebog512(message)).rem_vartime(&q);
        if e == U512::ZERO {
            e = U512::ONE;
        }
        let m = |n: &U512| FixedMontyForm::new(n, &fq);
        loop {
            let k = random_scalar()?;
            let (x, _) = curve.base_multiple(&k).ok_or("k is a multiple of q")?;
            let r = x.rem_vartime(&q);
            let s = m(&r).mul(&m(&self.d)).add(&m(&k).mul(&m(&e))).retrieve();
            if r != U512::ZERO && s != U512::ZERO {
                return Ok([le(&r), le(&s)].concat());
            }
        }
    }
}
