//! The NCA roots a deployment trusts: the certificates in `infra/nca/roots.pem` (built in) whose SHA-256
//! fingerprints the deployment's `NCA_ROOT_SHA256` names. Never fetched at run time.

use aws_lc_rs::digest;
use der::Encode;
use x509_cert::Certificate;

/// The file of roots, as built into submit.
pub const BUNDLED_PEM: &str = include_str!("../../../infra/nca/roots.pem");

#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    pub roots: Vec<Certificate>,
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
fn certificates(pem: &str) -> Result<Vec<Certificate>, String> {
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
        TrustAnchors { roots }
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
        Ok(TrustAnchors { roots })
    }

    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }
}
