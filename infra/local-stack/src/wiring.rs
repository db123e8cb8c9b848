//! Builds the ports and the functions exactly as each Lambda's `main.rs` does in AWS, but over the
//! embedded adapters, and the engine that runs the deployed definition with them.

use asl_runner::{DefinitionError, Engine, LambdaFn, TaskFailure};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::adapters::memory::{MemoryStore, SmsOutbox};
use shared::clock::{AdjustableClock, Clock};
use shared::errors::StepError;
use shared::ports::{Registries, Workflow};
use shared::reference_data::ReferenceData;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

/// Lambda function names: the ARNs substituted into the definition end in these.
pub const CHECK_ELIGIBILITY: &str = "check-eligibility";
pub const REQUEST_CONSENT: &str = "request-consent";
pub const FINALIZE: &str = "finalize";

pub struct Stack {
    pub store: Arc<MemoryStore>,
    pub registries: Arc<ReferenceData>,
    pub outbox: Arc<SmsOutbox>,
    pub clock: Arc<AdjustableClock>,
    pub engine: Engine,
    pub precheck: precheck::Deps,
    pub signing_code: signing_code::Deps,
    pub submit: submit::Deps,
    pub service_history: service_history::Deps,
    pub withdraw: withdraw::Deps,
    pub record_reply: record_reply::Deps,
}

/// Wraps a workflow function as the engine calls it: JSON in, JSON out, errors named by `error_type`.
fn step<I, O, F, Fut>(f: F) -> LambdaFn
where
    I: DeserializeOwned + Send + 'static,
    O: Serialize + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, StepError>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |value| {
        let f = f.clone();
        Box::pin(async move {
            let fail = |e: StepError| TaskFailure { error: e.error_type().to_string(), cause: e.to_string() };
            let input: I =
                serde_json::from_value(value).map_err(|e| fail(StepError::InvalidStepInput(e.to_string())))?;
            let output = f(input).await.map_err(fail)?;
            serde_json::to_value(output).map_err(|e| fail(StepError::InvalidStepInput(e.to_string())))
        })
    })
}

fn arn(name: &str) -> String {
    format!("arn:aws:lambda:local:000000000000:function:{name}")
}

pub fn build(
    definition: &str,
    registries: ReferenceData,
    clock: Arc<AdjustableClock>,
    consent_timeout_seconds: u32,
) -> Result<Stack, DefinitionError> {
    let store = Arc::new(MemoryStore::new());
    let registries = Arc::new(registries);
    let clock_port: Arc<dyn Clock> = clock.clone();
    let outbox = Arc::new(SmsOutbox::new(clock_port.clone()));
    let registries_port: Arc<dyn Registries> = registries.clone();

    let check = Arc::new(check_eligibility::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registries: registries_port.clone(),
        timeline: store.clone(),
        clock: clock_port.clone(),
        consent_timeout_seconds,
    });
    let consent = Arc::new(request_consent::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registries: registries_port.clone(),
        sms: outbox.clone(),
        timeline: store.clone(),
        clock: clock_port.clone(),
    });
    let fin = Arc::new(finalize::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registrations: store.clone(),
        registries: registries_port.clone(),
        timeline: store.clone(),
        sms: outbox.clone(),
        clock: clock_port.clone(),
    });
    let mut functions: HashMap<String, LambdaFn> = HashMap::new();
    functions.insert(
        CHECK_ELIGIBILITY.into(),
        step(move |i| {
            let d = check.clone();
            async move { check_eligibility::handle(&d, i).await }
        }),
    );
    functions.insert(
        REQUEST_CONSENT.into(),
        step(move |i| {
            let d = consent.clone();
            async move { request_consent::handle(&d, i).await }
        }),
    );
    functions.insert(
        FINALIZE.into(),
        step(move |i| {
            let d = fin.clone();
            async move { finalize::handle(&d, i).await }
        }),
    );
    let substitutions: HashMap<String, String> = [
        ("CheckEligibilityFunctionArn", arn(CHECK_ELIGIBILITY)),
        ("RequestConsentFunctionArn", arn(REQUEST_CONSENT)),
        ("FinalizeFunctionArn", arn(FINALIZE)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let engine = Engine::new(definition, &substitutions, functions, clock_port.clone())?;
    let workflow: Arc<dyn Workflow> = Arc::new(engine.clone());

    Ok(Stack {
        precheck: precheck::Deps { registries: registries_port.clone(), clock: clock_port.clone() },
        signing_code: signing_code::Deps {
            registries: registries_port.clone(),
            signing: store.clone(),
            sms: outbox.clone(),
            clock: clock_port.clone(),
        },
        submit: submit::Deps {
            applications: store.clone(),
            timeline: store.clone(),
            signing: store.clone(),
            workflow: workflow.clone(),
            clock: clock_port.clone(),
        },
        service_history: service_history::Deps { applications: store.clone(), timeline: store.clone() },
        withdraw: withdraw::Deps {
            applications: store.clone(),
            consents: store.clone(),
            timeline: store.clone(),
            workflow: workflow.clone(),
            clock: clock_port.clone(),
        },
        record_reply: record_reply::Deps {
            applications: store.clone(),
            consents: store.clone(),
            registries: registries_port,
            timeline: store.clone(),
            workflow,
            sms: outbox.clone(),
            clock: clock_port,
        },
        store,
        registries,
        outbox,
        clock,
        engine,
    })
}
