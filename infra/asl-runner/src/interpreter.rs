//! Runs states: input and output processing, Retry, Catch, TimeoutSeconds, task tokens, Map.

use crate::definition::{
    Catcher, Flow, Kind, MapState, OptPath, Resource, Retrier, State, StateMachine, TaskState, Timeout,
};
use crate::host::{function_name, Failure, HostRef};
use crate::path::apply_template;
use crate::settled::Park;
use chrono::Duration;
use futures::future::BoxFuture;
use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::sync::Arc;
use tracing::Instrument;

/// Does an `ErrorEquals` list match this error name?
pub fn error_matches(error_equals: &[String], error: &str) -> bool {
    error_equals.iter().any(|e| match e.as_str() {
        "States.ALL" => true,
        "States.TaskFailed" => {
            error != "States.Timeout" && !error.starts_with("States.") || error == "States.TaskFailed"
        }
        other => other == error,
    })
}

pub(crate) async fn run_execution(engine: HostRef, name: String, input: Value) -> Result<Value, Failure> {
    let context = json!({
        "Execution": { "Id": format!("execution:{name}"), "Name": name, "Input": input, "StartTime": engine.now() },
        "StateMachine": { "Name": "registration" },
    });
    let machine = engine.machine();
    run_scope(engine, name, machine, input, context).await
}

fn run_scope(
    engine: HostRef,
    exec: String,
    machine: Arc<StateMachine>,
    input: Value,
    context: Value,
) -> BoxFuture<'static, Result<Value, Failure>> {
    Box::pin(async move {
        let mut current = machine.start_at.clone();
        let mut input = input;
        loop {
            let state = machine.states.get(&current).ok_or_else(|| Failure::runtime(format!("no state {current}")))?;
            let mut ctx = context.clone();
            ctx["State"] = json!({ "Name": current, "EnteredTime": engine.now() });
            engine.record(
                &exec,
                &format!("{}StateEntered", state.type_name()),
                json!({ "name": current, "input": input }),
            );
            let (output, next) = match run_state(&engine, &exec, state, input, ctx).await {
                Ok(done) => done,
                Err(f) => {
                    if !matches!(state.kind, Kind::Fail { .. }) {
                        engine.record(
                            &exec,
                            &format!("{}StateFailed", state.type_name()),
                            json!({ "name": current, "error": f.error, "cause": f.cause }),
                        );
                    }
                    return Err(f);
                }
            };
            engine.record(
                &exec,
                &format!("{}StateExited", state.type_name()),
                json!({ "name": current, "output": output }),
            );
            match next {
                Some(n) => {
                    current = n;
                    input = output;
                }
                None => return Ok(output),
            }
        }
    })
}

fn select(path: &OptPath, value: &Value) -> Result<Value, Failure> {
    match path {
        None => Ok(json!({})),
        Some(p) => p
            .get(value, &Value::Null)
            .cloned()
            .ok_or_else(|| Failure::runtime(format!("the path {:?} matches nothing in the input", p.text))),
    }
}

fn put_result(result_path: &OptPath, raw_input: &Value, result: Value) -> Result<Value, Failure> {
    match result_path {
        None => Ok(raw_input.clone()),
        Some(p) => p.set(raw_input.clone(), result).map_err(Failure::runtime),
    }
}

fn next_of(state: &State) -> Option<String> {
    match &state.flow {
        Flow::Next(n) => Some(n.clone()),
        Flow::End => None,
    }
}

/// Returns the state's output and the next state (`None`: the scope ends).
async fn run_state(
    engine: &HostRef,
    exec: &str,
    state: &State,
    raw: Value,
    ctx: Value,
) -> Result<(Value, Option<String>), Failure> {
    let effective = select(&state.io.input_path, &raw)?;
    match &state.kind {
        Kind::Succeed => Ok((select(&state.io.output_path, &effective)?, None)),
        Kind::Fail { error, cause } => Err(Failure::new(error, cause)),
        Kind::Choice { choices, default } => {
            let next = choices
                .iter()
                .find(|(rule, _)| rule.matches(&effective, &ctx))
                .map(|(_, n)| n.clone())
                .or_else(|| default.clone());
            let next = next.ok_or_else(|| {
                Failure::new("States.NoChoiceMatched", "no choice rule matched and there is no Default")
            })?;
            Ok((select(&state.io.output_path, &effective)?, Some(next)))
        }
        Kind::Pass { parameters, result, result_path } => {
            let value = match (result, parameters) {
                (Some(r), _) => r.clone(),
                (None, Some(t)) => apply_template(t, &effective, &ctx).map_err(Failure::runtime)?,
                (None, None) => effective.clone(),
            };
            let out = put_result(result_path, &raw, value)?;
            Ok((select(&state.io.output_path, &out)?, next_of(state)))
        }
        Kind::Task(task) => {
            let attempt =
                |ctx: Value| run_task_once(engine.clone(), exec.to_string(), task.clone(), effective.clone(), ctx);
            let result = with_retry(engine, exec, &task.retry, ctx, attempt).await;
            finish(state, &task.result_selector, &task.result_path, &task.catch, &raw, result)
        }
        Kind::Map(map) => {
            let attempt =
                |ctx: Value| run_map_once(engine.clone(), exec.to_string(), map.clone(), effective.clone(), ctx);
            let result = with_retry(engine, exec, &map.retry, ctx, attempt).await;
            finish(state, &map.result_selector, &map.result_path, &map.catch, &raw, result)
        }
    }
}

/// ResultSelector, ResultPath and OutputPath on success; the first matching catcher on failure.
fn finish(
    state: &State,
    selector: &Option<Value>,
    result_path: &OptPath,
    catchers: &[Catcher],
    raw: &Value,
    result: Result<Value, Failure>,
) -> Result<(Value, Option<String>), Failure> {
    match result {
        Ok(value) => {
            let value = match selector {
                Some(t) => apply_template(t, &value, &Value::Null).map_err(Failure::runtime)?,
                None => value,
            };
            let out = put_result(result_path, raw, value)?;
            Ok((select(&state.io.output_path, &out)?, next_of(state)))
        }
        Err(f) => match catchers.iter().find(|c| error_matches(&c.error_equals, &f.error)) {
            Some(c) => Ok((put_result(&c.result_path, raw, f.as_json())?, Some(c.next.clone()))),
            None => Err(f),
        },
    }
}

async fn with_retry<F>(
    engine: &HostRef,
    exec: &str,
    retriers: &[Retrier],
    ctx: Value,
    attempt: F,
) -> Result<Value, Failure>
where
    F: Fn(Value) -> BoxFuture<'static, Result<Value, Failure>>,
{
    let mut counts = vec![0u32; retriers.len()];
    loop {
        let failure = match attempt(ctx.clone()).await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        // States.Runtime and similar engine errors are not retried by States.ALL in AWS either.
        let retryable = failure.error != "States.Runtime";
        let Some(i) =
            retriers.iter().position(|r| error_matches(&r.error_equals, &failure.error)).filter(|_| retryable)
        else {
            return Err(failure);
        };
        let r = &retriers[i];
        if counts[i] >= r.max_attempts {
            return Err(failure);
        }
        let mut delay = r.interval_seconds * r.backoff_rate.powi(counts[i] as i32);
        if let Some(max) = r.max_delay_seconds {
            delay = delay.min(max);
        }
        counts[i] += 1;
        engine.record(
            exec,
            "RetryScheduled",
            json!({ "error": failure.error, "attempt": counts[i], "delaySeconds": delay }),
        );
        let deadline = engine.now() + Duration::milliseconds((delay * 1000.0) as i64);
        let _parked = engine.work().park(Park::Timer(deadline));
        engine.timers().sleep_until(deadline).await;
    }
}

/// Makes a token unusable when its task ends, however it ends (answered, timed out, cancelled).
struct TokenGuard {
    engine: HostRef,
    token: String,
}

impl Drop for TokenGuard {
    fn drop(&mut self) {
        self.engine.finish_token(&self.token);
    }
}

fn run_task_once(
    engine: HostRef,
    exec: String,
    task: Box<TaskState>,
    effective: Value,
    mut ctx: Value,
) -> BoxFuture<'static, Result<Value, Failure>> {
    Box::pin(async move {
        let seconds = match &task.timeout {
            None => None,
            Some(Timeout::Seconds(t)) => Some(*t),
            Some(Timeout::Path(p)) => {
                Some(p.get(&effective, &ctx).and_then(Value::as_u64).filter(|t| *t > 0).ok_or_else(|| {
                    Failure::runtime(format!("TimeoutSecondsPath {:?} is not a positive integer", p.text))
                })?)
            }
        };
        let deadline = seconds.map(|t| engine.now() + Duration::seconds(t as i64));
        let mut guard = None;
        let mut reply = None;
        if matches!(task.resource, Resource::InvokeWaitForToken) {
            let token = format!("tt-{}", uuid::Uuid::new_v4());
            ctx["Task"] = json!({ "Token": token });
            reply = Some(engine.register_token(&token, &exec));
            guard = Some(TokenGuard { engine: engine.clone(), token });
        }
        let params = match &task.parameters {
            Some(t) => apply_template(t, &effective, &ctx).map_err(Failure::runtime)?,
            None => effective,
        };
        let (function, payload) = match &task.resource {
            Resource::Function(f) => (function_name(f).to_string(), params),
            _ => {
                let name = params.get("FunctionName").and_then(Value::as_str).unwrap_or_default();
                (function_name(name).to_string(), params.get("Payload").cloned().unwrap_or(json!({})))
            }
        };
        let lambda = engine.function(&function).ok_or_else(|| Failure::runtime(format!("no function {function}")))?;
        engine.record(&exec, "TaskScheduled", json!({ "resource": function, "parameters": payload }));
        // As in Lambda, an invocation runs to its end even when the task times out or the execution stops:
        // it is its own task, not a future that a timeout could drop halfway through the handler.
        // The span Lambda's runtime opens around an invocation: its request id and the execution's trace.
        let span = tracing::info_span!(
            "Lambda runtime invoke",
            requestId = %uuid::Uuid::new_v4(),
            xrayTraceId = engine.trace_header(&exec).unwrap_or_default(),
        );
        // Counted as running until the handler returns, even if the execution stops meanwhile.
        let invocation = engine.work().invoke();
        let running = tokio::spawn(
            async move {
                let result = lambda(payload).await;
                drop(invocation);
                result
            }
            .instrument(span),
        );
        let call = async move {
            running.await.unwrap_or_else(|e| {
                Err(crate::host::TaskFailure {
                    error: "Lambda.Unknown".into(),
                    cause: format!("the invocation ended: {e}"),
                })
            })
        };
        let invoked = match deadline {
            Some(d) => tokio::select! {
                r = call => r,
                _ = engine.timers().sleep_until(d) => {
                    engine.record(&exec, "TaskTimedOut", json!({ "resource": function }));
                    return Err(Failure::timeout());
                }
            },
            None => call.await,
        };
        let result = match invoked {
            Ok(v) => v,
            Err(e) => {
                engine.record(&exec, "TaskFailed", json!({ "resource": function, "error": e.error, "cause": e.cause }));
                return Err(Failure::new(&e.error, &e.cause));
            }
        };
        let output = match (&task.resource, reply) {
            (Resource::Function(_), _) => result,
            (Resource::Invoke, _) => json!({ "ExecutedVersion": "$LATEST", "Payload": result, "StatusCode": 200 }),
            (Resource::InvokeWaitForToken, Some(rx)) => {
                engine.record(&exec, "TaskSubmitted", json!({ "resource": function }));
                let token = guard.as_ref().map(|g| g.token.clone()).unwrap_or_default();
                let _parked = engine.work().park(Park::Token { token, deadline });
                let answer = match deadline {
                    Some(d) => tokio::select! {
                        r = rx => r,
                        _ = engine.timers().sleep_until(d) => {
                            engine.record(&exec, "TaskTimedOut", json!({ "resource": function }));
                            return Err(Failure::timeout());
                        }
                    },
                    None => rx.await,
                };
                match answer {
                    Ok(Ok(v)) => v,
                    Ok(Err(f)) => {
                        engine.record(
                            &exec,
                            "TaskFailed",
                            json!({ "resource": function, "error": f.error, "cause": f.cause }),
                        );
                        return Err(f);
                    }
                    Err(_) => return Err(Failure::runtime("the task token was dropped")),
                }
            }
            (Resource::InvokeWaitForToken, None) => return Err(Failure::runtime("no task token")),
        };
        drop(guard);
        engine.record(&exec, "TaskSucceeded", json!({ "resource": function, "output": output }));
        Ok(output)
    })
}

fn run_map_once(
    engine: HostRef,
    exec: String,
    map: Box<MapState>,
    effective: Value,
    ctx: Value,
) -> BoxFuture<'static, Result<Value, Failure>> {
    Box::pin(async move {
        let items = map.items_path.get(&effective, &ctx).and_then(Value::as_array).cloned();
        let items =
            items.ok_or_else(|| Failure::runtime(format!("ItemsPath {:?} is not an array", map.items_path.text)))?;
        let count = items.len();
        engine.record(&exec, "MapStateStarted", json!({ "length": count }));
        let limit = if map.max_concurrency == 0 { count.max(1) } else { map.max_concurrency };
        let progress = engine.work().map(count, limit);
        let mut base = ctx.clone();
        if let Some(obj) = base.as_object_mut() {
            obj.remove("State");
        }
        let iterations = items.into_iter().enumerate().map(|(index, item)| {
            let (engine, exec, map, effective, mut item_ctx) =
                (engine.clone(), exec.clone(), map.clone(), effective.clone(), base.clone());
            let scope = progress.iteration();
            async move {
                let _scope = scope;
                item_ctx["Map"] = json!({ "Item": { "Index": index, "Value": item } });
                let input = match &map.item_selector {
                    Some(t) => apply_template(t, &effective, &item_ctx).map_err(Failure::runtime)?,
                    None => item,
                };
                engine.record(&exec, "MapIterationStarted", json!({ "index": index }));
                let r = run_scope(engine.clone(), exec.clone(), map.processor.clone(), input, item_ctx).await;
                let kind = if r.is_ok() { "MapIterationSucceeded" } else { "MapIterationFailed" };
                engine.record(&exec, kind, json!({ "index": index }));
                r.map(|v| (index, v))
            }
        });
        let mut running = stream::iter(iterations).buffer_unordered(limit);
        let mut results: Vec<Option<Value>> = vec![None; count];
        loop {
            let waiting = progress.wait();
            let next = running.next().await;
            drop(waiting);
            let Some(r) = next else { break };
            progress.taken();
            match r {
                Ok((i, v)) => results[i] = Some(v),
                Err(f) => {
                    // Dropping `running` cancels the other iterations and invalidates their task tokens.
                    drop(running);
                    engine.record(&exec, "MapStateFailed", json!({ "error": f.error }));
                    return Err(f);
                }
            }
        }
        engine.record(&exec, "MapStateSucceeded", Value::Null);
        Ok(Value::Array(results.into_iter().map(|v| v.unwrap_or(Value::Null)).collect()))
    })
}
