//! What every function's dependencies are built from. Each function has one `Deps::from_ports(&source)`;
//! the source is the AWS clients in Lambda (`aws-adapters`), the local stack's backend, or the tests' world.
//! Adding a port to a function is one line there, plus the port's adapters.

use crate::clock::Clock;
use crate::model::CodeKey;
use crate::ports::{
    ApplicationStore, ConsentStore, Metrics, RegistrationStore, Registries, SigningStore, SmsSender, TimelineStore,
    Workflow,
};
use crate::rate_limits::RateLimits;
use crate::review::AddressReview;
use std::sync::Arc;

/// What the deployment tunes (template parameters, local-stack flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Seconds each owner has to answer (`CONSENT_TIMEOUT_SECONDS`, default 3600).
    pub consent_timeout_seconds: u32,
    pub address_review: AddressReview,
    pub rate_limits: RateLimits,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            consent_timeout_seconds: crate::steps::DEFAULT_CONSENT_TIMEOUT_SECONDS,
            address_review: AddressReview::default(),
            rate_limits: RateLimits::default(),
        }
    }
}

/// A port this function needs could not be built: its setting is missing, or building it failed.
#[derive(Debug, thiserror::Error)]
pub enum WiringError {
    #[error("{0} is required by this function and is not set")]
    Missing(&'static str),
    #[error("{what} could not be built")]
    Failed {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// One method a port: a function takes what it uses and nothing else.
pub trait PortSource {
    fn applications(&self) -> Result<Arc<dyn ApplicationStore>, WiringError>;
    fn consents(&self) -> Result<Arc<dyn ConsentStore>, WiringError>;
    fn registrations(&self) -> Result<Arc<dyn RegistrationStore>, WiringError>;
    fn signing(&self) -> Result<Arc<dyn SigningStore>, WiringError>;
    fn timeline(&self) -> Result<Arc<dyn TimelineStore>, WiringError>;
    fn registries(&self) -> Result<Arc<dyn Registries>, WiringError>;
    /// Every send counted in [`PortSource::metrics`].
    fn sms(&self) -> Result<Arc<dyn SmsSender>, WiringError>;
    fn workflow(&self) -> Result<Arc<dyn Workflow>, WiringError>;
    fn metrics(&self) -> Arc<dyn Metrics>;
    fn clock(&self) -> Arc<dyn Clock>;
    /// The key one-time codes are hashed with (read at init where it is a secret).
    fn code_key(&self) -> Result<Arc<CodeKey>, WiringError>;
    /// What verifies EDS signatures (the `eds-verifier` crate, given by the function that verifies).
    fn eds_verifier(&self) -> Result<Arc<dyn crate::eds::EdsVerifier>, WiringError>;
    fn certificates(&self) -> Result<Arc<dyn crate::ports::CertificateStore>, WiringError>;
    /// The service's signing key (certificates): given by the function that issues them.
    fn document_signer(&self) -> Result<Arc<dyn crate::ports::DocumentSigner>, WiringError>;
    fn policy(&self) -> Policy;
}
