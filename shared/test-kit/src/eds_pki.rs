//! EDS for the functions' unit tests: the test PKI (valid around [`super::now`]) and a verifier that trusts
//! its root and asks its responder and CRL in process, on the world's clock.

use domain::clock::Clock;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use test_pki::Pki;

pub use test_pki::{Profile, SignOptions};

/// One PKI per test process (its RSA keys take a moment to make).
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        Pki::at("http://ocsp.test/", "http://crl.test/nca.crl", super::now()).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The PKI's responder and CRLs without HTTP; the responder or the CRLs can be made unreachable.
pub struct InProcess {
    pub clock: Arc<dyn Clock>,
    pub ocsp_down: AtomicBool,
    pub crl_down: AtomicBool,
}

#[async_trait::async_trait]
impl eds_verifier::Fetch for InProcess {
    async fn ocsp(&self, _url: &str, request: Vec<u8>) -> Result<Vec<u8>, String> {
        if self.ocsp_down.load(SeqCst) {
            return Err("connection refused".into());
        }
        pki().ocsp_answer(&request, self.clock.now())
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        if self.crl_down.load(SeqCst) {
            return Err("connection refused".into());
        }
        pki().crl_at(url, self.clock.now())
    }
}

/// A verifier trusting the test PKI's root, and its responder (to make it unreachable).
pub fn verifier(clock: Arc<dyn Clock>) -> (Arc<eds_verifier::Verifier>, Arc<InProcess>) {
    let fetch = Arc::new(InProcess { clock, ocsp_down: AtomicBool::new(false), crl_down: AtomicBool::new(false) });
    let anchors = eds_verifier::TrustAnchors::new(vec![pki().root.x509.clone()]);
    (Arc::new(eds_verifier::Verifier::new(anchors, fetch.clone())), fetch)
}

/// A CMS by `iin`'s `profile` certificate over `document`, signed at `signed_at`.
pub fn sign(iin: &str, profile: Profile, document: &[u8], options: SignOptions) -> Vec<u8> {
    let person = pki().person(iin, profile).unwrap_or_else(|e| panic!("{e}"));
    pki().sign(&person, document, &options).unwrap_or_else(|e| panic!("{e}"))
}
