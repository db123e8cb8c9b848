//! GOST 34.10-2015 signature verification (Kazakhstan's adoption of GOST R 34.10-2012), as NCA's keys use
//! it, on RustCrypto primitives: `crypto-bigint` for the arithmetic, `streebog` for GOST 34.11-2015.
//!
//! - [`curve`]: a short Weierstrass curve over a prime field, points in Jacobian coordinates;
//! - [`params`]: the parameter sets as published (NCA's 512-bit curve is tc26 paramSetA, set up once by
//!   [`curve::tc26_512_a`]);
//! - [`verify`]: the standard's verification, over the digest as an integer;
//! - [`kz`]: the wire format NCA's certificates and CMS use (little-endian key, digest and signature) and the
//!   Kazakh OIDs.
//!
//! Verification only: nothing in this crate signs. No `unsafe`.

#![forbid(unsafe_code)]

pub mod curve;
pub mod kz;
pub mod params;
pub mod verify;

pub use crypto_bigint::U512;
pub use curve::{Curve, PublicKey};
pub use params::CurveParams;
