//! The deployed definition, run by the engine with stand-in functions: every path of the workflow.

use asl_runner::{Engine, ExecutionStatus, ExecutionView, LambdaFn, TaskFailure};
use chrono::{Duration, Utc};
use domain::clock::AdjustableClock;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const DEFINITION: &str = include_str!("../../statemachine/registration.asl.json");

#[derive(Default)]
struct Calls {
    finalize_inputs: Vec<Value>,
    consent_tokens: Vec<(String, String)>,
    check_failures_left: u32,
    finalize_always_fails: bool,
}

struct Harness {
    engine: Engine,
    clock: Arc<AdjustableClock>,
    calls: Arc<Mutex<Calls>>,
}

fn f(body: impl Fn(Value) -> Result<Value, TaskFailure> + Send + Sync + 'static) -> LambdaFn {
    let body = Arc::new(body);
    Arc::new(move |v| {
        let body = body.clone();
        Box::pin(async move { body(v) })
    })
}

fn harness(decision: &'static str, consent_ids: Vec<&'static str>) -> Harness {
    harness_with(decision, consent_ids, |_| {})
}

fn harness_with(decision: &'static str, consent_ids: Vec<&'static str>, setup: impl FnOnce(&mut Calls)) -> Harness {
    let calls = Arc::new(Mutex::new(Calls::default()));
    setup(&mut calls.lock().expect("lock"));
    let clock = Arc::new(AdjustableClock::real());
    let mut functions: HashMap<String, LambdaFn> = HashMap::new();
    let c = calls.clone();
    functions.insert(
        "check".into(),
        f(move |input| {
            let mut calls = c.lock().expect("lock");
            if calls.check_failures_left > 0 {
                calls.check_failures_left -= 1;
                return Err(TaskFailure { error: "StoreUnavailable".into(), cause: "throttled".into() });
            }
            Ok(json!({ "applicationId": input["applicationId"], "decision": decision, "consentIds": consent_ids, "consentTimeoutSeconds": 3600 }))
        }),
    );
    let c = calls.clone();
    functions.insert(
        "consent".into(),
        f(move |input| {
            let token = input["taskToken"].as_str().expect("token").to_string();
            let consent = input["consentId"].as_str().expect("consent id").to_string();
            c.lock().expect("lock").consent_tokens.push((consent, token));
            Ok(json!({}))
        }),
    );
    let c = calls.clone();
    functions.insert(
        "finalize".into(),
        f(move |input| {
            let mut calls = c.lock().expect("lock");
            calls.finalize_inputs.push(input.clone());
            if calls.finalize_always_fails
                && input.get("error").and_then(|e| e.get("Error")) != Some(&json!("FinalizeBroken"))
                && input.get("finalizeError").is_none()
            {
                return Err(TaskFailure { error: "FinalizeBroken".into(), cause: "bug".into() });
            }
            Ok(json!({ "applicationId": input["applicationId"], "status": "DONE" }))
        }),
    );
    let subs: HashMap<String, String> = [
        ("CheckEligibilityFunctionArn", "arn:aws:lambda:local:000000000000:function:check"),
        ("RequestConsentFunctionArn", "consent"),
        ("FinalizeFunctionArn", "arn:aws:lambda:local:000000000000:function:finalize"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let engine = Engine::new(DEFINITION, &subs, functions, clock.clone()).expect("engine");
    Harness { engine, clock, calls }
}

impl Harness {
    /// The execution once the engine has settled; it has ended.
    async fn wait_done(&self, name: &str) -> ExecutionView {
        settled(self).await;
        let view = self.engine.describe(name).expect("execution exists");
        assert_ne!(view.summary.status, ExecutionStatus::Running, "{name} still running once settled");
        view
    }

    /// The consent requests made once the engine has settled: at least `n`.
    async fn wait_tokens(&self, n: usize) -> Vec<(String, String)> {
        settled(self).await;
        let tokens = self.calls.lock().expect("lock").consent_tokens.clone();
        assert!(tokens.len() >= n, "fewer than {n} consent requests once settled");
        tokens
    }

    fn advance(&self, seconds: i64) {
        self.clock.advance(Duration::seconds(seconds));
        self.engine.clock_advanced();
    }

    fn finalize_inputs(&self) -> Vec<Value> {
        self.calls.lock().expect("lock").finalize_inputs.clone()
    }
}

fn kinds(view: &ExecutionView) -> Vec<String> {
    view.history.iter().map(|h| h.kind.clone()).collect()
}

#[tokio::test]
async fn eligible_goes_straight_to_finalize() {
    let h = harness("ELIGIBLE", vec![]);
    h.engine.start_execution("app-1", json!({"applicationId": "app-1"})).expect("start");
    let view = h.wait_done("app-1").await;
    assert_eq!(view.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(
        h.finalize_inputs(),
        vec![
            json!({"applicationId": "app-1", "decision": "ELIGIBLE", "consentIds": [], "consentTimeoutSeconds": 3600})
        ]
    );
    assert_eq!(view.state_transitions, 3, "CheckEligibility, RouteDecision, Finalize");
    assert_eq!(view.output, Some(json!({"applicationId": "app-1", "status": "DONE"})));
}

#[tokio::test]
async fn one_owner_approves() {
    let h = harness("CONSENT_REQUIRED", vec!["c1"]);
    h.engine.start_execution("app-2", json!({"applicationId": "app-2"})).expect("start");
    let tokens = h.wait_tokens(1).await;
    assert_eq!(h.engine.describe("app-2").expect("view").summary.status, ExecutionStatus::Running);
    h.engine.send_task_success(&tokens[0].1, json!({"consentId": "c1", "approved": true})).expect("token accepted");
    let view = h.wait_done("app-2").await;
    assert_eq!(view.summary.status, ExecutionStatus::Succeeded);
    let input = &h.finalize_inputs()[0];
    assert!(input.get("error").is_none(), "{input}");
    assert_eq!(view.state_transitions, 5);
    assert_eq!(
        h.engine.send_task_success(&tokens[0].1, json!({})),
        Err(asl_runner::EngineError::TaskTimedOut),
        "a token works once"
    );
    assert_eq!(h.engine.send_task_success("tt-nonsense", json!({})), Err(asl_runner::EngineError::InvalidToken));
}

#[tokio::test]
async fn two_owners_must_both_approve() {
    let h = harness("CONSENT_REQUIRED", vec!["c1", "c2"]);
    h.engine.start_execution("app-3", json!({"applicationId": "app-3"})).expect("start");
    let tokens = h.wait_tokens(2).await;
    h.engine.send_task_success(&tokens[0].1, json!({"approved": true})).expect("first");
    settled(&h).await;
    assert_eq!(
        h.engine.describe("app-3").expect("view").summary.status,
        ExecutionStatus::Running,
        "still waits for the second owner"
    );
    assert!(h.finalize_inputs().is_empty());
    h.engine.send_task_success(&tokens[1].1, json!({"approved": true})).expect("second");
    assert_eq!(h.wait_done("app-3").await.summary.status, ExecutionStatus::Succeeded);
    assert!(h.finalize_inputs()[0].get("error").is_none());
}

#[tokio::test]
async fn a_decline_finalizes_with_consent_declined_and_cancels_other_waits() {
    let h = harness("CONSENT_REQUIRED", vec!["c1", "c2"]);
    h.engine.start_execution("app-4", json!({"applicationId": "app-4"})).expect("start");
    let tokens = h.wait_tokens(2).await;
    h.engine.send_task_failure(&tokens[1].1, "ConsentDeclined", "owner said no").expect("decline");
    h.wait_done("app-4").await;
    assert_eq!(h.finalize_inputs()[0]["error"]["Error"], json!("ConsentDeclined"));
    assert_eq!(
        h.engine.send_task_success(&tokens[0].1, json!({})),
        Err(asl_runner::EngineError::TaskTimedOut),
        "the other owner's wait ended with the Map"
    );
}

#[tokio::test]
async fn no_answer_within_the_hour_times_out() {
    let h = harness("CONSENT_REQUIRED", vec!["c1"]);
    h.engine.start_execution("app-5", json!({"applicationId": "app-5"})).expect("start");
    let tokens = h.wait_tokens(1).await;
    h.advance(3599);
    settled(&h).await;
    assert_eq!(
        h.engine.describe("app-5").expect("view").summary.status,
        ExecutionStatus::Running,
        "59:59 is still in time"
    );
    h.advance(2);
    let view = h.wait_done("app-5").await;
    assert_eq!(view.summary.status, ExecutionStatus::Succeeded);
    assert_eq!(h.finalize_inputs()[0]["error"]["Error"], json!("ConsentExpired"));
    assert!(kinds(&view).contains(&"TaskTimedOut".to_string()));
    assert_eq!(h.engine.send_task_success(&tokens[0].1, json!({})), Err(asl_runner::EngineError::TaskTimedOut));
}

#[tokio::test]
async fn transient_errors_are_retried_with_backoff() {
    let h = harness_with("ELIGIBLE", vec![], |c| c.check_failures_left = 2);
    h.engine.start_execution("app-6", json!({"applicationId": "app-6"})).expect("start");
    for _ in 0..2 {
        settled(&h).await;
        h.advance(4);
    }
    let view = h.wait_done("app-6").await;
    assert_eq!(view.summary.status, ExecutionStatus::Succeeded);
    let retries: Vec<_> = view.history.iter().filter(|e| e.kind == "RetryScheduled").collect();
    assert_eq!(retries.len(), 2);
    assert_eq!(retries[0].details["delaySeconds"], json!(2.0));
    assert_eq!(retries[1].details["delaySeconds"], json!(4.0));
    assert!(h.finalize_inputs()[0].get("error").is_none());
}

#[tokio::test]
async fn a_failing_finalize_is_recorded_as_failure_and_the_execution_fails() {
    let h = harness_with("ELIGIBLE", vec![], |c| c.finalize_always_fails = true);
    h.engine.start_execution("app-7", json!({"applicationId": "app-7"})).expect("start");
    let view = h.wait_done("app-7").await;
    assert_eq!(view.summary.status, ExecutionStatus::Failed);
    assert_eq!(view.error.as_deref(), Some("RegistrationFailed"));
    let last = h.finalize_inputs().last().cloned().expect("RecordFailure ran");
    assert_eq!(last, json!({"applicationId": "app-7", "error": {"Error": "FinalizeBroken", "Cause": "bug"}}));
}

#[tokio::test]
async fn stopping_aborts_and_invalidates_tokens() {
    let h = harness("CONSENT_REQUIRED", vec!["c1"]);
    h.engine.start_execution("app-8", json!({"applicationId": "app-8"})).expect("start");
    let tokens = h.wait_tokens(1).await;
    h.engine.stop_execution("app-8", "Withdrawn", "applicant withdrew").expect("stop");
    let view = h.wait_done("app-8").await;
    assert_eq!(view.summary.status, ExecutionStatus::Aborted);
    assert_eq!(h.engine.send_task_success(&tokens[0].1, json!({})), Err(asl_runner::EngineError::TaskTimedOut));
    assert!(h.finalize_inputs().is_empty());
}

#[tokio::test]
async fn execution_names_are_unique_and_start_is_idempotent_while_running() {
    let h = harness("CONSENT_REQUIRED", vec!["c1"]);
    let arn = h.engine.start_execution("app-9", json!({"applicationId": "app-9"})).expect("start");
    assert_eq!(h.engine.start_execution("app-9", json!({"applicationId": "app-9"})), Ok(arn));
    assert!(h.engine.start_execution("app-9", json!({"applicationId": "other"})).is_err());
    assert!(h.engine.start_execution("bad name!", json!({})).is_err());
}

#[tokio::test]
async fn many_waiting_executions_hold_no_threads() {
    let h = harness("CONSENT_REQUIRED", vec!["c1"]);
    for i in 0..2000 {
        h.engine.start_execution(&format!("app-many-{i}"), json!({"applicationId": i})).expect("start");
    }
    h.wait_tokens(2000).await;
    assert!(h.engine.list().iter().all(|e| e.status == ExecutionStatus::Running));
    h.advance(3601);
    for i in 0..2000 {
        assert_eq!(h.wait_done(&format!("app-many-{i}")).await.summary.status, ExecutionStatus::Succeeded);
    }
    assert_eq!(h.finalize_inputs().len(), 2000);
    let _ = Utc::now();
}

/// Waits for the engine to settle (2 s at most).
async fn settled(h: &Harness) {
    if tokio::time::timeout(std::time::Duration::from_secs(2), h.engine.settled()).await.is_err() {
        panic!("the engine did not settle");
    }
}

#[tokio::test]
async fn the_engine_settles_only_when_every_execution_waits_on_what_cannot_wake_at_this_clock() {
    let h = harness_with("CONSENT_REQUIRED", vec!["c1", "c2"], |c| c.check_failures_left = 1);
    assert!(h.engine.is_settled(), "nothing started");
    h.engine.start_execution("app-s", json!({"applicationId": "app-s"})).expect("start");
    assert!(!h.engine.is_settled(), "an execution that has just started can run");
    settled(&h).await;
    let retry_at = h.engine.next_deadline().expect("the failed check waits for its retry");
    assert!(h.calls.lock().expect("lock").consent_tokens.is_empty(), "settled on the retry's timer");
    h.clock.advance(retry_at - h.engine.now() + Duration::milliseconds(1));
    assert!(!h.engine.is_settled(), "the retry is due: the execution can run");
    h.engine.clock_advanced();
    settled(&h).await;
    let tokens = h.calls.lock().expect("lock").consent_tokens.clone();
    assert_eq!(tokens.len(), 2, "settled with both Map iterations waiting for their owners");
    h.engine.send_task_success(&tokens[0].1, json!({"approved": true})).expect("first");
    assert!(!h.engine.is_settled(), "an answered token lets its iteration run");
    settled(&h).await;
    assert_eq!(h.engine.describe("app-s").expect("view").summary.status, ExecutionStatus::Running);
    assert!(h.finalize_inputs().is_empty(), "settled again, waiting for the second owner");
    h.engine.send_task_success(&tokens[1].1, json!({"approved": true})).expect("second");
    settled(&h).await;
    assert_eq!(h.engine.describe("app-s").expect("view").summary.status, ExecutionStatus::Succeeded);
    assert_eq!(h.finalize_inputs().len(), 1, "settled only once Finalize has run");
}
