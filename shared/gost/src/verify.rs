//! GOST R 34.10-2012, section 6.2: a signature (r, s) over a digest, with the digest already read as the
//! integer α.

use crate::curve::PublicKey;
use crypto_bigint::U512;

/// Whether (r, s) is a signature of the digest α by `key`:
/// 0 < r, s < q; e = α mod q (1 if 0); v = e⁻¹; z₁ = s·v, z₂ = −r·v (mod q); C = z₁G + z₂Q; R = x_C mod q = r.
pub fn verify_prehashed(key: &PublicKey, alpha: &U512, r: &U512, s: &U512) -> bool {
    let curve = key.curve;
    let q = curve.q();
    let in_range = |n: &U512| *n != U512::ZERO && n < q.as_ref();
    if !in_range(r) || !in_range(s) {
        return false;
    }
    let mut e = alpha.rem_vartime(q);
    if e == U512::ZERO {
        e = U512::ONE;
    }
    let Some(v) = Option::from(curve.scalar(&e).invert_vartime()) else { return false };
    let v: crate::curve::Fe = v;
    let z1 = curve.scalar(s).mul(&v).retrieve();
    let z2 = curve.scalar(r).mul(&v).neg().retrieve();
    let c = curve.double_multiple(&z1, &z2, key);
    match curve.affine_x(&c) {
        Some(x) => x.rem_vartime(q) == *r,
        None => false,
    }
}
