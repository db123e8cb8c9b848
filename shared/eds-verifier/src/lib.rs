//! Verifies an EDS (NCA certificate, CMS SignedData) on an application, rule after rule, each refusal named
//! ([`domain::eds::EdsRule`]):
//!
//! 1. [`signed`]: the CMS structure; 2. the signer's certificate in it (and the one its signed
//!    [`signing_certificate`] attribute names); 3. the algorithms ([`algorithms`]: GOST 34.10-2015 512-bit
//!    through the `gost` crate, RSA; anything else refused by name); 4. the content is the form and the
//!    signature verifies; 5. the [`timestamp`] token (CAdES-T), whose time is then the signing time;
//! 6. [`chain`]: the chain to a configured NCA root through the CMS's or the configured intermediates
//!    ([`anchors`]); 7. each certificate valid at the signing time; 8. the signing time recent;
//!    9. [`certificate`]: a signing key, an individual's; 10. the applicant's IIN;
//! 11. [`revocation`]: OCSP, then the CRL with its delta, for the signer and each intermediate that publishes
//!     its status; unreachable is 503.
//!
//! [`report`] runs them in that order and keeps every outcome: submit stops at the first refusal, the support
//! tool (`registration-admin verify-eds`) prints them all.
//!
//! Only submit links this crate (and the local stack, which runs submit).

pub mod algorithms;
pub mod anchors;
pub mod certificate;
pub mod chain;
pub mod report;
pub mod revocation;
pub mod signed;
pub mod signing_certificate;
pub mod time;
pub mod timestamp;

use chrono::{DateTime, Utc};
use domain::eds::{EdsRefusal, EdsRule, EdsSigner, EdsVerifier};
use domain::Iin;
use std::sync::Arc;

pub use anchors::TrustAnchors;
pub use revocation::{Fetch, HttpFetch};

/// A signature may be made this long before it is submitted...
pub const MAX_AGE_MINUTES: i64 = 60;
/// ...and its signing time may be this far ahead of our clock.
pub const MAX_SKEW_MINUTES: i64 = 5;
/// Larger CMS are not read: 16,000 base64 characters, what a request body holds beside the form, are 12,000
/// bytes of DER (a signature with its chain is about 5 KB).
pub const MAX_CMS_BYTES: usize = 12 * 1024;

pub struct Verifier {
    anchors: TrustAnchors,
    revocation: revocation::Checker,
}

impl Verifier {
    pub fn new(anchors: TrustAnchors, fetch: Arc<dyn Fetch>) -> Verifier {
        Verifier { anchors, revocation: revocation::Checker::new(fetch) }
    }

    /// With another limit on each OCSP or CRL fetch than [`revocation::FETCH_TIMEOUT`].
    pub fn with_fetch_timeout(anchors: TrustAnchors, fetch: Arc<dyn Fetch>, timeout: std::time::Duration) -> Verifier {
        Verifier { anchors, revocation: revocation::Checker::with_timeout(fetch, timeout) }
    }

    /// In Lambda: the built-in roots named by `NCA_ROOT_SHA256`; none named, a verifier that answers 503.
    pub fn from_env() -> Result<Arc<dyn EdsVerifier>, String> {
        let fingerprints = std::env::var("NCA_ROOT_SHA256").unwrap_or_default();
        let anchors = TrustAnchors::select(anchors::BUNDLED_PEM, &fingerprints)?;
        if anchors.is_empty() {
            return Ok(Arc::new(domain::eds::NoEds));
        }
        let (anchors, skipped) = anchors.with_intermediates(anchors::BUNDLED_INTERMEDIATES_PEM)?;
        for subject in skipped {
            tracing::info!(%subject, "an intermediate of infra/nca/intermediates.pem chains to no selected root: not trusted");
        }
        Ok(Arc::new(Verifier::new(anchors, Arc::new(HttpFetch::default()))))
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn seal(signature: &[u8]) -> String {
    hex(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, signature).as_ref())
}

#[async_trait::async_trait]
impl EdsVerifier for Verifier {
    async fn verify(
        &self,
        cms: &[u8],
        document: &[u8],
        applicant: &Iin,
        now: DateTime<Utc>,
    ) -> Result<EdsSigner, EdsRefusal> {
        if self.anchors.is_empty() {
            return domain::eds::NoEds.verify(cms, document, applicant, now).await;
        }
        let check = report::Check {
            content: Some(document),
            applicant: Some(applicant.as_str()),
            at: now,
            revocation: true,
            stop_at_first: true,
        };
        let report = self.check(cms, check).await;
        if let Some(refusal) = report.refusal() {
            return Err(refusal.clone());
        }
        report.signer.ok_or_else(|| EdsRefusal::new(EdsRule::CmsStructure, "the CMS could not be checked"))
    }
}
