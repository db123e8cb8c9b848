//! Deterministic interleavings: a store wrapper that pauses one operation after its caller has read what
//! it depends on and before the write that decides, so that a test runs a competing operation in exactly
//! that window. No sleeps: the test waits until the operation is parked, acts, then releases it.

use async_trait::async_trait;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use domain::errors::StoreError;
use domain::ports::{
    Admission, AnswerRecording, ApplicationStore, ConsentStore, CreateOutcome, MarkRequested, Page, RecordedAnswer,
    Registering, RegistrationStore, SigningRequest, SigningStore, Transition,
};
use domain::rate_limits::{Counter, LimitHit};
use domain::SigningRequestId;
use domain::{
    Application, ApplicationId, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, InboundMessageId, PhoneNumber,
    ReasonCode, Registration, ReplyReceipt, Rka, Status, TimelineEntry,
};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

    async fn active_at(&self, address: &Rka) -> Result<Vec<Registration>, StoreError> {
        self.inner.active_at(address).await
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

/// Which operation of the applications port waits at the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pausing {
    /// `create`: the write that decides a submission.
    Create,
    /// `open_for`: the read of the registrant's lock (a submission after its Idempotency-Key lookup).
    LockRead,
}

/// The applications port of `inner`, whose operation `at` waits at `gate`.
pub struct PausedApplications<S> {
    pub inner: Arc<S>,
    pub gate: Arc<Gate>,
    pub at: Pausing,
}

#[async_trait]
impl<S: ApplicationStore + 'static> ApplicationStore for PausedApplications<S> {
    async fn create(
        &self,
        app: &Application,
        history: &[TimelineEntry],
        admission: &Admission<'_>,
    ) -> Result<CreateOutcome, StoreError> {
        if self.at == Pausing::Create {
            self.gate.pass().await;
        }
        self.inner.create(app, history, admission).await
    }
    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError> {
        self.inner.get(id).await
    }
    async fn open_for(&self, registrant: &Iin) -> Result<Option<ApplicationId>, StoreError> {
        if self.at == Pausing::LockRead {
            self.gate.pass().await;
        }
        self.inner.open_for(registrant).await
    }
    async fn find_by_idempotency_key(&self, applicant: &Iin, key: &str) -> Result<Option<Application>, StoreError> {
        self.inner.find_by_idempotency_key(applicant, key).await
    }
    async fn list_for_applicant(
        &self,
        applicant: &Iin,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Application>, StoreError> {
        self.inner.list_for_applicant(applicant, limit, cursor).await
    }
    async fn set_status(
        &self,
        current: &Application,
        from: &[Status],
        to: Status,
        reasons: &[ReasonCode],
        at: DateTime<Utc>,
        history: &[TimelineEntry],
    ) -> Result<Transition, StoreError> {
        self.inner.set_status(current, from, to, reasons, at, history).await
    }
    async fn claim_notices(
        &self,
        id: &ApplicationId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner.claim_notices(id, now, lease_until).await
    }
    async fn finish_notices(&self, id: &ApplicationId, sent: bool) -> Result<(), StoreError> {
        self.inner.finish_notices(id, sent).await
    }
}

/// The consents port of `inner`, whose `transition` (the write that records an answer) waits at `gate`.
pub struct PausedConsents<S> {
    pub inner: Arc<S>,
    pub gate: Arc<Gate>,
}

#[async_trait]
impl<S: ConsentStore + 'static> ConsentStore for PausedConsents<S> {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError> {
        self.inner.create_all(consents).await
    }
    async fn get(&self, application: &ApplicationId, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        self.inner.get(application, id).await
    }
    async fn find(&self, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        self.inner.find(id).await
    }
    async fn for_application(&self, id: &ApplicationId) -> Result<Vec<Consent>, StoreError> {
        self.inner.for_application(id).await
    }
    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError> {
        self.inner.pending_for_owner(owner).await
    }
    async fn for_phone(&self, phone: &PhoneNumber, since: DateTime<Utc>) -> Result<Vec<Consent>, StoreError> {
        self.inner.for_phone(phone, since).await
    }
    async fn mark_requested(&self, consent: &Consent, limits: &[Counter]) -> Result<MarkRequested, StoreError> {
        self.inner.mark_requested(consent, limits).await
    }
    async fn transition(
        &self,
        application: &ApplicationId,
        id: &ConsentId,
        from: ConsentStatus,
        to: ConsentStatus,
        channel: Option<ConsentChannel>,
        at: DateTime<Utc>,
    ) -> Result<Option<Consent>, StoreError> {
        self.gate.pass().await;
        self.inner.transition(application, id, from, to, channel, at).await
    }
    /// The write that records an answer (with its message's receipt, by SMS) waits at the gate too.
    async fn record_answer(&self, answer: &RecordedAnswer<'_>) -> Result<AnswerRecording, StoreError> {
        self.gate.pass().await;
        self.inner.record_answer(answer).await
    }
    async fn record_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.inner.record_receipt(receipt).await
    }
    async fn amend_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.inner.amend_receipt(receipt).await
    }
    async fn receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError> {
        self.inner.receipt(message).await
    }
    async fn claim_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner.claim_ack(message, now, lease_until).await
    }
    async fn finish_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError> {
        self.inner.finish_ack(message, sent).await
    }
}

/// Parks every operation that enters it, in the order they arrive, until the test opens it; then lets them
/// run one at a time in that order, each to its end. So a test can have 50 guesses read and wait, add the
/// 51st, and know the order in which their writes meet the store.
pub struct Queue {
    arrived: AtomicUsize,
    arrivals: Notify,
    turn: tokio::sync::watch::Sender<Option<usize>>,
}

impl Queue {
    pub fn new() -> Arc<Queue> {
        Arc::new(Queue {
            arrived: AtomicUsize::new(0),
            arrivals: Notify::new(),
            turn: tokio::sync::watch::channel(None).0,
        })
    }

    /// In the wrapped operation: waits for its turn.
    pub async fn enter(&self) {
        let mut turn = self.turn.subscribe();
        let me = self.arrived.fetch_add(1, Ordering::SeqCst);
        self.arrivals.notify_waiters();
        let _ = turn.wait_for(|t| *t == Some(me)).await;
    }

    /// In the wrapped operation, when it is done: the next one's turn.
    pub fn leave(&self) {
        self.turn.send_modify(|t| *t = t.map(|n| n + 1));
    }

    /// In the test: waits until `n` operations are parked.
    pub async fn arrivals(&self, n: usize) {
        loop {
            let notified = self.arrivals.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.arrived.load(Ordering::SeqCst) >= n {
                return;
            }
            notified.await;
        }
    }

    pub fn open(&self) {
        self.turn.send_replace(Some(0));
    }
}

/// The signing port of `inner`, whose `try_code` (the write that compares and counts a guess) waits in `queue`: every
/// guess has read all it reads before any of their writes is made.
pub struct PausedSigning<S> {
    pub inner: Arc<S>,
    pub queue: Arc<Queue>,
}

#[async_trait]
impl<S: SigningStore + 'static> SigningStore for PausedSigning<S> {
    async fn put(&self, request: &SigningRequest, limits: &[Counter]) -> Result<Option<LimitHit>, StoreError> {
        self.inner.put(request, limits).await
    }
    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        self.inner.get(id).await
    }
    async fn withdraw(&self, request: &SigningRequest, limits: &[Counter]) -> Result<bool, StoreError> {
        self.inner.withdraw(request, limits).await
    }
    async fn try_code(
        &self,
        id: &SigningRequestId,
        applicant: &Iin,
        digest: &str,
        candidate: &domain::CodeHash,
        now: DateTime<Utc>,
    ) -> Result<domain::ports::CodeCheck, StoreError> {
        self.queue.enter().await;
        let tried = self.inner.try_code(id, applicant, digest, candidate, now).await;
        self.queue.leave();
        tried
    }
}

/// An SMS sender whose next send waits at `gate`: a reply's answer SMS parked after its decision committed.
pub struct PausedSms {
    pub inner: Arc<dyn domain::ports::SmsSender>,
    pub gate: Arc<Gate>,
}

#[async_trait]
impl domain::ports::SmsSender for PausedSms {
    async fn send(&self, to: &PhoneNumber, message: &domain::sms::SmsMessage) -> Result<(), domain::errors::SmsError> {
        self.gate.pass().await;
        self.inner.send(to, message).await
    }
}
