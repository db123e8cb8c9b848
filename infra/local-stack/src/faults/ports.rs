//! Each port of one function behind the fault control: a call first asks [`Faults::strike`]; a fault makes
//! it fail as the real adapter would (a timed-out write is applied first).

use super::{Dependency, FaultClass, Faults};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::errors::{RegistryError, SmsError, StoreError, WorkflowError};
use domain::ports::*;
use domain::rate_limits::{Counter, LimitHit};
use domain::sms::SmsMessage;
use domain::{
    Application, ApplicationId, CodeHash, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, InboundMessageId,
    Person, PhoneNumber, Property, ReasonCode, Registration, ReplyReceipt, Rka, SigningRequestId, Status,
    TimelineEntry,
};
use serde_json::Value;
use std::sync::Arc;

/// `inner` as `function` sees it, with the faults injected into its `dependency`.
pub struct Faulty<T: ?Sized> {
    pub inner: Arc<T>,
    pub faults: Arc<Faults>,
    pub function: &'static str,
}

impl<T: ?Sized> Faulty<T> {
    pub fn wrap(inner: Arc<T>, faults: &Arc<Faults>, function: &'static str) -> Arc<Self> {
        Arc::new(Faulty { inner, faults: faults.clone(), function })
    }

    fn strike(&self, dependency: Dependency) -> Option<FaultClass> {
        let class = self.faults.strike(self.function, dependency)?;
        tracing::warn!(function = self.function, ?dependency, ?class, "fault injected");
        Some(class)
    }

    /// A read: fails outright under any fault.
    async fn read<R, E>(
        &self,
        dependency: Dependency,
        error: impl Fn(&'static str) -> E,
        call: impl std::future::Future<Output = Result<R, E>>,
    ) -> Result<R, E> {
        match self.strike(dependency) {
            Some(class) => Err(error(class.describe())),
            None => call.await,
        }
    }

    /// A write: under a timeout it is applied and then fails; under any other fault it is not applied.
    async fn write<R, E>(
        &self,
        dependency: Dependency,
        error: impl Fn(&'static str) -> E,
        call: impl std::future::Future<Output = Result<R, E>>,
    ) -> Result<R, E> {
        match self.strike(dependency) {
            Some(class) if class.applies_writes() => {
                let _applied = call.await;
                Err(error(class.describe()))
            }
            Some(class) => Err(error(class.describe())),
            None => call.await,
        }
    }
}

fn store(m: &'static str) -> StoreError {
    StoreError::Unavailable(m.into())
}

const S: Dependency = Dependency::Storage;

#[async_trait]
impl ApplicationStore for Faulty<dyn ApplicationStore> {
    async fn create(
        &self,
        app: &Application,
        history: &[TimelineEntry],
        admission: &Admission<'_>,
    ) -> Result<CreateOutcome, StoreError> {
        self.write(S, store, self.inner.create(app, history, admission)).await
    }
    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError> {
        self.read(S, store, self.inner.get(id)).await
    }
    async fn open_for(&self, registrant: &Iin) -> Result<Option<ApplicationId>, StoreError> {
        self.read(S, store, self.inner.open_for(registrant)).await
    }
    async fn find_by_idempotency_key(&self, applicant: &Iin, key: &str) -> Result<Option<Application>, StoreError> {
        self.read(S, store, self.inner.find_by_idempotency_key(applicant, key)).await
    }
    async fn list_for_applicant(
        &self,
        applicant: &Iin,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Application>, StoreError> {
        self.read(S, store, self.inner.list_for_applicant(applicant, limit, cursor)).await
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
        self.write(S, store, self.inner.set_status(current, from, to, reasons, at, history)).await
    }
    async fn claim_notices(
        &self,
        id: &ApplicationId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.claim_notices(id, now, lease_until)).await
    }
    async fn finish_notices(&self, id: &ApplicationId, sent: bool) -> Result<(), StoreError> {
        self.write(S, store, self.inner.finish_notices(id, sent)).await
    }
}

#[async_trait]
impl TimelineStore for Faulty<dyn TimelineStore> {
    async fn append(&self, id: &ApplicationId, entry: TimelineEntry) -> Result<(), StoreError> {
        self.write(S, store, self.inner.append(id, entry)).await
    }
    async fn list(&self, id: &ApplicationId) -> Result<Vec<TimelineEntry>, StoreError> {
        self.read(S, store, self.inner.list(id)).await
    }
}

#[async_trait]
impl CertificateStore for Faulty<dyn CertificateStore> {
    async fn issue(
        &self,
        record: &domain::certificate::CertificateRecord,
        entry: TimelineEntry,
    ) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.issue(record, entry)).await
    }
    async fn get(
        &self,
        number: &domain::certificate::DocumentNumber,
    ) -> Result<Option<domain::certificate::CertificateRecord>, StoreError> {
        self.read(S, store, self.inner.get(number)).await
    }
    async fn count_check(&self, counter: &Counter) -> Result<Option<LimitHit>, StoreError> {
        self.write(S, store, self.inner.count_check(counter)).await
    }
}

#[async_trait]
impl ConsentStore for Faulty<dyn ConsentStore> {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError> {
        self.write(S, store, self.inner.create_all(consents)).await
    }
    async fn get(&self, application: &ApplicationId, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        self.read(S, store, self.inner.get(application, id)).await
    }
    async fn find(&self, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        self.read(S, store, self.inner.find(id)).await
    }
    async fn for_application(&self, id: &ApplicationId) -> Result<Vec<Consent>, StoreError> {
        self.read(S, store, self.inner.for_application(id)).await
    }
    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError> {
        self.read(S, store, self.inner.pending_for_owner(owner)).await
    }
    async fn for_phone(&self, phone: &PhoneNumber, since: DateTime<Utc>) -> Result<Vec<Consent>, StoreError> {
        self.read(S, store, self.inner.for_phone(phone, since)).await
    }
    async fn mark_requested(&self, consent: &Consent, limits: &[Counter]) -> Result<MarkRequested, StoreError> {
        self.write(S, store, self.inner.mark_requested(consent, limits)).await
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
        self.write(S, store, self.inner.transition(application, id, from, to, channel, at)).await
    }
    async fn record_answer(&self, answer: &RecordedAnswer<'_>) -> Result<AnswerRecording, StoreError> {
        self.write(S, store, self.inner.record_answer(answer)).await
    }
    async fn record_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.record_receipt(receipt)).await
    }
    async fn amend_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.amend_receipt(receipt)).await
    }
    async fn receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError> {
        self.read(S, store, self.inner.receipt(message)).await
    }
    async fn claim_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.claim_ack(message, now, lease_until)).await
    }
    async fn finish_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError> {
        self.write(S, store, self.inner.finish_ack(message, sent)).await
    }
}

#[async_trait]
impl RegistrationStore for Faulty<dyn RegistrationStore> {
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError> {
        self.read(S, store, self.inner.for_registrant(registrant)).await
    }
    async fn active_at(&self, address: &Rka) -> Result<Vec<Registration>, StoreError> {
        self.read(S, store, self.inner.active_at(address)).await
    }
    async fn register(
        &self,
        new: &Registration,
        close: Option<(&Registration, NaiveDate)>,
        change: &Registering<'_>,
    ) -> Result<Transition, StoreError> {
        self.write(S, store, self.inner.register(new, close, change)).await
    }
    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError> {
        self.read(S, store, self.inner.count_at_address_since(address, since, at_most)).await
    }
}

#[async_trait]
impl SigningStore for Faulty<dyn SigningStore> {
    async fn put(&self, request: &SigningRequest, limits: &[Counter]) -> Result<Option<LimitHit>, StoreError> {
        self.write(S, store, self.inner.put(request, limits)).await
    }
    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        self.read(S, store, self.inner.get(id)).await
    }
    async fn withdraw(&self, request: &SigningRequest, limits: &[Counter]) -> Result<bool, StoreError> {
        self.write(S, store, self.inner.withdraw(request, limits)).await
    }
    async fn try_code(
        &self,
        id: &SigningRequestId,
        applicant: &Iin,
        digest: &str,
        candidate: &CodeHash,
        now: DateTime<Utc>,
    ) -> Result<CodeCheck, StoreError> {
        self.write(S, store, self.inner.try_code(id, applicant, digest, candidate, now)).await
    }
}

fn registry(m: &'static str) -> RegistryError {
    RegistryError(m.into())
}

#[async_trait]
impl Registries for Faulty<dyn Registries> {
    async fn person(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        self.read(Dependency::Registries, registry, self.inner.person(iin)).await
    }
    async fn property(&self, rka: &Rka) -> Result<Option<Property>, RegistryError> {
        self.read(Dependency::Registries, registry, self.inner.property(rka)).await
    }
    async fn lookup(&self, people: &[Iin], properties: &[Rka]) -> Result<Found, RegistryError> {
        self.read(Dependency::Registries, registry, self.inner.lookup(people, properties)).await
    }
    async fn owned_by(&self, owner: &Iin) -> Result<Vec<Property>, RegistryError> {
        self.read(Dependency::Registries, registry, self.inner.owned_by(owner)).await
    }
}

#[async_trait]
impl SmsSender for Faulty<dyn SmsSender> {
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError> {
        // A timed-out publish may have been delivered: the text is in the outbox, the caller sees a failure.
        self.write(Dependency::Sms, |m| SmsError::Unavailable(m.into()), self.inner.send(to, message)).await
    }
}

fn workflow(m: &'static str) -> WorkflowError {
    WorkflowError::Unavailable(m.into())
}

#[async_trait]
impl Workflow for Faulty<dyn Workflow> {
    async fn start(&self, application: &ApplicationId, trace_header: Option<&str>) -> Result<(), WorkflowError> {
        self.write(Dependency::Workflow, workflow, self.inner.start(application, trace_header)).await
    }
    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError> {
        self.write(Dependency::Workflow, workflow, self.inner.send_task_success(token, output)).await
    }
    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), WorkflowError> {
        self.write(Dependency::Workflow, workflow, self.inner.send_task_failure(token, error, cause)).await
    }
    async fn stop(&self, application: &ApplicationId, cause: &str) -> Result<(), WorkflowError> {
        self.write(Dependency::Workflow, workflow, self.inner.stop(application, cause)).await
    }
}

#[async_trait]
impl DocumentSigner for Faulty<dyn DocumentSigner> {
    fn key_id(&self) -> &str {
        self.inner.key_id()
    }
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, domain::errors::SignerError> {
        self.read(Dependency::Signing, signer, self.inner.sign(message)).await
    }
    async fn public_key(&self) -> Result<Vec<u8>, domain::errors::SignerError> {
        self.read(Dependency::Signing, signer, self.inner.public_key()).await
    }
}

fn signer(m: &'static str) -> domain::errors::SignerError {
    domain::errors::SignerError(m.into())
}
