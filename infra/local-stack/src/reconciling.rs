//! What EventBridge and Lambda's asynchronous invocation do in AWS: every execution that ends is delivered
//! to the function it triggers (reconcile), and a failed delivery is retried with backoff on the stack's clock (1, 2, 4, ...
//! minutes, 8 attempts, about four hours, as Lambda's retries and then a redrive from the failure queue
//! would); what still fails is kept in the stack's `unreconciled` list and reported by health.

use crate::functions::JsonFn;
use crate::invocations::Invocations;
use asl_runner::{EndedListener, Engine};
use domain::steps::ExecutionStatusChange;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tracing::Instrument;

pub const ATTEMPTS: u32 = 8;
pub const FIRST_DELAY_SECONDS: i64 = 60;

pub fn listener(
    function: &'static str,
    handler: JsonFn,
    invocations: Invocations,
    unreconciled: Arc<Mutex<Vec<String>>>,
    pending: Arc<std::sync::atomic::AtomicUsize>,
) -> EndedListener {
    use std::sync::atomic::Ordering;
    Arc::new(move |engine: Engine, event: Value| {
        let (handler, invocations, unreconciled) = (handler.clone(), invocations.clone(), unreconciled.clone());
        let pending = pending.clone();
        pending.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let to = Delivery { function, handler, invocations, unreconciled };
            deliver(&to, &engine, &pending, event).await;
            pending.fetch_sub(1, Ordering::SeqCst);
        });
    })
}

struct Delivery {
    function: &'static str,
    handler: JsonFn,
    invocations: Invocations,
    unreconciled: Arc<Mutex<Vec<String>>>,
}

async fn deliver(to: &Delivery, engine: &Engine, running: &std::sync::atomic::AtomicUsize, event: Value) {
    use std::sync::atomic::Ordering;
    let Ok(change) = serde_json::from_value::<ExecutionStatusChange>(event.clone()) else { return };
    let trace =
        engine.trace_header(&change.detail.name).unwrap_or_else(|| domain::xray::new_trace_header(engine.now()));
    for attempt in 0..ATTEMPTS {
        let started = Instant::now();
        let (_, span) = crate::invocations::lambda_invocation(trace.clone());
        let result = (to.handler)(event.clone()).instrument(span).await;
        to.invocations.record(to.function, started.elapsed());
        match result {
            Ok(_) => return,
            Err(e) if attempt + 1 < ATTEMPTS => {
                tracing::warn!(error = %e.chain(), attempt, "reconcile failed; retried");
                let delay = chrono::Duration::seconds(FIRST_DELAY_SECONDS << attempt);
                // Waiting for the retry is not running: a test may see the stack as settled meanwhile.
                running.fetch_sub(1, Ordering::SeqCst);
                engine.sleep_until(engine.now() + delay).await;
                running.fetch_add(1, Ordering::SeqCst);
            }
            Err(e) => tracing::error!(error = %e.chain(), "reconcile failed every retry"),
        }
    }
    to.unreconciled.lock().unwrap_or_else(|p| p.into_inner()).push(change.detail.name);
}
