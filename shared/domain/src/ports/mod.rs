//! Ports: one capability per trait. `adapters::memory` implements them in process; the AWS adapters
//! implement the same traits over DynamoDB, SNS and Step Functions.

pub mod counted_sms;

use crate::certificate::{CertificateRecord, DocumentNumber};
use crate::errors::{RegistryError, SignerError, SmsError, StoreError, WorkflowError};
use crate::model::{
    Application, ApplicationId, CodeHash, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, InboundMessageId,
    Person, PhoneNumber, Property, ReasonCode, Registration, ReplyReceipt, Rka, SigningRequestId, Status,
    TimelineEntry,
};
use crate::rate_limits::{Counter, LimitHit};
use crate::sms::SmsMessage;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::clock::Clock;

// Returned once per create; the replayed application is the answer, boxing it would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    Created,
    /// The applicant already used this `Idempotency-Key`: here is that application.
    IdempotentReplay(Application),
    /// The registrant already has an application that is not finished.
    RegistrantHasOpenApplication(ApplicationId),
    /// The signing request (or the EDS signature) was used by another submission meanwhile: nothing was written.
    SignatureUsed,
    /// A limit of [`Admission::limits`] is reached: nothing was written or counted.
    Limited(LimitHit),
}

/// What a new application spends, in the transaction that stores it: its signature (marked used only if it
/// was unused, so a code is spent only by a submission that was accepted) and one count of each limit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Admission<'a> {
    /// The signing request and the code it was signed with (as its hash): the request is marked used only
    /// while that code is its code, it is unused and it is not locked.
    pub signed_with: Option<(&'a SigningRequestId, &'a CodeHash)>,
    /// Or the seal of the EDS it was signed with ([`crate::eds::EdsSigner::seal`]): recorded only if no
    /// application was accepted with that very signature before.
    pub eds_seal: Option<&'a str>,
    pub limits: &'a [Counter],
}

/// What [`ConsentStore::mark_requested`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkRequested {
    /// Recorded and counted: the request may go out.
    Marked,
    /// The consent is no longer pending or its application no longer open: nothing is sent.
    Closed,
    /// The owner's phone was asked too often: nothing was written or counted.
    Limited(LimitHit),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Transition {
    Done(Application),
    /// The application was not in one of the expected statuses: here it is as it stands.
    Refused(Application),
    NotFound,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque: pass it back to get the next page.
    pub next_cursor: Option<String>,
}

#[async_trait]
pub trait ApplicationStore: Send + Sync {
    /// Stores a new application, atomically with its idempotency key, the registrant's open-application lock,
    /// the first entries of its timeline and what it spends ([`Admission`]).
    async fn create(
        &self,
        app: &Application,
        history: &[TimelineEntry],
        admission: &Admission<'_>,
    ) -> Result<CreateOutcome, StoreError>;
    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError>;
    /// The registrant's open application, if any (its lock, read strongly consistent).
    async fn open_for(&self, registrant: &Iin) -> Result<Option<ApplicationId>, StoreError>;
    async fn find_by_idempotency_key(&self, applicant: &Iin, key: &str) -> Result<Option<Application>, StoreError>;
    /// The applicant's applications, newest first.
    async fn list_for_applicant(
        &self,
        applicant: &Iin,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Application>, StoreError>;
    /// Moves the application, as the caller read it (`current`), to `to` if its status is one of `from` and
    /// still what `current` says, and appends `history` to its timeline, in one write; a terminal `to` frees the
    /// registrant and makes the outcome's texts pending (`notices` PENDING: sent once by `deliver_notices`, or
    /// marked told by a caller that tells the person itself). When the stored application moved meanwhile:
    /// `Done` if it is at `to`, else `Refused`.
    async fn set_status(
        &self,
        current: &Application,
        from: &[Status],
        to: Status,
        reasons: &[ReasonCode],
        at: DateTime<Utc>,
        history: &[TimelineEntry],
    ) -> Result<Transition, StoreError>;
    /// Claims the application's pending texts (`notices` PENDING) for one sender until `lease_until`, in one
    /// conditional write; a claim whose lease has run out (its sender died) can be taken again. `false`:
    /// nothing is pending, or another sender holds them now.
    async fn claim_notices(
        &self,
        id: &ApplicationId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Ends a claim: `sent` marks the texts SENT; otherwise they stay PENDING for the next attempt.
    async fn finish_notices(&self, id: &ApplicationId, sent: bool) -> Result<(), StoreError>;
}

#[async_trait]
pub trait TimelineStore: Send + Sync {
    async fn append(&self, id: &ApplicationId, entry: TimelineEntry) -> Result<(), StoreError>;
    async fn list(&self, id: &ApplicationId) -> Result<Vec<TimelineEntry>, StoreError>;
}

#[async_trait]
pub trait ConsentStore: Send + Sync {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError>;
    /// Strongly consistent: the workflow's own reads.
    async fn get(&self, application: &ApplicationId, id: &ConsentId) -> Result<Option<Consent>, StoreError>;
    /// By consent id alone (an owner answering in the app); may lag a write by a moment.
    async fn find(&self, id: &ConsentId) -> Result<Option<Consent>, StoreError>;
    async fn for_application(&self, id: &ApplicationId) -> Result<Vec<Consent>, StoreError>;
    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError>;
    /// Every consent requested from this phone since `since`, answered or not: a reply is matched by its
    /// code. Bounded by time, so an owner's years of history do not make a reply slower.
    async fn for_phone(&self, phone: &PhoneNumber, since: DateTime<Utc>) -> Result<Vec<Consent>, StoreError>;
    /// Records that the request is going out (token, code hash, phone, expiry) while the consent is pending and
    /// its application open, and counts it against `limits`, in one transaction.
    async fn mark_requested(&self, consent: &Consent, limits: &[Counter]) -> Result<MarkRequested, StoreError>;
    /// Moves a consent from `from` to `to`; `None` when it was not in `from` (answered already, say). An
    /// answer (`to` APPROVED or DECLINED) holds only while the application is open, in the same write: an
    /// owner cannot approve a withdrawn application.
    async fn transition(
        &self,
        application: &ApplicationId,
        id: &ConsentId,
        from: ConsentStatus,
        to: ConsentStatus,
        channel: Option<ConsentChannel>,
        at: DateTime<Utc>,
    ) -> Result<Option<Consent>, StoreError>;
    /// An owner's answer (`to` APPROVED or DECLINED), its timeline entry and, by SMS, the message's receipt, in
    /// one transaction: the consent moves from PENDING while its application is open, the entry is appended, and
    /// the receipt (its answer SMS pending) is written if its message has none yet. Nothing is written unless
    /// all holds.
    async fn record_answer(&self, answer: &RecordedAnswer<'_>) -> Result<AnswerRecording, StoreError>;
    /// Records what a message led to when it decided nothing (a wrong code, a reply not understood, a request
    /// already answered), if its message has no receipt yet: `false` when it has one (a redelivery).
    async fn record_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError>;
    /// Rewrites a receipt's outcome and acknowledgement while the acknowledgement is still pending (an answer
    /// recorded just as the wait ended turns out too late): `false` when it was sent already.
    async fn amend_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError>;
    /// The receipt of a message, if it was processed (strongly consistent).
    async fn receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError>;
    /// Claims the receipt's pending acknowledgement for one sender until `lease_until`, in one conditional
    /// write; a claim whose lease ran out (its sender died) can be taken again. `false`: sent, or held now.
    async fn claim_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Ends a claim: `sent` marks the acknowledgement SENT; otherwise it stays PENDING for the next attempt.
    async fn finish_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError>;
}

/// An owner's answer as [`ConsentStore::record_answer`] writes it.
#[derive(Debug, Clone, Copy)]
pub struct RecordedAnswer<'a> {
    pub application: &'a ApplicationId,
    pub consent: &'a ConsentId,
    /// APPROVED or DECLINED.
    pub to: ConsentStatus,
    pub channel: ConsentChannel,
    pub at: DateTime<Utc>,
    /// The owner's answer in the application's history.
    pub entry: &'a TimelineEntry,
    /// The inbound message that carried it (an SMS), recorded once.
    pub receipt: Option<&'a ReplyReceipt>,
}

/// What [`ConsentStore::record_answer`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerRecording {
    /// Answered: the consent, its timeline entry and the message's receipt written together.
    Recorded(Box<Consent>),
    /// Nothing written: the message has a receipt (a redelivery, or another delivery of it just now).
    MessageAlreadyReceived,
    /// Nothing written: the consent is not pending or its application is closed (answered meanwhile).
    NotPending,
}

#[async_trait]
pub trait RegistrationStore: Send + Sync {
    /// Every registration of the person, open and closed.
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError>;
    /// Ends the application REGISTERED: writes `new`, closes `close` (with its last day) and moves `change.current`
    /// to REGISTERED with its timeline entries and its texts PENDING, in one transaction that holds only while
    /// the application is still at the status the caller read and that status is open. Nothing is written
    /// otherwise: `Refused` with the application as it stands (withdrawn meanwhile, say); `Done` when it is
    /// already REGISTERED (a retry whose first attempt committed).
    async fn register(
        &self,
        new: &Registration,
        close: Option<(&Registration, NaiveDate)>,
        change: &Registering<'_>,
    ) -> Result<Transition, StoreError>;
    /// How many registrations were made at `address` from `since` on (closed ones too), counting no further
    /// than `at_most + 1`: enough to tell whether a threshold is passed, bounded however busy the address.
    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError>;
    /// The registrations in force (ACTIVE) at `address`, oldest first: who lives there, as the owner sees it.
    async fn active_at(&self, address: &Rka) -> Result<Vec<Registration>, StoreError>;
}

/// The application a registration ends, as the caller read it.
#[derive(Debug, Clone, Copy)]
pub struct Registering<'a> {
    pub current: &'a Application,
    pub at: DateTime<Utc>,
    pub history: &'a [TimelineEntry],
}

impl Registering<'_> {
    /// The application as the transaction writes it.
    pub fn registered(&self, previous_address: Option<Rka>) -> Application {
        let mut app = self.current.clone();
        app.status = Status::Registered;
        app.reasons = vec![];
        app.updated_at = self.at;
        app.notices = crate::model::NoticeState::Pending;
        app.notices_lease_ms = None;
        app.previous_address = previous_address;
        app
    }
}

/// A one-time code sent to sign one application draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SigningRequest {
    pub id: SigningRequestId,
    pub applicant: Iin,
    pub digest: String,
    pub code_hash: CodeHash,
    pub expires_at: DateTime<Utc>,
    pub attempts_left: u8,
    pub used: bool,
    /// The application that used it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_by: Option<ApplicationId>,
    /// The `Idempotency-Key` of the submission that spent the code, if it had one: only a retry with that
    /// key is answered with the application; anyone else gets "used".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_for_key: Option<String>,
}

impl SigningRequest {
    /// Whether a code may be compared now: `applicant`'s request for the form with `digest`, unused,
    /// unexpired, with an attempt left.
    pub fn open_to(&self, applicant: &Iin, digest: &str, now: DateTime<Utc>) -> bool {
        &self.applicant == applicant
            && self.digest == digest
            && !self.used
            && now < self.expires_at
            && self.attempts_left > 0
    }
}

#[async_trait]
pub trait SigningStore: Send + Sync {
    /// Stores a new request and counts it against `limits`, in one transaction; over a limit nothing is
    /// written or counted.
    async fn put(&self, request: &SigningRequest, limits: &[Counter]) -> Result<Option<LimitHit>, StoreError>;
    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError>;
    /// Takes back a request whose code could not be sent: deletes it while it is unused and gives back one of
    /// each of `limits` (as [`SigningStore::put`] counted them), in one transaction. `false`: it was used or is
    /// gone (nothing changed).
    async fn withdraw(&self, request: &SigningRequest, limits: &[Counter]) -> Result<bool, StoreError>;
    /// Tries a code, given as its hash under the code key (`candidate`), in one conditional write that holds
    /// only while the request is `applicant`'s, for the form with `digest`, unused, unexpired at `now` and has
    /// an attempt left: a wrong code takes an attempt ([`CodeCheck::Wrong`]); the right one takes nothing
    /// ([`CodeCheck::Right`]); otherwise nothing changes and the code is not compared at all. So however
    /// many guesses arrive at once, at most [`crate::signing::CODE_ATTEMPTS`] are ever compared, and a right
    /// code after them is refused; retries of a right code cost no attempt.
    async fn try_code(
        &self,
        id: &SigningRequestId,
        applicant: &Iin,
        digest: &str,
        candidate: &CodeHash,
        now: DateTime<Utc>,
    ) -> Result<CodeCheck, StoreError>;
}

/// What [`SigningStore::try_code`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeCheck {
    Right,
    /// Counted: this many attempts are left.
    Wrong {
        attempts_left: u8,
    },
    /// Not compared (locked, used, expired, another form or applicant, unknown): the request as it is, to
    /// say why.
    NotTried(Option<SigningRequest>),
}

/// The state registries: GBD FL (people, relations, capacity), BMG (phones), the real-estate register.
#[async_trait]
pub trait Registries: Send + Sync {
    async fn person(&self, iin: &Iin) -> Result<Option<Person>, RegistryError>;
    async fn property(&self, rka: &Rka) -> Result<Option<Property>, RegistryError>;
    /// The properties `owner` owns (alone or with others), by the real-estate register.
    async fn owned_by(&self, owner: &Iin) -> Result<Vec<Property>, RegistryError>;
    /// Several people and properties at once: one round trip where the registry allows it (DynamoDB's
    /// `BatchGetItem`). Those not found are left out.
    async fn lookup(&self, people: &[Iin], properties: &[Rka]) -> Result<Found, RegistryError> {
        let mut found = Found::default();
        for iin in people {
            found.people.extend(self.person(iin).await?);
        }
        for rka in properties {
            found.properties.extend(self.property(rka).await?);
        }
        Ok(found)
    }
}

/// What [`Registries::lookup`] found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub people: Vec<Person>,
    pub properties: Vec<Property>,
}

impl Found {
    pub fn person(&self, iin: &Iin) -> Option<&Person> {
        self.people.iter().find(|p| &p.iin == iin)
    }

    pub fn property(&self, rka: &Rka) -> Option<&Property> {
        self.properties.iter().find(|p| &p.rka == rka)
    }
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    /// Sends from the sender id "1414".
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError>;
}

#[async_trait]
pub trait Workflow: Send + Sync {
    /// Starts the registration workflow; the execution is named by the application id. `trace_header` (the
    /// X-Ray header of the request that submitted it) makes the execution and its functions part of that trace.
    async fn start(&self, application: &ApplicationId, trace_header: Option<&str>) -> Result<(), WorkflowError>;
    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError>;
    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), WorkflowError>;
    async fn stop(&self, application: &ApplicationId, cause: &str) -> Result<(), WorkflowError>;
}

/// Business metrics (see [`crate::metrics`]): recorded, never awaited, never failing the step.
pub trait Metrics: Send + Sync {
    fn record(&self, metric: crate::metrics::Metric);
}

/// Issued registration certificates, by number.
#[async_trait]
pub trait CertificateStore: Send + Sync {
    /// Writes the certificate and its timeline entry in one transaction; a number already taken writes
    /// nothing (`Ok(false)`: the caller draws another).
    async fn issue(&self, record: &CertificateRecord, entry: TimelineEntry) -> Result<bool, StoreError>;
    async fn get(&self, number: &DocumentNumber) -> Result<Option<CertificateRecord>, StoreError>;
    /// Counts one check under `counter` (a conditional increment): `Some` when it is already at its limit,
    /// and then nothing is counted.
    async fn count_check(&self, counter: &Counter) -> Result<Option<LimitHit>, StoreError>;
}

/// The service's signing key: ES256 (ECDSA over P-256 with SHA-256). AWS KMS in the deployment (the key never
/// leaves it); a key made at start on the local stack.
#[async_trait]
pub trait DocumentSigner: Send + Sync {
    /// The JWS key id (`kid`) of the key.
    fn key_id(&self) -> &str;
    /// The signature of `message`, as JWS has it: r and s, 32 bytes each.
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignerError>;
    /// The public key: the uncompressed point (0x04, x, y), 65 bytes.
    async fn public_key(&self) -> Result<Vec<u8>, SignerError>;
}
