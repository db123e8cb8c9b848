use super::*;
use chrono::Duration;
use domain::errors::WorkflowError;
use domain::{Consent, ConsentId, ConsentStatus, OneTimeCode, Status};
use serde_json::json;
use test_kit::*;

const LIST: &str = include_str!("../../../events/record-reply/list-consents.json");
const DECIDE: &str = include_str!("../../../events/record-reply/decide-approve.json");

fn deps(w: &World) -> Deps {
    Deps::from_ports(w).expect("the world has every port")
}

fn event_consent_id() -> ConsentId {
    let v: serde_json::Value = serde_json::from_str(DECIDE).expect("event");
    ConsentId::parse(v["pathParameters"]["id"].as_str().expect("id")).expect("id")
}

/// Daulet asks to register at Aigerim's flat; Aigerim's consent was requested with code 123456.
async fn seed(w: &World) -> ConsentId {
    let mut app = application(DAULET, DAULET, FLAT_AIGERIM);
    app.status = Status::AwaitingConsent;
    w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
    let mut c = Consent::new(app.id.clone(), iin(AIGERIM));
    c.id = event_consent_id();
    c.task_token = Some("token-1".into());
    c.code_hash = Some(OneTimeCode::parse("123456").expect("code").hash(&w.code_key, c.id.as_str()));
    c.owner_phone = Some(domain::PhoneNumber::parse("+77010000001").expect("phone"));
    c.requested_at = Some(now());
    c.expires_at = Some(now() + Duration::seconds(3600));
    w.store.create_all(&[c.clone()]).await.expect("consent");
    c.id
}

async fn status(w: &World, id: &ConsentId) -> ConsentStatus {
    domain::ports::ConsentStore::find(w.store.as_ref(), id).await.expect("store").expect("consent").status
}

#[tokio::test]
async fn owner_approves_in_the_app() {
    let w = World::new();
    let id = seed(&w).await;
    let listed = response_json(&handle(&deps(&w), api_request(LIST, |_| {})).await);
    assert_eq!(listed["items"][0]["consentId"], id.to_string());
    assert_eq!(listed["items"][0]["registrant"], "Serikov D.");
    let resp = handle(&deps(&w), api_request(DECIDE, |_| {})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
    assert_eq!(w.workflow.successes.lock().expect("lock")[0].0, "token-1");
    let again = handle(&deps(&w), api_request(DECIDE, |_| {})).await;
    assert_eq!(again.status(), 409);
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1);
}

#[tokio::test]
async fn another_person_cannot_answer_in_the_app() {
    let w = World::new();
    let id = seed(&w).await;
    let resp = handle(&deps(&w), api_request(DECIDE, |v| as_caller(v, DAULET))).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(status(&w, &id).await, ConsentStatus::Pending);
}

#[tokio::test]
async fn sms_decline_in_kazakh_fails_the_task() {
    let w = World::new();
    let id = seed(&w).await;
    let r = handle_sms(&deps(&w), "+7 701 000 00 01", "жоқ 123456").await.expect("ok");
    assert_eq!(r.outcome.as_str(), "DECLINED");
    assert_eq!(status(&w, &id).await, ConsentStatus::Declined);
    assert_eq!(w.workflow.failures.lock().expect("lock")[0], ("token-1".to_string(), "ConsentDeclined".to_string()));
    let reply = w.outbox.messages(None).pop().expect("reply");
    assert_eq!((reply.to.as_str(), reply.text.as_str()), ("+77010000001", "Бас тартуыңыз тіркелді."));
}

#[tokio::test]
async fn replies_that_change_nothing_get_clear_answers() {
    let w = World::new();
    let id = seed(&w).await;
    let d = deps(&w);
    assert_eq!(
        handle_sms(&d, "+77019999999", "YES 123456").await.expect("ok").outcome.as_str(),
        "NOTHING_PENDING",
        "another number"
    );
    assert_eq!(handle_sms(&d, "+77010000001", "YES 654321").await.expect("ok").outcome.as_str(), "WRONG_CODE");
    assert_eq!(handle_sms(&d, "+77010000001", "OK").await.expect("ok").outcome.as_str(), "NOT_UNDERSTOOD");
    assert_eq!(status(&w, &id).await, ConsentStatus::Pending);
    assert_eq!(handle_sms(&d, "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(), "APPROVED");
    assert_eq!(handle_sms(&d, "+77010000001", "NO 123456").await.expect("ok").outcome.as_str(), "ALREADY_ANSWERED");
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
    assert!(w.workflow.failures.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn after_the_hour_the_answer_is_expired() {
    let w = World::new();
    let id = seed(&w).await;
    w.clock.advance(Duration::seconds(3600));
    assert_eq!(handle_sms(&deps(&w), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(), "EXPIRED");
    assert_eq!(status(&w, &id).await, ConsentStatus::Pending, "finalize expires it; the reply changes nothing");
    assert!(w.workflow.successes.lock().expect("lock").is_empty());
    let resp = handle(&deps(&w), api_request(DECIDE, |_| {})).await;
    assert_eq!(resp.status(), 410);
}

#[tokio::test]
async fn a_timed_out_task_turns_the_answer_into_expired() {
    let w = World::new();
    let id = seed(&w).await;
    *w.workflow.fail_with.lock().expect("lock") = Some(WorkflowError::TaskTimedOut);
    assert_eq!(handle_sms(&deps(&w), "+77010000001", "ДА 123456").await.expect("ok").outcome.as_str(), "EXPIRED");
    assert_eq!(status(&w, &id).await, ConsentStatus::Expired);
}

/// Issue #10: the workflow could not be told (its answer lost, or the service down). The decision stays
/// recorded; the owner's next reply tells the workflow again, and the application goes on.
#[tokio::test]
async fn an_unavailable_workflow_keeps_the_answer_and_the_next_reply_tells_it_again() {
    let w = World::new();
    let id = seed(&w).await;
    *w.workflow.fail_with.lock().expect("lock") = Some(WorkflowError::Unavailable("throttled".into()));
    assert!(handle_sms(&deps(&w), "+77010000001", "YES 123456").await.is_err());
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved, "the decision is kept");
    let resp = handle(&deps(&w), api_request(DECIDE, |v| with_body(v, json!({"decision": "APPROVE"})))).await;
    assert_eq!(resp.status(), 503, "still down");
    *w.workflow.fail_with.lock().expect("lock") = None;
    assert_eq!(handle_sms(&deps(&w), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(), "APPROVED");
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1, "told once it is back");
    assert_eq!(
        handle_sms(&deps(&w), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(),
        "ALREADY_ANSWERED"
    );
    let declined = handle_sms(&deps(&w), "+77010000001", "NO 123456").await.expect("ok");
    assert_eq!(declined.outcome.as_str(), "ALREADY_ANSWERED", "a different answer afterwards changes nothing");
}

#[tokio::test]
async fn a_bad_decision_value_is_400() {
    let w = World::new();
    seed(&w).await;
    let resp = handle(&deps(&w), api_request(DECIDE, |v| with_body(v, json!({"decision": "MAYBE"})))).await;
    assert_eq!(resp.status(), 400);
    assert_eq!(response_json(&resp)["field"], "decision");
}

#[tokio::test]
async fn takes_an_sns_notification_of_an_sms_reply() {
    let w = World::new();
    let id = seed(&w).await;
    let event: serde_json::Value =
        serde_json::from_str(include_str!("../../../events/record-reply/sms-reply.json")).expect("event");
    let out = serde_json::to_value(handle_event(&deps(&w), event).await.expect("handled")).expect("json");
    assert_eq!(out["results"][0]["outcome"], "APPROVED");
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
}

#[tokio::test]
async fn takes_an_api_gateway_request_and_answers_in_its_response_format() {
    let w = World::new();
    seed(&w).await;
    let event: serde_json::Value = serde_json::from_str(LIST).expect("event");
    let out = serde_json::to_value(handle_event(&deps(&w), event).await.expect("handled")).expect("json");
    assert_eq!(out["statusCode"], 200);
    assert_eq!(out["headers"]["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_str(out["body"].as_str().expect("body")).expect("json");
    assert_eq!(body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn refuses_other_events_with_a_named_error() {
    let w = World::new();
    let err = handle_event(&deps(&w), json!({"hello": "world"})).await.err().expect("refused");
    let d: lambda_runtime::Diagnostic = err.into();
    assert_eq!(d.error_type, "UnrecognisedEvent");
    let broken = json!({"Records": [{"Sns": {"Message": "not json"}}]});
    let d: lambda_runtime::Diagnostic = handle_event(&deps(&w), broken).await.err().expect("refused").into();
    assert_eq!(d.error_type, "UnrecognisedEvent", "{}", d.error_message);
}

/// Issue #10: two co-owners answer at once. Bolat's answer has been read and is parked before its write
/// while Gulnara's completes; then his is written. Both are recorded, both tasks are told, once each.
#[tokio::test]
async fn two_co_owners_answers_crossing_are_both_recorded_and_signalled() {
    use test_kit::interleaving::{Gate, PausedConsents};
    let w = World::new();
    let mut app = application(DAULET, DAULET, FLAT_CO_OWNED);
    app.status = Status::AwaitingConsent;
    w.store.create(&app, &[], &domain::ports::Admission::default()).await.expect("create");
    let asked = |owner: &str, phone: &str, token: &str| {
        let mut c = Consent::new(app.id.clone(), iin(owner));
        c.task_token = Some(token.into());
        c.code_hash = Some(OneTimeCode::parse("123456").expect("code").hash(&w.code_key, c.id.as_str()));
        c.owner_phone = Some(domain::PhoneNumber::parse(phone).expect("phone"));
        c.requested_at = Some(now());
        c.expires_at = Some(now() + Duration::seconds(3600));
        c
    };
    let (bolat, gulnara) = (asked(BOLAT, PHONE_BOLAT, "token-b"), asked(GULNARA, PHONE_GULNARA, "token-g"));
    w.store.create_all(&[bolat.clone(), gulnara.clone()]).await.expect("consents");
    let gate = Gate::armed();
    let mut parked = deps(&w);
    parked.consents = std::sync::Arc::new(PausedConsents { inner: w.store.clone(), gate: gate.clone() });
    let first = tokio::spawn(async move { handle_sms(&parked, PHONE_BOLAT, "ИӘ 123456").await });
    gate.reached().await;
    let second = handle_sms(&deps(&w), PHONE_GULNARA, "YES 123456").await.expect("gulnara");
    gate.release();
    let first = first.await.expect("joined").expect("bolat");
    assert_eq!((first.outcome.as_str(), second.outcome.as_str()), ("APPROVED", "APPROVED"));
    assert_eq!(
        (status(&w, &bolat.id).await, status(&w, &gulnara.id).await),
        (ConsentStatus::Approved, ConsentStatus::Approved)
    );
    let mut told: Vec<String> = w.workflow.successes.lock().expect("lock").iter().map(|(t, _)| t.clone()).collect();
    told.sort();
    assert_eq!(told, ["token-b", "token-g"]);
}
