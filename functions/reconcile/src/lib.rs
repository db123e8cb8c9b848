//! `reconcile`: an EventBridge rule sends it every execution of the registration workflow that ended
//! (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). An application still open then (Finalize could not run: storage
//! down longer than every retry, an operator stopped the execution, a bug) ends FAILED / WORKFLOW_ERROR, its
//! consents are closed and the registrant can apply again at once; one that ended keeps its status, and the
//! texts of its outcome that could not go within the workflow's retries (SMS down for an hour) go now. It
//! ends the application the domain's way ([`domain::ending`], as Finalize does), given the execution's end
//! as the caught error, so both decide the same way, by the same conditional writes. The local engine emits
//! the same events to it.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec =
    domain::function::FunctionSpec { name: "reconcile", triggers: &[domain::function::Trigger::ExecutionEnded] };

use domain::errors::StepError;
use domain::steps::{CaughtError, ExecutionStatusChange, FinalizeInput};
use domain::ApplicationId;

/// This function's ports: those of ending an application.
pub use domain::ending::EndingPorts as Deps;

/// What was done, for the log and the tests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reconciled {
    pub application_id: Option<String>,
    /// The application's status after reconciling; `None` when the event was not an ended execution.
    pub status: Option<domain::Status>,
}

/// The error name the application's timeline shows, by how the execution ended.
pub fn error_name(status: &str) -> String {
    match status {
        "TIMED_OUT" => "States.ExecutionTimedOut".into(),
        "ABORTED" => "States.ExecutionAborted".into(),
        "FAILED" => "States.ExecutionFailed".into(),
        _ => "States.ExecutionEndedOpen".into(),
    }
}

#[tracing::instrument(name = "reconcile", skip_all, fields(function = "reconcile", applicationId = %event.detail.name, executionName = %event.detail.name))]
pub async fn handle(deps: &Deps, event: ExecutionStatusChange) -> Result<Reconciled, StepError> {
    let detail = &event.detail;
    if !detail.has_ended() {
        return Ok(Reconciled { application_id: None, status: None });
    }
    let Some(id) = ApplicationId::parse(&detail.name) else {
        // Not one of ours (executions are named by application id): nothing to reconcile.
        tracing::warn!("an execution not named by an application id ended");
        return Ok(Reconciled { application_id: None, status: None });
    };
    let input = FinalizeInput {
        application_id: id.clone(),
        decision: None,
        error: Some(CaughtError {
            error: error_name(&detail.status),
            cause: Some(format!("the execution ended {} while the application was open", detail.status)),
        }),
    };
    let out = match domain::ending::end(deps, input).await {
        Ok(out) => out,
        Err(StepError::ApplicationNotFound(_)) => {
            // Nothing to end (submit failed before storing it, or test data): retrying would not change that.
            tracing::warn!("the ended execution's application does not exist");
            return Ok(Reconciled { application_id: Some(id.to_string()), status: None });
        }
        Err(e) => return Err(e),
    };
    tracing::info!(status = %out.status, execution = %detail.status, "execution reconciled");
    Ok(Reconciled { application_id: Some(id.to_string()), status: Some(out.status) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ports::{ApplicationStore, ConsentStore};
    use domain::{Consent, ConsentStatus, ReasonCode, Status};
    use test_kit::*;

    const FAILED: &str = include_str!("../../../events/reconcile/execution-failed.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    fn event(status: &str) -> ExecutionStatusChange {
        let mut e: ExecutionStatusChange = serde_json::from_str(FAILED).expect("event");
        e.detail.status = status.into();
        e
    }

    async fn open_application(w: &World, e: &ExecutionStatusChange) -> ApplicationId {
        let id = ApplicationId::parse(&e.detail.name).expect("id");
        let mut app = application(DAULET, DAULET, FLAT_AIGERIM);
        app.id = id.clone();
        app.status = Status::AwaitingConsent;
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        w.store.create_all(&[Consent::new(id.clone(), iin(AIGERIM))]).await.expect("consent");
        id
    }

    #[tokio::test]
    async fn an_execution_that_failed_with_its_application_open_ends_it_failed_and_frees_the_person() {
        let w = World::new();
        let e = event("FAILED");
        let id = open_application(&w, &e).await;
        let out = handle(&deps(&w), e.clone()).await.expect("reconciled");
        assert_eq!(out.status, Some(Status::Failed));
        let app = ApplicationStore::get(w.store.as_ref(), &id).await.expect("get").expect("app");
        assert_eq!((app.status, app.reasons.clone()), (Status::Failed, vec![ReasonCode::WorkflowError]));
        assert_eq!(w.store.for_application(&id).await.expect("consents")[0].status, ConsentStatus::Closed);
        let again = application(DAULET, DAULET, FLAT_AIGERIM);
        assert_eq!(
            w.store.create(&again, &[], &domain::ports::Admission::default()).await.expect("create"),
            domain::ports::CreateOutcome::Created,
            "the registrant can apply again at once"
        );
        assert_eq!(handle(&deps(&w), e).await.expect("twice").status, Some(Status::Failed), "idempotent");
    }

    #[tokio::test]
    async fn every_way_of_ending_is_reconciled_and_a_running_one_is_left_alone() {
        for status in ["TIMED_OUT", "ABORTED", "SUCCEEDED"] {
            let w = World::new();
            let e = event(status);
            let id = open_application(&w, &e).await;
            assert_eq!(handle(&deps(&w), e).await.expect("ok").status, Some(Status::Failed), "{status}");
            assert_eq!(
                ApplicationStore::get(w.store.as_ref(), &id).await.expect("get").map(|a| a.status),
                Some(Status::Failed)
            );
        }
        let w = World::new();
        let e = event("RUNNING");
        let id = open_application(&w, &e).await;
        assert_eq!(handle(&deps(&w), e).await.expect("ok").status, None);
        assert_eq!(
            ApplicationStore::get(w.store.as_ref(), &id).await.expect("get").map(|a| a.status),
            Some(Status::AwaitingConsent)
        );
    }

    #[tokio::test]
    async fn an_application_that_ended_keeps_its_status() {
        let w = World::new();
        let e = event("ABORTED");
        let id = open_application(&w, &e).await;
        let app = ApplicationStore::get(w.store.as_ref(), &id).await.expect("get").expect("app");
        let withdrawn = domain::TimelineEntry::new(now(), domain::TimelineEvent::Cancelled, None);
        w.store
            .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[withdrawn])
            .await
            .expect("withdraw");
        assert_eq!(handle(&deps(&w), e).await.expect("ok").status, Some(Status::Cancelled));
    }

    #[tokio::test]
    async fn an_unknown_application_is_nothing_to_reconcile() {
        let w = World::new();
        let out = handle(&deps(&w), event("FAILED")).await.expect("not an error: a retry would not help");
        assert_eq!(out.status, None);
    }

    #[tokio::test]
    async fn storage_down_is_an_error_so_that_the_event_is_retried() {
        let w = World::new();
        let e = event("FAILED");
        let mut d = deps(&w);
        d.applications = std::sync::Arc::new(Down);
        assert_eq!(handle(&d, e).await.map_err(|e| e.error_type()), Err("StoreUnavailable"));
    }

    struct Down;

    #[async_trait::async_trait]
    impl ApplicationStore for Down {
        async fn create(
            &self,
            _: &domain::Application,
            _: &[domain::TimelineEntry],
            _: &domain::ports::Admission<'_>,
        ) -> Result<domain::ports::CreateOutcome, domain::errors::StoreError> {
            Err(down())
        }
        async fn open_for(&self, _: &domain::Iin) -> Result<Option<ApplicationId>, domain::errors::StoreError> {
            Err(down())
        }
        async fn get(&self, _: &ApplicationId) -> Result<Option<domain::Application>, domain::errors::StoreError> {
            Err(down())
        }
        async fn find_by_idempotency_key(
            &self,
            _: &domain::Iin,
            _: &str,
        ) -> Result<Option<domain::Application>, domain::errors::StoreError> {
            Err(down())
        }
        async fn list_for_applicant(
            &self,
            _: &domain::Iin,
            _: usize,
            _: Option<&str>,
        ) -> Result<domain::ports::Page<domain::Application>, domain::errors::StoreError> {
            Err(down())
        }
        async fn set_status(
            &self,
            _: &domain::Application,
            _: &[Status],
            _: Status,
            _: &[ReasonCode],
            _: chrono::DateTime<chrono::Utc>,
            _: &[domain::TimelineEntry],
        ) -> Result<domain::ports::Transition, domain::errors::StoreError> {
            Err(down())
        }
        async fn claim_notices(
            &self,
            _: &ApplicationId,
            _: chrono::DateTime<chrono::Utc>,
            _: chrono::DateTime<chrono::Utc>,
        ) -> Result<bool, domain::errors::StoreError> {
            Err(down())
        }
        async fn finish_notices(&self, _: &ApplicationId, _: bool) -> Result<(), domain::errors::StoreError> {
            Err(down())
        }
    }

    fn down() -> domain::errors::StoreError {
        domain::errors::StoreError::Unavailable("connection refused".into())
    }
}
