use super::*;
use chrono::Duration;
use domain::errors::WorkflowError;
use domain::{Consent, ConsentId, ConsentStatus, OneTimeCode, Status};
use serde_json::json;
use test_kit::*;

const LIST: &str = include_str!("../../../events/record-reply/list-consents.json");
const DECIDE: &str = include_str!("../../../events/record-reply/decide-approve.json");

/// A new inbound message (its provider's id): every call is a new SMS unless a test redelivers one.
fn msg() -> domain::InboundMessageId {
    domain::InboundMessageId::parse(&domain::new_id("sns")).expect("an id")
}

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
    let r = handle_sms(&deps(&w), &msg(), "+7 701 000 00 01", "жоқ 123456").await.expect("ok");
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
        handle_sms(&d, &msg(), "+77019999999", "YES 123456").await.expect("ok").outcome.as_str(),
        "NOTHING_PENDING",
        "another number"
    );
    assert_eq!(handle_sms(&d, &msg(), "+77010000001", "YES 654321").await.expect("ok").outcome.as_str(), "WRONG_CODE");
    assert_eq!(handle_sms(&d, &msg(), "+77010000001", "OK").await.expect("ok").outcome.as_str(), "NOT_UNDERSTOOD");
    assert_eq!(status(&w, &id).await, ConsentStatus::Pending);
    assert_eq!(handle_sms(&d, &msg(), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(), "APPROVED");
    assert_eq!(
        handle_sms(&d, &msg(), "+77010000001", "NO 123456").await.expect("ok").outcome.as_str(),
        "ALREADY_ANSWERED"
    );
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
    assert!(w.workflow.failures.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn after_the_hour_the_answer_is_expired() {
    let w = World::new();
    let id = seed(&w).await;
    w.clock.advance(Duration::seconds(3600));
    assert_eq!(
        handle_sms(&deps(&w), &msg(), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(),
        "EXPIRED"
    );
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
    assert_eq!(
        handle_sms(&deps(&w), &msg(), "+77010000001", "ДА 123456").await.expect("ok").outcome.as_str(),
        "EXPIRED"
    );
    assert_eq!(status(&w, &id).await, ConsentStatus::Expired);
}

/// Issue #10, and #27: the workflow could not be told (its answer lost, or the service down). The decision stays
/// recorded and the reply is answered as recorded but unfinished; the redelivery of the same message (Lambda's
/// retry) tells the workflow and sends the answer SMS, once; a new reply afterwards changes nothing.
#[tokio::test]
async fn an_unavailable_workflow_keeps_the_answer_and_the_redelivery_tells_it() {
    let w = World::new();
    let id = seed(&w).await;
    *w.workflow.fail_with.lock().expect("lock") = Some(WorkflowError::Unavailable("throttled".into()));
    let first = msg();
    let r = handle_sms(&deps(&w), &first, "+77010000001", "YES 123456").await.expect("recorded");
    assert_eq!((r.outcome.as_str(), r.unfinished, r.replied), ("APPROVED", true, false));
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved, "the decision is kept");
    let resp = handle(&deps(&w), api_request(DECIDE, |v| with_body(v, json!({"decision": "APPROVE"})))).await;
    assert_eq!(resp.status(), 503, "still down");
    *w.workflow.fail_with.lock().expect("lock") = None;
    let again = handle_sms(&deps(&w), &first, "+77010000001", "YES 123456").await.expect("redelivered");
    assert_eq!(
        (again.outcome.as_str(), again.redelivery, again.unfinished, again.replied),
        ("APPROVED", true, false, true)
    );
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1, "told once it is back");
    assert_eq!(w.outbox.messages(None).len(), 1, "one answer SMS");
    assert_eq!(
        handle_sms(&deps(&w), &msg(), "+77010000001", "YES 123456").await.expect("ok").outcome.as_str(),
        "ALREADY_ANSWERED"
    );
    let declined = handle_sms(&deps(&w), &msg(), "+77010000001", "NO 123456").await.expect("ok");
    assert_eq!(declined.outcome.as_str(), "ALREADY_ANSWERED", "a different answer afterwards changes nothing");
}

/// An SMS sender that fails while `down` is set.
struct FlakySms {
    inner: std::sync::Arc<dyn domain::ports::SmsSender>,
    down: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl domain::ports::SmsSender for FlakySms {
    async fn send(
        &self,
        to: &domain::PhoneNumber,
        message: &domain::sms::SmsMessage,
    ) -> Result<(), domain::errors::SmsError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(domain::errors::SmsError::Unavailable("SNS is down".into()));
        }
        self.inner.send(to, message).await
    }
}

/// Issue #27, items 1 and 2: the owner's reply counts once. The answer SMS fails once after the decision
/// committed: the reply is answered APPROVED (unfinished), not "nothing was changed"; the same message
/// delivered again answers APPROVED, decides nothing, and sends the one pending answer; a third delivery
/// sends nothing. The owner hears "consent recorded" once and never "already answered".
#[tokio::test]
async fn a_failed_answer_sms_is_sent_once_by_the_redelivery_and_the_reply_counts_once() {
    let w = World::new();
    let id = seed(&w).await;
    let flaky = std::sync::Arc::new(FlakySms { inner: deps(&w).sms, down: true.into() });
    let mut d = deps(&w);
    d.sms = flaky.clone();
    let message = msg();
    let first = handle_sms(&d, &message, "+77010000001", "YES 123456").await.expect("recorded");
    assert_eq!((first.outcome.as_str(), first.unfinished, first.replied), ("APPROVED", true, false));
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1, "the workflow was told");
    assert!(w.outbox.messages(None).is_empty());
    flaky.down.store(false, std::sync::atomic::Ordering::SeqCst);
    for delivery in 2..=3 {
        let again = handle_sms(&d, &message, "+77010000001", "YES 123456").await.expect("redelivered");
        assert_eq!(
            (again.outcome.as_str(), again.redelivery, again.unfinished),
            ("APPROVED", true, false),
            "{delivery}"
        );
    }
    let texts = w.outbox.messages(None);
    assert_eq!(texts.len(), 1, "one answer SMS for one reply");
    assert_eq!(texts[0].text, "Келісіміңіз қабылданды. Рақмет!");
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1, "told once: the redelivery's task was done");
    // A replayed message id with another text decides nothing either: the first outcome stands.
    let replay = handle_sms(&d, &message, "+77010000001", "NO 123456").await.expect("replayed");
    assert_eq!((replay.outcome.as_str(), replay.redelivery), ("APPROVED", true));
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
}

/// A reply that decides nothing (a wrong code) is answered once too: its redelivery sends no second text.
#[tokio::test]
async fn a_redelivered_reply_that_decided_nothing_is_not_answered_twice() {
    let w = World::new();
    seed(&w).await;
    let message = msg();
    let d = deps(&w);
    assert_eq!(
        handle_sms(&d, &message, "+77010000001", "YES 000000").await.expect("ok").outcome.as_str(),
        "WRONG_CODE"
    );
    let again = handle_sms(&d, &message, "+77010000001", "YES 000000").await.expect("ok");
    assert_eq!((again.outcome.as_str(), again.redelivery), ("WRONG_CODE", true));
    assert_eq!(w.outbox.messages(None).len(), 1);
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
    let first = tokio::spawn(async move { handle_sms(&parked, &msg(), PHONE_BOLAT, "ИӘ 123456").await });
    gate.reached().await;
    let second = handle_sms(&deps(&w), &msg(), PHONE_GULNARA, "YES 123456").await.expect("gulnara");
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

/// Issue #27, item 4: an answer in the app recorded while the workflow cannot be told is answered 503 that says
/// so (`consentStatus`, "recorded"), not "nothing was changed"; the same answer again tells the workflow.
#[tokio::test]
async fn an_app_answer_recorded_but_not_passed_on_says_so_and_the_same_answer_again_passes_it_on() {
    let w = World::new();
    let id = seed(&w).await;
    *w.workflow.fail_with.lock().expect("lock") = Some(WorkflowError::Unavailable("throttled".into()));
    let approve = |v: &mut serde_json::Value| with_body(v, json!({"decision": "APPROVE"}));
    let resp = handle(&deps(&w), api_request(DECIDE, approve)).await;
    assert_eq!(resp.status(), 503);
    let problem = response_json(&resp);
    assert_eq!(problem["consentStatus"], "APPROVED", "{problem}");
    let detail = problem["detail"].as_str().expect("detail");
    // In Kazakh, the caller's default: "your answer is recorded ...", not "nothing was changed" (ештеңе өзгерген жоқ).
    assert!(detail.contains("тіркелді") && !detail.contains("ештеңе"), "{detail}");
    assert_eq!(status(&w, &id).await, ConsentStatus::Approved);
    *w.workflow.fail_with.lock().expect("lock") = None;
    let again = handle(&deps(&w), api_request(DECIDE, approve)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(w.workflow.successes.lock().expect("lock").len(), 1, "told by the same answer again");
}
