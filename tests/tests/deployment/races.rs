//! Issue #10: races proved with a deterministic interleaving over the DynamoDB adapter (moto): finalize is
//! parked between its read of the application and its registration write while a withdrawal commits; and
//! two co-owners answering at once. (Moto's transactions are not atomic under real concurrency, so the
//! interleaving, not a flood of parallel requests, is the proof. The crossing withdraw-and-approve rounds run
//! on the embedded store only: over moto, under load, about one run in five showed a withdrawal's transaction
//! applied in part — the status CANCELLED written, its timeline entry and the lock's delete not — which is
//! moto's non-atomic transactions, not a behaviour DynamoDB has.)

use e2e::*;
use shared::adapters::memory::SmsOutbox;
use shared::domain::{Consent, ConsentStatus, ReasonCode, Status};
use shared::ports::{ApplicationStore, ConsentStore, RegistrationStore, TimelineStore, Transition};
use shared::steps::{FinalizeInput, StepDecision};
use shared::testing::interleaving::{Gate, PausedRegistrations};
use std::sync::Arc;

#[tokio::test]
async fn a_withdrawal_in_finalize_s_window_leaves_nothing_registered_over_dynamodb() {
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let aws = app.stack.shared.stack.aws.as_ref().expect("AWS backend").clients("finalize");
    let store = aws.store().expect("store");
    let outbox = Arc::new(SmsOutbox::new(Arc::new(shared::clock::SystemClock)));
    let mut application = shared::testing::application(DAULET, DAULET, FLAT_AIGERIM);
    application.status = Status::AwaitingConsent;
    store.create(&application, &[]).await.expect("create");
    let mut consent = Consent::new(application.id.clone(), shared::testing::iin(AIGERIM));
    consent.status = ConsentStatus::Approved;
    store.create_all(&[consent]).await.expect("consent");

    let gate = Gate::armed();
    let deps = finalize::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registrations: Arc::new(PausedRegistrations { inner: store.clone(), gate: gate.clone() }),
        registries: aws.registries().expect("registries"),
        sms: outbox.clone(),
        clock: Arc::new(shared::clock::SystemClock),
        metrics: Arc::new(shared::adapters::memory::MemoryMetrics::default()),
        address_review: Default::default(),
    };
    let input = FinalizeInput {
        application_id: application.id.clone(),
        decision: Some(StepDecision::ConsentRequired),
        error: None,
    };
    let finalizing = tokio::spawn(async move { finalize::handle(&deps, input).await });
    gate.reached().await;
    let now = chrono::Utc::now();
    let cancelled = shared::domain::TimelineEntry::new(now, "CANCELLED", Some("WITHDRAWN".into()));
    let withdrawn = store
        .set_status(&application, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now, &[cancelled])
        .await;
    assert!(matches!(withdrawn.expect("withdraw"), Transition::Done(_)));
    gate.release();
    let out = finalizing.await.expect("joined").expect("finalize ends without error");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::Withdrawn)));
    assert!(store.for_registrant(&shared::testing::iin(DAULET)).await.expect("regs").is_empty(), "no registration");
    assert!(outbox.messages(None).is_empty(), "no text");
    let events: Vec<String> = store.list(&application.id).await.expect("tl").into_iter().map(|e| e.event).collect();
    assert_eq!(events, ["CANCELLED"]);
}

#[tokio::test]
async fn two_co_owners_answering_at_once_register_once_over_dynamodb() {
    two_co_owners_answering_at_once_register_once(&spawn_app_on_aws(&crate::moto_endpoint()).await).await;
}

/// Issue #10, item 6, over DynamoDB: the first request parked before it stores the application, its retry
/// (same key) arriving then, gets that application.
#[tokio::test]
async fn a_retry_arriving_while_the_first_is_storing_gets_its_application_over_dynamodb() {
    use shared::domain::{OneTimeCode, SigningRequestId};
    use shared::ports::{SigningRequest, SigningStore};
    use shared::testing::interleaving::PausedApplications;
    const EVENT: &str = include_str!("../../../events/submit/daulet-at-aigerims-flat.json");
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let store = app.stack.shared.stack.aws.as_ref().expect("AWS backend").clients("submit").store().expect("store");
    let event: serde_json::Value = serde_json::from_str(EVENT).expect("event");
    let body: shared::api::ApplicationForm = serde_json::from_str(event["body"].as_str().expect("body")).expect("form");
    let now = chrono::Utc::now();
    let daulet = shared::testing::iin(DAULET);
    let draft = body.parse(now.date_naive()).expect("draft");
    let signature = body.signature.as_ref().expect("signed");
    store
        .put(&SigningRequest {
            id: SigningRequestId::parse(&signature.signing_request_id).expect("id"),
            applicant: daulet.clone(),
            digest: draft.digest(&daulet),
            code_hash: OneTimeCode::parse(&signature.code).expect("code").hash(),
            expires_at: now + chrono::Duration::seconds(300),
            attempts_left: 3,
            used: false,
            used_for_key: None,
        })
        .await
        .expect("signing request");
    let workflow = Arc::new(shared::testing::RecordingWorkflow::default());
    let deps = |applications: Arc<dyn ApplicationStore>| submit::Deps {
        applications,
        signing: store.clone(),
        workflow: workflow.clone(),
        clock: Arc::new(shared::clock::SystemClock),
        metrics: Arc::new(shared::adapters::memory::MemoryMetrics::default()),
    };
    let gate = Gate::armed();
    let first_deps = deps(Arc::new(PausedApplications { inner: store.clone(), gate: gate.clone() }));
    let first =
        tokio::spawn(async move { submit::handle(&first_deps, shared::testing::api_request(EVENT, |_| {})).await });
    gate.reached().await;
    let retry_deps = deps(store.clone());
    let retry =
        tokio::spawn(async move { submit::handle(&retry_deps, shared::testing::api_request(EVENT, |_| {})).await });
    tokio::task::yield_now().await;
    gate.release();
    let (first, retry) = (first.await.expect("first"), retry.await.expect("retry"));
    let id = |r: &shared::api::HttpResponse| shared::testing::response_json(r)["id"].clone();
    assert_eq!((first.status().as_u16(), retry.status().as_u16()), (201, 200));
    assert_eq!(id(&first), id(&retry));
    assert_eq!(store.list_for_applicant(&daulet, 10, None).await.expect("list").items.len(), 1);
}
