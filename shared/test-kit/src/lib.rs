//! For tests only: the sample registries and people, an in-memory world, a workflow that records what it
//! was asked, API Gateway requests built from `events/` files, the store contract suite ([`contract`]) and
//! the gates that pause an operation between its read and its write ([`interleaving`]).

pub mod people;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::clock::AdjustableClock;
use domain::clock::Clock;
use domain::errors::WorkflowError;
use domain::ports::counted_sms::CountedSms;
use domain::ports::{
    ApplicationStore, ConsentStore, Metrics, RegistrationStore, Registries, SigningStore, SmsSender, TimelineStore,
    Workflow,
};
use domain::reference_data::ReferenceData;
use domain::wiring::{Policy, PortSource, WiringError};
use domain::{ApplicationId, Iin};
use memory_adapters::{MemoryMetrics, MemoryStore, SmsOutbox};
use serde_json::Value;
use std::sync::{Arc, Mutex};

pub const SAMPLE_REFERENCE_DATA: &str = include_str!("../../../infra/reference-data/sample.json");

pub use people::*;

pub fn iin(s: &str) -> Iin {
    Iin::parse(s).unwrap_or_else(|e| panic!("test IIN {s}: {e}"))
}

/// An application as submit stores it (permanent, SUBMITTED, submitted at [`now`]); tests change the rest.
pub fn application(applicant: &str, registrant: &str, rka: &str) -> domain::Application {
    use domain::*;
    let draft = ApplicationDraft {
        registrant: iin(registrant),
        address: Rka::parse(rka).unwrap_or_else(|e| panic!("test RKA {rka}: {e}")),
        kind: RegistrationKind::Permanent,
        reason: RegistrationReason::FamilyMember,
        moved_in_on: now().date_naive(),
    };
    Application::submitted(iin(applicant), draft, "digest".into(), None, now())
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:00:00Z").map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

/// Every port in memory, on a fixed clock.
pub struct World {
    pub store: Arc<MemoryStore>,
    pub registries: Arc<ReferenceData>,
    pub outbox: Arc<SmsOutbox>,
    pub clock: Arc<AdjustableClock>,
    pub workflow: Arc<RecordingWorkflow>,
    pub metrics: Arc<MemoryMetrics>,
    /// The key the world's codes are hashed with ([`test_code_key`]).
    pub code_key: Arc<domain::CodeKey>,
    pub limits: domain::rate_limits::RateLimits,
    /// No EDS is accepted unless a test sets [`eds_pki::verifier`].
    pub eds_verifier: Arc<dyn domain::eds::EdsVerifier>,
    /// The service's certificate key (made once per process).
    pub signer: Arc<memory_adapters::LocalSigner>,
}

/// One certificate key per test process.
pub fn test_signer() -> Arc<memory_adapters::LocalSigner> {
    static SIGNER: std::sync::OnceLock<Arc<memory_adapters::LocalSigner>> = std::sync::OnceLock::new();
    SIGNER.get_or_init(|| Arc::new(memory_adapters::LocalSigner::generate().unwrap_or_else(|e| panic!("{e}")))).clone()
}

/// A fixed key for tests' code hashes.
pub fn test_code_key() -> domain::CodeKey {
    domain::CodeKey::new(b"test-code-key-of-thirty-two-bytes!!".to_vec()).unwrap_or_else(|e| panic!("{e}"))
}

impl World {
    pub fn new() -> Self {
        let clock = Arc::new(AdjustableClock::fixed(now()));
        World {
            store: Arc::new(MemoryStore::new()),
            registries: Arc::new(ReferenceData::from_json(SAMPLE_REFERENCE_DATA).unwrap_or_else(|e| panic!("{e}"))),
            outbox: Arc::new(SmsOutbox::new(clock.clone())),
            clock,
            workflow: Arc::new(RecordingWorkflow::default()),
            metrics: Arc::new(MemoryMetrics::default()),
            code_key: Arc::new(test_code_key()),
            limits: domain::rate_limits::RateLimits::default(),
            eds_verifier: Arc::new(domain::eds::NoEds),
            signer: test_signer(),
        }
    }
}

/// The world's ports, as `Deps::from_ports(&world)` takes them: a test builds a function's deps in one line.
impl PortSource for World {
    fn applications(&self) -> Result<Arc<dyn ApplicationStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn consents(&self) -> Result<Arc<dyn ConsentStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn registrations(&self) -> Result<Arc<dyn RegistrationStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn signing(&self) -> Result<Arc<dyn SigningStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn timeline(&self) -> Result<Arc<dyn TimelineStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn registries(&self) -> Result<Arc<dyn Registries>, WiringError> {
        Ok(self.registries.clone())
    }
    fn sms(&self) -> Result<Arc<dyn SmsSender>, WiringError> {
        Ok(Arc::new(CountedSms { inner: self.outbox.clone(), metrics: self.metrics.clone() }))
    }
    fn workflow(&self) -> Result<Arc<dyn Workflow>, WiringError> {
        Ok(self.workflow.clone())
    }
    fn metrics(&self) -> Arc<dyn Metrics> {
        self.metrics.clone()
    }
    fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }
    fn code_key(&self) -> Result<Arc<domain::CodeKey>, WiringError> {
        Ok(self.code_key.clone())
    }
    fn eds_verifier(&self) -> Result<Arc<dyn domain::eds::EdsVerifier>, WiringError> {
        Ok(self.eds_verifier.clone())
    }
    fn certificates(&self) -> Result<Arc<dyn domain::ports::CertificateStore>, WiringError> {
        Ok(self.store.clone())
    }
    fn document_signer(&self) -> Result<Arc<dyn domain::ports::DocumentSigner>, WiringError> {
        Ok(self.signer.clone())
    }
    fn policy(&self) -> Policy {
        Policy { rate_limits: self.limits, ..Policy::default() }
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// Records calls; answers with `fail_with` when set.
#[derive(Default)]
pub struct RecordingWorkflow {
    pub started: Mutex<Vec<ApplicationId>>,
    pub successes: Mutex<Vec<(String, Value)>>,
    pub failures: Mutex<Vec<(String, String)>>,
    pub stopped: Mutex<Vec<ApplicationId>>,
    pub fail_with: Mutex<Option<WorkflowError>>,
}

impl RecordingWorkflow {
    fn answer(&self) -> Result<(), WorkflowError> {
        match self.fail_with.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl RecordingWorkflow {
    /// As Step Functions: a task answered once is no longer waiting.
    fn not_answered(&self, token: &str) -> Result<(), WorkflowError> {
        let answered = self.successes.lock().unwrap_or_else(|p| p.into_inner()).iter().any(|(t, _)| t == token)
            || self.failures.lock().unwrap_or_else(|p| p.into_inner()).iter().any(|(t, _)| t == token);
        if answered {
            return Err(WorkflowError::TaskTimedOut);
        }
        Ok(())
    }
}

#[async_trait]
impl Workflow for RecordingWorkflow {
    async fn start(&self, application: &ApplicationId, _trace_header: Option<&str>) -> Result<(), WorkflowError> {
        self.answer()?;
        let mut started = self.started.lock().unwrap_or_else(|p| p.into_inner());
        // As Step Functions: the same name (and input) again is the same execution.
        if !started.contains(application) {
            started.push(application.clone());
        }
        Ok(())
    }

    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError> {
        self.answer()?;
        self.not_answered(token)?;
        self.successes.lock().unwrap_or_else(|p| p.into_inner()).push((token.into(), output));
        Ok(())
    }

    async fn send_task_failure(&self, token: &str, error: &str, _cause: &str) -> Result<(), WorkflowError> {
        self.answer()?;
        self.not_answered(token)?;
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).push((token.into(), error.into()));
        Ok(())
    }

    async fn stop(&self, application: &ApplicationId, _cause: &str) -> Result<(), WorkflowError> {
        self.answer()?;
        self.stopped.lock().unwrap_or_else(|p| p.into_inner()).push(application.clone());
        Ok(())
    }
}

/// An API Gateway (HTTP API, payload 2.0) event from `events/`, edited, as the request a function gets.
pub fn api_request(event_json: &str, edit: impl FnOnce(&mut Value)) -> lambda_http::Request {
    let mut v: Value = serde_json::from_str(event_json).unwrap_or_else(|e| panic!("event file: {e}"));
    edit(&mut v);
    lambda_http::request::from_str(&v.to_string()).unwrap_or_else(|e| panic!("event: {e}"))
}

/// Sets the caller's IIN claim.
pub fn as_caller(v: &mut Value, iin: &str) {
    v["requestContext"]["authorizer"]["jwt"]["claims"]["iin"] = Value::String(iin.into());
}

/// Replaces the JSON body.
pub fn with_body(v: &mut Value, body: Value) {
    v["body"] = Value::String(body.to_string());
}

pub fn response_json(resp: &http_edge::HttpResponse) -> Value {
    match resp.body() {
        lambda_http::Body::Text(t) => serde_json::from_str(t).unwrap_or(Value::Null),
        lambda_http::Body::Binary(b) => serde_json::from_slice(b).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

pub mod contract;
pub mod eds_pki;
pub mod interleaving;
pub mod moto;
