//! Workflow step `AwaitOwnerConsent` (invoked with a task token): stores the token with a fresh one-time
//! code (hashed) and the expiry, and sends the owner the request from 1414. The workflow then waits for
//! record-reply to answer the token, or times out after one hour.

use chrono::Duration;
use shared::clock::Clock;
use shared::domain::{ConsentStatus, OneTimeCode, TimelineEntry};
use shared::errors::StepError;
use shared::ports::{ApplicationStore, ConsentStore, Registries, SmsSender, TimelineStore};
use shared::sms::Template;
use shared::steps::ConsentTaskInput;
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registries: Arc<dyn Registries>,
    pub sms: Arc<dyn SmsSender>,
    pub timeline: Arc<dyn TimelineStore>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn shared::ports::Metrics>,
}

#[tracing::instrument(name = "request-consent", skip_all, fields(function = "request-consent", applicationId = %input.application_id, executionName = %input.application_id))]
pub async fn handle(deps: &Deps, input: ConsentTaskInput) -> Result<serde_json::Value, StepError> {
    let mut consent = deps
        .consents
        .get(&input.application_id, &input.consent_id)
        .await?
        .ok_or_else(|| StepError::ConsentNotFound(input.consent_id.to_string()))?;
    if consent.application_id != input.application_id {
        return Err(StepError::InvalidStepInput("the consent belongs to another application".into()));
    }
    if consent.status != ConsentStatus::Pending {
        return Ok(serde_json::json!({}));
    }
    // An SMS outage is retried by the state machine (with backoff) for as long as the window lasts, counted
    // from the first attempt; then the application ends with a reason that says so. The owner's hour runs
    // from the attempt that texted them (the wait's timeout restarts with each attempt, as expiresAt does).
    let now = deps.clock.now();
    let window = Duration::seconds(i64::from(input.timeout_seconds));
    let first_attempt = consent.first_attempt_at.unwrap_or(now);
    if now >= first_attempt + window {
        tracing::warn!(consent_id = %consent.id, "the consent request could not be texted within the window");
        return Err(StepError::ConsentRequestUndelivered);
    }
    consent.first_attempt_at = Some(first_attempt);
    // The consent names the registrant. One created by an older check-eligibility (still in flight while a
    // deployment rolls out) does not: then the application says who it is.
    let registrant_iin = match &consent.registrant {
        Some(iin) => iin.clone(),
        None => {
            deps.applications
                .get(&input.application_id)
                .await?
                .ok_or_else(|| StepError::ApplicationNotFound(input.application_id.to_string()))?
                .draft
                .registrant
        }
    };
    let people = deps.registries.lookup(&[registrant_iin.clone(), consent.owner.clone()], &[]).await?;
    let registrant = people.person(&registrant_iin).cloned();
    let owner = people.person(&consent.owner).cloned();
    let code = OneTimeCode::generate();
    consent.task_token = Some(input.task_token);
    consent.code_hash = Some(code.hash());
    consent.owner_phone = owner.as_ref().and_then(|o| o.bmg_phone.clone());
    consent.requested_at = Some(now);
    consent.expires_at = Some(now + Duration::seconds(i64::from(input.timeout_seconds)));
    if !deps.consents.mark_requested(&consent).await? {
        return Ok(serde_json::json!({}));
    }
    let detail = match (&owner, &consent.owner_phone) {
        (Some(owner), Some(phone)) => {
            let name = registrant.as_ref().map(|r| r.short_name()).unwrap_or_default();
            let message = Template::ConsentRequest { registrant: &name, code: code.reveal() }.render(owner.language);
            deps.sms.send(phone, &message).await?;
            format!("owner {} asked by SMS from 1414 and in the app", consent.owner.masked())
        }
        _ => format!("owner {} has no BMG phone: asked in the app only", consent.owner.masked()),
    };
    deps.timeline.append(&consent.application_id, TimelineEntry::new(now, "CONSENT_REQUESTED", Some(detail))).await?;
    tracing::info!(consent_id = %consent.id, "consent requested");
    deps.metrics.record(shared::metrics::Metric::ConsentRequested);
    Ok(serde_json::json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::domain::{Consent, ConsentId, Status};
    use shared::testing::*;

    const EVENT: &str = include_str!("../../../events/request-consent/owner-consent.json");

    fn deps(w: &World) -> Deps {
        Deps {
            applications: w.store.clone(),
            consents: w.store.clone(),
            registries: w.registries.clone(),
            sms: w.outbox.clone(),
            timeline: w.store.clone(),
            clock: w.clock.clone(),
            metrics: w.metrics.clone(),
        }
    }

    async fn seed(w: &World, owner: &str) -> ConsentTaskInput {
        let input: ConsentTaskInput = serde_json::from_str(EVENT).expect("event");
        let mut app = application(DAULET, DAULET, FLAT_AIGERIM);
        app.id = input.application_id.clone();
        app.status = Status::AwaitingConsent;
        w.store.create(&app, &[]).await.expect("create");
        let mut consent = Consent::new(input.application_id.clone(), iin(owner));
        consent.id = input.consent_id.clone();
        w.store.create_all(&[consent]).await.expect("consent");
        input
    }

    #[tokio::test]
    async fn stores_token_and_hashed_code_and_texts_the_owner_in_one_part() {
        let w = World::new();
        let input = seed(&w, AIGERIM).await;
        handle(&deps(&w), input.clone()).await.expect("ok");
        let sms = w.outbox.messages(None);
        assert_eq!((sms.len(), sms[0].to.as_str(), sms[0].parts), (1, "+77010000001", 1));
        assert!(sms[0].text.contains("Serikov D."), "{}", sms[0].text);
        let code: String = sms[0].text.split("ИӘ ").nth(1).expect("code").chars().take(6).collect();
        let stored = ConsentStore::get(w.store.as_ref(), &input.application_id, &input.consent_id)
            .await
            .expect("store")
            .expect("consent");
        assert_eq!(stored.task_token.as_deref(), Some(input.task_token.as_str()));
        assert!(stored.code_hash.as_ref().expect("hash").matches(&OneTimeCode::parse(&code).expect("code")));
        assert_eq!(stored.expires_at, Some(now() + Duration::seconds(3600)));
    }

    #[tokio::test]
    async fn unknown_consent_is_a_named_error() {
        let w = World::new();
        let mut input: ConsentTaskInput = serde_json::from_str(EVENT).expect("event");
        input.consent_id = ConsentId::new();
        assert_eq!(handle(&deps(&w), input).await.expect_err("missing").error_type(), "ConsentNotFound");
    }
}
