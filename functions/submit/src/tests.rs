use super::*;
use chrono::Duration;
use serde_json::{json, Value};
use shared::domain::{OneTimeCode, SigningRequestId};
use shared::errors::WorkflowError;
use shared::ports::{SigningRequest, TimelineStore};
use shared::testing::*;

const EVENT: &str = include_str!("../../../events/submit/daulet-at-aigerims-flat.json");
const SIG_ID: &str = "sig-5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

fn deps(w: &World) -> Deps {
    Deps {
        applications: w.store.clone(),
        signing: w.store.clone(),
        workflow: w.workflow.clone(),
        clock: w.clock.clone(),
        metrics: w.metrics.clone(),
    }
}

fn form(v: &Value) -> ApplicationForm {
    serde_json::from_str(v["body"].as_str().expect("body")).expect("form")
}

/// Stores the signing request the event refers to, as signing-code would have.
async fn seed_signing_code(w: &World, applicant: &str, event: &Value) {
    let draft = form(event).parse(now().date_naive()).expect("draft");
    let req = SigningRequest {
        id: SigningRequestId::parse(SIG_ID).expect("id"),
        applicant: iin(applicant),
        digest: draft.digest(&iin(applicant)),
        code_hash: OneTimeCode::parse("123456").expect("code").hash(),
        expires_at: now() + Duration::seconds(300),
        attempts_left: 3,
        used: false,
        used_for_key: None,
    };
    w.store.put(&req).await.expect("put");
}

fn event() -> Value {
    serde_json::from_str(EVENT).expect("event")
}

#[tokio::test]
async fn stores_the_application_and_starts_its_execution() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
    assert_eq!(resp.status(), 201);
    let body = response_json(&resp);
    assert_eq!(body["status"], "SUBMITTED");
    let id = ApplicationId::parse(body["id"].as_str().expect("id")).expect("id");
    assert_eq!(resp.headers()["location"], format!("/registrations/{id}").as_str());
    assert_eq!(*w.workflow.started.lock().expect("lock"), vec![id.clone()]);
    let timeline = w.store.list(&id).await.expect("timeline");
    assert_eq!(timeline[0].event, "SUBMITTED");
}

#[tokio::test]
async fn the_same_idempotency_key_returns_the_same_application() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let first = response_json(&handle(&deps(&w), api_request(EVENT, |_| {})).await);
    let again = handle(&deps(&w), api_request(EVENT, |_| {})).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(response_json(&again)["id"], first["id"]);
    assert_eq!(w.workflow.started.lock().expect("lock").len(), 1, "one execution");
    let other = api_request(EVENT, |v| {
        let mut b = form(v);
        b.kind = "TEMPORARY".into();
        b.months = Some(3);
        let mut body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
        body["kind"] = json!(b.kind);
        body["months"] = json!(b.months);
        with_body(v, body);
    });
    let resp = handle(&deps(&w), other).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(response_json(&resp)["rule"], "IDEMPOTENCY_KEY_SAME_REQUEST");
}

#[tokio::test]
async fn a_wrong_code_spends_an_attempt_and_stores_nothing() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    for left in [2, 1, 0] {
        let req = api_request(EVENT, |v| {
            let mut body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
            body["signature"]["code"] = json!("000000");
            with_body(v, body);
        });
        let resp = handle(&deps(&w), req).await;
        assert_eq!(resp.status(), 422);
        assert_eq!(response_json(&resp)["attemptsLeft"], left);
    }
    let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
    assert_eq!(response_json(&resp)["rule"], "SIGNING_CODE_ATTEMPTS", "locked even with the right code");
    assert_eq!(w.store.application_count(), 0);
}

#[tokio::test]
async fn a_code_signs_only_the_form_it_was_sent_for() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let req = api_request(EVENT, |v| {
        let mut body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
        body["rka"] = json!(FLAT_CO_OWNED);
        with_body(v, body);
    });
    let resp = handle(&deps(&w), req).await;
    assert_eq!(response_json(&resp)["rule"], "SIGNING_CODE_FOR_THIS_FORM");
    assert_eq!(w.store.application_count(), 0);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    w.clock.advance(Duration::seconds(301));
    let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
    assert_eq!(response_json(&resp)["rule"], "SIGNING_CODE_NOT_EXPIRED");
}

#[tokio::test]
async fn a_second_open_application_for_the_registrant_is_409() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let first = response_json(&handle(&deps(&w), api_request(EVENT, |_| {})).await);
    seed_signing_code(&w, DAULET, &event()).await;
    let resp = handle(&deps(&w), api_request(EVENT, |v| v["headers"]["idempotency-key"] = json!("another-key"))).await;
    assert_eq!(resp.status(), 409);
    assert_eq!(response_json(&resp)["openApplicationId"], first["id"]);
}

#[tokio::test]
async fn if_the_workflow_cannot_start_the_application_is_failed_not_lost() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    *w.workflow.fail_with.lock().expect("lock") = Some(WorkflowError::Unavailable("down".into()));
    let resp = handle(&deps(&w), api_request(EVENT, |_| {})).await;
    assert_eq!(resp.status(), 503);
    let id = ApplicationId::parse(response_json(&resp)["applicationId"].as_str().expect("id")).expect("id");
    let app = ApplicationStore::get(w.store.as_ref(), &id).await.expect("store").expect("kept");
    assert_eq!((app.status, app.reasons.as_slice()), (Status::Failed, &[ReasonCode::WorkflowError][..]));
}

#[tokio::test]
async fn unsigned_and_eds_signed_forms_are_refused() {
    let w = World::new();
    let unsigned = api_request(EVENT, |v| {
        let mut body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
        body.as_object_mut().expect("object").remove("signature");
        with_body(v, body);
    });
    let resp = handle(&deps(&w), unsigned).await;
    assert_eq!(resp.status(), 400);
    assert_eq!(response_json(&resp)["field"], "signature");
    let eds = api_request(EVENT, |v| {
        let mut body: Value = serde_json::from_str(v["body"].as_str().expect("body")).expect("json");
        body["signature"]["method"] = json!("EDS");
        with_body(v, body);
    });
    assert_eq!(response_json(&handle(&deps(&w), eds).await)["rule"], "SIGNATURE_METHOD_SUPPORTED");
}

/// Issue #10, item 6, as a deterministic interleaving: the first request has spent the code and is parked
/// before it stores the application; the retry with the same key arrives then. The retry gets that
/// application back once it is stored (not 422 SIGNING_CODE_SINGLE_USE), and only one exists.
#[tokio::test]
async fn a_retry_arriving_while_the_first_is_storing_gets_its_application() {
    use shared::testing::interleaving::{Gate, PausedApplications};
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let gate = Gate::armed();
    let mut first_deps = deps(&w);
    first_deps.applications = std::sync::Arc::new(PausedApplications { inner: w.store.clone(), gate: gate.clone() });
    let keyed = |v: &mut Value| v["headers"]["idempotency-key"] = json!("retry-1");
    let first = tokio::spawn(async move { handle(&first_deps, api_request(EVENT, keyed)).await });
    gate.reached().await;
    let retry_deps = deps(&w);
    let retry = tokio::spawn(async move { handle(&retry_deps, api_request(EVENT, keyed)).await });
    tokio::task::yield_now().await;
    gate.release();
    let (first, retry) = (first.await.expect("first"), retry.await.expect("retry"));
    assert_eq!((first.status().as_u16(), retry.status().as_u16()), (201, 200), "{}", response_json(&retry));
    assert_eq!(response_json(&first)["id"], response_json(&retry)["id"]);
    assert_eq!(w.store.list_for_applicant(&iin(DAULET), 10, None).await.expect("list").items.len(), 1);
}

/// Only a retry with the key that spent the code waits for its application: a spent code under another key
/// (or none) is refused at once, so nobody can make requests wait for nothing.
#[tokio::test]
async fn a_code_spent_under_another_key_is_refused_at_once() {
    let w = World::new();
    seed_signing_code(&w, DAULET, &event()).await;
    let first = handle(&deps(&w), api_request(EVENT, |v| v["headers"]["idempotency-key"] = json!("key-a"))).await;
    assert_eq!(first.status(), 201);
    let started = std::time::Instant::now();
    let other = handle(&deps(&w), api_request(EVENT, |v| v["headers"]["idempotency-key"] = json!("key-b"))).await;
    assert_eq!(
        (other.status().as_u16(), response_json(&other)["rule"].as_str()),
        (422, Some("SIGNING_CODE_SINGLE_USE"))
    );
    assert!(started.elapsed() < std::time::Duration::from_millis(500), "no wait: {:?}", started.elapsed());
}
