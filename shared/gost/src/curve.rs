//! A curve y² = x³ + ax + b over GF(p) with a base point of prime order q, and its public keys. Field
//! arithmetic in Montgomery form (`crypto-bigint`, 512-bit limbs for every curve); points in Jacobian
//! coordinates, so one inversion per verification.

use crate::params::{CurveParams, TC26_512_A};
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{NonZero, Odd, U512};
use std::sync::OnceLock;

/// An element of GF(p) or GF(q), in Montgomery form.
pub(crate) type Fe = FixedMontyForm<8>;

/// Why parameters or a key are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    /// The parameters are not a curve this crate can use (even modulus, base point off the curve).
    Parameters(&'static str),
    /// A coordinate is not below p.
    OutOfRange,
    /// The point does not satisfy the curve's equation.
    NotOnCurve,
    /// The encoding is not two coordinates of the curve's size.
    Length { expected: usize, found: usize },
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::Parameters(why) => write!(f, "unusable curve parameters: {why}"),
            KeyError::OutOfRange => f.write_str("a coordinate of the public key is not below the field's prime"),
            KeyError::NotOnCurve => f.write_str("the public key is not a point of the curve"),
            KeyError::Length { expected, found } => {
                write!(f, "a public key of this curve is {expected} bytes, this one is {found}")
            }
        }
    }
}

/// A point in Jacobian coordinates (x = X/Z², y = Y/Z³); `infinity` is the neutral element.
#[derive(Clone, Copy)]
pub(crate) struct Point {
    x: Fe,
    y: Fe,
    z: Fe,
    infinity: bool,
}

pub struct Curve {
    pub params: &'static CurveParams,
    fp: FixedMontyParams<8>,
    fq: FixedMontyParams<8>,
    q: NonZero<U512>,
    a: Fe,
    /// a = p − 3 (tc26 paramSetA): doubling takes the shorter formula.
    a_is_minus_3: bool,
    b: Fe,
    g: Point,
    /// The odd multiples G, 3G, …, 15G (affine), for the base point's windows.
    g_table: Vec<Affine>,
}

/// A point in affine coordinates (never the point at infinity).
#[derive(Clone, Copy)]
pub(crate) struct Affine {
    x: Fe,
    y: Fe,
}

/// Width of the windows (wNAF): odd multiples up to 2^(W-1) − 1 are precomputed.
const W: u32 = 5;

fn is_zero(e: &Fe) -> bool {
    *e.as_montgomery() == U512::ZERO
}

fn same(a: &Fe, b: &Fe) -> bool {
    a.as_montgomery() == b.as_montgomery()
}

impl Curve {
    /// Sets up a curve: p and q odd, the base point on the curve.
    pub fn new(params: &'static CurveParams) -> Result<Curve, KeyError> {
        let odd = |n: U512, what| Option::<Odd<U512>>::from(Odd::new(n)).ok_or(KeyError::Parameters(what));
        let fp = FixedMontyParams::new_vartime(odd(params.p, "p is even")?);
        let fq = FixedMontyParams::new_vartime(odd(params.q, "q is even")?);
        let q = Option::<NonZero<U512>>::from(NonZero::new(params.q)).ok_or(KeyError::Parameters("q is zero"))?;
        let fe = |n: &U512| Fe::new(n, &fp);
        let (a, b) = (fe(&params.a), fe(&params.b));
        let one = Fe::one(&fp);
        let g = Point { x: fe(&params.gx), y: fe(&params.gy), z: one, infinity: false };
        let minus_3 = Fe::zero(&fp).sub(&fe(&U512::from_u8(3)));
        let a_is_minus_3 = same(&a, &minus_3);
        let mut curve = Curve { params, fp, fq, q, a, a_is_minus_3, b, g, g_table: Vec::new() };
        if !curve.on_curve(&g.x, &g.y) {
            return Err(KeyError::Parameters("the base point is not on the curve"));
        }
        curve.g_table =
            curve.odd_multiples(&Affine { x: g.x, y: g.y }).ok_or(KeyError::Parameters("G has a small order"))?;
        Ok(curve)
    }

    fn on_curve(&self, x: &Fe, y: &Fe) -> bool {
        let right = x.square().mul(x).add(&self.a.mul(x)).add(&self.b);
        same(&y.square(), &right)
    }

    pub(crate) fn q(&self) -> &NonZero<U512> {
        &self.q
    }

    pub(crate) fn scalar(&self, n: &U512) -> Fe {
        Fe::new(n, &self.fq)
    }

    fn double(&self, p: &Point) -> Point {
        if p.infinity || is_zero(&p.y) {
            return Point { infinity: true, ..*p };
        }
        if self.a_is_minus_3 {
            // dbl-2001-b (a = −3): 3M + 5S.
            let delta = p.z.square();
            let gamma = p.y.square();
            let beta = p.x.mul(&gamma);
            let t = p.x.sub(&delta).mul(&p.x.add(&delta));
            let alpha = t.double().add(&t);
            let beta4 = beta.double().double();
            let x = alpha.square().sub(&beta4.double());
            let z = p.y.add(&p.z).square().sub(&gamma).sub(&delta);
            let y = alpha.mul(&beta4.sub(&x)).sub(&gamma.square().double().double().double());
            return Point { x, y, z, infinity: false };
        }
        // dbl-2007-bl (any a).
        let xx = p.x.square();
        let yy = p.y.square();
        let yyyy = yy.square();
        let zz = p.z.square();
        let s = p.x.add(&yy).square().sub(&xx).sub(&yyyy).double();
        let m = xx.double().add(&xx).add(&self.a.mul(&zz.square()));
        let t = m.square().sub(&s.double());
        let y = m.mul(&s.sub(&t)).sub(&yyyy.double().double().double());
        let z = p.y.add(&p.z).square().sub(&yy).sub(&zz);
        Point { x: t, y, z, infinity: false }
    }

    fn add(&self, p: &Point, q: &Point) -> Point {
        if p.infinity {
            return *q;
        }
        if q.infinity {
            return *p;
        }
        // add-2007-bl.
        let z1z1 = p.z.square();
        let z2z2 = q.z.square();
        let u1 = p.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = p.y.mul(&q.z).mul(&z2z2);
        let s2 = q.y.mul(&p.z).mul(&z1z1);
        if same(&u1, &u2) {
            return if same(&s1, &s2) { self.double(p) } else { Point { infinity: true, ..*p } };
        }
        let h = u2.sub(&u1);
        let i = h.double().square();
        let j = h.mul(&i);
        let r = s2.sub(&s1).double();
        let v = u1.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&s1.mul(&j).double());
        let z = p.z.add(&q.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Point { x, y, z, infinity: false }
    }

    /// p + q with q affine (madd-2007-bl: 7M + 4S).
    fn add_affine(&self, p: &Point, q: &Affine) -> Point {
        if p.infinity {
            return Point { x: q.x, y: q.y, z: Fe::one(&self.fp), infinity: false };
        }
        let z1z1 = p.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&p.z).mul(&z1z1);
        let h = u2.sub(&p.x);
        let r = s2.sub(&p.y).double();
        if is_zero(&h) {
            return if is_zero(&r) { self.double(p) } else { Point { infinity: true, ..*p } };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = p.x.mul(&i);
        let x = r.square().sub(&j).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&p.y.mul(&j).double());
        let z = p.z.add(&h).square().sub(&z1z1).sub(&hh);
        Point { x, y, z, infinity: false }
    }

    fn negate(&self, q: &Affine) -> Affine {
        Affine { x: q.x, y: q.y.neg() }
    }

    /// P, 3P, 5P, …, (2^(W−1) − 1)P in affine coordinates (one inversion for all, Montgomery's trick); None
    /// if one of them is the point at infinity (P of small order: never for a point of a prime-order curve).
    fn odd_multiples(&self, p: &Affine) -> Option<Vec<Affine>> {
        let count = 1usize << (W - 2);
        let start = Point { x: p.x, y: p.y, z: Fe::one(&self.fp), infinity: false };
        let twice = self.double(&start);
        let mut jac = vec![start];
        for k in 1..count {
            let next = self.add(&jac[k - 1], &twice);
            jac.push(next);
        }
        if jac.iter().any(|q| q.infinity) {
            return None;
        }
        // Batch inversion of the Z's.
        let mut prefix = Vec::with_capacity(count);
        let mut acc = Fe::one(&self.fp);
        for q in &jac {
            prefix.push(acc);
            acc = acc.mul(&q.z);
        }
        let mut inv = Option::<Fe>::from(acc.invert_vartime())?;
        let mut out = vec![Affine { x: p.x, y: p.y }; count];
        for k in (0..count).rev() {
            let z_inv = inv.mul(&prefix[k]);
            inv = inv.mul(&jac[k].z);
            let z2 = z_inv.square();
            out[k] = Affine { x: jac[k].x.mul(&z2), y: jac[k].y.mul(&z2.mul(&z_inv)) };
        }
        Some(out)
    }

    /// k₁·G + k₂·Q: both scalars in width-W NAF, one pass of doublings, mixed additions of precomputed odd
    /// multiples (G's once per curve, Q's per verification).
    pub(crate) fn double_multiple(&self, k1: &U512, k2: &U512, q: &PublicKey) -> Point {
        let acc = Point { infinity: true, ..self.g };
        let Some(q_table) = self.odd_multiples(&Affine { x: q.x, y: q.y }) else { return acc };
        let (n1, n2) = (wnaf(k1), wnaf(k2));
        let mut acc = acc;
        for i in (0..n1.len().max(n2.len())).rev() {
            acc = self.double(&acc);
            for (digits, table) in [(&n1, &self.g_table), (&n2, &q_table)] {
                let d = digits.get(i).copied().unwrap_or(0);
                if d > 0 {
                    acc = self.add_affine(&acc, &table[(d as usize) / 2]);
                } else if d < 0 {
                    acc = self.add_affine(&acc, &self.negate(&table[(-d as usize) / 2]));
                }
            }
        }
        acc
    }

    /// The affine x of a point (None for the point at infinity).
    pub(crate) fn affine_x(&self, p: &Point) -> Option<U512> {
        if p.infinity {
            return None;
        }
        let z_inv = Option::<Fe>::from(p.z.invert_vartime())?;
        Some(p.x.mul(&z_inv.square()).retrieve())
    }

    /// k·G in affine coordinates (None when k is a multiple of q): what a public key is to its private key.
    pub fn base_multiple(&self, k: &U512) -> Option<(U512, U512)> {
        let mut acc = Point { infinity: true, ..self.g };
        for i in (0..k.bit_width_vartime()).rev() {
            acc = self.double(&acc);
            if k.bit_vartime(i) {
                acc = self.add(&acc, &self.g);
            }
        }
        if acc.infinity {
            return None;
        }
        let z_inv = Option::<Fe>::from(acc.z.invert_vartime())?;
        let z2 = z_inv.square();
        Some((acc.x.mul(&z2).retrieve(), acc.y.mul(&z2.mul(&z_inv)).retrieve()))
    }
}

/// The width-W non-adjacent form of k, least significant digit first: odd digits in (−2^(W−1), 2^(W−1)), at
/// least W − 1 zeros after each.
fn wnaf(k: &U512) -> Vec<i8> {
    let window = 1i32 << W;
    let mut n = *k;
    let mut out = Vec::with_capacity(520);
    while n != U512::ZERO {
        let digit = if n.bit_vartime(0) {
            let low = (n.as_words()[0] as i32) & (window - 1);
            let d = if low >= window / 2 { low - window } else { low };
            n = if d >= 0 {
                n.wrapping_sub(&U512::from_u32(d as u32))
            } else {
                n.wrapping_add(&U512::from_u32((-d) as u32))
            };
            d as i8
        } else {
            0
        };
        out.push(digit);
        n = n.shr_vartime(1);
    }
    out
}

/// A public key: a point of the curve (affine, never the point at infinity).
#[derive(Clone, Copy)]
pub struct PublicKey {
    pub(crate) curve: &'static Curve,
    x: Fe,
    y: Fe,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey").field("curve", &self.curve.params.name).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// The point (x, y): both below p and on the curve. (Every curve here has cofactor 1, so a point of the
    /// curve is in the base point's group.)
    pub fn new(curve: &'static Curve, x: &U512, y: &U512) -> Result<PublicKey, KeyError> {
        if *x >= curve.params.p || *y >= curve.params.p {
            return Err(KeyError::OutOfRange);
        }
        let (x, y) = (Fe::new(x, &curve.fp), Fe::new(y, &curve.fp));
        if !curve.on_curve(&x, &y) {
            return Err(KeyError::NotOnCurve);
        }
        Ok(PublicKey { curve, x, y })
    }

    pub fn curve(&self) -> &'static Curve {
        self.curve
    }
}

/// The curve of [`TC26_512_A`], set up once.
pub fn tc26_512_a() -> &'static Curve {
    static CURVE: OnceLock<Curve> = OnceLock::new();
    CURVE.get_or_init(|| Curve::new(&TC26_512_A).unwrap_or_else(|e| unreachable!("published parameters: {e}")))
}
