//! Ports: one capability per trait. `adapters::memory` implements them in process; the AWS adapters
//! implement the same traits over DynamoDB, SNS and Step Functions.

use crate::domain::{
    Application, ApplicationId, CodeHash, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, Person, PhoneNumber,
    Property, ReasonCode, Registration, Rka, SigningRequestId, Status, TimelineEntry,
};
use crate::errors::{RegistryError, SmsError, StoreError, WorkflowError};
use crate::sms::SmsMessage;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::clock::Clock;

#[derive(Debug, Clone, PartialEq)]
pub enum CreateOutcome {
    Created,
    /// The applicant already used this `Idempotency-Key`: here is that application.
    IdempotentReplay(Application),
    /// The registrant already has an application that is not finished.
    RegistrantHasOpenApplication(ApplicationId),
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
    /// Stores a new application, atomically with its idempotency key, the registrant's open-application lock
    /// and the first entries of its timeline.
    async fn create(&self, app: &Application, history: &[TimelineEntry]) -> Result<CreateOutcome, StoreError>;
    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError>;
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
    /// registrant. When the stored application moved meanwhile: `Done` if it is at `to`, else `Refused`.
    async fn set_status(
        &self,
        current: &Application,
        from: &[Status],
        to: Status,
        reasons: &[ReasonCode],
        at: DateTime<Utc>,
        history: &[TimelineEntry],
    ) -> Result<Transition, StoreError>;
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
    /// Records that the request went out (token, code hash, phone, expiry) while the consent is pending.
    async fn mark_requested(&self, consent: &Consent) -> Result<bool, StoreError>;
    /// Moves a consent from `from` to `to`; `None` when it was not in `from` (answered already, say).
    async fn transition(
        &self,
        application: &ApplicationId,
        id: &ConsentId,
        from: ConsentStatus,
        to: ConsentStatus,
        channel: Option<ConsentChannel>,
        at: DateTime<Utc>,
    ) -> Result<Option<Consent>, StoreError>;
}

#[async_trait]
pub trait RegistrationStore: Send + Sync {
    /// Every registration of the person, open and closed.
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError>;
    /// Writes `new` and closes `close` (id, last day) in one transaction. `false`: `new` existed already.
    async fn register(&self, new: &Registration, close: Option<(&str, NaiveDate)>) -> Result<bool, StoreError>;
    /// How many registrations were made at `address` from `since` on (closed ones too), counting no further
    /// than `at_most + 1`: enough to tell whether a threshold is passed, bounded however busy the address.
    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError>;
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
}

#[async_trait]
pub trait SigningStore: Send + Sync {
    async fn put(&self, request: &SigningRequest) -> Result<(), StoreError>;
    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError>;
    /// Spends one attempt of an unused request; the attempts left after it, `None` if none were left.
    async fn spend_attempt(&self, id: &SigningRequestId) -> Result<Option<u8>, StoreError>;
    /// Marks the request used, once: `false` if it was used already.
    async fn consume(&self, id: &SigningRequestId) -> Result<bool, StoreError>;
}

/// The state registries: GBD FL (people, relations, capacity), BMG (phones), the real-estate register.
#[async_trait]
pub trait Registries: Send + Sync {
    async fn person(&self, iin: &Iin) -> Result<Option<Person>, RegistryError>;
    async fn property(&self, rka: &Rka) -> Result<Option<Property>, RegistryError>;
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
