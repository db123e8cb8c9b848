//! Deterministic interleavings: a store wrapper that pauses one operation after its caller has read what
//! it depends on and before the write that decides, so that a test runs a competing operation in exactly
//! that window. No sleeps: the test waits until the operation is parked, acts, then releases it.

use crate::domain::{Iin, Registration, Rka};
use crate::errors::StoreError;
use crate::ports::{Registering, RegistrationStore, Transition};
use async_trait::async_trait;
use chrono::NaiveDate;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::Notify;

/// Parks the next armed operation until released.
#[derive(Default)]
pub struct Gate {
    armed: AtomicBool,
    reached: Notify,
    release: Notify,
}

impl Gate {
    pub fn armed() -> Arc<Gate> {
        let gate = Gate::default();
        gate.armed.store(true, Ordering::SeqCst);
        Arc::new(gate)
    }

    /// In the wrapped operation: parks it if the gate is armed (once).
    pub async fn pass(&self) {
        if self.armed.swap(false, Ordering::SeqCst) {
            self.reached.notify_one();
            self.release.notified().await;
        }
    }

    /// In the test: waits until an operation is parked at the gate.
    pub async fn reached(&self) {
        self.reached.notified().await;
    }

    pub fn release(&self) {
        self.release.notify_one();
    }
}

/// The registrations port of `inner`, whose `register` (the write that decides a registration) waits at
/// `gate` first.
pub struct PausedRegistrations<S> {
    pub inner: Arc<S>,
    pub gate: Arc<Gate>,
}

#[async_trait]
impl<S: RegistrationStore + 'static> RegistrationStore for PausedRegistrations<S> {
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError> {
        self.inner.for_registrant(registrant).await
    }

    async fn register(
        &self,
        new: &Registration,
        close: Option<(&Registration, NaiveDate)>,
        change: &Registering<'_>,
    ) -> Result<Transition, StoreError> {
        self.gate.pass().await;
        self.inner.register(new, close, change).await
    }

    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError> {
        self.inner.count_at_address_since(address, since, at_most).await
    }
}
