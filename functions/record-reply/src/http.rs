//! `GET /consents` and `POST /consents/{id}/decision` for the authenticated owner.

use super::answer::{answer, Answer};
use super::Deps;
use domain::{ConsentChannel, ConsentDecision, ConsentId, ConsentStatus};
use http_edge::ProblemKind;
use http_edge::{caller_iin, json, json_body, path_param, HttpResponse, Problem};
use lambda_http::Request;
use serde::{Deserialize, Serialize};

#[tracing::instrument(name = "record-reply", skip_all, fields(function = "record-reply", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    let result = match path_param(&req, "id") {
        Some(id) => decide(deps, req, &id).await,
        None => list(deps, req).await,
    };
    result.unwrap_or_else(|p| p.respond(lang))
}

/// Shown to the owner in the app; no `Debug` (it names the registrant).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PendingConsent {
    consent_id: String,
    application_id: String,
    rka: String,
    /// The address in words, short form, in the owner's language.
    address: String,
    /// `Surname F.` of the person to be registered.
    registrant: String,
    kind: &'static str,
    /// For a temporary registration: how many months.
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u8>,
    requested_at: Option<chrono::DateTime<chrono::Utc>>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn unavailable(e: impl Into<Problem>) -> Problem {
    e.into()
}

async fn list(deps: &Deps, req: Request) -> Result<HttpResponse, Problem> {
    let owner = caller_iin(&req)?;
    let now = deps.clock.now();
    let mut open = Vec::new();
    for c in deps.consents.pending_for_owner(&owner).await.map_err(unavailable)? {
        if !c.is_answerable(now) {
            continue;
        }
        if let Some(app) = deps.applications.get(&c.application_id).await.map_err(unavailable)? {
            open.push((c, app));
        }
    }
    // Who and where, for all of them in one registry round trip (the owner too, for their language).
    let mut people: Vec<_> = open.iter().map(|(_, a)| a.draft.registrant.clone()).collect();
    people.push(owner.clone());
    let places: Vec<_> = open.iter().map(|(_, a)| a.draft.address.clone()).collect();
    let found = if open.is_empty() {
        Default::default()
    } else {
        deps.registries.lookup(&people, &places).await.map_err(unavailable)?
    };
    let lang = found.person(&owner).map(|p| p.language).unwrap_or_default();
    let mut out: Vec<PendingConsent> = open
        .into_iter()
        .map(|(c, app)| PendingConsent {
            consent_id: c.id.to_string(),
            application_id: app.id.to_string(),
            rka: app.draft.address.to_string(),
            address: found.property(&app.draft.address).map(|p| p.address.short(lang)).unwrap_or_default(),
            registrant: found.person(&app.draft.registrant).map(|p| p.short_name()).unwrap_or_default(),
            kind: if app.draft.kind.is_permanent() { "PERMANENT" } else { "TEMPORARY" },
            months: match app.draft.kind {
                domain::RegistrationKind::Temporary { months } => Some(months),
                domain::RegistrationKind::Permanent => None,
            },
            requested_at: c.requested_at,
            expires_at: c.expires_at,
        })
        .collect();
    out.sort_by_key(|p| p.expires_at);
    Ok(json(200, &serde_json::json!({ "items": out })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionForm {
    decision: String,
}

async fn decide(deps: &Deps, req: Request, id: &str) -> Result<HttpResponse, Problem> {
    let owner = caller_iin(&req)?;
    let form: DecisionForm = json_body(&req)?;
    let decision = match form.decision.as_str() {
        "APPROVE" => ConsentDecision::Approve,
        "DECLINE" => ConsentDecision::Decline,
        _ => return Err(Problem::invalid_field("decision", "DECISION_VALUES", "decision is APPROVE or DECLINE")),
    };
    let id = ConsentId::parse(id).ok_or_else(|| Problem::not_found("consent"))?;
    let consent = deps.consents.find(&id).await.map_err(unavailable)?;
    let consent = consent.filter(|c| c.owner == owner).ok_or_else(|| Problem::not_found("consent"))?;
    match answer(deps, &consent, decision, ConsentChannel::App, None).await.map_err(unavailable)? {
        Answer::Recorded(status) | Answer::ToldAgain(status) => {
            Ok(json(200, &serde_json::json!({ "consentId": id.to_string(), "status": status })))
        }
        // Recorded, not passed on: not "nothing was changed". The app sends the same answer again, which tells
        // the workflow (the repeated answer of `answer`).
        Answer::RecordedNotPassedOn(status) => Err(Problem::new(
            ProblemKind::Unavailable,
            "your answer is recorded but could not be passed on yet; send the same answer again in a minute",
        )
        .with("dependency", http_edge::Dependency::Workflow.as_str())
        .with("consentStatus", status.as_str())),
        // The app's answers carry no message id: only an SMS can be redelivered.
        Answer::AlreadyAnswered | Answer::Redelivered => {
            Err(Problem::new(ProblemKind::ConsentAlreadyAnswered, "this consent request has been answered already"))
        }
        Answer::Expired => Err(Problem::new(
            ProblemKind::ConsentExpired,
            "the hour to answer has passed, or the application has ended",
        )
        .with("consentStatus", ConsentStatus::Expired.as_str())),
        Answer::Withdrawn => Err(Problem::new(
            ProblemKind::ConsentWithdrawn,
            "the applicant withdrew the application; no answer is needed",
        )
        .with("consentStatus", ConsentStatus::Closed.as_str())),
    }
}
