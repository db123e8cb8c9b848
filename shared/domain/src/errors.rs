//! Errors of the ports, and the step errors whose `error_type` names are the ASL's `ErrorEquals` names.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Throttled, timed out, or the store is down: worth retrying.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// A stored item could not be read back: a bug or a bad migration, not worth retrying.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A page cursor that this store did not give (made up, or edited).
    #[error("the cursor is not one this store gave")]
    BadCursor,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("registry unavailable: {0}")]
pub struct RegistryError(pub String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    #[error("SMS service unavailable: {0}")]
    Unavailable(String),
    #[error("SMS refused: {0}")]
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("an execution with this name already exists")]
    ExecutionAlreadyExists,
    #[error("no such execution")]
    ExecutionDoesNotExist,
    #[error("the task token is not valid")]
    InvalidToken,
    #[error("the task is no longer waiting (timed out, answered or stopped)")]
    TaskTimedOut,
    #[error("workflow service unavailable: {0}")]
    Unavailable(String),
}

/// The service's signing key (AWS KMS in the deployment) could not sign or give its public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("document signing unavailable: {0}")]
pub struct SignerError(pub String);

/// Any port's failure, where a handler calls several ports: keeps which dependency failed and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DependencyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Sms(#[from] SmsError),
    #[error(transparent)]
    Workflow(#[from] WorkflowError),
    #[error(transparent)]
    Signer(#[from] SignerError),
}

/// Failures of the workflow functions. [`StepError::error_type`] is what the state machine matches.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The port's error is kept as the source: [`StepError::chain`] gives the whole story for the log and for
    /// the cause Step Functions records.
    #[error("storage is unavailable")]
    StoreUnavailable(#[source] StoreError),
    #[error("the registries are unavailable")]
    RegistryUnavailable(#[source] RegistryError),
    #[error("SMS is unavailable")]
    SmsUnavailable(#[source] SmsError),
    #[error("application {0} not found")]
    ApplicationNotFound(String),
    #[error("consent {0} not found")]
    ConsentNotFound(String),
    #[error("invalid step input: {0}")]
    InvalidStepInput(String),
    #[error("stored data is corrupt")]
    CorruptData(#[source] StoreError),
    /// The consent request could not be texted within the consent window: retrying is over.
    #[error("the consent request could not be sent within the consent window")]
    ConsentRequestUndelivered,
    /// The owner's phone is at a consent-request limit: nothing was sent.
    #[error("the owner has been sent as many consent requests as the limits allow")]
    OwnerAskedTooOften,
}

impl StepError {
    /// Errors worth retrying: the state machine's `Retry` lists exactly these.
    pub const TRANSIENT: [&'static str; 3] = ["StoreUnavailable", "RegistryUnavailable", "SmsUnavailable"];
    /// Every name a workflow function can emit.
    pub const ALL: [&'static str; 9] = [
        "StoreUnavailable",
        "RegistryUnavailable",
        "SmsUnavailable",
        "ApplicationNotFound",
        "ConsentNotFound",
        "InvalidStepInput",
        "CorruptData",
        "ConsentRequestUndelivered",
        "OwnerAskedTooOften",
    ];

    /// The error and each of its causes, outermost first: "storage is unavailable: store unavailable: throttled".
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    pub fn error_type(&self) -> &'static str {
        match self {
            StepError::StoreUnavailable(_) => "StoreUnavailable",
            StepError::RegistryUnavailable(_) => "RegistryUnavailable",
            StepError::SmsUnavailable(_) => "SmsUnavailable",
            StepError::ApplicationNotFound(_) => "ApplicationNotFound",
            StepError::ConsentNotFound(_) => "ConsentNotFound",
            StepError::InvalidStepInput(_) => "InvalidStepInput",
            StepError::CorruptData(_) => "CorruptData",
            StepError::ConsentRequestUndelivered => "ConsentRequestUndelivered",
            StepError::OwnerAskedTooOften => "OwnerAskedTooOften",
        }
    }
}

impl From<StoreError> for StepError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Unavailable(_) => StepError::StoreUnavailable(e),
            StoreError::Corrupt(_) => StepError::CorruptData(e),
            StoreError::BadCursor => StepError::InvalidStepInput("a page cursor".into()),
        }
    }
}

impl From<RegistryError> for StepError {
    fn from(e: RegistryError) -> Self {
        StepError::RegistryUnavailable(e)
    }
}

impl From<SmsError> for StepError {
    fn from(e: SmsError) -> Self {
        StepError::SmsUnavailable(e)
    }
}
