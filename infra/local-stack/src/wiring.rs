//! Builds the ports and the functions exactly as each Lambda's `main.rs` does in AWS, and the engine that
//! runs the deployed definition with them. The ports come from a [`Backend`]: embedded storage (the
//! default), or the AWS APIs at an endpoint such as moto (see [`crate::aws_backend`]).

use crate::aws_backend::AwsBackend;
use crate::faults::ports::Faulty;
use crate::invocations::Invocations;
use asl_runner::{Engine, LambdaFn, TaskFailure};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::adapters::counted_sms::CountedSms;
use shared::adapters::memory::{MemoryMetrics, MemoryStore, SmsOutbox};
use shared::clock::{AdjustableClock, Clock};
use shared::errors::StepError;
use shared::ports::{
    ApplicationStore, ConsentStore, RegistrationStore, Registries, SigningStore, SmsSender, TimelineStore, Workflow,
};
use shared::reference_data::ReferenceData;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// Lambda function names: the ARNs substituted into the definition end in these.
pub const CHECK_ELIGIBILITY: &str = "check-eligibility";
pub const REQUEST_CONSENT: &str = "request-consent";
pub const FINALIZE: &str = "finalize";
/// Not in the definition: EventBridge invokes it when an execution ends.
pub const RECONCILE: &str = "reconcile";
/// Every function, by the name of its crate in `functions/`.
pub const FUNCTIONS: [&str; 10] = [
    "precheck",
    "signing-code",
    "submit",
    "service-history",
    "withdraw",
    "record-reply",
    CHECK_ELIGIBILITY,
    REQUEST_CONSENT,
    FINALIZE,
    RECONCILE,
];

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
}

/// What one function is given.
struct Ports {
    applications: Arc<dyn ApplicationStore>,
    consents: Arc<dyn ConsentStore>,
    registrations: Arc<dyn RegistrationStore>,
    signing: Arc<dyn SigningStore>,
    timeline: Arc<dyn TimelineStore>,
    registries: Arc<dyn Registries>,
    sms: Arc<dyn SmsSender>,
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
            let fail = |e: StepError| TaskFailure { error: e.error_type().to_string(), cause: e.to_string() };
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

pub fn arn(name: &str) -> String {
    format!("arn:aws:lambda:local:000000000000:function:{name}")
}

/// The `${...}` substitutions of the definition, as the template's DefinitionSubstitutions.
pub fn substitutions() -> HashMap<String, String> {
    [
        ("CheckEligibilityFunctionArn", arn(CHECK_ELIGIBILITY)),
        ("RequestConsentFunctionArn", arn(REQUEST_CONSENT)),
        ("FinalizeFunctionArn", arn(FINALIZE)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// What the deployment sets in the functions' environment.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub consent_timeout_seconds: u32,
    pub address_review: shared::review::AddressReview,
    pub rate_limits: shared::rate_limits::RateLimits,
}

pub fn build(
    definition: &str,
    backend: Backend,
    clock: Arc<AdjustableClock>,
    settings: Settings,
) -> Result<Stack, String> {
    let consent_timeout_seconds = settings.consent_timeout_seconds;
    let clock_port: Arc<dyn Clock> = clock.clone();
    let outbox = Arc::new(SmsOutbox::new(clock_port.clone()));
    let metrics = Arc::new(MemoryMetrics::default());
    let counted = |sms: Arc<dyn SmsSender>| -> Arc<dyn SmsSender> {
        Arc::new(CountedSms { inner: sms, metrics: metrics.clone() })
    };
    let invocations = Invocations::default();
    let (memory, aws) = match backend {
        Backend::Embedded(registries) => (Some((Arc::new(MemoryStore::new()), Arc::new(registries))), None),
        Backend::Aws(aws) => (None, Some(*aws)),
    };
    let backend_ports = |function: &'static str| -> Result<Ports, String> {
        match (&memory, &aws) {
            (Some((store, registries)), _) => Ok(Ports {
                applications: store.clone(),
                consents: store.clone(),
                registrations: store.clone(),
                signing: store.clone(),
                timeline: store.clone(),
                registries: registries.clone(),
                sms: counted(outbox.clone()),
            }),
            (None, Some(aws)) => {
                let clients = aws.clients(function);
                let store = clients.store().map_err(|e| e.to_string())?;
                Ok(Ports {
                    applications: store.clone(),
                    consents: store.clone(),
                    registrations: store.clone(),
                    signing: store.clone(),
                    timeline: store,
                    registries: clients.registries().map_err(|e| e.to_string())?,
                    sms: counted(Arc::new(crate::aws_backend::SmsAlsoToOutbox {
                        sns: clients.sns_sms(),
                        outbox: outbox.clone(),
                    })),
                })
            }
            (None, None) => Err("no backend".into()),
        }
    };
    let faults = crate::faults::Faults::new(clock_port.clone());
    let ports = |function: &'static str| -> Result<Ports, String> {
        let p = backend_ports(function)?;
        let f = &faults;
        Ok(Ports {
            applications: Faulty::wrap(p.applications, f, function),
            consents: Faulty::wrap(p.consents, f, function),
            registrations: Faulty::wrap(p.registrations, f, function),
            signing: Faulty::wrap(p.signing, f, function),
            timeline: Faulty::wrap(p.timeline, f, function),
            registries: Faulty::wrap(p.registries, f, function),
            sms: Faulty::wrap(p.sms, f, function),
        })
    };

    let p = ports(CHECK_ELIGIBILITY)?;
    let check = Arc::new(check_eligibility::Deps {
        applications: p.applications,
        consents: p.consents,
        registries: p.registries,
        clock: clock_port.clone(),
        consent_timeout_seconds,
    });
    // The key codes are hashed with: generated at each start here (AWS: a Secrets Manager secret; on the AWS
    // backend, the one it created there, read as each function reads it at init).
    let code_key = match &aws {
        None => Arc::new(shared::domain::CodeKey::generate()),
        Some(aws) => aws.code_key.clone(),
    };
    let limits = settings.rate_limits;
    let p = ports(REQUEST_CONSENT)?;
    let consent = Arc::new(request_consent::Deps {
        applications: p.applications,
        consents: p.consents,
        registries: p.registries,
        sms: p.sms,
        timeline: p.timeline,
        clock: clock_port.clone(),
        metrics: metrics.clone(),
        code_key: code_key.clone(),
        limits,
    });
    // Finalize's code serves two functions, each with its own ports (and call log), as in AWS.
    let finalize_deps = |function: &'static str| -> Result<Arc<finalize::Deps>, String> {
        let p = ports(function)?;
        Ok(Arc::new(finalize::Deps {
            applications: p.applications,
            consents: p.consents,
            registrations: p.registrations,
            registries: p.registries,
            sms: p.sms,
            clock: clock_port.clone(),
            metrics: metrics.clone(),
            address_review: settings.address_review,
        }))
    };
    let fin = finalize_deps(FINALIZE)?;
    let mut functions: HashMap<String, LambdaFn> = HashMap::new();
    functions.insert(
        CHECK_ELIGIBILITY.into(),
        step(CHECK_ELIGIBILITY, invocations.clone(), move |i| {
            let d = check.clone();
            async move { check_eligibility::handle(&d, i).await }
        }),
    );
    functions.insert(
        REQUEST_CONSENT.into(),
        step(REQUEST_CONSENT, invocations.clone(), move |i| {
            let d = consent.clone();
            async move { request_consent::handle(&d, i).await }
        }),
    );
    functions.insert(
        FINALIZE.into(),
        step(FINALIZE, invocations.clone(), move |i| {
            let d = fin.clone();
            async move { finalize::handle(&d, i).await }
        }),
    );
    let engine = Engine::new(definition, &substitutions(), functions, clock_port.clone()).map_err(|e| e.to_string())?;
    let reconcile = finalize_deps(RECONCILE)?;
    let unreconciled = Arc::new(std::sync::Mutex::new(Vec::new()));
    let reconciling = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    engine.on_execution_ended(crate::reconciling::listener(
        reconcile,
        invocations.clone(),
        unreconciled.clone(),
        reconciling.clone(),
    ));
    let workflow = |function: &'static str| -> Result<Arc<dyn Workflow>, String> {
        let backend: Arc<dyn Workflow> = match &aws {
            None => Arc::new(engine.clone()),
            Some(aws) => Arc::new(crate::aws_backend::WorkflowAlsoToApi {
                api: aws.clients(function).workflow().map_err(|e| e.to_string())?,
                engine: engine.clone(),
            }),
        };
        Ok(Faulty::wrap(backend, &faults, function))
    };

    let p = ports("precheck")?;
    let precheck = precheck::Deps { registries: p.registries, applications: p.applications, clock: clock_port.clone() };
    let p = ports("signing-code")?;
    let signing_code = signing_code::Deps {
        registries: p.registries,
        applications: p.applications,
        signing: p.signing,
        sms: p.sms,
        clock: clock_port.clone(),
        metrics: metrics.clone(),
        code_key: code_key.clone(),
        limits,
    };
    let p = ports("submit")?;
    let submit = submit::Deps {
        applications: p.applications,
        signing: p.signing,
        registries: p.registries,
        workflow: workflow("submit")?,
        clock: clock_port.clone(),
        metrics: metrics.clone(),
        code_key: code_key.clone(),
        limits,
    };
    let p = ports("service-history")?;
    let service_history = service_history::Deps { applications: p.applications, timeline: p.timeline };
    let p = ports("withdraw")?;
    let withdraw = withdraw::Deps {
        applications: p.applications,
        consents: p.consents,
        workflow: workflow("withdraw")?,
        clock: clock_port.clone(),
        metrics: metrics.clone(),
    };
    let p = ports("record-reply")?;
    let record_reply = record_reply::Deps {
        applications: p.applications,
        consents: p.consents,
        registries: p.registries,
        timeline: p.timeline,
        workflow: workflow("record-reply")?,
        sms: p.sms,
        clock: clock_port,
        metrics: metrics.clone(),
        code_key,
    };

    Ok(Stack {
        memory: memory.map(|(store, _)| store),
        aws,
        outbox,
        metrics,
        clock,
        engine,
        invocations,
        faults,
        reconciling,
        unreconciled,
        precheck,
        signing_code,
        submit,
        service_history,
        withdraw,
        record_reply,
    })
}
