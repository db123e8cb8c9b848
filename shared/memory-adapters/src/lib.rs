//! In-process storage behind the same ports as DynamoDB, with the same conditional semantics
//! (put-if-absent, update-if-status, transactions), so the local stack behaves like the deployment.

mod applications;
mod certificates;
mod consents;
mod metrics;
mod outbox;
mod registrations;
mod signer;
mod signing;
mod timeline;

pub use metrics::{MemoryMetrics, Series};
pub use outbox::{OutboxMessage, SmsOutbox};
pub use signer::LocalSigner;

use chrono::{DateTime, Utc};
use domain::ports::SigningRequest;
use domain::rate_limits::{Counter, LimitHit};
use domain::{Application, ApplicationId, Consent, ConsentId, Registration, SigningRequestId, TimelineEntry};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// Applications, timelines, consents, registrations and signing requests, in memory.
#[derive(Default)]
pub struct MemoryStore {
    inner: Mutex<Tables>,
}

#[derive(Default)]
pub(crate) struct Tables {
    applications: HashMap<ApplicationId, Application>,
    /// (applicant IIN, key) -> application
    idempotency: HashMap<(String, String), ApplicationId>,
    /// registrant IIN -> the open application
    open_by_registrant: HashMap<String, ApplicationId>,
    /// applicant IIN -> applications, oldest first
    by_applicant: HashMap<String, Vec<ApplicationId>>,
    timeline: HashMap<ApplicationId, Vec<TimelineEntry>>,
    consents: HashMap<ConsentId, Consent>,
    /// The indexes DynamoDB keeps for consents (base-table prefix, gsi1, gsi2): lookups stay flat as the
    /// table grows. Entries are only added; a lookup reads the current consent by id.
    consents_by_application: HashMap<ApplicationId, Vec<ConsentId>>,
    consents_by_owner: HashMap<String, Vec<ConsentId>>,
    consents_by_phone: HashMap<String, Vec<ConsentId>>,
    /// Inbound messages processed: message id -> what it led to, and the lease of its acknowledgement's claim.
    receipts: HashMap<String, (domain::ReplyReceipt, Option<DateTime<Utc>>)>,
    registrations: HashMap<String, Registration>,
    /// registrant IIN -> registration ids
    registrations_by_person: HashMap<String, Vec<String>>,
    /// RKA -> registration ids, in the order they were made (as gsi4 sorts them by date).
    registrations_by_address: HashMap<String, Vec<String>>,
    signing: HashMap<SigningRequestId, SigningRequest>,
    /// The seals of the EDS signatures applications were accepted with.
    eds_seals: std::collections::HashSet<String>,
    certificates: HashMap<domain::certificate::DocumentNumber, domain::certificate::CertificateRecord>,
    /// Rate-limit counters: key -> (count, end of its window).
    limits: HashMap<String, (u32, DateTime<Utc>)>,
}

impl Tables {
    /// The first of `counters` already at its maximum (then nothing is counted), or `None` after counting
    /// each once. Called under the store's lock, with the rest of the write it belongs to.
    pub(crate) fn count(&mut self, counters: &[Counter]) -> Option<LimitHit> {
        if let Some(full) = counters.iter().find(|c| self.limits.get(&c.key).is_some_and(|(n, _)| *n >= c.max)) {
            return Some(full.hit());
        }
        if self.limits.len() > 4096 {
            // As TTL does: windows that ended a day before the earliest one counted now are over for good.
            if let Some(oldest) = counters.iter().map(|c| c.window_ends).min() {
                self.limits.retain(|_, (_, end)| *end > oldest - chrono::Duration::days(1));
            }
        }
        for c in counters {
            self.limits.entry(c.key.clone()).or_insert((0, c.window_ends)).0 += 1;
        }
        None
    }
}

impl Tables {
    /// Gives back one of each of `counters` (never below zero), under the store's lock.
    pub(crate) fn uncount(&mut self, counters: &[Counter]) {
        for c in counters {
            if let Some((n, _)) = self.limits.get_mut(&c.key) {
                *n = n.saturating_sub(1);
            }
        }
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn tables(&self) -> MutexGuard<'_, Tables> {
        // A panic while holding the lock cannot leave a table half-written: every write is one statement.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many applications are stored (for the local stack's status page and benchmarks).
    pub fn application_count(&self) -> usize {
        self.tables().applications.len()
    }
}
