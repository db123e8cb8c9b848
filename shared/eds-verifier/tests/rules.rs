//! Every rule of `eds_verifier::Verifier`, against a test PKI shaped like NCA's (`test-pki`) and its responder.

use chrono::{Duration, Utc};
use domain::eds::{EdsRule, EdsVerifier};
use domain::Iin;
use eds_verifier::{Fetch, TrustAnchors, Verifier};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use test_pki::{Hash, Pki, Profile, Scheme, SignOptions};

const DAULET: &str = "880702300117";
const AIGERIM: &str = "900315400017";
const DOCUMENT: &[u8] = br#"{"document":"kz.egov.residence-registration/1","kind":"PERMANENT","movedInOn":"2026-11-24","reason":"OWN_PROPERTY","registrantIin":"880702300117","rka":"0201500000000001"}"#;

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| Pki::new("http://ocsp.test/", "http://crl.test/nca_rsa.crl").expect("pki"))
}

/// The test PKI's responder and CRLs, without HTTP: each can be down, and calls are counted.
struct Responder {
    pki: &'static Pki,
    ocsp_down: AtomicBool,
    /// Both CRLs (the intermediate's and the root's).
    crl_down: AtomicBool,
    root_crl_down: AtomicBool,
    slow: AtomicBool,
    ocsp_calls: AtomicUsize,
    /// The intermediate's CRL (people's certificates).
    crl_calls: AtomicUsize,
    /// The root's CRL (the intermediate's certificate).
    root_crl_calls: AtomicUsize,
    /// Answer every request with this earlier answer (a replay: its nonce is another request's).
    replay: Mutex<Option<Vec<u8>>>,
    last_answer: Mutex<Option<Vec<u8>>>,
}

#[async_trait::async_trait]
impl Fetch for Responder {
    async fn ocsp(&self, _url: &str, request: Vec<u8>) -> Result<Vec<u8>, String> {
        self.ocsp_calls.fetch_add(1, SeqCst);
        if self.slow.load(SeqCst) {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
        if self.ocsp_down.load(SeqCst) {
            return Err("connection refused".into());
        }
        if let Some(old) = self.replay.lock().expect("lock").clone() {
            return Ok(old);
        }
        let answer = self.pki.ocsp_answer(&request, Utc::now())?;
        *self.last_answer.lock().expect("lock") = Some(answer.clone());
        Ok(answer)
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        let root = url == self.pki.root_crl_url;
        let (calls, down) =
            if root { (&self.root_crl_calls, &self.root_crl_down) } else { (&self.crl_calls, &self.crl_down) };
        calls.fetch_add(1, SeqCst);
        if down.load(SeqCst) || self.crl_down.load(SeqCst) {
            return Err("connection refused".into());
        }
        self.pki.crl_at(url, Utc::now())
    }
}

impl Responder {
    fn of(pki: &'static Pki) -> Responder {
        Responder {
            pki,
            ocsp_down: AtomicBool::default(),
            crl_down: AtomicBool::default(),
            root_crl_down: AtomicBool::default(),
            slow: AtomicBool::default(),
            ocsp_calls: AtomicUsize::default(),
            crl_calls: AtomicUsize::default(),
            root_crl_calls: AtomicUsize::default(),
            replay: Mutex::default(),
            last_answer: Mutex::default(),
        }
    }
}

impl Default for Responder {
    fn default() -> Responder {
        Responder::of(pki())
    }
}

fn anchors() -> TrustAnchors {
    TrustAnchors::new(vec![pki().root.x509.clone()])
}

fn verifier() -> (Verifier, Arc<Responder>) {
    let responder = Arc::new(Responder::default());
    (Verifier::new(anchors(), responder.clone()), responder)
}

fn daulet() -> Iin {
    Iin::parse(DAULET).expect("iin")
}

fn signed(iin: &str, profile: Profile, options: SignOptions) -> Vec<u8> {
    let person = pki().person(iin, profile).expect("person");
    pki().sign(&person, DOCUMENT, &options).expect("sign")
}

async fn rule_of(verifier: &Verifier, cms: &[u8]) -> Option<EdsRule> {
    verifier.verify(cms, DOCUMENT, &daulet(), Utc::now()).await.err().map(|e| e.rule)
}

#[tokio::test]
async fn a_signing_key_of_the_applicant_verifies_attached_or_detached_pkcs1_or_pss_with_or_without_attributes() {
    let (v, responder) = verifier();
    let schemes = [
        Scheme::Pkcs1(Hash::Sha256),
        Scheme::Pkcs1(Hash::Sha384),
        Scheme::Pkcs1(Hash::Sha512),
        Scheme::Pss(Hash::Sha256),
        Scheme::Pss(Hash::Sha384),
        Scheme::Pss(Hash::Sha512),
    ];
    for scheme in schemes {
        for detached in [false, true] {
            let cms = signed(DAULET, Profile::Signing, SignOptions { scheme, detached, ..SignOptions::default() });
            let signer = v.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await;
            let signer = signer.unwrap_or_else(|e| panic!("{scheme:?} detached={detached}: {e:?}"));
            assert!(signer.issuer.contains("CN=TEST"), "{}", signer.issuer);
            assert!(!signer.issuer.contains(DAULET) && !signer.serial.contains(DAULET));
            assert_eq!(signer.seal.len(), 64);
        }
    }
    let bare = SignOptions { signed_attributes: false, signing_time: None, ..SignOptions::default() };
    let now = Utc::now();
    let signer = v.verify(&signed(DAULET, Profile::Signing, bare), DOCUMENT, &daulet(), now).await.expect("bare");
    assert_eq!(signer.signed_at, now, "no signing time: verified as of now");
    assert_eq!(responder.ocsp_calls.load(SeqCst), 1, "one OCSP answer, reused until its nextUpdate");
    assert_eq!(responder.crl_calls.load(SeqCst), 0);
}

#[tokio::test]
async fn structure_signer_certificate_and_algorithm_are_checked_first() {
    let (v, _) = verifier();
    assert_eq!(rule_of(&v, b"not a cms").await, Some(EdsRule::CmsStructure));
    let cert_only = pki().person(DAULET, Profile::Signing).expect("person").cert.clone();
    assert_eq!(rule_of(&v, &der::Encode::to_der(&cert_only).expect("der")).await, Some(EdsRule::CmsStructure));
    let without = SignOptions { omit_signer_certificate: true, ..SignOptions::default() };
    assert_eq!(rule_of(&v, &signed(DAULET, Profile::Signing, without)).await, Some(EdsRule::SignerCertificate));
    // GOST 34.311 digest with a GOST 34.310 signature, as a GOST key of NCA writes them.
    let gost = SignOptions {
        claim_algorithms: Some((
            const_oid::ObjectIdentifier::new_unwrap("1.2.398.3.10.1.3.1"),
            const_oid::ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.1.2"),
        )),
        ..SignOptions::default()
    };
    let refusal = v.verify(&signed(DAULET, Profile::Signing, gost), DOCUMENT, &daulet(), Utc::now()).await;
    let refusal = refusal.expect_err("gost");
    assert_eq!(refusal.rule, EdsRule::AlgorithmUnsupported);
    assert!(refusal.detail.contains("GOST 34.310-2004 (1.2.398.3.10.1.3.1)"), "{}", refusal.detail);
}

#[tokio::test]
async fn the_signature_must_be_over_this_form_and_verify() {
    let (v, _) = verifier();
    let person = pki().person(DAULET, Profile::Signing).expect("person");
    let other = br#"{"document":"kz.egov.residence-registration/1","kind":"PERMANENT"}"#;
    for detached in [false, true] {
        let cms = pki().sign(&person, other, &SignOptions { detached, ..SignOptions::default() }).expect("sign");
        assert_eq!(rule_of(&v, &cms).await, Some(EdsRule::ContentIsForm), "detached={detached}");
    }
    // Detached, no attributes: the signature itself is over other bytes.
    let bare = SignOptions { detached: true, signed_attributes: false, signing_time: None, ..SignOptions::default() };
    let cms = pki().sign(&person, other, &bare).expect("sign");
    assert_eq!(rule_of(&v, &cms).await, Some(EdsRule::SignatureValid));
}

#[tokio::test]
async fn the_chain_ends_at_a_configured_root_through_the_carried_intermediate() {
    let (v, _) = verifier();
    assert_eq!(
        rule_of(&v, &signed(DAULET, Profile::Foreign, SignOptions::default())).await,
        Some(EdsRule::ChainTrusted),
        "a foreign root"
    );
    let no_chain = SignOptions { include_chain: false, ..SignOptions::default() };
    assert_eq!(rule_of(&v, &signed(DAULET, Profile::Signing, no_chain)).await, Some(EdsRule::ChainTrusted));
    let trusting_foreign =
        Verifier::new(TrustAnchors::new(vec![pki().foreign_root.x509.clone()]), Arc::new(Responder::default()));
    assert_eq!(
        rule_of(&trusting_foreign, &signed(DAULET, Profile::Signing, SignOptions::default())).await,
        Some(EdsRule::ChainTrusted),
        "only the configured roots count"
    );
}

#[tokio::test]
async fn validity_recency_key_usage_and_owner() {
    let (v, _) = verifier();
    assert_eq!(
        rule_of(&v, &signed(DAULET, Profile::Expired, SignOptions::default())).await,
        Some(EdsRule::CertificateValid)
    );
    let at =
        |minutes| SignOptions { signing_time: Some(Utc::now() + Duration::minutes(minutes)), ..SignOptions::default() };
    assert_eq!(rule_of(&v, &signed(DAULET, Profile::Signing, at(-61))).await, Some(EdsRule::SignedRecently));
    assert_eq!(rule_of(&v, &signed(DAULET, Profile::Signing, at(6))).await, Some(EdsRule::SignedRecently));
    assert_eq!(rule_of(&v, &signed(DAULET, Profile::Signing, at(-59))).await, None, "within the hour");
    assert_eq!(
        rule_of(&v, &signed(DAULET, Profile::Authentication, SignOptions::default())).await,
        Some(EdsRule::KeyUsageSigning)
    );
    assert_eq!(
        rule_of(&v, &signed(AIGERIM, Profile::Signing, SignOptions::default())).await,
        Some(EdsRule::SignerIsApplicant)
    );
}

#[tokio::test]
async fn revocation_by_ocsp_then_the_crl_and_unreachable_is_unavailable() {
    let revoked = signed(DAULET, Profile::Revoked, SignOptions::default());
    let (v, responder) = verifier();
    assert_eq!(rule_of(&v, &revoked).await, Some(EdsRule::NotRevoked), "OCSP says revoked");
    assert_eq!(responder.crl_calls.load(SeqCst), 0);

    let (v, responder) = verifier();
    responder.ocsp_down.store(true, SeqCst);
    assert_eq!(rule_of(&v, &revoked).await, Some(EdsRule::NotRevoked), "the CRL says revoked");
    let good = signed(DAULET, Profile::Signing, SignOptions::default());
    assert_eq!(rule_of(&v, &good).await, None, "OCSP down: the CRL answers");
    assert_eq!(responder.crl_calls.load(SeqCst), 1, "the CRL is reused until its nextUpdate");

    let (v, responder) = verifier();
    responder.ocsp_down.store(true, SeqCst);
    responder.crl_down.store(true, SeqCst);
    let refusal = v.verify(&good, DOCUMENT, &daulet(), Utc::now()).await.expect_err("unavailable");
    assert_eq!(refusal.rule, EdsRule::RevocationUnavailable);
    assert!(refusal.rule.is_unavailable());

    // Revoked after an OCSP "good" was cached: the cache holds until the answer's nextUpdate (an hour), as
    // RFC 6960 allows; a new verifier (a new Lambda instance) asks again.
    let later = pki().person(YERLAN, Profile::Signing).expect("person");
    let cms = pki().sign(&later, DOCUMENT, &SignOptions::default()).expect("sign");
    let yerlan = Iin::parse(YERLAN).expect("iin");
    let (v, _) = verifier();
    assert!(v.verify(&cms, DOCUMENT, &yerlan, Utc::now()).await.is_ok());
    pki().revoke(&later.cert);
    assert!(v.verify(&cms, DOCUMENT, &yerlan, Utc::now()).await.is_ok(), "cached");
    let (fresh, _) = verifier();
    assert_eq!(
        fresh.verify(&cms, DOCUMENT, &yerlan, Utc::now()).await.err().map(|e| e.rule),
        Some(EdsRule::NotRevoked)
    );
}

const YERLAN: &str = "950909300613";

/// NCA lists its CAs on the root's CRL, which the intermediate's certificate names: asked beside the signer's
/// OCSP, cached until its nextUpdate, and a revoked intermediate refuses every signature under it.
#[tokio::test]
async fn the_intermediate_is_checked_on_the_roots_crl() {
    let (v, responder) = verifier();
    let good = signed(DAULET, Profile::Signing, SignOptions::default());
    assert_eq!(rule_of(&v, &good).await, None);
    assert_eq!(rule_of(&v, &good).await, None);
    let calls = |r: &Responder| (r.ocsp_calls.load(SeqCst), r.crl_calls.load(SeqCst), r.root_crl_calls.load(SeqCst));
    assert_eq!(calls(&responder), (1, 0, 1), "signer by OCSP, intermediate by the root's CRL, both reused");

    // The root's CRL unreachable (the signer's OCSP answering): the intermediate cannot be checked, 503.
    let (v, responder) = verifier();
    responder.root_crl_down.store(true, SeqCst);
    let refusal = v.verify(&good, DOCUMENT, &daulet(), Utc::now()).await.expect_err("unavailable");
    assert_eq!(refusal.rule, EdsRule::RevocationUnavailable);
    assert!(refusal.detail.contains("issuing CA"), "{}", refusal.detail);

    // Its own PKI (revoking the shared intermediate would refuse every other test's signatures).
    let own: &'static Pki =
        Box::leak(Box::new(Pki::new("http://ocsp.test/", "http://crl.test/other.crl").expect("pki")));
    let responder = Arc::new(Responder::of(own));
    let v = Verifier::new(TrustAnchors::new(vec![own.root.x509.clone()]), responder.clone());
    let person = own.person(DAULET, Profile::Signing).expect("person");
    let cms = own.sign(&person, DOCUMENT, &SignOptions::default()).expect("sign");
    assert_eq!(rule_of(&v, &cms).await, None, "before the intermediate is revoked");
    own.revoke(&own.intermediate.x509);
    let fresh = Verifier::new(TrustAnchors::new(vec![own.root.x509.clone()]), responder.clone());
    let refusal = fresh.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await.expect_err("revoked CA");
    assert_eq!(refusal.rule, EdsRule::NotRevoked);
    assert!(refusal.detail.contains("issuing CA") && refusal.detail.contains("CRL"), "{}", refusal.detail);
    // The signer's own refusal comes first when both are revoked.
    let revoked_person = own.person(DAULET, Profile::Revoked).expect("person");
    let cms = own.sign(&revoked_person, DOCUMENT, &SignOptions::default()).expect("sign");
    let refusal = fresh.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await.expect_err("revoked");
    assert!(refusal.detail.starts_with("the certificate "), "{}", refusal.detail);
}

#[tokio::test]
async fn an_ocsp_answer_must_echo_this_requests_nonce_and_come_in_time() {
    let (v, responder) = verifier();
    let first = signed(DAULET, Profile::Signing, SignOptions::default());
    assert_eq!(rule_of(&v, &first).await, None);
    let old = responder.last_answer.lock().expect("lock").clone();
    // A replayed answer (another request's nonce) is not used: the CRL decides.
    let (v, responder) = verifier();
    *responder.replay.lock().expect("lock") = old;
    assert_eq!(rule_of(&v, &first).await, None);
    assert_eq!((responder.ocsp_calls.load(SeqCst), responder.crl_calls.load(SeqCst)), (1, 1));
    // A responder slower than the timeout is not waited for.
    let responder = Arc::new(Responder::default());
    responder.slow.store(true, SeqCst);
    responder.crl_down.store(true, SeqCst);
    let v = Verifier::with_fetch_timeout(anchors(), responder.clone(), std::time::Duration::from_millis(100));
    let started = std::time::Instant::now();
    assert_eq!(rule_of(&v, &first).await, Some(EdsRule::RevocationUnavailable));
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_deployment_without_roots_answers_not_configured() {
    let v = Verifier::new(TrustAnchors::default(), Arc::new(Responder::default()));
    assert_eq!(
        rule_of(&v, &signed(DAULET, Profile::Signing, SignOptions::default())).await,
        Some(EdsRule::NotConfigured)
    );
    assert!(TrustAnchors::select(eds_verifier::anchors::BUNDLED_PEM, "").expect("none").is_empty());
    let unknown = TrustAnchors::select(&pki().roots_pem(), "00ff");
    assert!(unknown.is_err(), "a fingerprint that names no root in the file fails the start");
    let fp = eds_verifier::anchors::fingerprint(&pki().root.x509);
    let colons: String =
        fp.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).to_uppercase()).collect::<Vec<_>>().join(":");
    assert_eq!(TrustAnchors::select(&pki().roots_pem(), &colons).expect("selected").roots.len(), 1);
    let bundle = format!("# two roots\n{}\n{}", pki().roots_pem(), pki().foreign_root.pem());
    let foreign = eds_verifier::anchors::fingerprint(&pki().foreign_root.x509);
    let picked = TrustAnchors::select(&bundle, &foreign).expect("the second of two");
    assert_eq!(picked.roots, vec![pki().foreign_root.x509.clone()]);
    assert_eq!(TrustAnchors::select(&bundle, &format!("{fp},{foreign}")).expect("both").roots.len(), 2);
}

/// A second implementation: OpenSSL's `cms -sign` (attached and detached, PKCS#1 v1.5 and PSS) verifies too.
#[tokio::test]
async fn a_cms_made_by_openssl_verifies() {
    let person = pki().person(DAULET, Profile::Signing).expect("person");
    let dir = std::env::temp_dir().join(format!("eds-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = |name: &str, body: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write");
        path
    };
    let (doc, cert, key, chain) = (
        file("form.json", DOCUMENT),
        file("cert.pem", person.cert_pem.as_bytes()),
        file("key.pem", person.key_pem.as_bytes()),
        file("chain.pem", person.chain_pem.as_bytes()),
    );
    let (v, _) = verifier();
    for (detached, pss) in [(false, false), (true, false), (false, true), (true, true)] {
        let out = dir.join(format!("signed-{detached}-{pss}.p7s"));
        let mut cmd = std::process::Command::new("openssl");
        cmd.args(["cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER"])
            .arg("-in")
            .arg(&doc)
            .arg("-signer")
            .arg(&cert)
            .arg("-inkey")
            .arg(&key)
            .arg("-certfile")
            .arg(&chain)
            .arg("-out")
            .arg(&out);
        if !detached {
            cmd.arg("-nodetach");
        }
        if pss {
            cmd.args(["-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest"]);
        }
        let status = cmd.status().expect("openssl is installed by scripts/setup-tools");
        assert!(status.success(), "openssl cms -sign detached={detached} pss={pss}");
        let cms = std::fs::read(&out).expect("read");
        let verified = v.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await;
        assert!(verified.is_ok(), "detached={detached} pss={pss}: {verified:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
