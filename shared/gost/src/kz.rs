//! GOST 34.10-2015 as NCA's certificates and Kalkan's CMS carry it (established from NCA's test certificates
//! and Kalkan-made CMS, see the eds crate's NCA tests):
//! - the key is `SubjectPublicKeyInfo { 1.2.398.3.10.1.1.2.2, params SEQUENCE { 1.2.398.3.10.1.1.2.2.1,
//!   1.2.398.3.10.1.3.3 } }` whose BIT STRING holds an OCTET STRING of 128 bytes: X then Y, each little-endian;
//! - the digest is GOST 34.11-2015 (Streebog-512) of the message, read as a little-endian integer;
//! - the signature is 128 bytes: r then s, each little-endian.

use crate::curve::{KeyError, PublicKey};
use crate::verify::verify_prehashed;
use crypto_bigint::U512;
use streebog::{Digest, Streebog256, Streebog512};

/// The public key algorithm of NCA's GOST 2015 512-bit keys.
pub const KEY_512: &str = "1.2.398.3.10.1.1.2.2";
/// Its one parameter set: tc26 paramSetA.
pub const PARAMS_512_A: &str = "1.2.398.3.10.1.1.2.2.1";
/// The 256-bit sibling of the key algorithm: never seen in NCA's test packs, so no parameter set is known.
pub const KEY_256: &str = "1.2.398.3.10.1.1.2.1";
/// GOST 34.11-2015 with a 512-bit digest (Streebog-512).
pub const DIGEST_512: &str = "1.2.398.3.10.1.3.3";
/// GOST 34.11-2015 with a 256-bit digest (Streebog-256).
pub const DIGEST_256: &str = "1.2.398.3.10.1.3.2";
/// GOST 34.10-2015 512-bit with GOST 34.11-2015 512-bit.
pub const SIGNATURE_512: &str = "1.2.398.3.10.1.1.2.3.2";
/// GOST 34.10-2015 256-bit with GOST 34.11-2015 256-bit.
pub const SIGNATURE_256: &str = "1.2.398.3.10.1.1.2.3.1";

/// The curve of a parameter set OID (dotted); None for any other.
pub fn curve_of(parameter_set: &str) -> Option<&'static crate::Curve> {
    match parameter_set {
        PARAMS_512_A => Some(crate::curve::tc26_512_a()),
        _ => None,
    }
}

/// Streebog-512 of `data`.
pub fn streebog512(data: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out.copy_from_slice(&Streebog512::digest(data));
    out
}

/// Streebog-256 of `data`.
pub fn streebog256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&Streebog256::digest(data));
    out
}

/// A little-endian integer of at most 64 bytes.
fn le(bytes: &[u8]) -> U512 {
    let mut padded = [0u8; 64];
    padded[..bytes.len()].copy_from_slice(bytes);
    U512::from_le_slice(&padded)
}

/// The key from the 2·size bytes X‖Y (each little-endian) NCA's certificates carry.
pub fn public_key(curve: &'static crate::Curve, octets: &[u8]) -> Result<PublicKey, KeyError> {
    let size = curve.params.size;
    if octets.len() != 2 * size {
        return Err(KeyError::Length { expected: 2 * size, found: octets.len() });
    }
    PublicKey::new(curve, &le(&octets[..size]), &le(&octets[size..]))
}

/// Whether `signature` (r‖s, each little-endian) is `key`'s over Streebog-512 of `message`.
pub fn verify(key: &PublicKey, message: &[u8], signature: &[u8]) -> bool {
    verify_digest(key, &streebog512(message), signature)
}

/// Whether `signature` (r‖s, each little-endian) is `key`'s over `digest` (read little-endian).
pub fn verify_digest(key: &PublicKey, digest: &[u8], signature: &[u8]) -> bool {
    let size = key.curve().params.size;
    if signature.len() != 2 * size || digest.len() != size {
        return false;
    }
    verify_prehashed(key, &le(digest), &le(&signature[..size]), &le(&signature[size..]))
}
