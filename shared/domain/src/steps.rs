//! The JSON that travels through the state machine: ids and decisions only, never personal data.

use crate::model::{ApplicationId, ConsentId, ReasonCode, Status};
use serde::{Deserialize, Serialize};

/// Error name a consent task fails with when the owner declines (`SendTaskFailure`).
pub const CONSENT_DECLINED: &str = "ConsentDeclined";
/// Error name the consent `Map` fails with when an owner's wait times out (the state machine turns the
/// task's `States.Timeout` into it, so that no other timeout is mistaken for an expired consent).
pub const CONSENT_EXPIRED: &str = "ConsentExpired";
/// Error name of a consent request that could not be texted within the window (the SMS service was down).
pub const CONSENT_REQUEST_UNDELIVERED: &str = "ConsentRequestUndelivered";
/// request-consent's error when the owner's phone is at a consent-request limit.
pub const OWNER_ASKED_TOO_OFTEN: &str = "OwnerAskedTooOften";

/// The execution's input, and what `CheckEligibility` receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutionInput {
    pub application_id: ApplicationId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StepDecision {
    Eligible,
    ConsentRequired,
    Rejected,
    OfflineRequired,
}

/// `CheckEligibility`'s output; the `Choice` reads `decision`, the `Map` iterates `consentIds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityOutput {
    pub application_id: ApplicationId,
    pub decision: StepDecision,
    pub consent_ids: Vec<ConsentId>,
    /// How long each owner has to answer: the consent task's `TimeoutSecondsPath` reads it.
    pub consent_timeout_seconds: u32,
}

/// One hour, as the law says; a deployment can change it (the template's `ConsentTimeoutSeconds`).
pub const DEFAULT_CONSENT_TIMEOUT_SECONDS: u32 = 3600;

/// One iteration of the consent `Map`: what `RequestConsent` receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentTaskInput {
    pub application_id: ApplicationId,
    pub consent_id: ConsentId,
    /// The same window the state machine waits: the consent expires when the wait times out.
    pub timeout_seconds: u32,
    pub task_token: String,
}

/// What `SendTaskSuccess` returns to the waiting consent task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentTaskOutput {
    pub consent_id: ConsentId,
    pub approved: bool,
}

/// A caught error, as `Catch` with a `ResultPath` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaughtError {
    #[serde(rename = "Error")]
    pub error: String,
    #[serde(rename = "Cause", default)]
    pub cause: Option<String>,
}

/// `Finalize`'s input: the eligibility output, plus the error when a `Catch` brought it here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeInput {
    pub application_id: ApplicationId,
    #[serde(default)]
    pub decision: Option<StepDecision>,
    #[serde(default)]
    pub error: Option<CaughtError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FinalizeOutput {
    pub application_id: ApplicationId,
    pub status: Status,
    pub reason: Option<ReasonCode>,
}

/// The EventBridge event Step Functions emits when an execution changes status ("Step Functions Execution
/// Status Change"), as the reconcile function receives it: only the fields it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutionStatusChange {
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    pub detail: ExecutionStatusDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStatusDetail {
    /// The execution's name: the application id.
    pub name: String,
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: String,
    #[serde(default)]
    pub execution_arn: Option<String>,
}

impl ExecutionStatusDetail {
    /// The statuses after which an execution does nothing more.
    pub const ENDED: [&'static str; 4] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

    pub fn has_ended(&self) -> bool {
        Self::ENDED.contains(&self.status.as_str())
    }
}
