//! `POST /signing-codes`: sends a one-time code from 1414 to the applicant's BMG phone. The code signs
//! exactly the form it was requested for (by digest), expires in 5 minutes and allows 3 attempts.

use chrono::Duration;
use lambda_http::Request;
use serde::Serialize;
use shared::api::{caller_iin, json, json_body, ApplicationForm, HttpResponse, Problem};
use shared::clock::Clock;
use shared::domain::{OneTimeCode, SigningRequestId};
use shared::ports::{Registries, SigningRequest, SigningStore, SmsSender};
use shared::signing::{CODE_ATTEMPTS, CODE_LIFETIME_SECONDS};
use shared::sms::Template;
use std::sync::Arc;

pub struct Deps {
    pub registries: Arc<dyn Registries>,
    pub signing: Arc<dyn SigningStore>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
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

#[tracing::instrument(name = "signing-code", skip_all, fields(function = "signing-code", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    run(deps, req).await.unwrap_or_else(Problem::into_response)
}

async fn run(deps: &Deps, req: Request) -> Result<HttpResponse, Problem> {
    let applicant = caller_iin(&req)?;
    let form: ApplicationForm = json_body(&req)?;
    form.refuse_signature()?;
    let now = deps.clock.now();
    let draft = form.parse(now.date_naive())?;
    let person = deps.registries.person(&applicant).await.map_err(Problem::from)?;
    let Some((phone, language)) = person.and_then(|p| p.bmg_phone.map(|ph| (ph, p.language))) else {
        return Err(Problem::new(
            422,
            "no-bmg-phone",
            "No phone in the Mobile Citizens Database",
            shared::domain::ReasonCode::NoBmgPhone.message(),
        )
        .with("reasonCode", "NO_BMG_PHONE"));
    };
    let code = OneTimeCode::generate();
    let request = SigningRequest {
        id: SigningRequestId::new(),
        applicant: applicant.clone(),
        digest: draft.digest(&applicant),
        code_hash: code.hash(),
        expires_at: now + Duration::seconds(CODE_LIFETIME_SECONDS),
        attempts_left: CODE_ATTEMPTS,
        used: false,
        used_for_key: None,
    };
    deps.signing.put(&request).await.map_err(Problem::from)?;
    let message = Template::SigningCode { code: code.reveal() }.render(language);
    deps.sms.send(&phone, &message).await.map_err(Problem::from)?;
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
    use shared::testing::*;

    const EVENT: &str = include_str!("../../../events/signing-code/daulet-at-aigerims-flat.json");

    fn deps(w: &World) -> Deps {
        Deps {
            registries: w.registries.clone(),
            signing: w.store.clone(),
            sms: w.outbox.clone(),
            clock: w.clock.clone(),
        }
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
        let stored = w.store.get(&id).await.expect("store").expect("stored");
        assert!(stored.code_hash.matches(&OneTimeCode::parse(&code).expect("code")));
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
}
