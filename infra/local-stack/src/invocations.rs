//! How many times each function was invoked and how long its handler ran, billed the way Lambda bills
//! (per invocation, rounded up to the millisecond): the Lambda side of the cost counts. Kept as totals per
//! function, so a long-running stack does not grow with use.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Billed {
    pub invocations: u64,
    /// Sum over the invocations of each one's duration rounded up to a millisecond (at least 1).
    pub billed_ms: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Invocations {
    totals: Arc<Mutex<BTreeMap<&'static str, Billed>>>,
}

impl Invocations {
    pub fn record(&self, function: &'static str, took: Duration) {
        if let Ok(mut totals) = self.totals.lock() {
            let t = totals.entry(function).or_default();
            t.invocations += 1;
            t.billed_ms += (took.as_micros() as u64).div_ceil(1000).max(1);
        }
    }

    /// The totals since the last call, by function; starts again from zero.
    pub fn take(&self) -> BTreeMap<&'static str, Billed> {
        self.totals.lock().map(|mut t| std::mem::take(&mut *t)).unwrap_or_default()
    }
}

/// A Lambda context with a new request id and `trace_header`, and the span Lambda's runtime opens with them.
pub fn lambda_invocation(trace_header: String) -> (lambda_http::Context, tracing::Span) {
    let mut context = lambda_http::Context::default();
    context.request_id = uuid::Uuid::new_v4().to_string();
    let span =
        tracing::info_span!("Lambda runtime invoke", requestId = %context.request_id, xrayTraceId = %trace_header);
    context.xray_trace_id = Some(trace_header);
    (context, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bills_each_invocation_by_the_started_millisecond() {
        let inv = Invocations::default();
        inv.record("submit", Duration::from_micros(1_001));
        inv.record("submit", Duration::from_micros(10));
        let totals = inv.take();
        assert_eq!(totals["submit"], Billed { invocations: 2, billed_ms: 3 });
        assert!(inv.take().is_empty());
    }
}
