//! The stack's test PKI, shaped like NCA's (generated at each start, its certificates naming this stack's
//! OCSP responder and CRLs), and the EDS verifier submit uses here: it trusts that PKI's roots and GOST issuing
//! CA, and whatever `--eds-trust` adds. The routes that sign and answer for the PKI are in `pki_routes`.

use domain::eds::EdsVerifier;
use std::net::SocketAddr;
use std::sync::Arc;
use test_pki::Pki;

/// A PKI whose certificates point at this stack's responder and CRL, valid around `now`.
pub fn pki_at(addr: SocketAddr, now: chrono::DateTime<chrono::Utc>) -> Result<Pki, String> {
    Pki::at(&format!("http://{addr}/_local/eds/ocsp"), &format!("http://{addr}/_local/eds/crl"), now)
}

/// What submit verifies with here: the PKI's two roots (RSA and GOST) and its GOST issuing CA (Kalkan's CMS
/// carries the signer alone), plus `extra_trust` (`--eds-trust`: a PEM of roots, self-signed, and
/// intermediates, each checked to chain to a root); OCSP and CRLs over HTTP as in Lambda.
pub fn verifier(pki: &Pki, extra_trust: &str) -> Result<Arc<dyn EdsVerifier>, String> {
    let extra = eds_verifier::anchors::certificates(extra_trust).map_err(|e| format!("--eds-trust: {e}"))?;
    let (roots, intermediates): (Vec<_>, Vec<_>) = extra
        .into_iter()
        .partition(|c| c.tbs_certificate.subject == c.tbs_certificate.issuer && eds_verifier::chain::issued_by(c, c));
    let roots = [vec![pki.root.x509.clone(), pki.gost_root.x509.clone()], roots].concat();
    let intermediates = [vec![pki.gost_intermediate.x509.clone()], intermediates].concat();
    let (anchors, skipped) = eds_verifier::TrustAnchors::new(roots).with_intermediate_certificates(intermediates);
    if !skipped.is_empty() {
        return Err(format!("--eds-trust: these intermediates chain to no root given: {}", skipped.join("; ")));
    }
    Ok(Arc::new(eds_verifier::Verifier::new(anchors, Arc::new(eds_verifier::HttpFetch::default()))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    /// The package's folder: as cargo sets it when the test runs (a test binary built in another checkout and
    /// reused from a shared build cache keeps the compile-time path of that checkout).
    fn manifest_dir() -> std::path::PathBuf {
        std::path::PathBuf::from(
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()),
        )
    }

    /// NCA's GOST 2022 test root and issuing CA, as a deployment would trust them (PEM, read from the DER
    /// files shared/eds-verifier keeps from NCA's test pack).
    fn nca_test_pem(with_root: bool) -> String {
        let dir = manifest_dir().join("../../shared/eds-verifier/tests/nca");
        let mut names = vec!["kalkan-2026-nca_gost2022_test.cer"];
        if with_root {
            names.push("kalkan-2026-root_test_gost_2022.cer");
        }
        names
            .iter()
            .map(|n| {
                let der = std::fs::read(dir.join(n)).expect("NCA test certificate");
                let b64 = base64::engine::general_purpose::STANDARD.encode(der);
                let lines: Vec<&str> =
                    b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
                format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
            })
            .collect()
    }

    #[test]
    fn eds_trust_takes_roots_and_intermediates_that_chain_and_refuses_the_rest() {
        let pki = Pki::new("http://127.0.0.1:9/ocsp", "http://127.0.0.1:9/crl").expect("pki");
        verifier(&pki, "").expect("the stack's own PKI alone");
        verifier(&pki, &nca_test_pem(true)).expect("NCA's GOST 2022 test root and its issuing CA");
        let orphan = verifier(&pki, &nca_test_pem(false)).err().expect("an intermediate without its root");
        assert!(orphan.contains("chain to no root") && orphan.contains("(GOST) TEST 2022"), "{orphan}");
        let garbage = verifier(&pki, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").err();
        assert!(garbage.expect("not a certificate").starts_with("--eds-trust:"));
    }
}
