//! `POST /registrations/{id}/withdraw`: the applicant withdraws a pending application. It ends CANCELLED /
//! WITHDRAWN, its execution is stopped and its open consents are closed.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "withdraw",
    triggers: &[domain::function::Trigger::Route(
        "POST /registrations/{id}/withdraw",
        domain::function::EdgeLimit::DECISIONS,
    )],
};

use domain::clock::Clock;
use domain::errors::WorkflowError;
use domain::ports::{ApplicationStore, ConsentStore, Transition, Workflow};
use domain::{ApplicationId, ConsentStatus, ReasonCode, Status, TimelineEntry};
use http_edge::ProblemKind;
use http_edge::{caller_iin, json, path_param, ApplicationView, HttpResponse, Problem};
use lambda_http::Request;
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn domain::ports::Metrics>,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            consents: src.consents()?,
            workflow: src.workflow()?,
            clock: src.clock(),
            metrics: src.metrics(),
        })
    }
}

#[tracing::instrument(name = "withdraw", skip_all, fields(function = "withdraw", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    run(deps, req, lang).await.unwrap_or_else(|p| p.respond(lang))
}

async fn run(deps: &Deps, req: Request, lang: domain::Language) -> Result<HttpResponse, Problem> {
    let caller = caller_iin(&req)?;
    let unavailable = Problem::from;
    let id = path_param(&req, "id")
        .and_then(|id| ApplicationId::parse(&id))
        .ok_or_else(|| Problem::not_found("application"))?;
    tracing::Span::current().record("applicationId", tracing::field::display(&id));
    let app = deps.applications.get(&id).await.map_err(unavailable)?;
    let app = app.filter(|a| a.applicant == caller).ok_or_else(|| Problem::not_found("application"))?;
    let now = deps.clock.now();
    let withdrawn = domain::TimelineFacts::Reasons { codes: vec![ReasonCode::Withdrawn] };
    let cancelled = TimelineEntry::of(now, domain::TimelineEvent::Cancelled, withdrawn);
    let written = deps
        .applications
        .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now, &[cancelled])
        .await;
    let written = match written {
        Ok(t) => t,
        // The write may have been applied before its answer was lost: read it back, so that the answer is true
        // either way (withdrawn: 200; not: 503, nothing was changed; unreadable: 503).
        Err(e) => match deps.applications.get(&id).await {
            Ok(Some(current))
                if current.status == Status::Cancelled && current.reasons.contains(&ReasonCode::Withdrawn) =>
            {
                Transition::Done(current)
            }
            _ => return Err(unavailable(e)),
        },
    };
    let app = match written {
        Transition::Done(app) => app,
        Transition::NotFound => return Err(Problem::not_found("application")),
        Transition::Refused(current) => {
            return Err(Problem::new(ProblemKind::AlreadyFinished, "only a pending application can be withdrawn")
                .with("applicationStatus", current.status.as_str()))
        }
    };
    match deps.workflow.stop(&id, "withdrawn by the applicant").await {
        Ok(()) | Err(WorkflowError::ExecutionDoesNotExist) => {}
        // The status is already CANCELLED: finalize leaves it so, and the wait times out harmlessly.
        Err(e) => tracing::warn!(error = %e, "could not stop the execution"),
    }
    // The withdrawal is committed: what follows is never its failure (a 503 here would say "nothing was changed"
    // of an application that is CANCELLED). A consent left pending is closed when the stopped execution is
    // reconciled (`reconcile` ends it WITHDRAWN and closes its pending consents); an owner answering meanwhile
    // is told the request was withdrawn (record-reply reads the application).
    if let Err(e) = close_pending_consents(deps, &id, now).await {
        tracing::warn!(error = %e, "withdrawn; its pending consents are closed when the execution is reconciled");
    }
    tracing::info!("application withdrawn");
    deps.metrics.record(domain::metrics::Metric::Withdrawn);
    Ok(json(200, &ApplicationView::new(&app, None, lang)))
}

async fn close_pending_consents(
    deps: &Deps,
    id: &domain::ApplicationId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), domain::errors::StoreError> {
    for c in deps.consents.for_application(id).await? {
        if c.status == ConsentStatus::Pending {
            deps.consents
                .transition(&c.application_id, &c.id, ConsentStatus::Pending, ConsentStatus::Closed, None, now)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Consent;
    use test_kit::*;

    const EVENT: &str = include_str!("../../../events/withdraw/withdraw.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    async fn seed(w: &World) -> ApplicationId {
        let v: serde_json::Value = serde_json::from_str(EVENT).expect("event");
        let id = ApplicationId::parse(v["pathParameters"]["id"].as_str().expect("id")).expect("id");
        let mut app = application(DAULET, DAULET, FLAT_AIGERIM);
        app.id = id.clone();
        app.status = Status::AwaitingConsent;
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        w.store.create_all(&[Consent::new(id.clone(), iin(AIGERIM))]).await.expect("consent");
        id
    }

    #[tokio::test]
    async fn withdraws_stops_the_execution_and_closes_consents() {
        let w = World::new();
        let id = seed(&w).await;
        let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
        assert_eq!(resp.status(), 200);
        let body = response_json(&resp);
        assert_eq!((body["status"].as_str(), body["reasonCode"].as_str()), (Some("CANCELLED"), Some("WITHDRAWN")));
        assert_eq!(*w.workflow.stopped.lock().expect("lock"), vec![id.clone()]);
        assert_eq!(w.store.for_application(&id).await.expect("consents")[0].status, ConsentStatus::Closed);
        let again = handle(&deps(&w), api_request(EVENT, |_| {})).await;
        assert_eq!(again.status(), 409);
    }

    #[tokio::test]
    async fn only_the_applicant_can_withdraw() {
        let w = World::new();
        seed(&w).await;
        let resp = handle(&deps(&w), api_request(EVENT, |v| as_caller(v, AIGERIM))).await;
        assert_eq!(resp.status(), 404);
        assert!(w.workflow.stopped.lock().expect("lock").is_empty());
    }
}
