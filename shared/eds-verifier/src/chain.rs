//! The chain from the signer's certificate to a configured NCA root, through the intermediates the CMS
//! carries; each certificate valid at the signing time.

use crate::algorithms;
use crate::TrustAnchors;
use chrono::{DateTime, Utc};
use der::Encode;
use domain::eds::{EdsRefusal, EdsRule};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::Certificate;

/// Longest chain looked for: signer, up to three intermediates, root.
const MAX_INTERMEDIATES: usize = 3;

/// Whether `issuer`'s key signed `cert`.
pub fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Ok(alg) = algorithms::verification(&cert.signature_algorithm, None) else { return false };
    let Ok(tbs) = cert.tbs_certificate.to_der() else { return false };
    let Some(signature) = cert.signature.as_bytes() else { return false };
    algorithms::verifies(&alg, &issuer.tbs_certificate.subject_public_key_info, &tbs, signature)
}

/// An intermediate may issue certificates: a CA by its basic constraints, with keyCertSign if it has a key usage.
pub fn is_ca(cert: &Certificate) -> bool {
    let ca = matches!(cert.tbs_certificate.get::<BasicConstraints>(), Ok(Some((_, bc))) if bc.ca);
    let may_sign = match cert.tbs_certificate.get::<KeyUsage>() {
        Ok(Some((_, ku))) => ku.0.contains(KeyUsages::KeyCertSign),
        Ok(None) => true,
        Err(_) => false,
    };
    ca && may_sign
}

/// Rule 5: the path signer → intermediates → root, the root one of the anchors' roots, the intermediates
/// those the CMS carries or the configured ones.
pub fn to_root<'a>(
    signer: &'a Certificate,
    carried: &'a [Certificate],
    anchors: &'a TrustAnchors,
) -> Result<Vec<&'a Certificate>, EdsRefusal> {
    let mut path = vec![signer];
    let mut current = signer;
    for _ in 0..=MAX_INTERMEDIATES {
        let link = |c: &Certificate, i: &Certificate| anchors.verified_link(c, i) || issued_by(c, i);
        if let Some(root) = anchors.roots.iter().find(|r| link(current, r)) {
            path.push(root);
            return Ok(path);
        }
        let next = carried
            .iter()
            .chain(anchors.intermediates.iter())
            .find(|c| !path.contains(c) && is_ca(c) && link(current, c));
        match next {
            Some(next) => {
                path.push(next);
                current = next;
            }
            None => break,
        }
    }
    Err(EdsRefusal::new(
        EdsRule::ChainTrusted,
        format!(
            "the certificate does not chain to a trusted NCA root (issuer {}): this deployment does not trust that CA",
            crate::certificate::name(&signer.tbs_certificate.issuer)
        ),
    ))
}

/// Rule 6: every certificate of the path is valid at `at`.
pub fn valid_at(path: &[&Certificate], at: DateTime<Utc>) -> Result<(), EdsRefusal> {
    for cert in path {
        let validity = &cert.tbs_certificate.validity;
        let (from, until) = (crate::time::of(&validity.not_before), crate::time::of(&validity.not_after));
        if at < from || at > until {
            let whose = if std::ptr::eq(*cert, path[0]) { "the signer's certificate" } else { "a CA certificate" };
            return Err(EdsRefusal::new(
                EdsRule::CertificateValid,
                format!(
                    "{whose} (serial {}) is valid from {} until {}, not at the signing time {}",
                    crate::certificate::serial(cert),
                    from.to_rfc3339(),
                    until.to_rfc3339(),
                    at.to_rfc3339()
                ),
            ));
        }
    }
    Ok(())
}
