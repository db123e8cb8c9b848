//! The fault control: `POST /_local/faults` makes a dependency of one function (or of all) fail, by class,
//! for a number of calls or for a time on the stack's clock; `GET` lists them with how often each struck;
//! `DELETE` clears them. Faults are port decorators ([`ports`]) in front of whatever backend serves the
//! function, embedded storage or the AWS adapters, so the same tests run on both.
//!
//! What each class does is what that failure does to a caller of the real adapter:
//! - `timeout`: the request went out and the answer was lost. A write **is applied**, then the call fails
//!   (the hardest case for a caller: it cannot know); a read just fails.
//! - `connectionRefused`, `coded5xx`, `uncoded5xx`, `throttling`: nothing is applied; the call fails.
//!
//! Every class reaches the caller as the port's "unavailable" error, which is how the adapters classify
//! them (`aws_adapters::errors`: timeouts, connection failures, throttling and any 5xx are transient).

pub mod ports;

use chrono::{DateTime, Duration, Utc};
use domain::clock::Clock;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dependency {
    Storage,
    Registries,
    Sms,
    Workflow,
    /// The test PKI's OCSP responder (`/_local/eds/ocsp`), as submit reaches it.
    Ocsp,
    /// The test PKI's CRLs (`/_local/eds/crl`, the people's; `/_local/eds/crl/root`, the intermediate's).
    Crl,
    /// The service's signing key (KMS in AWS), as the certificate function reaches it.
    Signing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultClass {
    Timeout,
    ConnectionRefused,
    Coded5xx,
    Uncoded5xx,
    Throttling,
}

impl FaultClass {
    pub const ALL: [FaultClass; 5] = [
        FaultClass::Timeout,
        FaultClass::ConnectionRefused,
        FaultClass::Coded5xx,
        FaultClass::Uncoded5xx,
        FaultClass::Throttling,
    ];

    /// What the adapter's error says (never shown to citizens: 503 bodies name only the dependency class).
    pub fn describe(&self) -> &'static str {
        match self {
            FaultClass::Timeout => "timed out (injected)",
            FaultClass::ConnectionRefused => "dispatch failure: connection refused (injected)",
            FaultClass::Coded5xx => "ServiceUnavailable: HTTP 503 (injected)",
            FaultClass::Uncoded5xx => "error: HTTP 502 without an error code (injected)",
            FaultClass::Throttling => "ThrottlingException: rate exceeded (injected)",
        }
    }

    /// Whether a write the caller made was applied before the failure reached it.
    pub fn applies_writes(&self) -> bool {
        *self == FaultClass::Timeout
    }
}

/// One fault as asked for: `function` (a crate name in `functions/`) or every function; `count` calls or
/// `seconds` on the stack's clock (one of them).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    #[serde(default)]
    pub function: Option<String>,
    pub dependency: Dependency,
    pub class: FaultClass,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub seconds: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActiveFault {
    pub function: Option<String>,
    pub dependency: Dependency,
    pub class: FaultClass,
    pub remaining: Option<u32>,
    pub until: Option<DateTime<Utc>>,
    /// How many calls it failed so far.
    pub struck: u64,
}

pub struct Faults {
    clock: Arc<dyn Clock>,
    active: Mutex<Vec<ActiveFault>>,
}

impl Faults {
    pub fn new(clock: Arc<dyn Clock>) -> Arc<Faults> {
        Arc::new(Faults { clock, active: Mutex::new(Vec::new()) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<ActiveFault>> {
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a fault; `Err` names what is wrong with the spec.
    pub fn add(&self, spec: FaultSpec) -> Result<ActiveFault, String> {
        if let Some(f) = &spec.function {
            if crate::functions::spec(f).is_none() {
                let names: Vec<&str> = crate::functions::names().collect();
                return Err(format!("function: no function {f:?} (one of {names:?})"));
            }
        }
        let until = match (spec.count, spec.seconds) {
            (Some(0), _) | (_, Some(0)) => return Err("count and seconds are at least 1".into()),
            (Some(_), None) => None,
            (None, Some(s)) => Some(self.clock.now() + Duration::seconds(i64::from(s))),
            _ => return Err("give exactly one of count and seconds".into()),
        };
        let fault = ActiveFault {
            function: spec.function,
            dependency: spec.dependency,
            class: spec.class,
            remaining: spec.count,
            until,
            struck: 0,
        };
        self.lock().push(fault.clone());
        Ok(fault)
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    pub fn list(&self) -> Vec<ActiveFault> {
        self.lock().clone()
    }

    /// Whether this call of `function` to `dependency` fails, and how. Spends one of a counted fault.
    pub fn strike(&self, function: &str, dependency: Dependency) -> Option<FaultClass> {
        let now = self.clock.now();
        let mut active = self.lock();
        let fault = active.iter_mut().find(|f| {
            f.dependency == dependency
                && f.function.as_deref().is_none_or(|name| name == function)
                && f.remaining.is_none_or(|r| r > 0)
                && f.until.is_none_or(|u| now < u)
        })?;
        if let Some(r) = fault.remaining.as_mut() {
            *r -= 1;
        }
        fault.struck += 1;
        Some(fault.class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::clock::AdjustableClock;

    #[test]
    fn a_counted_fault_strikes_that_often_and_a_timed_one_until_the_clock_passes() {
        let clock = Arc::new(AdjustableClock::real());
        let faults = Faults::new(clock.clone());
        let spec = |count, seconds, function: Option<&str>| FaultSpec {
            function: function.map(str::to_string),
            dependency: Dependency::Storage,
            class: FaultClass::Uncoded5xx,
            count,
            seconds,
        };
        faults.add(spec(Some(2), None, Some("finalize"))).expect("counted");
        assert_eq!(faults.strike("submit", Dependency::Storage), None, "another function");
        assert_eq!(faults.strike("finalize", Dependency::Sms), None, "another dependency");
        assert_eq!(faults.strike("finalize", Dependency::Storage), Some(FaultClass::Uncoded5xx));
        assert_eq!(faults.strike("finalize", Dependency::Storage), Some(FaultClass::Uncoded5xx));
        assert_eq!(faults.strike("finalize", Dependency::Storage), None, "spent");
        faults.add(spec(None, Some(60), None)).expect("timed");
        assert!(faults.strike("submit", Dependency::Storage).is_some());
        clock.advance(Duration::seconds(61));
        assert_eq!(faults.strike("submit", Dependency::Storage), None, "over on the stack's clock");
        assert!(faults.add(spec(Some(1), Some(1), None)).is_err(), "one of count and seconds");
        assert!(faults.add(spec(None, None, None)).is_err());
        assert!(faults.add(spec(Some(1), None, Some("nope"))).is_err(), "a function that exists");
    }
}
