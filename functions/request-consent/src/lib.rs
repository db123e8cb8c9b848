//! Workflow step `AwaitOwnerConsent` (invoked with a task token): stores the token with a fresh one-time
//! code (hashed) and the expiry, and sends the owner the request from 1414. The workflow then waits for
//! record-reply to answer the token, or times out after one hour.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "request-consent",
    triggers: &[domain::function::Trigger::WorkflowStep { arn_substitution: "RequestConsentFunctionArn" }],
};

use chrono::Duration;
use domain::clock::Clock;
use domain::errors::StepError;
use domain::ports::{ApplicationStore, ConsentStore, MarkRequested, Registries, SmsSender, TimelineStore};
use domain::rate_limits::RateLimits;
use domain::steps::ConsentTaskInput;
use domain::texts::sms::Template;
use domain::{CodeKey, ConsentStatus, OneTimeCode, TimelineEntry};
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registries: Arc<dyn Registries>,
    pub sms: Arc<dyn SmsSender>,
    pub timeline: Arc<dyn TimelineStore>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn domain::ports::Metrics>,
    /// What consent codes are hashed with.
    pub code_key: Arc<CodeKey>,
    pub limits: RateLimits,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            consents: src.consents()?,
            registries: src.registries()?,
            sms: src.sms()?,
            timeline: src.timeline()?,
            clock: src.clock(),
            metrics: src.metrics(),
            code_key: src.code_key()?,
            limits: src.policy().rate_limits,
        })
    }
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
    // Never marked before (the first attempt, or every earlier one failed before its write): only then is the
    // request counted against the owner's limits. A retry after an SMS outage is the same request.
    let first_time = consent.first_attempt_at.is_none();
    let first_attempt = consent.first_attempt_at.unwrap_or(now);
    if now >= first_attempt + window {
        tracing::warn!(consent_id = %consent.id, "the consent request could not be texted within the window");
        return Err(StepError::ConsentRequestUndelivered);
    }
    consent.first_attempt_at = Some(first_attempt);
    // The consent names the registrant, the applicant, the address and the kind. One created by an older
    // check-eligibility (still in flight while a deployment rolls out) does not: then the application does.
    let (registrant_iin, applicant, rka, kind) =
        match (&consent.registrant, &consent.applicant, &consent.rka, consent.kind) {
            (Some(registrant), Some(applicant), Some(rka), Some(kind)) => {
                (registrant.clone(), applicant.clone(), rka.clone(), kind)
            }
            _ => {
                let app = deps
                    .applications
                    .get(&input.application_id)
                    .await?
                    .ok_or_else(|| StepError::ApplicationNotFound(input.application_id.to_string()))?;
                (app.draft.registrant, app.applicant, app.draft.address, app.draft.kind)
            }
        };
    let people =
        deps.registries.lookup(&[registrant_iin.clone(), consent.owner.clone()], std::slice::from_ref(&rka)).await?;
    let registrant = people.person(&registrant_iin).cloned();
    let owner = people.person(&consent.owner).cloned();
    let address = people.property(&rka).map(|p| p.address.clone());
    let code = OneTimeCode::generate();
    consent.task_token = Some(input.task_token);
    consent.code_hash = Some(code.hash(&deps.code_key, consent.id.as_str()));
    consent.owner_phone = owner.as_ref().and_then(|o| o.bmg_phone.clone());
    consent.requested_at = Some(now);
    consent.expires_at = Some(now + Duration::seconds(i64::from(input.timeout_seconds)));
    // The owner's phone counts every request texted to it: per applicant and in all, in the same transaction
    // as the request (an owner without a BMG phone is asked in the app only, and is not texted). Found by the
    // fault matrix: counting each retry of one request made a 10-minute SMS outage end OWNER_ASKED_TOO_OFTEN.
    let limits = match &consent.owner_phone {
        Some(phone) if first_time => deps.limits.consent_request(phone, &applicant, now),
        _ => vec![],
    };
    match deps.consents.mark_requested(&consent, &limits).await? {
        MarkRequested::Marked => {}
        MarkRequested::Closed => return Ok(serde_json::json!({})),
        MarkRequested::Limited(hit) => {
            tracing::warn!(consent_id = %consent.id, limit = hit.limit.as_str(), "owner asked too often: not texted");
            deps.metrics.record(domain::metrics::Metric::Limited(hit.limit));
            return Err(StepError::OwnerAskedTooOften);
        }
    }
    let detail = match (&owner, &consent.owner_phone) {
        (Some(owner), Some(phone)) => {
            let name = registrant.as_ref().map(|r| r.short_name()).unwrap_or_default();
            let lang = owner.language;
            let address = address.as_ref().map(|a| a.short(lang)).unwrap_or_else(|| rka.to_string());
            let template = Template::ConsentRequest { registrant: &name, address: &address, kind, code: code.reveal() };
            let message = template.render(lang);
            deps.sms.send(phone, &message).await?;
            domain::TimelineFacts::OwnerAsked { owner: consent.owner.masked(), by_sms: true }
        }
        _ => domain::TimelineFacts::OwnerAsked { owner: consent.owner.masked(), by_sms: false },
    };
    deps.timeline
        .append(&consent.application_id, TimelineEntry::of(now, domain::TimelineEvent::ConsentRequested, detail))
        .await?;
    tracing::info!(consent_id = %consent.id, "consent requested");
    deps.metrics.record(domain::metrics::Metric::ConsentRequested);
    Ok(serde_json::json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Consent, ConsentId, Status};
    use test_kit::*;

    const EVENT: &str = include_str!("../../../events/request-consent/owner-consent.json");

    fn deps(w: &World) -> Deps {
        Deps::from_ports(w).expect("the world has every port")
    }

    async fn seed(w: &World, owner: &str) -> ConsentTaskInput {
        let input: ConsentTaskInput = serde_json::from_str(EVENT).expect("event");
        let mut app = application(DAULET, DAULET, FLAT_AIGERIM);
        app.id = input.application_id.clone();
        app.status = Status::AwaitingConsent;
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        let mut consent = Consent::new(input.application_id.clone(), iin(owner));
        consent.id = input.consent_id.clone();
        w.store.create_all(&[consent]).await.expect("consent");
        input
    }

    #[tokio::test]
    async fn stores_token_and_hashed_code_and_texts_the_owner_where_who_and_how_long() {
        let w = World::new();
        let input = seed(&w, AIGERIM).await;
        handle(&deps(&w), input.clone()).await.expect("ok");
        let sms = w.outbox.messages(None);
        assert_eq!((sms.len(), sms[0].to.as_str(), sms[0].parts), (1, "+77010000001", 2));
        // Issue #13: the address in words and the kind, in Aigerim's Kazakh; the registrant masked as before.
        let text = &sms[0].text;
        assert!(text.starts_with("Тіркеу: Serikov D., Astana, Mangilik El 10, 1-пәтер, тұрақты. ИӘ "), "{text}");
        let code: String = sms[0].text.split("ИӘ ").nth(1).expect("code").chars().take(6).collect();
        let stored = ConsentStore::get(w.store.as_ref(), &input.application_id, &input.consent_id)
            .await
            .expect("store")
            .expect("consent");
        assert_eq!(stored.task_token.as_deref(), Some(input.task_token.as_str()));
        let code = OneTimeCode::parse(&code).expect("code");
        assert!(stored.code_hash.as_ref().expect("hash").matches(&w.code_key, input.consent_id.as_str(), &code));
        assert_eq!(stored.expires_at, Some(now() + Duration::seconds(3600)));
    }

    /// An application of DAULET's for `registrant` at AIGERIM's flat, awaiting her consent.
    async fn asking_aigerim(w: &World, registrant: &str) -> ConsentTaskInput {
        let mut input: ConsentTaskInput = serde_json::from_str(EVENT).expect("event");
        let mut app = application(DAULET, registrant, FLAT_AIGERIM);
        app.status = Status::AwaitingConsent;
        w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
        let consent = Consent::of_owner(&app, 0, iin(AIGERIM));
        w.store.create_all(std::slice::from_ref(&consent)).await.expect("consent");
        input.application_id = app.id;
        input.consent_id = consent.id;
        input
    }

    /// Issue #11, item 4: submit + withdraw in a loop texted one owner 20 consent requests in 3.4 s.
    #[tokio::test]
    async fn the_owners_phone_is_texted_at_most_the_limit_and_then_the_step_fails_by_name() {
        let w = World::new();
        let mut d = deps(&w);
        d.limits.consent_requests_per_owner_from_applicant_per_hour = 2;
        handle(&d, asking_aigerim(&w, DAULET).await).await.expect("first");
        handle(&d, asking_aigerim(&w, YERLAN).await).await.expect("second");
        let third = asking_aigerim(&w, JOHN).await;
        assert_eq!(handle(&d, third.clone()).await.expect_err("limited").error_type(), "OwnerAskedTooOften");
        let stored = ConsentStore::get(w.store.as_ref(), &third.application_id, &third.consent_id).await;
        assert_eq!(stored.expect("get").expect("consent").task_token, None, "nothing recorded");
        assert_eq!(w.outbox.messages(None).len(), 2, "two texts, not three");
        assert_eq!(w.metrics.total("RequestsLimited"), 1.0);
        w.clock.advance(Duration::hours(1));
        handle(&d, third).await.expect("the next hour counts afresh");
        assert_eq!(w.outbox.messages(None).len(), 3);
    }

    #[tokio::test]
    async fn unknown_consent_is_a_named_error() {
        let w = World::new();
        let mut input: ConsentTaskInput = serde_json::from_str(EVENT).expect("event");
        input.consent_id = ConsentId::new();
        assert_eq!(handle(&deps(&w), input).await.expect_err("missing").error_type(), "ConsentNotFound");
    }
}
