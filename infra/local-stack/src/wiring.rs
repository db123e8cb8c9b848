//! Builds the ports and the functions exactly as each Lambda's `main.rs` does in AWS, and the engine that
//! runs the deployed definition with them. The ports come from a [`Backend`]: embedded storage (the
//! default), or the AWS APIs at an endpoint such as moto (see [`crate::aws_backend`]); each function takes
//! them through `Deps::from_ports` from a [`crate::source::Source`].

use crate::aws_backend::AwsBackend;
use crate::functions::{substitutions, CHECK_ELIGIBILITY, FINALIZE, RECONCILE, REQUEST_CONSENT};
use crate::invocations::Invocations;
use crate::source::Parts;
use asl_runner::{Engine, LambdaFn, TaskFailure};
use domain::clock::{AdjustableClock, Clock};
use domain::errors::StepError;
use domain::reference_data::ReferenceData;
use domain::wiring::{Policy, WiringError};
use memory_adapters::{MemoryMetrics, MemoryStore, SmsOutbox};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// Where the ports of the functions live.
pub enum Backend {
    /// Embedded storage, the registries in memory, SMS to the outbox only.
    Embedded(ReferenceData),
    /// DynamoDB, SNS and Step Functions at an endpoint; each function has its own clients.
    Aws(Box<AwsBackend>),
}

pub struct Stack {
    /// The embedded store; `None` on the AWS backend.
    pub memory: Option<Arc<MemoryStore>>,
    /// On the AWS backend, every API call of each function, by function name.
    pub aws: Option<AwsBackend>,
    pub outbox: Arc<SmsOutbox>,
    /// The business metrics the functions record (EMF lines in Lambda), served at `/_local/metrics`.
    pub metrics: Arc<MemoryMetrics>,
    pub clock: Arc<AdjustableClock>,
    pub engine: Engine,
    pub invocations: Invocations,
    /// The fault control (`/_local/faults`): every function's ports are behind it.
    pub faults: Arc<crate::faults::Faults>,
    /// Reconciliations running now (not those waiting for their next retry).
    pub reconciling: Arc<std::sync::atomic::AtomicUsize>,
    /// Ended executions whose reconciliation failed every retry (AWS: the reconcile failure queue).
    pub unreconciled: Arc<std::sync::Mutex<Vec<String>>>,
    pub precheck: precheck::Deps,
    pub signing_code: signing_code::Deps,
    pub submit: submit::Deps,
    pub service_history: service_history::Deps,
    pub withdraw: withdraw::Deps,
    pub record_reply: record_reply::Deps,
    /// The test PKI submit's EDS verifier trusts (`/_local/eds/*`).
    pub pki: Arc<test_pki::Pki>,
}

impl Stack {
    /// Nothing left to do at this clock: the engine [is settled](Engine::is_settled) and no reconciliation
    /// of an ended execution is running.
    pub fn is_settled(&self) -> bool {
        self.reconciling.load(std::sync::atomic::Ordering::SeqCst) == 0 && self.engine.is_settled()
    }

    /// Completes when the stack [is settled](Self::is_settled).
    pub async fn settled(&self) {
        while !self.is_settled() {
            self.engine.settled().await;
            if !self.is_settled() {
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        }
    }
}

/// Wraps a workflow function as the engine calls it: JSON in, JSON out, errors named by `error_type`.
fn step<I, O, F, Fut>(name: &'static str, invocations: Invocations, f: F) -> LambdaFn
where
    I: DeserializeOwned + Send + 'static,
    O: Serialize + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, StepError>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |value| {
        let f = f.clone();
        let invocations = invocations.clone();
        Box::pin(async move {
            let started = Instant::now();
            let fail = |e: StepError| TaskFailure { error: e.error_type().to_string(), cause: e.chain() };
            let result = match serde_json::from_value::<I>(value) {
                Err(e) => Err(fail(StepError::InvalidStepInput(e.to_string()))),
                Ok(input) => match f(input).await {
                    Ok(output) => {
                        serde_json::to_value(output).map_err(|e| fail(StepError::InvalidStepInput(e.to_string())))
                    }
                    Err(e) => Err(fail(e)),
                },
            };
            invocations.record(name, started.elapsed());
            result
        })
    })
}

/// The workflow functions, as the engine invokes them by name.
fn workflow_functions(parts: &Parts, invocations: &Invocations) -> Result<HashMap<String, LambdaFn>, WiringError> {
    let check = Arc::new(check_eligibility::Deps::from_ports(&parts.source(CHECK_ELIGIBILITY))?);
    let consent = Arc::new(request_consent::Deps::from_ports(&parts.source(REQUEST_CONSENT))?);
    let finalize = Arc::new(finalize::Deps::from_ports(&parts.source(FINALIZE))?);
    let functions: [(&str, LambdaFn); 3] = [
        (
            CHECK_ELIGIBILITY,
            step(CHECK_ELIGIBILITY, invocations.clone(), move |i| {
                let d = check.clone();
                async move { check_eligibility::handle(&d, i).await }
            }),
        ),
        (
            REQUEST_CONSENT,
            step(REQUEST_CONSENT, invocations.clone(), move |i| {
                let d = consent.clone();
                async move { request_consent::handle(&d, i).await }
            }),
        ),
        (
            FINALIZE,
            step(FINALIZE, invocations.clone(), move |i| {
                let d = finalize.clone();
                async move { finalize::handle(&d, i).await }
            }),
        ),
    ];
    Ok(functions.into_iter().map(|(name, f)| (name.to_string(), f)).collect())
}

pub fn build(
    definition: &str,
    backend: Backend,
    clock: Arc<AdjustableClock>,
    pki: Arc<test_pki::Pki>,
    eds_trust: &str,
    policy: Policy,
) -> Result<Stack, String> {
    let clock_port: Arc<dyn Clock> = clock.clone();
    let (memory, aws) = match backend {
        Backend::Embedded(registries) => (Some((Arc::new(MemoryStore::new()), Arc::new(registries))), None),
        Backend::Aws(aws) => (None, Some(*aws)),
    };
    // The key codes are hashed with: generated at each start here (AWS: a Secrets Manager secret; on the AWS
    // backend, the one it created there, read as each function reads it at init).
    let code_key = match &aws {
        None => Arc::new(domain::CodeKey::generate()),
        Some(aws) => aws.code_key.clone(),
    };
    let parts = Parts {
        memory,
        aws,
        outbox: Arc::new(SmsOutbox::new(clock_port.clone())),
        metrics: Arc::new(MemoryMetrics::default()),
        clock: clock_port.clone(),
        faults: crate::faults::Faults::new(clock_port.clone()),
        engine: std::sync::OnceLock::new(),
        code_key,
        eds_verifier: crate::pki::verifier(&pki, eds_trust)?,
        policy,
    };
    let invocations = Invocations::default();
    let functions = workflow_functions(&parts, &invocations).map_err(|e| e.to_string())?;
    let engine = Engine::new(definition, &substitutions(), functions, clock_port).map_err(|e| e.to_string())?;
    let _ = parts.engine.set(engine.clone());
    // Reconcile ends applications the domain's way, as Finalize does, with its own ports (and call log).
    let reconcile = Arc::new(reconcile::Deps::from_ports(&parts.source(RECONCILE)).map_err(|e| e.to_string())?);
    let unreconciled = Arc::new(std::sync::Mutex::new(Vec::new()));
    let reconciling = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    engine.on_execution_ended(crate::reconciling::listener(
        reconcile,
        invocations.clone(),
        unreconciled.clone(),
        reconciling.clone(),
    ));
    let deps = |e: WiringError| e.to_string();
    Ok(Stack {
        precheck: precheck::Deps::from_ports(&parts.source("precheck")).map_err(deps)?,
        signing_code: signing_code::Deps::from_ports(&parts.source("signing-code")).map_err(deps)?,
        submit: submit::Deps::from_ports(&parts.source("submit")).map_err(deps)?,
        service_history: service_history::Deps::from_ports(&parts.source("service-history")).map_err(deps)?,
        withdraw: withdraw::Deps::from_ports(&parts.source("withdraw")).map_err(deps)?,
        record_reply: record_reply::Deps::from_ports(&parts.source("record-reply")).map_err(deps)?,
        memory: parts.memory.map(|(store, _)| store),
        aws: parts.aws,
        outbox: parts.outbox,
        metrics: parts.metrics,
        clock,
        engine,
        invocations,
        faults: parts.faults,
        reconciling,
        unreconciled,
        pki,
    })
}
