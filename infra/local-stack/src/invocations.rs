//! Every function invocation the stack made, with how long the handler ran: the Lambda side of the cost
//! counts (invocations, GB-seconds at the deployed memory size).

use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Invocations {
    log: Arc<Mutex<Vec<(&'static str, Duration)>>>,
}

impl Invocations {
    pub fn record(&self, function: &'static str, took: Duration) {
        if let Ok(mut log) = self.log.lock() {
            log.push((function, took));
        }
    }

    /// Empties the log and returns what it held, in order.
    pub fn take(&self) -> Vec<(&'static str, Duration)> {
        self.log.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}
