//! `POST /signing-codes`: sends a one-time code from 1414 to the applicant's BMG phone. The code signs
//! exactly the form it was requested for (by digest), expires in 5 minutes and allows 3 attempts.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "signing-code",
    triggers: &[domain::function::Trigger::Route("POST /signing-codes", domain::function::EdgeLimit::DECISIONS)],
};

use chrono::Duration;
use domain::clock::Clock;
use domain::eligibility::may_apply_for;
use domain::metrics::Metric;
use domain::ports::{ApplicationStore, Metrics, Registries, SigningRequest, SigningStore, SmsSender};
use domain::rate_limits::RateLimits;
use domain::signing::{CODE_ATTEMPTS, CODE_LIFETIME_SECONDS};
use domain::texts::sms::Template;
use domain::{CodeKey, OneTimeCode, SigningRequestId};
use http_edge::ProblemKind;
use http_edge::{caller_iin, json, json_body, ApplicationForm, HttpResponse, Problem};
use lambda_http::Request;
use serde::Serialize;
use std::sync::Arc;

pub struct Deps {
    pub registries: Arc<dyn Registries>,
    /// Read only: whether the registrant already has an open application.
    pub applications: Arc<dyn ApplicationStore>,
    pub signing: Arc<dyn SigningStore>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn Metrics>,
    /// What signing codes are hashed with.
    pub code_key: Arc<CodeKey>,
    pub limits: RateLimits,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            registries: src.registries()?,
            applications: src.applications()?,
            signing: src.signing()?,
            sms: src.sms()?,
            clock: src.clock(),
            metrics: src.metrics(),
            code_key: src.code_key()?,
            limits: src.policy().rate_limits,
        })
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SigningCodeSent {
    pub signing_request_id: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub attempts: u8,
    /// Masked: `+7 701 *** ** 67`.
    pub sent_to: String,
}

/// When to ask again after the SMS service failed (`Retry-After` of the 503).
pub const SMS_RETRY_AFTER_SECONDS: u64 = 60;

#[tracing::instrument(name = "signing-code", skip_all, fields(function = "signing-code", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    run(deps, req).await.unwrap_or_else(|p| p.respond(lang))
}

/// Refusals come before anything is stored or sent, in this order: not authorised for the registrant (403),
/// no BMG phone (422), an open application (409, signing now would be in vain), a limit (429).
async fn run(deps: &Deps, req: Request) -> Result<HttpResponse, Problem> {
    let applicant = caller_iin(&req)?;
    let form: ApplicationForm = json_body(&req)?;
    form.refuse_signature()?;
    let now = deps.clock.now();
    let draft = form.parse(now.date_naive())?;
    let people = deps.registries.lookup(&[applicant.clone(), draft.registrant.clone()], &[]).await?;
    if !may_apply_for(&applicant, &draft.registrant, people.person(&draft.registrant), now.date_naive()) {
        return Err(Problem::not_authorised_for_registrant());
    }
    let Some((phone, language)) =
        people.person(&applicant).and_then(|p| p.bmg_phone.clone().map(|ph| (ph, p.language)))
    else {
        return Err(Problem::new(ProblemKind::NoBmgPhone, domain::ReasonCode::NoBmgPhone.message())
            .with("reasonCode", "NO_BMG_PHONE"));
    };
    if let Some(open) = deps.applications.open_for(&draft.registrant).await? {
        return Err(Problem::open_application(&open));
    }
    let code = OneTimeCode::generate();
    let id = SigningRequestId::new();
    let request = SigningRequest {
        code_hash: code.hash(&deps.code_key, id.as_str()),
        id,
        applicant: applicant.clone(),
        digest: draft.digest(&applicant),
        expires_at: now + Duration::seconds(CODE_LIFETIME_SECONDS),
        attempts_left: CODE_ATTEMPTS,
        used: false,
        used_by: None,
        used_for_key: None,
    };
    let limits = deps.limits.signing_code(&applicant, &phone, now);
    if let Some(hit) = deps.signing.put(&request, &limits).await? {
        deps.metrics.record(Metric::Limited(hit.limit));
        return Err(Problem::limited(&hit, now));
    }
    let message = Template::SigningCode { code: code.reveal() }.render(language);
    if let Err(e) = deps.sms.send(&phone, &message).await {
        // A code that did not go costs the applicant nothing: the request is taken back and its counts given
        // back in one transaction, and the answer says when to ask again.
        match deps.signing.withdraw(&request, &limits).await {
            Ok(true) => {
                tracing::info!(signing_request_id = %request.id, "code not sent; request and counts given back")
            }
            Ok(false) => {
                tracing::warn!(signing_request_id = %request.id, "code not sent; the request was not found to give back")
            }
            Err(w) => tracing::warn!(error = %w, "code not sent; its counts could not be given back"),
        }
        let mut problem = Problem::from(e);
        problem.retry_after = Some(SMS_RETRY_AFTER_SECONDS);
        return Err(problem);
    }
    tracing::info!(signing_request_id = %request.id, "signing code sent");
    Ok(json(
        201,
        &SigningCodeSent {
            signing_request_id: request.id.to_string(),
            expires_at: request.expires_at,
            attempts: CODE_ATTEMPTS,
            sent_to: phone.masked(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use test_kit::*;

    const EVENT: &str = include_str!("../../../events/signing-code/daulet-at-aigerims-flat.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    #[tokio::test]
    async fn sends_a_code_that_is_stored_only_hashed() {
        let w = World::new();
        let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
        assert_eq!(resp.status(), 201);
        let body = response_json(&resp);
        assert_eq!(body["sentTo"], "+7 701 *** ** 02");
        let sms = w.outbox.messages(None);
        assert_eq!(sms.len(), 1);
        assert_eq!((sms[0].from, sms[0].to.as_str(), sms[0].parts), ("1414", "+77010000002", 1));
        let code: String = sms[0].text.chars().filter(char::is_ascii_digit).collect();
        let id = SigningRequestId::parse(body["signingRequestId"].as_str().expect("id")).expect("id");
        let stored = SigningStore::get(w.store.as_ref(), &id).await.expect("store").expect("stored");
        assert!(stored.code_hash.matches(&w.code_key, id.as_str(), &OneTimeCode::parse(&code).expect("code")));
        assert!(!serde_json::to_string(&stored).expect("json").contains(&code));
        assert!(sms[0].text.contains("Код"), "Daulet reads Russian: {}", sms[0].text);
    }

    #[tokio::test]
    async fn no_bmg_phone_is_refused_and_nothing_is_sent() {
        let w = World::new();
        let req = api_request(EVENT, |v| {
            as_caller(v, SAULE);
            with_body(
                v,
                json!({"registrantIin": SAULE, "rka": FLAT_AIGERIM, "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
            );
        });
        let resp = handle(&deps(&w), req).await;
        assert_eq!(resp.status(), 422);
        assert_eq!(response_json(&resp)["reasonCode"], "NO_BMG_PHONE");
        assert!(w.outbox.messages(None).is_empty());
    }

    #[tokio::test]
    async fn a_signature_in_the_form_is_refused() {
        let w = World::new();
        let req = api_request(EVENT, |v| {
            let mut body: serde_json::Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
            body["signature"] = json!({"method": "SMS_CODE", "signingRequestId": "x", "code": "1"});
            with_body(v, body);
        });
        let resp = handle(&deps(&w), req).await;
        assert_eq!(resp.status(), 400);
        assert_eq!(response_json(&resp)["field"], "signature");
    }

    /// Issue #11, item 2: 100 requests in a burst sent 100 SMS to one phone.
    #[tokio::test]
    async fn a_burst_is_cut_at_the_limit_with_a_429_that_says_when_and_changes_nothing() {
        let w = World::new();
        let d = deps(&w);
        let mut statuses = Vec::new();
        for _ in 0..7 {
            statuses.push(handle(&d, api_request(EVENT, |_| {})).await.status());
        }
        assert_eq!(statuses, [201, 201, 201, 201, 201, 429, 429]);
        let resp = handle(&d, api_request(EVENT, |_| {})).await;
        assert_eq!(resp.headers()["retry-after"], "900", "the 15-minute window began at 09:00");
        assert_eq!(response_json(&resp)["rule"], "SIGNING_CODES_PER_APPLICANT_15_MIN");
        assert_eq!(w.outbox.messages(None).len(), 5, "five texts, not eight");
        assert_eq!(w.metrics.total("RequestsLimited"), 3.0);
        w.clock.advance(chrono::Duration::minutes(15));
        assert_eq!(handle(&d, api_request(EVENT, |_| {})).await.status(), 201, "free again when the window ends");
    }

    /// Issue #11, item 3: naming an unrelated adult is refused before anything is stored or sent.
    #[tokio::test]
    async fn a_stranger_is_refused_403_before_any_text() {
        let w = World::new();
        let req = api_request(EVENT, |v| {
            with_body(
                v,
                json!({"registrantIin": AIGERIM, "rka": FLAT_AIGERIM, "kind": "PERMANENT", "reason": "OTHER", "movedInOn": "2026-11-20"}),
            );
        });
        let resp = handle(&deps(&w), req).await;
        assert_eq!(resp.status(), 403);
        assert_eq!(response_json(&resp)["rule"], "NOT_AUTHORISED_FOR_REGISTRANT");
        assert!(w.outbox.messages(None).is_empty());
    }

    /// Issue #11, item 5: nobody is sent a code for a form that would get 409.
    #[tokio::test]
    async fn an_open_application_is_told_before_a_code_is_sent() {
        let w = World::new();
        let open = application(DAULET, DAULET, FLAT_AIGERIM);
        w.store.create(&open, &[], &domain::ports::Admission::default()).await.expect("create");
        let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
        assert_eq!(resp.status(), 409);
        assert_eq!(response_json(&resp)["openApplicationId"], open.id.to_string());
        assert!(w.outbox.messages(None).is_empty());
    }
}
