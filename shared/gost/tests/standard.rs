//! Known answers from the standard itself: the two examples of GOST R 34.10-2012, Appendix A (the same in
//! GOST 34.10-2015 and RFC 7091), each on its own test curve, with the digest already as the integer e.

use gost::verify::verify_prehashed;
use gost::{Curve, CurveParams, PublicKey, U512};

const fn hex(digits: &str) -> U512 {
    U512::from_be_hex(digits)
}

/// Appendix A.1: the 256-bit test curve (values padded to 512 bits).
static EXAMPLE_1: CurveParams = CurveParams {
    name: "GOST R 34.10-2012 A.1 test curve",
    p: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "8000000000000000000000000000000000000000000000000000000000000431"
    )),
    a: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000007"
    )),
    b: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E"
    )),
    q: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3"
    )),
    gx: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000002"
    )),
    gy: hex(concat!(
        "0000000000000000000000000000000000000000000000000000000000000000",
        "08E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8"
    )),
    size: 32,
};

/// Appendix A.2: the 512-bit test curve.
static EXAMPLE_2: CurveParams = CurveParams {
    name: "GOST R 34.10-2012 A.2 test curve",
    p: hex("4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373"),
    a: hex("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007"),
    b: hex("1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC"),
    q: hex("4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF"),
    gx: hex("24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A"),
    gy: hex("2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E"),
    size: 64,
};

fn pad(h: &str) -> U512 {
    U512::from_be_hex(&format!("{h:0>128}"))
}

struct Example {
    curve: &'static CurveParams,
    d: &'static str,
    qx: &'static str,
    qy: &'static str,
    e: &'static str,
    r: &'static str,
    s: &'static str,
}

const A1: Example = Example {
    curve: &EXAMPLE_1,
    d: "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28",
    qx: "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B",
    qy: "26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA",
    e: "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5",
    r: "41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493",
    s: "01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40",
};

const A2: Example = Example {
    curve: &EXAMPLE_2,
    d: "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
    qx: "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
    qy: "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
    e: "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
    r: "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD35492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
    s: "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
};

fn curve(params: &'static CurveParams) -> &'static Curve {
    Box::leak(Box::new(Curve::new(params).expect("the standard's curve")))
}

fn check(example: &Example) {
    let curve = curve(example.curve);
    // The public key of the example's private key is the example's Q.
    let (x, y) = curve.base_multiple(&pad(example.d)).expect("d·G");
    assert_eq!((x, y), (pad(example.qx), pad(example.qy)), "{}: Q = d·G", example.curve.name);
    let key = PublicKey::new(curve, &x, &y).expect("Q is on the curve");
    let (e, r, s) = (pad(example.e), pad(example.r), pad(example.s));
    assert!(verify_prehashed(&key, &e, &r, &s), "{}: the example's signature verifies", example.curve.name);
    // Anything changed and it does not.
    assert!(!verify_prehashed(&key, &e.wrapping_add(&U512::ONE), &r, &s), "another digest");
    assert!(!verify_prehashed(&key, &e, &s, &r), "r and s swapped");
    assert!(!verify_prehashed(&key, &e, &r.wrapping_add(&U512::ONE), &s), "r + 1");
    assert!(!verify_prehashed(&key, &e, &r, &s.wrapping_sub(&U512::ONE)), "s - 1");
    let q = example.curve.q;
    assert!(!verify_prehashed(&key, &e, &U512::ZERO, &s), "r = 0");
    assert!(!verify_prehashed(&key, &e, &r, &U512::ZERO), "s = 0");
    assert!(!verify_prehashed(&key, &e, &q, &s), "r = q");
    assert!(!verify_prehashed(&key, &e, &r, &q), "s = q");
    // r + q is r mod q: an implementation that reduces instead of refusing would accept it.
    assert!(!verify_prehashed(&key, &e, &r.wrapping_add(&q), &s), "r + q");
    // e and e + q are the same residue: the standard reduces α mod q.
    assert!(verify_prehashed(&key, &e.wrapping_add(&q), &r, &s), "α ≡ e (mod q)");
    // Another key (2·Q) does not verify it.
    let (x2, y2) = curve.base_multiple(&pad(example.d).wrapping_add(&pad(example.d))).expect("2d·G");
    let other = PublicKey::new(curve, &x2, &y2).expect("on the curve");
    assert!(!verify_prehashed(&other, &e, &r, &s), "another key");
}

#[test]
fn appendix_a1_the_256_bit_example_verifies() {
    check(&A1);
}

#[test]
fn appendix_a2_the_512_bit_example_verifies() {
    check(&A2);
}

#[test]
fn a_point_off_the_curve_or_out_of_range_is_no_key() {
    let curve = curve(&EXAMPLE_2);
    let (x, y) = (pad(A2.qx), pad(A2.qy));
    assert_eq!(PublicKey::new(curve, &x, &y.wrapping_add(&U512::ONE)).unwrap_err(), gost::curve::KeyError::NotOnCurve);
    assert_eq!(PublicKey::new(curve, &x, &U512::ZERO).unwrap_err(), gost::curve::KeyError::NotOnCurve);
    assert_eq!(
        PublicKey::new(curve, &x.wrapping_add(&EXAMPLE_2.p), &y).unwrap_err(),
        gost::curve::KeyError::OutOfRange
    );
    // (x, p - y) is the negated point: a key, but not the signer's.
    let negated = PublicKey::new(curve, &x, &EXAMPLE_2.p.wrapping_sub(&y)).expect("-Q is on the curve");
    assert!(!verify_prehashed(&negated, &pad(A2.e), &pad(A2.r), &pad(A2.s)));
}

#[test]
fn nca_curve_is_the_published_tc26_512_a() {
    // Its base point is on it (checked by `Curve::new`), and q·G is the point at infinity: q is its order.
    let curve = gost::curve::tc26_512_a();
    assert!(curve.base_multiple(&gost::params::TC26_512_A.q).is_none());
    assert!(curve.base_multiple(&gost::params::TC26_512_A.q.wrapping_sub(&U512::ONE)).is_some());
    assert!(gost::kz::curve_of(gost::kz::PARAMS_512_A).is_some());
    assert!(gost::kz::curve_of("1.2.398.3.10.1.1.2.1.1").is_none(), "an unknown parameter set has no curve");
}
