//! A curve y² = x³ + ax + b over GF(p) with a base point of prime order q, and its public keys. Field
//! arithmetic in Montgomery form (`crypto-bigint`, 512-bit limbs for every curve); points in Jacobian
//! coordinates, so one inversion per verification.

use crate::params::CurveParams;
use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{NonZero, Odd, U512};

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
    b: Fe,
    g: Point,
}

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
        let curve = Curve { params, fp, fq, q, a, b, g };
        if !curve.on_curve(&g.x, &g.y) {
            return Err(KeyError::Parameters("the base point is not on the curve"));
        }
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

    /// k₁·G + k₂·Q (Shamir's trick: one pass over the bits of both).
    pub(crate) fn double_multiple(&self, k1: &U512, k2: &U512, q: &PublicKey) -> Point {
        let qp = Point { x: q.x, y: q.y, z: Fe::one(&self.fp), infinity: false };
        let both = self.add(&self.g, &qp);
        let bits = k1.bit_width_vartime().max(k2.bit_width_vartime());
        let mut acc = Point { infinity: true, ..self.g };
        for i in (0..bits).rev() {
            acc = self.double(&acc);
            acc = match (k1.bit_vartime(i), k2.bit_vartime(i)) {
                (true, true) => self.add(&acc, &both),
                (true, false) => self.add(&acc, &self.g),
                (false, true) => self.add(&acc, &qp),
                (false, false) => acc,
            };
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
