//! How an application ends, from what the workflow brought to `Finalize`:
//! - no answer from an owner within the hour (`ConsentExpired`): CANCELLED, CONSENT_EXPIRED;
//! - an owner declined: REJECTED, CONSENT_DECLINED;
//! - the request could not be texted within the window (SMS down all along): CANCELLED,
//!   CONSENT_REQUEST_UNDELIVERED;
//! - an owner's phone at a consent-request limit (`OwnerAskedTooOften`): REJECTED, OWNER_ASKED_TOO_OFTEN;
//! - any other error: FAILED, WORKFLOW_ERROR (the person sees it and can apply again);
//! - otherwise the eligibility decision: REGISTERED, REJECTED or OFFLINE_REQUIRED with its reasons.

use crate::model::{Application, ConsentStatus, ReasonCode, Status};
use crate::steps::{
    FinalizeInput, StepDecision, CONSENT_DECLINED, CONSENT_EXPIRED, CONSENT_REQUEST_UNDELIVERED, OWNER_ASKED_TOO_OFTEN,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub reasons: Vec<ReasonCode>,
    /// What happens to consents still pending.
    pub pending_consents_become: ConsentStatus,
}

pub fn decide(input: &FinalizeInput, app: &Application) -> Outcome {
    let end =
        |status, reasons: Vec<ReasonCode>, consents| Outcome { status, reasons, pending_consents_become: consents };
    match (&input.error, input.decision) {
        (Some(e), _) if e.error == CONSENT_EXPIRED => {
            end(Status::Cancelled, vec![ReasonCode::ConsentExpired], ConsentStatus::Expired)
        }
        (Some(e), _) if e.error == CONSENT_REQUEST_UNDELIVERED => {
            end(Status::Cancelled, vec![ReasonCode::ConsentRequestUndelivered], ConsentStatus::Expired)
        }
        (Some(e), _) if e.error == OWNER_ASKED_TOO_OFTEN => {
            end(Status::Rejected, vec![ReasonCode::OwnerAskedTooOften], ConsentStatus::Closed)
        }
        (Some(e), _) if e.error == CONSENT_DECLINED => {
            end(Status::Rejected, vec![ReasonCode::ConsentDeclined], ConsentStatus::Closed)
        }
        (Some(_), _) | (None, None) => end(Status::Failed, vec![ReasonCode::WorkflowError], ConsentStatus::Closed),
        (None, Some(StepDecision::Eligible | StepDecision::ConsentRequired)) => {
            end(Status::Registered, vec![], ConsentStatus::Closed)
        }
        (None, Some(StepDecision::Rejected)) => end(Status::Rejected, app.reasons.clone(), ConsentStatus::Closed),
        (None, Some(StepDecision::OfflineRequired)) => {
            end(Status::OfflineRequired, app.reasons.clone(), ConsentStatus::Closed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::fixtures::application;
    use crate::steps::CaughtError;

    fn caught(error: &str) -> FinalizeInput {
        let app = application("880702300117", "880702300117");
        FinalizeInput {
            application_id: app.id,
            decision: Some(StepDecision::ConsentRequired),
            error: Some(CaughtError { error: error.into(), cause: None }),
        }
    }

    #[test]
    fn only_an_expired_consent_cancels_other_timeouts_fail() {
        let app = application("880702300117", "880702300117");
        assert_eq!(decide(&caught("ConsentExpired"), &app).reasons, vec![ReasonCode::ConsentExpired]);
        assert_eq!(decide(&caught("ConsentExpired"), &app).status, Status::Cancelled);
        assert_eq!(decide(&caught("States.Timeout"), &app).status, Status::Failed);
        assert_eq!(decide(&caught("ConsentDeclined"), &app).status, Status::Rejected);
        let undelivered = decide(&caught("ConsentRequestUndelivered"), &app);
        assert_eq!(
            (undelivered.status, undelivered.reasons),
            (Status::Cancelled, vec![ReasonCode::ConsentRequestUndelivered])
        );
        let limited = decide(&caught("OwnerAskedTooOften"), &app);
        assert_eq!((limited.status, limited.reasons), (Status::Rejected, vec![ReasonCode::OwnerAskedTooOften]));
        assert_eq!(decide(&caught("StoreUnavailable"), &app).reasons, vec![ReasonCode::WorkflowError]);
    }
}
