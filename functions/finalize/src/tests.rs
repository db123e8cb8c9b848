use super::*;
use shared::domain::{Consent, ReasonCode, RegistrationStatus};
use shared::ports::TimelineStore;
use shared::testing::*;

fn deps(w: &World) -> Deps {
    Deps {
        applications: w.store.clone(),
        consents: w.store.clone(),
        registrations: w.store.clone(),
        registries: w.registries.clone(),
        sms: w.outbox.clone(),
        clock: w.clock.clone(),
        metrics: w.metrics.clone(),
        address_review: shared::review::AddressReview::default(),
    }
}

fn input(event: &str) -> FinalizeInput {
    serde_json::from_str(event).expect("event")
}

async fn seed(
    w: &World,
    input: &FinalizeInput,
    registrant: &str,
    rka: &str,
    consent: Option<(&str, ConsentStatus)>,
) -> Application {
    let mut app = application(registrant, registrant, rka);
    app.id = input.application_id.clone();
    app.status = Status::AwaitingConsent;
    w.store.create(&app, &[]).await.expect("create");
    if let Some((owner, status)) = consent {
        let mut c = Consent::new(app.id.clone(), iin(owner));
        c.status = status;
        w.store.create_all(&[c]).await.expect("consent");
    }
    app
}

#[tokio::test]
async fn approved_consent_registers_and_texts_person_and_owner() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!(out.status, Status::Registered);
    let regs = w.store.for_registrant(&iin(DAULET)).await.expect("regs");
    assert_eq!((regs.len(), regs[0].status, regs[0].valid_to), (1, RegistrationStatus::Active, None));
    let to: Vec<String> = w.outbox.messages(None).iter().map(|m| m.to.clone()).collect();
    assert_eq!(to, vec!["+77010000002", "+77010000001"], "registrant, then owner");
    assert!(w.outbox.messages(None).iter().all(|m| m.parts == 1));
    let again = handle(&deps(&w), i).await.expect("retry");
    assert_eq!(again.status, Status::Registered);
    assert_eq!(w.outbox.messages(None).len(), 2, "a retry sends nothing twice");
}

#[tokio::test]
async fn a_new_permanent_registration_closes_the_previous_one_and_tells_its_owner() {
    let w = World::new();
    let first = input(include_str!("../../../events/finalize/eligible.json"));
    seed(&w, &first, DAULET, FLAT_DAULET, None).await;
    handle(&deps(&w), first).await.expect("first");
    let mut second = input(include_str!("../../../events/finalize/consents-approved.json"));
    second.application_id = shared::domain::ApplicationId::new();
    seed(&w, &second, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    handle(&deps(&w), second).await.expect("second");
    let regs = w.store.for_registrant(&iin(DAULET)).await.expect("regs");
    let statuses: Vec<_> = regs.iter().map(|r| (r.address.to_string(), r.status)).collect();
    assert_eq!(
        statuses,
        vec![
            (FLAT_DAULET.to_string(), RegistrationStatus::Closed),
            (FLAT_AIGERIM.to_string(), RegistrationStatus::Active)
        ]
    );
    assert_eq!(regs[0].valid_to, now().date_naive().pred_opt());
}

#[tokio::test]
async fn timeout_cancels_with_consent_expired_and_expires_pending_consents() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-expired.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Pending))).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::ConsentExpired)));
    let consents = w.store.for_application(&i.application_id).await.expect("consents");
    assert_eq!(consents[0].status, ConsentStatus::Expired);
    assert!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").is_empty());
    let timeline = w.store.list(&i.application_id).await.expect("timeline");
    assert_eq!((timeline[0].event.as_str(), timeline[0].detail.as_deref()), ("CANCELLED", Some("CONSENT_EXPIRED")));
}

#[tokio::test]
async fn decline_rejects_with_consent_declined() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consent-declined.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Declined))).await;
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Rejected, Some(ReasonCode::ConsentDeclined)));
}

#[tokio::test]
async fn any_other_error_fails_the_application_visibly() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/record-failure.json"));
    seed(&w, &i, DAULET, FLAT_AIGERIM, None).await;
    let out = handle(&deps(&w), i.clone()).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Failed, Some(ReasonCode::WorkflowError)));
    let timeline = w.store.list(&i.application_id).await.expect("timeline");
    assert_eq!(timeline[0].detail.as_deref(), Some("error StoreUnavailable"));
}

#[tokio::test]
async fn rejected_keeps_the_eligibility_reasons() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/rejected.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, None).await;
    w.store
        .set_status(&app, &Status::OPEN, Status::Submitted, &[ReasonCode::NotACitizen], now(), &[])
        .await
        .expect("reasons");
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Rejected, Some(ReasonCode::NotACitizen)));
}

#[tokio::test]
async fn a_withdrawn_application_is_left_as_it_is() {
    let w = World::new();
    let i = input(include_str!("../../../events/finalize/consents-approved.json"));
    let app = seed(&w, &i, DAULET, FLAT_AIGERIM, Some((AIGERIM, ConsentStatus::Approved))).await;
    w.store
        .set_status(&app, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now(), &[])
        .await
        .expect("withdraw");
    let out = handle(&deps(&w), i).await.expect("ok");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::Withdrawn)));
    assert!(w.store.for_registrant(&iin(DAULET)).await.expect("regs").is_empty());
}
