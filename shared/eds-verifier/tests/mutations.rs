//! Bad input: mutated real CMS (Kalkan's, NCANode's, and the test PKI's GOST and RSA ones), thousands of
//! them: bits flipped, bytes changed, inserted, deleted, lengths bent, truncated. None may panic, each is
//! answered within 100 ms, and none is accepted unless its signature value is the original's (a mutation in a
//! part the signature does not cover, such as another certificate of the set).

use chrono::{DateTime, Utc};
use eds_verifier::report::Check;
use eds_verifier::{Fetch, TrustAnchors, Verifier};
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The package's folder: as cargo sets it when the test runs (a test binary built in another checkout and
/// reused from a shared build cache keeps the compile-time path of that checkout).
fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
}

struct Offline;

#[async_trait::async_trait]
impl Fetch for Offline {
    async fn ocsp(&self, _: &str, _: Vec<u8>) -> Result<Vec<u8>, String> {
        Err("offline".into())
    }
    async fn crl(&self, _: &str) -> Result<Vec<u8>, String> {
        Err("offline".into())
    }
}

fn nca(name: &str) -> Vec<u8> {
    std::fs::read(manifest_dir().join("tests/nca").join(name)).expect("file")
}

fn mutate(original: &[u8], rng: &mut impl Rng) -> Vec<u8> {
    let mut m = original.to_vec();
    let at = rng.gen_range(0..m.len());
    match rng.gen_range(0..6) {
        0 => m[at] ^= 1 << rng.gen_range(0..8),
        1 => m[at] = rng.gen(),
        2 => m.insert(at, rng.gen()),
        3 => {
            m.remove(at);
        }
        4 => m.truncate(at),
        // A DER length byte (after a tag) bent up or down.
        _ => {
            if let Some(i) =
                (at..m.len().saturating_sub(1)).find(|&i| matches!(m[i], 0x30 | 0x31 | 0x04 | 0x02 | 0xA0 | 0xA1))
            {
                m[i + 1] = m[i + 1].wrapping_add(if rng.gen() { 1 } else { 0xFF });
            }
        }
    }
    m
}

fn seal(cms: &[u8]) -> Option<Vec<u8>> {
    eds_verifier::signed::parse(cms).ok().map(|s| s.signer.signature.as_bytes().to_vec())
}

#[tokio::test]
async fn mutated_real_cms_never_panic_are_answered_quickly_and_never_forge() {
    let pki = test_pki::Pki::new("http://127.0.0.1:9/ocsp", "http://127.0.0.1:9/crl").expect("pki");
    let gost = pki.person_in("880702300117", test_pki::Profile::Signing, test_pki::Family::Gost).expect("person");
    let rsa = pki.person("880702300117", test_pki::Profile::Signing).expect("person");
    let now = Utc::now();
    let document = b"the document".to_vec();
    let ours_gost = pki.sign(&gost, &document, &test_pki::SignOptions::kalkan(now)).expect("sign");
    let ours_rsa = pki
        .sign(&rsa, &document, &test_pki::SignOptions { signing_time: Some(now), ..Default::default() })
        .expect("sign");
    let kalkan_time: DateTime<Utc> = "2026-07-20T09:10:00Z".parse().expect("time");
    let samples: Vec<(Vec<u8>, Vec<u8>, DateTime<Utc>)> = vec![
        (nca("kalkan-2026-individual_attached.der"), nca("kalkan-2026-individual_document.txt"), kalkan_time),
        (nca("kalkan-2026-individual_detached.der"), nca("kalkan-2026-individual_document.txt"), kalkan_time),
        (nca("kalkan-2026-legal_entity_attached.der"), nca("kalkan-2026-legal_entity_document.txt"), kalkan_time),
        (nca("ncanode-2022-one_signer_rsa.p7s"), b"test123".to_vec(), "2022-09-28T14:41:00Z".parse().expect("t")),
        (ours_gost, document.clone(), now),
        (ours_rsa, document, now),
    ];
    let ca = der::EncodePem::to_pem(&pki.gost_intermediate.x509, der::pem::LineEnding::LF).expect("pem");
    let cert = |name: &str| <x509_cert::Certificate as der::Decode>::from_der(&nca(name)).expect("certificate");
    let nca_root = [cert("kalkan-2026-root_test_gost_2022.cer"), cert("kalkan-2026-nca_gost2022_test.cer")];
    let (anchors, _) = TrustAnchors::new(vec![pki.root.x509.clone(), pki.gost_root.x509.clone(), nca_root[0].clone()])
        .with_intermediate_certificates(
            [eds_verifier::anchors::certificates(&ca).expect("ca"), vec![nca_root[1].clone()]].concat(),
        );
    let v = Verifier::new(anchors, Arc::new(Offline));
    let mut rng = rand::rngs::StdRng::seed_from_u64(22);
    let (mut slowest, mut checked, mut held) = (Duration::ZERO, 0, 0);
    for (original, content, at) in &samples {
        let original_seal = seal(original);
        for _ in 0..500 {
            let mutant = mutate(original, &mut rng);
            let check =
                Check { content: Some(content), applicant: None, at: *at, revocation: false, stop_at_first: true };
            let started = Instant::now();
            let report = v.check(&mutant, check).await;
            slowest = slowest.max(started.elapsed());
            checked += 1;
            if report.holds() {
                held += 1;
                assert_eq!(seal(&mutant), original_seal, "a mutant with another signature value was accepted");
            }
        }
    }
    assert_eq!(checked, 3000);
    assert!(slowest < Duration::from_millis(100), "the slowest answer took {slowest:?}");
    assert!(held < checked / 10, "{held} of {checked} mutants held: the mutations are not reaching the signature");
}
