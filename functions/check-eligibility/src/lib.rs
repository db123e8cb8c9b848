//! Workflow step `CheckEligibility`: gathers the registries' facts, applies the rules, records the
//! decision, and creates one pending consent per owner to ask. Output carries ids only.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "check-eligibility",
    triggers: &[domain::function::Trigger::WorkflowStep { arn_substitution: "CheckEligibilityFunctionArn" }],
};

use domain::clock::Clock;
use domain::eligibility::{evaluate, Decision, RegistryFacts};
use domain::errors::StepError;
use domain::ports::{ApplicationStore, ConsentStore, Registries, Transition};
use domain::steps::{EligibilityOutput, ExecutionInput, StepDecision};
use domain::{Application, Consent, Status, TimelineEntry};
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registries: Arc<dyn Registries>,
    pub clock: Arc<dyn Clock>,
    /// Seconds each owner has to answer (`CONSENT_TIMEOUT_SECONDS`, default 3600).
    pub consent_timeout_seconds: u32,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            consents: src.consents()?,
            registries: src.registries()?,
            clock: src.clock(),
            consent_timeout_seconds: src.policy().consent_timeout_seconds,
        })
    }
}

#[tracing::instrument(name = "check-eligibility", skip_all, fields(function = "check-eligibility", applicationId = %input.application_id, executionName = %input.application_id))]
pub async fn handle(deps: &Deps, input: ExecutionInput) -> Result<EligibilityOutput, StepError> {
    let id = input.application_id;
    let app: Application =
        deps.applications.get(&id).await?.ok_or_else(|| StepError::ApplicationNotFound(id.to_string()))?;
    let now = deps.clock.now();
    if app.status == Status::AwaitingConsent {
        // A retry after the decision was recorded: the same answer, with the consents it created.
        let existing = deps.consents.for_application(&id).await?;
        return Ok(EligibilityOutput {
            application_id: id,
            decision: StepDecision::ConsentRequired,
            consent_ids: existing.into_iter().map(|c| c.id).collect(),
            consent_timeout_seconds: deps.consent_timeout_seconds,
        });
    }
    let registry =
        RegistryFacts::gather(deps.registries.as_ref(), &app.applicant, &app.draft, now.date_naive()).await?;
    let decision = evaluate(&registry);
    let (step, reasons, status, consents) = match &decision {
        Decision::Eligible => (StepDecision::Eligible, vec![], Status::Submitted, vec![]),
        Decision::Rejected { reasons } => (StepDecision::Rejected, reasons.clone(), Status::Submitted, vec![]),
        Decision::OfflineRequired { reasons } => {
            (StepDecision::OfflineRequired, reasons.clone(), Status::Submitted, vec![])
        }
        Decision::ConsentRequired { owners } => {
            // Ids derived from the application and the owner's place: an attempt interrupted after this write
            // is retried with the same consents, and no owner is asked twice.
            let consents: Vec<Consent> =
                owners.iter().enumerate().map(|(i, o)| Consent::of_owner(&app, i, o.clone())).collect();
            (StepDecision::ConsentRequired, vec![], Status::AwaitingConsent, consents)
        }
    };
    deps.consents.create_all(&consents).await?;
    let recorded = match (&decision, reasons.is_empty()) {
        (Decision::ConsentRequired { owners }, _) => domain::TimelineFacts::ConsentRequired { owners: owners.len() },
        (_, true) => domain::TimelineFacts::Eligible,
        (_, false) => domain::TimelineFacts::Reasons { codes: reasons.clone() },
    };
    let checked = TimelineEntry::of(now, domain::TimelineEvent::EligibilityChecked, recorded);
    match deps.applications.set_status(&app, &[Status::Submitted], status, &reasons, now, &[checked]).await? {
        Transition::Done(_) => {}
        Transition::NotFound => return Err(StepError::ApplicationNotFound(id.to_string())),
        // Withdrawn meanwhile: finalize will see the terminal status and leave it.
        Transition::Refused(current) => {
            tracing::info!(status = %current.status, "application changed meanwhile")
        }
    }
    tracing::info!(decision = ?step, "eligibility checked");
    Ok(EligibilityOutput {
        application_id: id,
        decision: step,
        consent_ids: consents.into_iter().map(|c| c.id).collect(),
        consent_timeout_seconds: deps.consent_timeout_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ports::TimelineStore;
    use domain::{ApplicationId, ReasonCode, RegistrationReason};
    use test_kit::*;

    const EVENT: &str = include_str!("../../../events/check-eligibility/application.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    /// Stores the application the event names, with this applicant, registrant and address.
    async fn seed(w: &World, applicant: &str, registrant: &str, rka: &str) -> ExecutionInput {
        let input: ExecutionInput = serde_json::from_str(EVENT).expect("event");
        let mut app = application(applicant, registrant, rka);
        app.id = input.application_id.clone();
        app.draft.reason = RegistrationReason::Other;
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        input
    }

    #[tokio::test]
    async fn consent_required_creates_one_consent_per_owner() {
        let w = World::new();
        let input = seed(&w, DAULET, DAULET, FLAT_CO_OWNED).await;
        let out = handle(&deps(&w), input.clone()).await.expect("ok");
        assert_eq!(out.decision, StepDecision::ConsentRequired);
        assert_eq!(out.consent_ids.len(), 2);
        let app = ApplicationStore::get(w.store.as_ref(), &input.application_id).await.expect("store").expect("app");
        assert_eq!(app.status, Status::AwaitingConsent);
        let again = handle(&deps(&w), input).await.expect("retry");
        assert_eq!(again.consent_ids.len(), 2, "a retry does not ask twice");
        let json = serde_json::to_string(&again).expect("json");
        assert!(!json.contains(DAULET) && !json.contains(BOLAT), "ids only: {json}");
    }

    #[tokio::test]
    async fn a_retry_after_an_interrupted_attempt_reuses_its_consents() {
        let w = World::new();
        let input = seed(&w, DAULET, DAULET, FLAT_AIGERIM).await;
        let app = ApplicationStore::get(w.store.as_ref(), &input.application_id).await.expect("store").expect("app");
        let left_over = Consent::of_owner(&app, 0, iin(AIGERIM));
        w.store.create_all(std::slice::from_ref(&left_over)).await.expect("consent");
        let out = handle(&deps(&w), input.clone()).await.expect("ok");
        assert_eq!(out.consent_ids, vec![left_over.id]);
        assert_eq!(w.store.for_application(&input.application_id).await.expect("consents").len(), 1);
    }

    #[tokio::test]
    async fn refusal_reasons_are_stored_for_finalize() {
        let w = World::new();
        let input = seed(&w, AIGERIM, ALIKHAN, FLAT_AIGERIM).await;
        let out = handle(&deps(&w), input.clone()).await.expect("ok");
        assert_eq!((out.decision, out.consent_ids.len()), (StepDecision::Rejected, 0));
        let app = ApplicationStore::get(w.store.as_ref(), &input.application_id).await.expect("store").expect("app");
        assert_eq!(app.reasons, vec![ReasonCode::ChildUnder14]);
        assert_eq!(
            w.store.list(&input.application_id).await.expect("timeline")[0].detail.as_deref(),
            Some("CHILD_UNDER_14")
        );
    }

    #[tokio::test]
    async fn owner_at_own_flat_is_eligible_and_minor_owner_is_offline() {
        let w = World::new();
        let input = seed(&w, AIGERIM, AIGERIM, FLAT_AIGERIM).await;
        assert_eq!(handle(&deps(&w), input).await.expect("ok").decision, StepDecision::Eligible);
        let w = World::new();
        let input = seed(&w, DAULET, DAULET, FLAT_MINOR_OWNER).await;
        assert_eq!(handle(&deps(&w), input).await.expect("ok").decision, StepDecision::OfflineRequired);
    }

    #[tokio::test]
    async fn unknown_application_is_a_named_error() {
        let w = World::new();
        let err =
            handle(&deps(&w), ExecutionInput { application_id: ApplicationId::new() }).await.expect_err("missing");
        assert_eq!(err.error_type(), "ApplicationNotFound");
    }
}
