//! Signing with an EDS (an NCA certificate): what a verifier answers, and the rules it can refuse by.
//! The verifier itself (CMS, X.509, OCSP, CRL) is the `eds-verifier` crate: only the function that verifies carries it.

use crate::model::Iin;
use chrono::{DateTime, Utc};

/// A signature that checked out, as the timeline records it: the certificate's serial and issuer, never the
/// signer's name or IIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdsSigner {
    /// The signer certificate's serial number, in hex.
    pub serial: String,
    /// The issuing CA's name (`CN=..., O=..., C=KZ`).
    pub issuer: String,
    /// The signing-time attribute, or the time of verification when there is none.
    pub signed_at: DateTime<Utc>,
    /// SHA-256 (hex) of the signature value: one signature is accepted once ([`crate::ports::Admission`]).
    pub seal: String,
}

/// Each rule an EDS can break, in the order they are checked. The name is the problem's `rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdsRule {
    /// Not base64, not a CMS SignedData, not exactly one signer, content not `id-data`.
    CmsStructure,
    /// The signer's certificate is not in the CMS.
    SignerCertificate,
    /// Any algorithm other than GOST 34.10-2015 512-bit with Streebog-512 or RSA PKCS#1 v1.5 / PSS with
    /// SHA-256, -384 or -512 (GOST 34.310-2004, GOST 2015 256-bit, a GOST signature over an RSA key, ...).
    AlgorithmUnsupported,
    /// The signed content is not this form's canonical bytes (attached content or message digest differ).
    ContentIsForm,
    /// The signature does not verify with the certificate's key.
    SignatureValid,
    /// The signature's timestamp token (CAdES-T), when there is one, does not verify: not a trusted TSA's, not
    /// over this signature, or not readable. Its time is the signing time.
    TimestampValid,
    /// The certificate does not chain to a configured NCA root through the CMS's intermediates.
    ChainTrusted,
    /// A certificate of the chain was not valid at the signing time.
    CertificateValid,
    /// The signing time is more than 5 minutes ahead or more than an hour behind.
    SignedRecently,
    /// The key is not a signing key (digitalSignature and nonRepudiation).
    KeyUsageSigning,
    /// The key is not an individual's (NCA's extended key usage 1.2.398.3.3.4.1.1): a legal entity's key, even
    /// one carrying the employee's IIN, does not sign a citizen's application.
    IndividualKey,
    /// The certificate's subject IIN is not the signed-in applicant's.
    SignerIsApplicant,
    /// OCSP or the CRL says the certificate is revoked.
    NotRevoked,
    /// This very signature was accepted already.
    SingleUse,
    /// Neither OCSP nor the CRL could be reached or trusted: not the citizen's fault, answered 503.
    RevocationUnavailable,
    /// This deployment trusts no NCA root: answered 503.
    NotConfigured,
}

impl EdsRule {
    pub const ALL: [EdsRule; 16] = [
        EdsRule::CmsStructure,
        EdsRule::SignerCertificate,
        EdsRule::AlgorithmUnsupported,
        EdsRule::ContentIsForm,
        EdsRule::SignatureValid,
        EdsRule::TimestampValid,
        EdsRule::ChainTrusted,
        EdsRule::CertificateValid,
        EdsRule::SignedRecently,
        EdsRule::KeyUsageSigning,
        EdsRule::IndividualKey,
        EdsRule::SignerIsApplicant,
        EdsRule::NotRevoked,
        EdsRule::SingleUse,
        EdsRule::RevocationUnavailable,
        EdsRule::NotConfigured,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EdsRule::CmsStructure => "EDS_CMS_STRUCTURE",
            EdsRule::SignerCertificate => "EDS_SIGNER_CERTIFICATE",
            EdsRule::AlgorithmUnsupported => "EDS_ALGORITHM_UNSUPPORTED",
            EdsRule::ContentIsForm => "EDS_CONTENT_IS_FORM",
            EdsRule::SignatureValid => "EDS_SIGNATURE_VALID",
            EdsRule::TimestampValid => "EDS_TIMESTAMP_VALID",
            EdsRule::ChainTrusted => "EDS_CHAIN_TRUSTED",
            EdsRule::CertificateValid => "EDS_CERTIFICATE_VALID",
            EdsRule::SignedRecently => "EDS_SIGNED_RECENTLY",
            EdsRule::KeyUsageSigning => "EDS_KEY_USAGE_SIGNING",
            EdsRule::IndividualKey => "EDS_INDIVIDUAL_KEY",
            EdsRule::SignerIsApplicant => "EDS_SIGNER_IS_APPLICANT",
            EdsRule::NotRevoked => "EDS_NOT_REVOKED",
            EdsRule::SingleUse => "EDS_SINGLE_USE",
            EdsRule::RevocationUnavailable => "EDS_REVOCATION_UNAVAILABLE",
            EdsRule::NotConfigured => "EDS_NOT_CONFIGURED",
        }
    }

    /// Whether the service, not the signature, is at fault (503, try again later).
    pub fn is_unavailable(self) -> bool {
        matches!(self, EdsRule::RevocationUnavailable | EdsRule::NotConfigured)
    }
}

/// Why an EDS was not accepted: the rule, and what was found (no personal data: serials, algorithm names,
/// times).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct EdsRefusal {
    pub rule: EdsRule,
    pub detail: String,
}

impl EdsRefusal {
    pub fn new(rule: EdsRule, detail: impl Into<String>) -> Self {
        EdsRefusal { rule, detail: detail.into() }
    }
}

/// Verifies a CMS (PKCS #7) SignedData over `document` by `applicant` at `now`.
#[async_trait::async_trait]
pub trait EdsVerifier: Send + Sync {
    async fn verify(
        &self,
        cms: &[u8],
        document: &[u8],
        applicant: &Iin,
        now: DateTime<Utc>,
    ) -> Result<EdsSigner, EdsRefusal>;
}

/// A verifier for a deployment that trusts no root: every EDS is answered 503 `EDS_NOT_CONFIGURED`.
pub struct NoEds;

#[async_trait::async_trait]
impl EdsVerifier for NoEds {
    async fn verify(&self, _: &[u8], _: &[u8], _: &Iin, _: DateTime<Utc>) -> Result<EdsSigner, EdsRefusal> {
        Err(EdsRefusal::new(EdsRule::NotConfigured, "this deployment trusts no NCA root: sign with the SMS code"))
    }
}
