//! Executions: start, stop, task tokens, and what the console shows about them.

use crate::definition::{DefinitionError, StateMachine};
use crate::history::HistoryEvent;
use crate::host::{function_name, Failure, Host, LambdaFn, TaskFailure};
use crate::interpreter;
use crate::timers::Timers;
use chrono::{DateTime, Utc};
use domain::clock::Clock;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::oneshot;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    #[error("ExecutionAlreadyExists: an execution named {0} exists")]
    ExecutionAlreadyExists(String),
    #[error("ExecutionDoesNotExist: {0}")]
    ExecutionDoesNotExist(String),
    #[error("InvalidToken: the task token is not known")]
    InvalidToken,
    #[error("TaskTimedOut: the task is no longer waiting")]
    TaskTimedOut,
    #[error("InvalidName: {0}")]
    InvalidName(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    Aborted,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSummary {
    pub name: String,
    pub execution_arn: String,
    pub status: ExecutionStatus,
    pub start_date: DateTime<Utc>,
    pub stop_date: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionView {
    #[serde(flatten)]
    pub summary: ExecutionSummary,
    pub input: Value,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub state_transitions: usize,
    pub history: Vec<HistoryEvent>,
}

pub(crate) struct Execution {
    pub summary: ExecutionSummary,
    pub input: Value,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: Vec<HistoryEvent>,
    /// The X-Ray header every invocation of this execution carries.
    pub trace_header: String,
    abort: Option<tokio::task::AbortHandle>,
}

pub(crate) enum TokenState {
    Waiting { execution: String, reply: oneshot::Sender<Result<Value, Failure>> },
    Finished,
}

pub(crate) struct Inner {
    pub machine: Arc<StateMachine>,
    pub functions: HashMap<String, LambdaFn>,
    pub timers: Arc<Timers>,
    executions: Mutex<HashMap<String, Execution>>,
    order: Mutex<Vec<String>>,
    tokens: Mutex<HashMap<String, TokenState>>,
    arn_prefix: String,
    /// Told of every execution that ends, as EventBridge is in AWS.
    on_ended: Mutex<Option<EndedListener>>,
    /// What is running and what waits: whether the engine has settled.
    pub(crate) work: Arc<crate::settled::Work>,
    /// History events recorded so far, all executions together.
    events: std::sync::atomic::AtomicU64,
}

/// Receives the "Step Functions Execution Status Change" event of each execution that ends, with the engine
/// (given at each call, so that the listener holds no engine of its own).
pub type EndedListener = Arc<dyn Fn(Engine, Value) + Send + Sync>;

/// Cheap to clone: all clones drive the same executions.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Engine {
    /// Loads the definition (after `${...}` substitutions) and checks that every function it calls is given.
    /// Must be called inside a Tokio runtime.
    pub fn new(
        definition: &str,
        substitutions: &HashMap<String, String>,
        functions: HashMap<String, LambdaFn>,
        clock: Arc<dyn Clock>,
    ) -> Result<Engine, DefinitionError> {
        let machine = StateMachine::parse(definition, substitutions)?;
        for f in machine.functions() {
            if !functions.contains_key(function_name(&f)) {
                return Err(DefinitionError {
                    at: "Resource".into(),
                    message: format!("no function {f:?} is registered"),
                });
            }
        }
        let inner = Inner {
            machine: Arc::new(machine),
            functions,
            timers: Timers::start(clock),
            executions: Mutex::new(HashMap::new()),
            order: Mutex::new(Vec::new()),
            tokens: Mutex::new(HashMap::new()),
            arn_prefix: "arn:aws:states:local:000000000000:execution:registration".into(),
            on_ended: Mutex::new(None),
            work: Arc::default(),
            events: std::sync::atomic::AtomicU64::new(0),
        };
        Ok(Engine { inner: Arc::new(inner) })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.inner.timers.now()
    }

    /// No work left at this clock: no Lambda invocation running, and every execution (and Map iteration)
    /// parked on a timer still in the future, a task token not yet answered, or iterations that wait
    /// themselves. Answering a token or advancing the clock unsettles it.
    pub fn is_settled(&self) -> bool {
        let now = self.now();
        self.inner
            .work
            .is_settled(now, |token| !matches!(lock(&self.inner.tokens).get(token), Some(TokenState::Waiting { .. })))
    }

    /// Completes when the engine [is settled](Self::is_settled).
    pub async fn settled(&self) {
        while !self.is_settled() {
            // A change wakes it; the clock can also be moved without a word to the engine, so look again soon.
            let changed = self.inner.work.changed(|| self.is_settled());
            let _ = tokio::time::timeout(std::time::Duration::from_millis(20), changed).await;
        }
    }

    /// How many history events were recorded so far, all executions together.
    pub fn events_recorded(&self) -> u64 {
        self.inner.events.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The earliest time a timeout, a retry or a delayed delivery waits for: a test can move the clock straight
    /// there.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.inner.timers.next_deadline()
    }

    /// Completes when the engine's clock reaches `deadline` (advancing the clock brings it forward).
    pub async fn sleep_until(&self, deadline: DateTime<Utc>) {
        self.inner.timers.sleep_until(deadline).await
    }

    /// Every execution that ends (SUCCEEDED, FAILED, TIMED_OUT, ABORTED) is then given to `listener` as the
    /// event EventBridge delivers in AWS (`detail-type` "Step Functions Execution Status Change").
    pub fn on_execution_ended(&self, listener: EndedListener) {
        *lock(&self.inner.on_ended) = Some(listener);
    }

    fn ended(&self, name: &str) {
        let listener = lock(&self.inner.on_ended).clone();
        let Some(listener) = listener else { return };
        let Some(view) = self.describe(name) else { return };
        let s = &view.summary;
        let machine = self.inner.arn_prefix.replacen(":execution:", ":stateMachine:", 1);
        listener(
            self.clone(),
            json!({
                "version": "0",
                "id": uuid::Uuid::new_v4().to_string(),
                "detail-type": "Step Functions Execution Status Change",
                "source": "aws.states",
                "account": "000000000000",
                "time": s.stop_date.unwrap_or(s.start_date).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "region": "local",
                "resources": [s.execution_arn],
                "detail": {
                    "executionArn": s.execution_arn,
                    "stateMachineArn": machine,
                    "name": s.name,
                    "status": s.status,
                    "startDate": s.start_date.timestamp_millis(),
                    "stopDate": s.stop_date.map(|d| d.timestamp_millis()),
                    "input": view.input.to_string(),
                    "output": view.output.as_ref().map(Value::to_string),
                    "error": view.error,
                    "cause": view.cause,
                }
            }),
        );
    }

    /// Re-checks timeouts and retry delays: call after advancing the clock.
    pub fn clock_advanced(&self) {
        self.inner.timers.wake();
        self.inner.work.poke();
    }

    /// `StartExecution`: the same name with the same input while running returns the same execution.
    pub fn start_execution(&self, name: &str, input: Value) -> Result<String, EngineError> {
        self.start_traced_execution(name, input, None)
    }

    /// `StartExecution` with its `traceHeader`: the execution continues that trace (a new one without it),
    /// and every function it invokes runs in a span carrying it, as Lambda's `xrayTraceId`.
    pub fn start_traced_execution(
        &self,
        name: &str,
        input: Value,
        trace_header: Option<&str>,
    ) -> Result<String, EngineError> {
        if name.is_empty()
            || name.len() > 80
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(EngineError::InvalidName(name.into()));
        }
        let arn = format!("{}:{name}", self.inner.arn_prefix);
        {
            let mut executions = lock(&self.inner.executions);
            if let Some(e) = executions.get(name) {
                return if e.summary.status == ExecutionStatus::Running && e.input == input {
                    Ok(e.summary.execution_arn.clone())
                } else {
                    Err(EngineError::ExecutionAlreadyExists(name.into()))
                };
            }
            let now = self.now();
            let execution = Execution {
                summary: ExecutionSummary {
                    name: name.into(),
                    execution_arn: arn.clone(),
                    status: ExecutionStatus::Running,
                    start_date: now,
                    stop_date: None,
                },
                input: input.clone(),
                output: None,
                error: None,
                cause: None,
                history: Vec::new(),
                trace_header: trace_header
                    .map(str::to_string)
                    .unwrap_or_else(|| domain::xray::new_trace_header(self.now())),
                abort: None,
            };
            executions.insert(name.into(), execution);
            lock(&self.inner.order).push(name.into());
        }
        self.record(name, "ExecutionStarted", json!({ "input": input }));
        let engine = self.clone();
        let exec_name = name.to_string();
        // Counted as running before its task is spawned, so that it is never unseen.
        let scope = self.inner.work.enter();
        let handle = tokio::spawn(async move {
            let result = interpreter::run_execution(Arc::new(engine.clone()), exec_name.clone(), input).await;
            engine.finish(&exec_name, result);
            drop(scope);
        });
        if let Some(e) = lock(&self.inner.executions).get_mut(name) {
            e.abort = Some(handle.abort_handle());
        }
        Ok(arn)
    }

    /// Invokes a registered function directly, outside any execution (`aws lambda invoke`): how a retry of a
    /// step, or a redrive, reaches it.
    pub async fn invoke(&self, function: &str, payload: Value) -> Result<Value, TaskFailure> {
        let lambda = self.inner.functions.get(function).cloned().ok_or_else(|| TaskFailure {
            error: "Lambda.ResourceNotFoundException".into(),
            cause: format!("no function {function}"),
        })?;
        lambda(payload).await
    }

    /// The trace header of a running or finished execution.
    pub fn trace_header(&self, name: &str) -> Option<String> {
        lock(&self.inner.executions).get(name).map(|e| e.trace_header.clone())
    }

    fn finish(&self, name: &str, result: Result<Value, Failure>) {
        let now = self.now();
        let (kind, details) = {
            let mut executions = lock(&self.inner.executions);
            let Some(e) = executions.get_mut(name) else { return };
            if e.summary.status != ExecutionStatus::Running {
                return;
            }
            e.summary.stop_date = Some(now);
            e.abort = None;
            match result {
                Ok(output) => {
                    e.summary.status = ExecutionStatus::Succeeded;
                    e.output = Some(output.clone());
                    ("ExecutionSucceeded", json!({ "output": output }))
                }
                Err(f) => {
                    e.summary.status = ExecutionStatus::Failed;
                    e.error = Some(f.error.clone());
                    e.cause = Some(f.cause.clone());
                    ("ExecutionFailed", json!({ "error": f.error, "cause": f.cause }))
                }
            }
        };
        self.record(name, kind, details);
        self.ended(name);
    }

    /// `StopExecution`: the execution ends ABORTED and its task tokens stop working.
    pub fn stop_execution(&self, name: &str, error: &str, cause: &str) -> Result<(), EngineError> {
        let abort = {
            let mut executions = lock(&self.inner.executions);
            let e = executions.get_mut(name).ok_or_else(|| EngineError::ExecutionDoesNotExist(name.into()))?;
            if e.summary.status != ExecutionStatus::Running {
                return Ok(());
            }
            e.summary.status = ExecutionStatus::Aborted;
            e.summary.stop_date = Some(self.inner.timers.now());
            e.error = Some(error.into());
            e.cause = Some(cause.into());
            e.abort.take()
        };
        if let Some(a) = abort {
            a.abort();
        }
        let mut tokens = lock(&self.inner.tokens);
        for state in tokens.values_mut() {
            if matches!(state, TokenState::Waiting { execution, .. } if execution == name) {
                *state = TokenState::Finished;
            }
        }
        drop(tokens);
        self.record(name, "ExecutionAborted", json!({ "error": error, "cause": cause }));
        self.ended(name);
        Ok(())
    }

    pub fn send_task_success(&self, token: &str, output: Value) -> Result<(), EngineError> {
        self.resolve_token(token, Ok(output))
    }

    pub fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), EngineError> {
        self.resolve_token(token, Err(Failure::new(error, cause)))
    }

    fn resolve_token(&self, token: &str, result: Result<Value, Failure>) -> Result<(), EngineError> {
        let resolved = self.resolve(token, result);
        self.inner.work.poke();
        resolved
    }

    fn resolve(&self, token: &str, result: Result<Value, Failure>) -> Result<(), EngineError> {
        let mut tokens = lock(&self.inner.tokens);
        match tokens.get_mut(token) {
            None => Err(EngineError::InvalidToken),
            Some(TokenState::Finished) => Err(EngineError::TaskTimedOut),
            Some(state) => match std::mem::replace(state, TokenState::Finished) {
                TokenState::Waiting { reply, .. } => reply.send(result).map_err(|_| EngineError::TaskTimedOut),
                TokenState::Finished => Err(EngineError::TaskTimedOut),
            },
        }
    }

    pub(crate) fn register_token(&self, token: &str, execution: &str) -> oneshot::Receiver<Result<Value, Failure>> {
        let (tx, rx) = oneshot::channel();
        lock(&self.inner.tokens).insert(token.into(), TokenState::Waiting { execution: execution.into(), reply: tx });
        rx
    }

    pub(crate) fn finish_token(&self, token: &str) {
        if let Some(state) = lock(&self.inner.tokens).get_mut(token) {
            *state = TokenState::Finished;
        }
    }

    pub(crate) fn record(&self, execution: &str, kind: &str, details: Value) {
        self.inner.events.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let now = self.now();
        if let Some(e) = lock(&self.inner.executions).get_mut(execution) {
            let id = e.history.len() as u64 + 1;
            e.history.push(HistoryEvent { id, timestamp: now, kind: kind.into(), details });
        }
    }

    pub fn describe(&self, name: &str) -> Option<ExecutionView> {
        let executions = lock(&self.inner.executions);
        let e = executions.get(name)?;
        Some(ExecutionView {
            summary: e.summary.clone(),
            input: e.input.clone(),
            output: e.output.clone(),
            error: e.error.clone(),
            cause: e.cause.clone(),
            state_transitions: e.history.iter().filter(|h| h.kind.ends_with("StateEntered")).count(),
            history: e.history.clone(),
        })
    }

    /// Newest first.
    pub fn list(&self) -> Vec<ExecutionSummary> {
        let executions = lock(&self.inner.executions);
        lock(&self.inner.order).iter().rev().filter_map(|n| executions.get(n).map(|e| e.summary.clone())).collect()
    }
}

impl Host for Engine {
    fn now(&self) -> DateTime<Utc> {
        Engine::now(self)
    }
    fn machine(&self) -> Arc<StateMachine> {
        self.inner.machine.clone()
    }
    fn function(&self, name: &str) -> Option<LambdaFn> {
        self.inner.functions.get(name).cloned()
    }
    fn record(&self, execution: &str, kind: &str, details: Value) {
        Engine::record(self, execution, kind, details)
    }
    fn trace_header(&self, execution: &str) -> Option<String> {
        Engine::trace_header(self, execution)
    }
    fn register_token(&self, token: &str, execution: &str) -> oneshot::Receiver<Result<Value, Failure>> {
        Engine::register_token(self, token, execution)
    }
    fn finish_token(&self, token: &str) {
        Engine::finish_token(self, token)
    }
    fn work(&self) -> &Arc<crate::settled::Work> {
        &self.inner.work
    }
    fn timers(&self) -> &Timers {
        &self.inner.timers
    }
}
