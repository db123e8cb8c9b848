//! The NCA roots a deployment trusts: the certificates in `infra/nca/roots.pem` (built in) whose SHA-256
//! fingerprints the deployment's `NCA_ROOT_SHA256` names; and NCA's intermediates (`infra/nca/intermediates.pem`,
//! built in), each trusted only when its signature chains to one of those roots, checked when the verifier is
//! made. Kalkan's CMS carries the signer's certificate alone, so the intermediate comes from here. Never
//! fetched at run time.

use aws_lc_rs::digest;
use der::Encode;
use x509_cert::Certificate;

/// The file of roots, as built into submit.
pub const BUNDLED_PEM: &str = include_str!("../../../infra/nca/roots.pem");
/// The file of NCA's intermediates (issuing CAs), as built into submit.
pub const BUNDLED_INTERMEDIATES_PEM: &str = include_str!("../../../infra/nca/intermediates.pem");

#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub roots: Vec<Certificate>,
    /// Issuing CAs, each verified to chain to a root (directly or through another of these).
    pub intermediates: Vec<Certificate>,
    /// For each intermediate, the certificate whose key was verified to have signed it (at set-up: a chain
    /// through it need not check that signature again).
    issuers: Vec<Certificate>,
}

/// `AB:CD:...` or `abcd...`: lower-case hex without separators.
fn normalise(fingerprint: &str) -> String {
    fingerprint.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_ascii_lowercase()
}

pub fn fingerprint(cert: &Certificate) -> String {
    let der = cert.to_der().unwrap_or_default();
    crate::hex(digest::digest(&digest::SHA256, &der).as_ref())
}

/// Each `CERTIFICATE` block of a PEM file, decoded (by `der`'s PEM decoder, then as DER: `from_pem` would
/// build a second copy of every X.509 decoder, for a reader of PEM, into submit).
pub fn certificates(pem: &str) -> Result<Vec<Certificate>, String> {
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let end = rest[start..]
            .find(END)
            .map(|e| start + e + END.len())
            .ok_or("a certificate in the roots file has no END line")?;
        let (label, der) = der::pem::decode_vec(&rest.as_bytes()[start..end])
            .map_err(|e| format!("the roots file is not PEM: {e}"))?;
        if label != "CERTIFICATE" {
            return Err(format!("the roots file holds a {label}"));
        }
        out.push(
            <Certificate as der::Decode>::from_der(&der).map_err(|e| format!("a root is not a certificate: {e}"))?,
        );
        rest = &rest[end..];
    }
    Ok(out)
}

impl TrustAnchors {
    pub fn new(roots: Vec<Certificate>) -> TrustAnchors {
        TrustAnchors { roots, intermediates: Vec::new(), issuers: Vec::new() }
    }

    /// Whether `cert` is a configured intermediate verified at set-up to be signed by `issuer`.
    pub fn verified_link(&self, cert: &Certificate, issuer: &Certificate) -> bool {
        self.intermediates.iter().zip(&self.issuers).any(|(c, i)| c == cert && i == issuer)
    }

    /// Adds the intermediates of `pem` that chain to these roots (through each other, at most three deep):
    /// CA certificates whose signature verifies with a trusted key. The others are answered as skipped, by
    /// subject, so a deployment that selects one root family of two is told what it does not trust.
    pub fn with_intermediates(self, pem: &str) -> Result<(TrustAnchors, Vec<String>), String> {
        Ok(self.with_intermediate_certificates(certificates(pem)?))
    }

    /// As [`TrustAnchors::with_intermediates`], from certificates already read.
    pub fn with_intermediate_certificates(mut self, mut pending: Vec<Certificate>) -> (TrustAnchors, Vec<String>) {
        for _ in 0..3 {
            let mut rest = Vec::new();
            for c in pending {
                let issuer =
                    self.roots.iter().chain(self.intermediates.iter()).find(|i| crate::chain::issued_by(&c, i));
                match issuer.cloned() {
                    Some(issuer) if crate::chain::is_ca(&c) => {
                        self.intermediates.push(c);
                        self.issuers.push(issuer);
                    }
                    _ => rest.push(c),
                }
            }
            pending = rest;
        }
        let skipped = pending.iter().map(|c| crate::certificate::name(&c.tbs_certificate.subject)).collect();
        (self, skipped)
    }

    /// The certificates of `pem` named by `fingerprints` (comma-separated). A fingerprint that names no
    /// certificate in the file is an error: a deployment never trusts less than it says without noticing.
    pub fn select(pem: &str, fingerprints: &str) -> Result<TrustAnchors, String> {
        let wanted: Vec<String> = fingerprints.split(',').map(normalise).filter(|f| !f.is_empty()).collect();
        if wanted.is_empty() {
            return Ok(TrustAnchors::default());
        }
        let all = certificates(pem)?;
        let mut roots = Vec::new();
        for f in &wanted {
            let cert = all
                .iter()
                .find(|c| &fingerprint(c) == f)
                .ok_or_else(|| format!("no root with SHA-256 {f} in infra/nca/roots.pem"))?;
            roots.push(cert.clone());
        }
        Ok(TrustAnchors::new(roots))
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}
