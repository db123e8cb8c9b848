//! Parameter sets: the curve, its base point and the order of the point's group. Values in big-endian hex,
//! each 128 digits (256-bit values are padded with zeros).

use crypto_bigint::U512;

/// One parameter set as published.
#[derive(Debug)]
pub struct CurveParams {
    /// The name it is published under.
    pub name: &'static str,
    /// The field's prime.
    pub p: U512,
    pub a: U512,
    pub b: U512,
    /// The order of the base point (prime).
    pub q: U512,
    pub gx: U512,
    pub gy: U512,
    /// Bytes of a coordinate, a digest and each half of a signature: 32 or 64.
    pub size: usize,
}

const fn hex(digits: &str) -> U512 {
    U512::from_be_hex(digits)
}

/// `id-tc26-gost-3410-12-512-paramSetA` (1.2.643.7.1.2.1.2.1, R 1323565.1.024-2019): the curve of NCA's
/// GOST 2015 512-bit keys (Kazakh parameter OID 1.2.398.3.10.1.1.2.2.1).
pub static TC26_512_A: CurveParams = CurveParams {
    name: "id-tc26-gost-3410-12-512-paramSetA",
    p: hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7"),
    a: hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC4"),
    b: hex("E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760"),
    q: hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275"),
    gx: hex("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003"),
    gy: hex("7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"),
    size: 64,
};
