//! A differential test against an independent implementation: PyPI's `gostcrypto` (Python), in the project's
//! venv (scripts/setup-tools installs it; without it this test fails, it never skips).
//!
//! Rust signs (the signing below lives in this test only) and gostcrypto verifies; gostcrypto signs and this
//! crate verifies; each side also gets a corrupted twin of every signature (one bit flipped), which both
//! must refuse. Keys, messages and bit positions are random each run.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Odd, U512};
use gost::curve::tc26_512_a;
use gost::params::TC26_512_A;
use rand::RngCore;
use std::io::Write;
use std::process::{Command, Stdio};

/// The package's folder: as cargo sets it when the test runs (a test binary built in another checkout and
/// reused from a shared build cache keeps the compile-time path of that checkout).
fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
}

const RUST_SIGNED: usize = 120;
const PYTHON_SIGNED: usize = 120;

fn le(n: &U512) -> Vec<u8> {
    n.to_le_bytes().as_ref().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

fn random_scalar(rng: &mut impl RngCore) -> U512 {
    loop {
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        let k = U512::from_le_slice(&bytes);
        if k != U512::ZERO && k < TC26_512_A.q {
            return k;
        }
    }
}

/// GOST R 34.10-2012 section 6.1, in NCA's byte order: r = x(kG) mod q, s = r·d + k·e mod q.
fn sign(d: &U512, message: &[u8], rng: &mut impl RngCore) -> Vec<u8> {
    let curve = tc26_512_a();
    let fq = FixedMontyParams::new_vartime(Option::<Odd<U512>>::from(Odd::new(TC26_512_A.q)).expect("odd"));
    let q = Option::from(crypto_bigint::NonZero::new(TC26_512_A.q)).expect("non-zero");
    let mut e = U512::from_le_slice(&gost::kz::streebog512(message)).rem_vartime(&q);
    if e == U512::ZERO {
        e = U512::ONE;
    }
    loop {
        let k = random_scalar(rng);
        let (x, _) = curve.base_multiple(&k).expect("k < q");
        let r = x.rem_vartime(&q);
        let m = |n: &U512| FixedMontyForm::new(n, &fq);
        let s = m(&r).mul(&m(d)).add(&m(&k).mul(&m(&e))).retrieve();
        if r != U512::ZERO && s != U512::ZERO {
            return [le(&r), le(&s)].concat();
        }
    }
}

fn flip(signature: &[u8], rng: &mut impl RngCore) -> Vec<u8> {
    let mut out = signature.to_vec();
    let bit = (rng.next_u32() as usize) % (out.len() * 8);
    out[bit / 8] ^= 1 << (bit % 8);
    out
}

fn venv_python() -> std::path::PathBuf {
    let root = manifest_dir().join("../..");
    let python = root.join(".venv/bin/python");
    assert!(python.exists(), "{} is missing: run scripts/setup-tools (the test script does)", python.display());
    python
}

#[test]
fn gostcrypto_and_this_crate_agree_both_ways() {
    let mut rng = rand::thread_rng();
    let curve = tc26_512_a();
    let mut cases = Vec::new();
    for i in 0..RUST_SIGNED {
        let d = random_scalar(&mut rng);
        let (x, y) = curve.base_multiple(&d).expect("d < q");
        let mut message = vec![0u8; 1 + i * 7 % 300];
        rng.fill_bytes(&mut message);
        let signature = sign(&d, &message, &mut rng);
        let key = [le(&x), le(&y)].concat();
        let public = gost::kz::public_key(curve, &key).expect("d·G is a key");
        assert!(gost::kz::verify(&public, &message, &signature), "this crate verifies its own test signature");
        let corrupted = flip(&signature, &mut rng);
        assert!(!gost::kz::verify(&public, &message, &corrupted), "this crate refuses a flipped bit");
        cases.push(serde_json::json!({
            "key": hex(&key), "message": hex(&message), "signature": hex(&signature), "corrupted": hex(&corrupted),
        }));
    }
    let request = serde_json::json!({ "cases": cases, "sign": PYTHON_SIGNED });
    let script = manifest_dir().join("tests/gostcrypto_differential.py");
    let mut child = Command::new(venv_python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python runs");
    child.stdin.take().expect("stdin").write_all(request.to_string().as_bytes()).expect("cases written");
    let output = child.wait_with_output().expect("python ends");
    assert!(output.status.success(), "gostcrypto's side failed: {:?}", output.status);
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON from python");

    let verdicts = answer["verdicts"].as_array().expect("verdicts");
    assert_eq!(verdicts.len(), 2 * RUST_SIGNED);
    for (i, pair) in verdicts.chunks(2).enumerate() {
        assert_eq!(pair[0], true, "gostcrypto verifies Rust's signature {i}");
        assert_eq!(pair[1], false, "gostcrypto refuses Rust's corrupted signature {i}");
    }

    let signed = answer["signed"].as_array().expect("signed");
    assert_eq!(signed.len(), PYTHON_SIGNED);
    for (i, case) in signed.iter().enumerate() {
        let field = |name: &str| unhex(case[name].as_str().expect("hex field"));
        let key = gost::kz::public_key(curve, &field("key")).expect("gostcrypto's key is on the curve");
        let message = field("message");
        assert!(gost::kz::verify(&key, &message, &field("signature")), "this crate verifies gostcrypto's {i}");
        assert!(!gost::kz::verify(&key, &message, &field("corrupted")), "this crate refuses corrupted {i}");
    }
}
