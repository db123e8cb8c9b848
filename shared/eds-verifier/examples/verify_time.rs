//! Benchmark (scripts/bench, report in BENCHMARKS.md; not a test): how long submit's verifier takes for one
//! CMS, on one core, without network (the OCSP answer cached, as between NCA's nextUpdates):
//! - GOST 2015-512 as Kalkan signs: the signature, the signer's certificate by the configured issuing CA (whose
//!   own signature by the root was checked when the verifier was made), and a timestamp token (its signature,
//!   its TSA's certificate by the CA): four GOST 34.10-2015 512-bit checks;
//! - RSA-2048 PKCS#1 v1.5 as NCALayer signed, with its intermediate.
//!
//! `cargo run --release -p eds-verifier --example verify_time [-- RUNS]`

use chrono::Utc;
use domain::eds::EdsVerifier;
use domain::Iin;
use eds_verifier::{Fetch, TrustAnchors, Verifier};
use std::sync::Arc;
use std::time::{Duration, Instant};
use test_pki::{Family, Pki, Profile, SignOptions};

const DAULET: &str = "880702300117";

struct InProcess(Arc<Pki>);

#[async_trait::async_trait]
impl Fetch for InProcess {
    async fn ocsp(&self, _: &str, request: Vec<u8>) -> Result<Vec<u8>, String> {
        self.0.ocsp_answer(&request, Utc::now())
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        self.0.crl_at(url, Utc::now())
    }
}

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    format!("{:.3} | {:.3} | {:.3} | {:.3}", at(0.0), at(0.5), at(0.95), at(1.0))
}

async fn time(v: &Verifier, cms: &[u8], document: &[u8], runs: usize) -> Vec<Duration> {
    let iin = Iin::parse(DAULET).expect("iin");
    v.verify(cms, document, &iin, Utc::now()).await.expect("verifies (and caches the OCSP answer)");
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        v.verify(cms, document, &iin, Utc::now()).await.expect("verifies");
        times.push(started.elapsed());
    }
    times
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(300);
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
    rt.block_on(async {
        let pki = Arc::new(Pki::new("http://127.0.0.1:9/ocsp", "http://127.0.0.1:9/crl").expect("pki"));
        let document = br#"{"document":"kz.egov.residence-registration/1","kind":"PERMANENT"}"#;
        let (anchors, _) = TrustAnchors::new(vec![pki.root.x509.clone(), pki.gost_root.x509.clone()])
            .with_intermediate_certificates(vec![pki.gost_intermediate.x509.clone()]);
        let v = Verifier::new(anchors, Arc::new(InProcess(pki.clone())));
        let gost = pki.person_in(DAULET, Profile::Signing, Family::Gost).expect("person");
        let kalkan = pki.sign(&gost, document, &SignOptions::kalkan(Utc::now())).expect("sign");
        let no_token = pki
            .sign(&gost, document, &SignOptions { timestamp: None, ..SignOptions::kalkan(Utc::now()) })
            .expect("sign");
        let rsa = pki.person(DAULET, Profile::Signing).expect("person");
        let ncalayer = pki.sign(&rsa, document, &SignOptions::default()).expect("sign");
        let key = gost::kz::public_key(
            gost::curve::tc26_512_a(),
            &{
                let spki = &gost.cert.tbs_certificate.subject_public_key_info;
                <der::asn1::OctetString as der::Decode>::from_der(spki.subject_public_key.raw_bytes())
                    .expect("octets")
                    .as_bytes()
                    .to_vec()
            },
        )
        .expect("key");
        println!("One verification on one core ({runs} runs after one warm-up; milliseconds):");
        println!();
        println!("| what | min | median | p95 | max |");
        println!("|---|---|---|---|---|");
        println!("| GOST 2015-512 CMS as Kalkan signs: the signature, the signer by its CA, the timestamp token and its TSA by the CA (4 GOST checks; the CA by the root was checked at set-up) | {} |", stats(time(&v, &kalkan, document, runs).await));
        println!("| the same without a timestamp token (2 GOST checks) | {} |", stats(time(&v, &no_token, document, runs).await));
        println!("| RSA-2048 PKCS#1 v1.5 CMS as NCALayer signed, with its intermediate | {} |", stats(time(&v, &ncalayer, document, runs).await));
        let signature = {
            let s = eds_verifier::signed::parse(&no_token).expect("cms");
            s.signer.signature.as_bytes().to_vec()
        };
        let attrs = {
            let s = eds_verifier::signed::parse(&no_token).expect("cms");
            der::Encode::to_der(&s.signer.signed_attrs.expect("attrs")).expect("der")
        };
        let mut raw = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            assert!(gost::kz::verify(&key, &attrs, &signature));
            raw.push(started.elapsed());
        }
        println!("| one GOST 34.10-2015 512-bit signature (gost crate alone) | {} |", stats(raw));
    });
}
