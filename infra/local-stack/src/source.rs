//! What each function's ports are made of on this stack: the backend's (embedded or AWS), each behind the
//! fault control under the function's name, and the stack's outbox, metrics, clock and key. Every function's
//! `Deps::from_ports` takes a [`Source`], as in AWS it takes `aws_adapters::Aws`.

use crate::aws_backend::AwsBackend;
use crate::faults::ports::Faulty;
use asl_runner::Engine;
use domain::clock::Clock;
use domain::ports::counted_sms::CountedSms;
use domain::ports::{
    ApplicationStore, CertificateStore, ConsentStore, Metrics, RegistrationStore, Registries, SigningStore, SmsSender,
    TimelineStore, Workflow,
};
use domain::reference_data::ReferenceData;
use domain::wiring::{Policy, PortSource, WiringError};
use memory_adapters::{MemoryMetrics, MemoryStore, SmsOutbox};
use std::sync::Arc;

/// What one function is given on this stack: the backend's ports, each behind the fault control under the
/// function's name, and the stack's outbox, metrics, clock and key. `Deps::from_ports` takes it, as in AWS.
pub struct Source<'a> {
    function: &'static str,
    parts: &'a Parts,
    /// On the AWS backend, this function's own clients (their calls recorded in its log).
    clients: Option<aws_adapters::Aws>,
}

/// What every function's ports are made of.
pub struct Parts {
    pub memory: Option<(Arc<MemoryStore>, Arc<ReferenceData>)>,
    pub aws: Option<AwsBackend>,
    pub outbox: Arc<SmsOutbox>,
    pub metrics: Arc<MemoryMetrics>,
    pub clock: Arc<dyn Clock>,
    pub faults: Arc<crate::faults::Faults>,
    /// Set once the engine is built (after the workflow functions, which do not need it).
    pub engine: std::sync::OnceLock<Engine>,
    pub code_key: Arc<domain::CodeKey>,
    /// Verifies EDS signatures against the test PKI's root, asking its OCSP and CRL over HTTP.
    pub eds_verifier: Arc<dyn domain::eds::EdsVerifier>,
    /// The certificate key made at start (on the AWS backend, the KMS key is used instead).
    pub document_signer: Arc<dyn domain::ports::DocumentSigner>,
    pub policy: Policy,
}

impl Parts {
    pub fn source(&self, function: &'static str) -> Source<'_> {
        Source { function, parts: self, clients: self.aws.as_ref().map(|aws| aws.clients(function)) }
    }
}

impl Source<'_> {
    fn faulty<T: ?Sized>(&self, port: Arc<T>) -> Arc<Faulty<T>> {
        Faulty::wrap(port, &self.parts.faults, self.function)
    }

    fn store(&self) -> Result<Arc<dyn StorePorts>, WiringError> {
        match (&self.parts.memory, &self.clients) {
            (Some((store, _)), _) => Ok(store.clone()),
            (None, Some(aws)) => Ok(aws.store()?),
            (None, None) => Err(WiringError::Missing("a backend")),
        }
    }
}

/// Every store port, as both backends implement them on one store.
trait StorePorts:
    ApplicationStore + CertificateStore + ConsentStore + RegistrationStore + SigningStore + TimelineStore
{
    fn certificates(self: Arc<Self>) -> Arc<dyn CertificateStore>;
    fn applications(self: Arc<Self>) -> Arc<dyn ApplicationStore>;
    fn consents(self: Arc<Self>) -> Arc<dyn ConsentStore>;
    fn registrations(self: Arc<Self>) -> Arc<dyn RegistrationStore>;
    fn signing(self: Arc<Self>) -> Arc<dyn SigningStore>;
    fn timeline(self: Arc<Self>) -> Arc<dyn TimelineStore>;
}

impl<
        T: ApplicationStore + CertificateStore + ConsentStore + RegistrationStore + SigningStore + TimelineStore + 'static,
    > StorePorts for T
{
    fn certificates(self: Arc<Self>) -> Arc<dyn CertificateStore> {
        self
    }
    fn applications(self: Arc<Self>) -> Arc<dyn ApplicationStore> {
        self
    }
    fn consents(self: Arc<Self>) -> Arc<dyn ConsentStore> {
        self
    }
    fn registrations(self: Arc<Self>) -> Arc<dyn RegistrationStore> {
        self
    }
    fn signing(self: Arc<Self>) -> Arc<dyn SigningStore> {
        self
    }
    fn timeline(self: Arc<Self>) -> Arc<dyn TimelineStore> {
        self
    }
}

impl PortSource for Source<'_> {
    fn applications(&self) -> Result<Arc<dyn ApplicationStore>, WiringError> {
        Ok(self.faulty(StorePorts::applications(self.store()?)))
    }
    fn consents(&self) -> Result<Arc<dyn ConsentStore>, WiringError> {
        Ok(self.faulty(StorePorts::consents(self.store()?)))
    }
    fn registrations(&self) -> Result<Arc<dyn RegistrationStore>, WiringError> {
        Ok(self.faulty(StorePorts::registrations(self.store()?)))
    }
    fn signing(&self) -> Result<Arc<dyn SigningStore>, WiringError> {
        Ok(self.faulty(StorePorts::signing(self.store()?)))
    }
    fn timeline(&self) -> Result<Arc<dyn TimelineStore>, WiringError> {
        Ok(self.faulty(StorePorts::timeline(self.store()?)))
    }
    fn registries(&self) -> Result<Arc<dyn Registries>, WiringError> {
        let registries: Arc<dyn Registries> = match (&self.parts.memory, &self.clients) {
            (Some((_, registries)), _) => registries.clone(),
            (None, Some(aws)) => aws.registries()?,
            (None, None) => return Err(WiringError::Missing("a backend")),
        };
        Ok(self.faulty(registries))
    }
    fn sms(&self) -> Result<Arc<dyn SmsSender>, WiringError> {
        let outbox = self.parts.outbox.clone();
        let sms: Arc<dyn SmsSender> = match &self.clients {
            None => outbox,
            Some(aws) => Arc::new(crate::aws_backend::SmsAlsoToOutbox { sns: aws.sns_sms(), outbox }),
        };
        let counted: Arc<dyn SmsSender> = Arc::new(CountedSms { inner: sms, metrics: self.parts.metrics.clone() });
        Ok(self.faulty(counted))
    }
    fn workflow(&self) -> Result<Arc<dyn Workflow>, WiringError> {
        let engine = self.parts.engine.get().ok_or(WiringError::Missing("the workflow engine"))?.clone();
        let workflow: Arc<dyn Workflow> = match &self.clients {
            None => Arc::new(engine),
            Some(aws) => Arc::new(crate::aws_backend::WorkflowAlsoToApi { api: aws.workflow()?, engine }),
        };
        Ok(self.faulty(workflow))
    }
    fn metrics(&self) -> Arc<dyn Metrics> {
        self.parts.metrics.clone()
    }
    fn clock(&self) -> Arc<dyn Clock> {
        self.parts.clock.clone()
    }
    fn code_key(&self) -> Result<Arc<domain::CodeKey>, WiringError> {
        Ok(self.parts.code_key.clone())
    }
    fn eds_verifier(&self) -> Result<Arc<dyn domain::eds::EdsVerifier>, WiringError> {
        Ok(self.parts.eds_verifier.clone())
    }
    fn certificates(&self) -> Result<Arc<dyn domain::ports::CertificateStore>, WiringError> {
        Ok(self.faulty(StorePorts::certificates(self.store()?)))
    }
    fn document_signer(&self) -> Result<Arc<dyn domain::ports::DocumentSigner>, WiringError> {
        let signer = match &self.clients {
            // On the AWS backend: the KMS key the backend created (moto), as the function reads it in AWS.
            Some(aws) => aws.clone().with_document_signer().map_err(WiringError::from)?.document_signer()?,
            None => self.parts.document_signer.clone(),
        };
        Ok(self.faulty(signer))
    }
    fn policy(&self) -> Policy {
        self.parts.policy
    }
}
