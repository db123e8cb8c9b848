//! Issue #10: races proved with a deterministic interleaving over the DynamoDB adapter (moto): finalize is
//! parked between its read of the application and its registration write while a withdrawal commits; and
//! two co-owners answering at once. (Moto's transactions are not atomic under real concurrency, so the
//! interleaving, not a flood of parallel requests, is the proof. The crossing withdraw-and-approve rounds run
//! on the embedded store only: over moto, under load, about one run in five showed a withdrawal's transaction
//! applied in part — the status CANCELLED written, its timeline entry and the lock's delete not — which is
//! moto's non-atomic transactions, not a behaviour DynamoDB has.)

use domain::ports::{ApplicationStore, ConsentStore, RegistrationStore, TimelineStore, Transition};
use domain::steps::{FinalizeInput, StepDecision};
use domain::{Consent, ConsentStatus, ReasonCode, Status};
use memory_adapters::SmsOutbox;
use std::sync::Arc;
use test_kit::interleaving::{Gate, PausedRegistrations};
use tests::*;

#[tokio::test]
async fn a_withdrawal_in_finalize_s_window_leaves_nothing_registered_over_dynamodb() {
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let aws = app.stack.shared.stack.aws.as_ref().expect("AWS backend").clients("finalize");
    let store = aws.store().expect("store");
    let outbox = Arc::new(SmsOutbox::new(Arc::new(domain::clock::SystemClock)));
    let mut application = test_kit::application(DAULET, DAULET, FLAT_AIGERIM);
    application.status = Status::AwaitingConsent;
    store.create(&application, &[], &domain::ports::Admission::default()).await.expect("create");
    let mut consent = Consent::new(application.id.clone(), test_kit::iin(AIGERIM));
    consent.status = ConsentStatus::Approved;
    store.create_all(&[consent]).await.expect("consent");

    let gate = Gate::armed();
    let deps = finalize::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registrations: Arc::new(PausedRegistrations { inner: store.clone(), gate: gate.clone() }),
        registries: aws.registries().expect("registries"),
        sms: outbox.clone(),
        clock: Arc::new(domain::clock::SystemClock),
        metrics: Arc::new(memory_adapters::MemoryMetrics::default()),
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
    let cancelled = domain::TimelineEntry::new(now, domain::TimelineEvent::Cancelled, Some("WITHDRAWN".into()));
    let withdrawn = store
        .set_status(&application, &Status::OPEN, Status::Cancelled, &[ReasonCode::Withdrawn], now, &[cancelled])
        .await;
    assert!(matches!(withdrawn.expect("withdraw"), Transition::Done(_)));
    gate.release();
    let out = finalizing.await.expect("joined").expect("finalize ends without error");
    assert_eq!((out.status, out.reason), (Status::Cancelled, Some(ReasonCode::Withdrawn)));
    assert!(store.for_registrant(&test_kit::iin(DAULET)).await.expect("regs").is_empty(), "no registration");
    assert!(outbox.messages(None).is_empty(), "no text");
    let events: Vec<String> =
        store.list(&application.id).await.expect("tl").into_iter().map(|e| e.event.to_string()).collect();
    assert_eq!(events, ["CANCELLED"]);
}

#[tokio::test]
async fn two_co_owners_answering_at_once_register_once_over_dynamodb() {
    two_co_owners_answering_at_once_register_once(&spawn_app_on_aws(&crate::moto_endpoint()).await).await;
}

const SUBMIT_EVENT: &str = include_str!("../../../events/submit/daulet-at-aigerims-flat.json");

/// Submit's deps over the stack's DynamoDB (its code key too), with the signing request of
/// `events/submit/daulet-at-aigerims-flat.json` stored as signing-code would have stored it.
async fn submit_over_dynamodb(
    app: &App,
) -> (
    Arc<aws_adapters::dynamodb::DynamoStore>,
    impl Fn(Arc<dyn ApplicationStore>, Arc<dyn domain::ports::SigningStore>) -> submit::Deps,
) {
    use domain::ports::{SigningRequest, SigningStore};
    use domain::{OneTimeCode, SigningRequestId};
    let backend = app.stack.shared.stack.aws.as_ref().expect("AWS backend");
    let clients = backend.clients("submit");
    let store = clients.store().expect("store");
    let event: serde_json::Value = serde_json::from_str(SUBMIT_EVENT).expect("event");
    let body: http_edge::ApplicationForm = serde_json::from_str(event["body"].as_str().expect("body")).expect("form");
    let now = chrono::Utc::now();
    let daulet = test_kit::iin(DAULET);
    let draft = body.parse(now.date_naive()).expect("draft");
    let signature = body.signature.as_ref().expect("signed");
    let id = SigningRequestId::parse(signature.signing_request_id.as_deref().expect("sms")).expect("id");
    let request = SigningRequest {
        code_hash: OneTimeCode::parse(signature.code.as_deref().expect("code"))
            .expect("code")
            .hash(&backend.code_key, id.as_str()),
        id,
        applicant: daulet.clone(),
        digest: draft.digest(&daulet),
        expires_at: now + chrono::Duration::seconds(300),
        attempts_left: 3,
        used: false,
        used_by: None,
        used_for_key: None,
    };
    assert_eq!(SigningStore::put(store.as_ref(), &request, &[]).await.expect("signing request"), None);
    let workflow = Arc::new(test_kit::RecordingWorkflow::default());
    let registries = clients.registries().expect("registries");
    let code_key = backend.code_key.clone();
    let deps =
        move |applications: Arc<dyn ApplicationStore>, signing: Arc<dyn domain::ports::SigningStore>| submit::Deps {
            applications,
            signing,
            registries: registries.clone(),
            workflow: workflow.clone(),
            clock: Arc::new(domain::clock::SystemClock),
            metrics: Arc::new(memory_adapters::MemoryMetrics::default()),
            code_key: code_key.clone(),
            eds_verifier: Arc::new(domain::eds::NoEds),
            limits: Default::default(),
        };
    (store, deps)
}

/// Issue #10, item 6, over DynamoDB: the first request parked before it stores the application, its retry
/// (same key) arriving then: the retry stores it, the first answers with it.
#[tokio::test]
async fn a_retry_arriving_while_the_first_is_storing_gets_its_application_over_dynamodb() {
    use test_kit::interleaving::{PausedApplications, Pausing};
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let (store, deps) = submit_over_dynamodb(&app).await;
    let gate = Gate::armed();
    let first_deps = deps(
        Arc::new(PausedApplications { inner: store.clone(), gate: gate.clone(), at: Pausing::Create }),
        store.clone(),
    );
    let first =
        tokio::spawn(async move { submit::handle(&first_deps, test_kit::api_request(SUBMIT_EVENT, |_| {})).await });
    gate.reached().await;
    let retry_deps = deps(store.clone(), store.clone());
    // The retry runs to its end while the first is parked (it needs nothing of the first: its right code costs
    // no attempt), then the first's transaction meets the retry's key. (Both at once would be two concurrent
    // transactions, which moto does not apply atomically.)
    let retry = submit::handle(&retry_deps, test_kit::api_request(SUBMIT_EVENT, |_| {})).await;
    gate.release();
    let first = first.await.expect("first");
    let id = |r: &http_edge::HttpResponse| test_kit::response_json(r)["id"].clone();
    let mut statuses = [first.status().as_u16(), retry.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 201]);
    assert_eq!((first.status().as_u16(), retry.status().as_u16()), (200, 201), "the retry stored it");
    assert_eq!(id(&first), id(&retry));
    let daulet = test_kit::iin(DAULET);
    assert_eq!(store.list_for_applicant(&daulet, 10, None).await.expect("list").items.len(), 1);
}

/// One guess at the event's signing request, with its own Idempotency-Key.
fn guess(deps: submit::Deps, code: &'static str, key: String) -> tokio::task::JoinHandle<http_edge::HttpResponse> {
    let req = test_kit::api_request(SUBMIT_EVENT, move |v| {
        v["headers"]["idempotency-key"] = serde_json::json!(key);
        let mut body: serde_json::Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
        body["signature"]["code"] = serde_json::json!(code);
        test_kit::with_body(v, body);
    });
    tokio::spawn(async move { submit::handle(&deps, req).await })
}

fn rules(responses: &[http_edge::HttpResponse]) -> std::collections::BTreeMap<String, usize> {
    let mut rules = std::collections::BTreeMap::new();
    for r in responses {
        let rule = test_kit::response_json(r)["rule"].as_str().unwrap_or("(none)").to_string();
        *rules.entry(format!("{} {rule}", r.status().as_u16())).or_insert(0) += 1;
    }
    rules
}

/// Issue #11, item 1, over DynamoDB, as a deterministic interleaving: 50 wrong guesses, then the right one,
/// all parked after every read they make and before the write that counts them; released in that order.
/// Three are compared; the right one, after them, is refused though right (before: it was accepted in 10 of
/// 11 concurrent runs).
#[tokio::test]
async fn of_51_guesses_parked_before_their_writes_three_are_compared_over_dynamodb() {
    use test_kit::interleaving::{PausedSigning, Queue};
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let (store, deps) = submit_over_dynamodb(&app).await;
    let queue = Queue::new();
    let paused: Arc<dyn domain::ports::SigningStore> =
        Arc::new(PausedSigning { inner: store.clone(), queue: queue.clone() });
    let wrong: Vec<_> =
        (0..50).map(|i| guess(deps(store.clone(), paused.clone()), "000000", format!("g-{i}"))).collect();
    queue.arrivals(50).await;
    let right = guess(deps(store.clone(), paused.clone()), "123456", "g-right".into());
    queue.arrivals(51).await;
    queue.open();
    let mut answers = Vec::new();
    for g in wrong {
        answers.push(g.await.expect("guess"));
    }
    let seen = rules(&answers);
    assert_eq!(seen.get("422 SIGNING_CODE_MATCHES"), Some(&3), "{seen:?}");
    assert_eq!(seen.get("422 SIGNING_CODE_ATTEMPTS"), Some(&47), "{seen:?}");
    let right = right.await.expect("right");
    assert_eq!(rules(&[right]).into_keys().collect::<Vec<_>>(), ["422 SIGNING_CODE_ATTEMPTS"]);
    let daulet = test_kit::iin(DAULET);
    assert!(store.list_for_applicant(&daulet, 10, None).await.expect("list").items.is_empty());
}

/// Issue #11, item 1, a second signal only: 51 guesses at once over moto (the right one among them), five
/// rounds. Every guess gets a documented answer and at most one is accepted per round. How many were compared
/// is printed, not asserted: moto does not apply a conditional update atomically under concurrency (seen: 4
/// wrong guesses compared in a round, two answered with the same `attemptsLeft`; and once `attemptsLeft = -1`
/// stored, two decrements passing one `attemptsLeft > 0` check), which DynamoDB does not do. The proof is the
/// deterministic interleaving above.
#[tokio::test]
async fn fifty_one_concurrent_guesses_over_moto_get_documented_answers() {
    for round in 0..5 {
        let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
        let (store, deps) = submit_over_dynamodb(&app).await;
        let right_at = (round * 17 + 5) % 51;
        let guesses: Vec<_> = (0..51)
            .map(|i| {
                let code = if i == right_at { "123456" } else { "000000" };
                guess(deps(store.clone(), store.clone()), code, format!("r{round}-{i}"))
            })
            .collect();
        let mut answers = Vec::new();
        for g in guesses {
            answers.push(g.await.expect("guess"));
        }
        let seen = rules(&answers);
        let documented = [
            "201 (none)",
            "422 SIGNING_CODE_MATCHES",
            "422 SIGNING_CODE_ATTEMPTS",
            "409 ONE_OPEN_APPLICATION",
            "422 SIGNING_CODE_SINGLE_USE",
            // moto itself fails some calls under this load (a RuntimeError inside its transact_write_items, seen
            // in its log): the function answers 503 storage, nothing changed, as it would to DynamoDB being down.
            "503 (none)",
        ];
        assert!(seen.keys().all(|k| documented.contains(&k.as_str())), "round {round}: {seen:?}");
        let left: Vec<i64> =
            answers.iter().filter_map(|r| test_kit::response_json(r)["attemptsLeft"].as_i64()).collect();
        let stored_apps = seen.get("201 (none)").copied().unwrap_or(0);
        assert!(stored_apps <= 1, "round {round}: one application at most: {seen:?}");
        println!("round {round}: {seen:?}, attemptsLeft answered {left:?}");
    }
}

/// Issue #27: a reply's redelivery between the first delivery's commit and its answer SMS, over DynamoDB: the
/// receipt is written in the answer's transaction, the answer SMS claimed once.
#[tokio::test]
async fn a_redelivery_between_commit_and_send_answers_once_over_dynamodb() {
    let app = spawn_app_on_aws(&crate::moto_endpoint()).await;
    let aws = app.stack.shared.stack.aws.as_ref().expect("AWS backend").clients("record-reply");
    a_redelivery_between_commit_and_send_answers_once(aws.store().expect("store")).await;
}
