//! What the interpreter needs of whatever runs it: one narrow interface, [`Host`]. The engine implements it
//! (`engine.rs`) and hands itself to the interpreter as a [`HostRef`]; the interpreter knows nothing else of
//! the engine, and the engine nothing of the interpreter but `run_execution`.

use crate::definition::StateMachine;
use crate::settled::Work;
use crate::timers::Timers;
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::{json, Value};
use std::sync::Arc;
use tokio::sync::oneshot;

/// A function's failure as Step Functions sees it: `Error` is the function's `errorType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailure {
    pub error: String,
    pub cause: String,
}

pub type LambdaFn = Arc<dyn Fn(Value) -> BoxFuture<'static, Result<Value, TaskFailure>> + Send + Sync>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    pub cause: String,
}

impl Failure {
    pub fn new(error: &str, cause: &str) -> Self {
        Failure { error: error.into(), cause: cause.into() }
    }

    pub(crate) fn runtime(cause: impl Into<String>) -> Self {
        Failure { error: "States.Runtime".into(), cause: cause.into() }
    }

    pub(crate) fn timeout() -> Self {
        Failure::new("States.Timeout", "the state did not finish within its TimeoutSeconds")
    }

    pub(crate) fn as_json(&self) -> Value {
        json!({ "Error": self.error, "Cause": self.cause })
    }
}

/// `arn:aws:lambda:...:function:NAME[:alias]` or `NAME` -> `NAME`.
pub(crate) fn function_name(resource: &str) -> &str {
    match resource.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => resource,
    }
}

/// The engine as the interpreter sees it.
pub(crate) trait Host: Send + Sync {
    /// The engine's clock.
    fn now(&self) -> DateTime<Utc>;
    /// The definition being run.
    fn machine(&self) -> Arc<StateMachine>;
    /// A registered function, by name.
    fn function(&self, name: &str) -> Option<LambdaFn>;
    /// Appends an event to an execution's history.
    fn record(&self, execution: &str, kind: &str, details: Value);
    /// The execution's X-Ray trace header.
    fn trace_header(&self, execution: &str) -> Option<String>;
    /// Waits for a task token (`waitForTaskToken`): the answer arrives on the receiver.
    fn register_token(&self, token: &str, execution: &str) -> oneshot::Receiver<Result<Value, Failure>>;
    /// The token is no longer waited for (answered, timed out, or its execution stopped).
    fn finish_token(&self, token: &str);
    /// What is running and what waits, for "settled".
    fn work(&self) -> &Arc<Work>;
    /// Timers on the engine's clock.
    fn timers(&self) -> &Timers;
}

/// The host as the interpreter holds it: cheap to clone into every task it spawns.
pub(crate) type HostRef = Arc<dyn Host>;
