//! Builds the ports and the functions exactly as each Lambda's `main.rs` does in AWS, and the engine that
//! runs the deployed definition with them. The ports come from a [`Backend`]: embedded storage (the
//! default), or the AWS APIs at an endpoint such as moto (see [`crate::aws_backend`]); each function takes
//! them through `Deps::from_ports` from a [`crate::source::Source`].

use crate::aws_backend::AwsBackend;
use crate::functions::{substitutions, triggered_by, Handlers, JsonFn, TABLE};
use crate::invocations::Invocations;
use crate::source::Parts;
use asl_runner::{Engine, LambdaFn, TaskFailure};
use domain::clock::{AdjustableClock, Clock};
use domain::function::{FunctionSpec, Trigger};
use domain::ports::{ApplicationStore, Registries};
use domain::reference_data::ReferenceData;
use domain::wiring::{Policy, PortSource, WiringError};
use memory_adapters::{MemoryMetrics, MemoryStore, SmsOutbox};
use std::collections::BTreeMap;
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
    /// Every function of the [table](crate::functions::TABLE), built, by name.
    pub functions: BTreeMap<&'static str, Handlers>,
    /// What health probes with reads that change nothing: submit's storage, precheck's registries.
    pub probe: Probe,
    /// The test PKI submit's EDS verifier trusts (`/_local/eds/*`).
    pub pki: Arc<test_pki::Pki>,
}

pub struct Probe {
    pub applications: Arc<dyn ApplicationStore>,
    pub registries: Arc<dyn Registries>,
}

impl Stack {
    /// The function's handlers, by name.
    pub fn function(&self, name: &str) -> Option<&Handlers> {
        self.functions.get(name)
    }

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

/// A workflow step as the engine calls it: its JSON handler, errors named by `error_type`, the call counted.
fn step(name: &'static str, invocations: Invocations, f: JsonFn) -> LambdaFn {
    Arc::new(move |value| {
        let (f, invocations) = (f.clone(), invocations.clone());
        Box::pin(async move {
            let started = Instant::now();
            let result =
                f(value).await.map_err(|e| TaskFailure { error: e.error_type().to_string(), cause: e.chain() });
            invocations.record(name, started.elapsed());
            result
        })
    })
}

/// Builds each function of the table whose triggers `pick` takes, checking it has a handler for each.
fn build_rows(parts: &Parts, pick: impl Fn(&FunctionSpec) -> bool) -> Result<BTreeMap<&'static str, Handlers>, String> {
    let mut built = BTreeMap::new();
    for row in TABLE.iter().filter(|row| pick(row.spec)) {
        let handlers = (row.build)(&parts.source(row.spec.name)).map_err(|e| format!("{}: {e}", row.spec.name))?;
        if !handlers.serve(row.spec) {
            return Err(format!("{}: its handlers do not match its triggers {:?}", row.spec.name, row.spec.triggers));
        }
        built.insert(row.spec.name, handlers);
    }
    Ok(built)
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
        document_signer: Arc::new(memory_adapters::LocalSigner::generate().map_err(|e| e.to_string())?),
        policy,
    };
    let invocations = Invocations::default();
    // The workflow's steps first: the engine is built with them, and the other functions' ports need it.
    let is_step = |spec: &FunctionSpec| spec.arn_substitution().is_some();
    let mut functions = build_rows(&parts, is_step)?;
    let steps = functions
        .iter()
        .filter_map(|(name, h)| h.json.clone().map(|f| (name.to_string(), step(name, invocations.clone(), f))))
        .collect();
    let engine = Engine::new(definition, &substitutions(), steps, clock_port).map_err(|e| e.to_string())?;
    let _ = parts.engine.set(engine.clone());
    functions.extend(build_rows(&parts, |spec| !is_step(spec))?);
    // Every execution that ends is delivered to the function EventBridge invokes then (reconcile).
    let unreconciled = Arc::new(std::sync::Mutex::new(Vec::new()));
    let reconciling = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for spec in triggered_by(Trigger::ExecutionEnded) {
        let handler = functions.get(spec.name).and_then(|h| h.json.clone()).ok_or("no execution-ended handler")?;
        engine.on_execution_ended(crate::reconciling::listener(
            spec.name,
            handler,
            invocations.clone(),
            unreconciled.clone(),
            reconciling.clone(),
        ));
    }
    let deps = |e: WiringError| e.to_string();
    let probe = Probe {
        applications: parts.source(submit::FUNCTION.name).applications().map_err(deps)?,
        registries: parts.source(precheck::FUNCTION.name).registries().map_err(deps)?,
    };
    Ok(Stack {
        functions,
        probe,
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
