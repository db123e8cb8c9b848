//! `POST /registrations/precheck`: the eligibility rules on a form, without submitting it, so an app can
//! tell the person before they sign.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "precheck",
    triggers: &[domain::function::Trigger::Route(
        "POST /registrations/precheck",
        domain::function::EdgeLimit::FORM_CHECKS,
    )],
};

use domain::clock::Clock;
use domain::eligibility::{evaluate, may_apply_for, Decision, RegistryFacts};
use domain::ports::{ApplicationStore, Registries};
use http_edge::{caller_iin, json, json_body, ApplicationForm, HttpResponse, Problem, ReasonView};
use lambda_http::Request;
use serde::Serialize;
use std::sync::Arc;

pub struct Deps {
    pub registries: Arc<dyn Registries>,
    /// Read only: whether the registrant already has an open application.
    pub applications: Arc<dyn ApplicationStore>,
    pub clock: Arc<dyn Clock>,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps { registries: src.registries()?, applications: src.applications()?, clock: src.clock() })
    }
}

/// What would happen to the form if it were signed and submitted now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrecheckDecision {
    Eligible,
    ConsentRequired,
    Rejected,
    OfflineRequired,
    /// The registrant has an application that is not finished (`openApplicationId`): submitting would be
    /// refused with 409, so there is nothing to sign yet.
    OpenApplication,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrecheckResult {
    pub decision: PrecheckDecision,
    pub reasons: Vec<ReasonView>,
    /// How many owners will be asked for consent (who they are is not disclosed).
    pub owners_to_ask: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_application_id: Option<String>,
}

#[tracing::instrument(name = "precheck", skip_all, fields(function = "precheck", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    run(deps, req, lang).await.unwrap_or_else(|p| p.respond(lang))
}

async fn run(deps: &Deps, req: Request, lang: domain::Language) -> Result<HttpResponse, Problem> {
    let applicant = caller_iin(&req)?;
    let form: ApplicationForm = json_body(&req)?;
    form.refuse_signature()?;
    let today = deps.clock.now().date_naive();
    let draft = form.parse(today)?;
    let facts =
        RegistryFacts::gather(deps.registries.as_ref(), &applicant, &draft, today).await.map_err(Problem::from)?;
    if !may_apply_for(&applicant, &draft.registrant, facts.registrant.as_ref(), today) {
        return Err(Problem::not_authorised_for_registrant());
    }
    if let Some(open) = deps.applications.open_for(&draft.registrant).await? {
        return Ok(json(
            200,
            &PrecheckResult {
                decision: PrecheckDecision::OpenApplication,
                reasons: vec![],
                owners_to_ask: 0,
                open_application_id: Some(open.to_string()),
            },
        ));
    }
    let (decision, reasons, owners_to_ask) = match evaluate(&facts) {
        Decision::Eligible => (PrecheckDecision::Eligible, vec![], 0),
        Decision::ConsentRequired { owners } => (PrecheckDecision::ConsentRequired, vec![], owners.len()),
        Decision::Rejected { reasons } => (PrecheckDecision::Rejected, reasons, 0),
        Decision::OfflineRequired { reasons } => (PrecheckDecision::OfflineRequired, reasons, 0),
    };
    let reasons = reasons.iter().map(|r| ReasonView::new(*r, lang)).collect();
    Ok(json(200, &PrecheckResult { decision, reasons, owners_to_ask, open_application_id: None }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use test_kit::*;

    const EVENT: &str = include_str!("../../../events/precheck/daulet-at-aigerims-flat.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    #[tokio::test]
    async fn tells_that_the_owner_will_be_asked() {
        let w = World::new();
        let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(response_json(&resp), json!({"decision": "CONSENT_REQUIRED", "reasons": [], "ownersToAsk": 1}));
    }

    #[tokio::test]
    async fn tells_every_reason_of_a_refusal() {
        let w = World::new();
        let req = api_request(EVENT, |v| {
            as_caller(v, AIGERIM);
            with_body(
                v,
                json!({"registrantIin": ALIKHAN, "rka": "0201500000009999", "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
            );
        });
        let body = response_json(&handle(&deps(&w), req).await);
        assert_eq!(body["decision"], "REJECTED");
        let codes: Vec<&str> =
            body["reasons"].as_array().expect("reasons").iter().filter_map(|r| r["code"].as_str()).collect();
        assert_eq!(codes, vec!["CHILD_UNDER_14", "UNKNOWN_ADDRESS"], "his mother hears every reason");
        // No Accept-Language: Kazakh (issue #13); the codes never change with the language.
        assert!(body["reasons"][0]["message"].as_str().expect("message").contains("ата-анасының"), "{body}");
        for (accept, word) in [("ru-RU,ru;q=0.9", "родителей"), ("en-GB", "parents")] {
            let req = api_request(EVENT, |v| {
                as_caller(v, AIGERIM);
                v["headers"]["accept-language"] = json!(accept);
                with_body(
                    v,
                    json!({"registrantIin": ALIKHAN, "rka": "0201500000009999", "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
                );
            });
            let body = response_json(&handle(&deps(&w), req).await);
            assert_eq!(body["reasons"][0]["code"], "CHILD_UNDER_14");
            assert!(body["reasons"][0]["message"].as_str().expect("message").contains(word), "{accept}: {body}");
        }
    }

    #[tokio::test]
    async fn bad_iin_is_a_400_naming_the_field_and_rule() {
        let w = World::new();
        let req = api_request(EVENT, |v| {
            with_body(
                v,
                json!({"registrantIin": "880702300118", "rka": FLAT_AIGERIM, "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
            )
        });
        let resp = handle(&deps(&w), req).await;
        assert_eq!(resp.status(), 400);
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
        let body = response_json(&resp);
        assert_eq!((body["field"].as_str(), body["rule"].as_str()), (Some("registrantIin"), Some("IIN_CHECK_DIGIT")));
    }

    #[tokio::test]
    async fn without_a_token_claim_is_401() {
        let w = World::new();
        let req = api_request(EVENT, |v| v["requestContext"]["authorizer"] = json!(null));
        assert_eq!(handle(&deps(&w), req).await.status(), 401);
    }

    /// Issue #11, item 5: the person signed, got 409, and the code was spent.
    #[tokio::test]
    async fn an_open_application_is_the_answer_with_its_id() {
        let w = World::new();
        let open = application(DAULET, DAULET, FLAT_AIGERIM);
        w.store.create(&open, &[], &domain::ports::Admission::default()).await.expect("create");
        let body = response_json(&handle(&deps(&w), api_request(EVENT, |_| {})).await);
        assert_eq!(
            body,
            json!({"decision": "OPEN_APPLICATION", "reasons": [], "ownersToAsk": 0, "openApplicationId": open.id.to_string()})
        );
    }

    /// Issue #11, item 3: a stranger learns nothing about the person, not even whether an application is open.
    #[tokio::test]
    async fn a_stranger_is_refused_403_whatever_the_persons_state() {
        let w = World::new();
        let open = application(AIGERIM, AIGERIM, FLAT_AIGERIM);
        w.store.create(&open, &[], &domain::ports::Admission::default()).await.expect("create");
        for registrant in [AIGERIM, "990101300013"] {
            let req = api_request(EVENT, |v| {
                with_body(
                    v,
                    json!({"registrantIin": registrant, "rka": FLAT_AIGERIM, "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
                );
            });
            let resp = handle(&deps(&w), req).await;
            assert_eq!(resp.status(), 403, "{registrant}");
            let body = response_json(&resp);
            assert_eq!(
                (body["field"].as_str(), body["rule"].as_str()),
                (Some("registrantIin"), Some("NOT_AUTHORISED_FOR_REGISTRANT"))
            );
            assert!(body.get("openApplicationId").is_none());
        }
    }
}
