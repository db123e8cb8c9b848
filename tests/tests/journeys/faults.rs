//! Issue #10: the fault matrix. For every step of both paths (an owner's consent, a withdrawal) and every
//! dependency that step uses, each failure class is injected through `POST /_local/faults`, once as a blip
//! (one failed call) and once as an outage (ten minutes on the stack's clock). Clients behave as people
//! would: a 503 is retried a minute later; the owner answers the latest request, again after a 503.
//!
//! Whatever happens, it must hold that the application ends in a terminal status its owner sees, that no
//! text contradicts that status (a "registered" text exactly when REGISTERED), that nothing is registered
//! otherwise and the person can apply again. The measured outcome of each cell is held to the table in
//! `docs/fault-matrix.md`; the test prints the measured table when they differ.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use tests::*;

const CLASSES: [&str; 5] = ["timeout", "connectionRefused", "coded5xx", "uncoded5xx", "throttling"];
/// (function, dependency), in the order of the paths.
/// `*`: every function at once (DynamoDB down for the whole system).
const STEPS: [(&str, &str); 16] = [
    ("submit", "storage"),
    ("submit", "workflow"),
    ("check-eligibility", "storage"),
    ("check-eligibility", "registries"),
    ("request-consent", "storage"),
    ("request-consent", "registries"),
    ("request-consent", "sms"),
    ("record-reply", "storage"),
    ("record-reply", "workflow"),
    ("record-reply", "sms"),
    ("finalize", "storage"),
    ("finalize", "registries"),
    ("finalize", "sms"),
    ("withdraw", "storage"),
    ("withdraw", "workflow"),
    ("*", "storage"),
];
/// A blip: one failed call. An outage: ten minutes (inside the steps' retries, about 14 minutes). A long
/// outage: an hour (longer than every retry of a step).
const LENGTHS: [(&str, &str, u32); 3] = [("blip", "count", 1), ("outage", "seconds", 600), ("long", "seconds", 3600)];
const TERMINAL: [&str; 5] = ["REGISTERED", "REJECTED", "OFFLINE_REQUIRED", "CANCELLED", "FAILED"];
const MATRIX_DOC: &str = include_str!("../../../docs/fault-matrix.md");

/// Retries a request that answered 503 once a minute (on the stack's clock), 90 times at most.
async fn with_retries<F: std::future::Future<Output = Reply>>(app: &App, send: impl Fn() -> F) -> (Reply, usize) {
    let mut refused = 0;
    loop {
        let r = send().await;
        if r.status != 503 || refused == 90 {
            return (r, refused);
        }
        let class = r.body["dependency"].as_str().unwrap_or_default();
        assert!(["storage", "registries", "SMS", "workflow"].contains(&class), "a 503 names its class: {}", r.body);
        assert!(!r.body.to_string().contains("injected"), "no internals in a 503: {}", r.body);
        refused += 1;
        app.advance_clock(60).await;
        app.settle().await;
    }
}

/// The application as its owner sees it; `None` while reading it answers 503 (storage down).
async fn read(app: &App, id: &str) -> Option<Value> {
    let r = app.get(DAULET, &format!("/registrations/{id}")).await;
    match r.status {
        200 => Some(r.body),
        503 => None,
        other => panic!("reading {id}: {other} {}", r.body),
    }
}

/// Moves the clock to the next timer (a retry, a timeout), a minute at most, until `done` says so (8 hours
/// of the stack's clock at most).
async fn drive(app: &App, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let engine = &app.stack.shared.stack.engine;
    let start = engine.now();
    while engine.now() - start < chrono::Duration::hours(8) {
        app.settle().await;
        if let Some(a) = read(app, id).await.filter(|a| done(a)) {
            return a;
        }
        let next = engine.next_deadline().map(|d| (d - engine.now()).num_seconds() + 1).unwrap_or(60);
        app.advance_clock(next.clamp(1, 60)).await;
    }
    panic!("application {id} did not get there: {:?}", read(app, id).await);
}

/// Texts that tell of a registration (the address is in consent requests too, so it is not the mark).
fn registered_texts(messages: &[Value]) -> usize {
    messages.iter().filter(|m| m["text"].as_str().is_some_and(says_registered)).count()
}

/// Asks for a signing code and reads it from the phone, a minute later again while that is refused.
async fn signed(app: &App) -> Value {
    let f = form(DAULET, FLAT_AIGERIM);
    let (r, _) = with_retries(app, || app.post(DAULET, "/signing-codes", &f)).await;
    assert_eq!(r.status, 201, "signing code: {}", r.body);
    let code = app.last_code(PHONE_DAULET).await;
    let mut signed = f.clone();
    signed["signature"] = json!({ "method": "SMS_CODE", "signingRequestId": r.body["signingRequestId"], "code": code });
    signed
}

/// One cell: returns the measured outcome, having checked the invariants.
async fn cell(function: &str, dependency: &str, class: &str, length: (&str, &str, u32)) -> String {
    let app = spawn_app_unthrottled().await;
    let withdrawing = function == "withdraw";
    let mut fault = json!({ "dependency": dependency, "class": class });
    if function != "*" {
        fault["function"] = json!(function);
    }
    fault[length.1] = json!(length.2);
    // One function's dependency fails from the start; the whole system's (`*`) at the worst moment: while
    // the owner is being asked.
    let everything = function == "*";
    if !everything {
        let r = app.local_post("/faults", &fault).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }

    let key = [("Idempotency-Key", "fault-matrix")];
    let (mut submitted, mut refused, mut signings) = (None, 0, 0);
    for _ in 0..10 {
        // A code spent by a try whose answer was lost, or one that expired while the person waited: a new one.
        let signed = signed(&app).await;
        signings += 1;
        let (r, n) = with_retries(&app, || app.post_with(DAULET, "/registrations", &signed, &key)).await;
        refused += n;
        let resign =
            ["SIGNING_CODE_NOT_EXPIRED", "SIGNING_CODE_SINGLE_USE"].contains(&r.body["rule"].as_str().unwrap_or(""));
        if !(r.status == 422 && resign) {
            submitted = Some(r);
            break;
        }
    }
    let submitted = submitted.expect("submitted");
    assert!([200, 201].contains(&submitted.status), "accepted in the end: {}", submitted.body);
    let id = submitted.body["id"].as_str().expect("id").to_string();
    let mut notes = Vec::new();
    if refused > 0 {
        notes.push(format!("submit 503×{refused}"));
    }
    if signings > 1 {
        notes.push(format!("signed {signings}×"));
    }

    let asked = |a: &Value| a["status"] == "AWAITING_CONSENT" || TERMINAL.contains(&a["status"].as_str().unwrap_or(""));
    let mut a = drive(&app, &id, asked).await;
    if a["status"] == "AWAITING_CONSENT" {
        a = drive(&app, &id, |a| {
            a["status"] != "AWAITING_CONSENT"
                || a["timeline"].as_array().is_some_and(|t| t.iter().any(|e| e["event"] == "CONSENT_REQUESTED"))
        })
        .await;
    }
    if everything {
        let r = app.local_post("/faults", &fault).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    if a["status"] == "AWAITING_CONSENT" {
        if withdrawing {
            let path = format!("/registrations/{id}/withdraw");
            let empty = json!({});
            let (r, refused) = with_retries(&app, || app.post(DAULET, &path, &empty)).await;
            assert!([200, 409].contains(&r.status), "{}", r.body);
            if refused > 0 {
                notes.push(format!("withdraw 503×{refused}"));
            }
        } else {
            let (mut refused, mut unanswered) = (0, 0);
            for _ in 0..30 {
                if read(&app, &id).await.is_some_and(|a| a["status"] != "AWAITING_CONSENT") {
                    break;
                }
                // The owner answers the latest request that reached her phone, and again a minute later while
                // no answer SMS has come back (a reply recorded whose answer SMS is still owed is not refused:
                // its redelivery, as Lambda retries, sends the answer once the workflow has been told).
                let messages = app.outbox(PHONE_AIGERIM).await;
                let latest = messages.iter().rev().filter_map(|m| m["text"].as_str()).find_map(six_digits);
                if let Some(code) = latest {
                    let reply = json!({ "from": PHONE_AIGERIM, "text": format!("ИӘ {code}") });
                    let r = app.local_post("/sms/inbound", &reply).await;
                    app.settle().await;
                    match (r.status, r.body["outcome"].as_str(), r.body["replied"].as_bool()) {
                        (200, Some("APPROVED"), Some(true)) => break,
                        (200, Some("APPROVED"), _) => unanswered += 1,
                        _ => refused += 1,
                    }
                }
                app.advance_clock(60).await;
                app.settle().await;
            }
            if refused > 0 {
                notes.push(format!("reply refused×{refused}"));
            }
            if unanswered > 0 {
                notes.push(format!("reply recorded, answer SMS owed×{unanswered}"));
            }
        }
    }
    // Terminal, and its execution over (texts are sent after the status is committed, retried by the step).
    let engine = &app.stack.shared.stack.engine;
    let over = |a: &Value| {
        TERMINAL.contains(&a["status"].as_str().unwrap_or(""))
            && engine.describe(&id).is_none_or(|e| e.summary.status != asl_runner::ExecutionStatus::Running)
    };
    let end = drive(&app, &id, over).await;
    app.settle().await;
    let status = end["status"].as_str().unwrap_or_default().to_string();
    let reason = end["reasonCode"].as_str().map(|r| format!(" / {r}")).unwrap_or_default();

    // No text contradicts the status; nothing is registered otherwise; the person can apply again.
    let daulet = app.outbox(PHONE_DAULET).await;
    let aigerim = app.outbox(PHONE_AIGERIM).await;
    let (registered_texts, owner_texts) = (registered_texts(&daulet), registered_texts(&aigerim));
    let cell_name = format!("{function}/{dependency}/{class}/{}", length.0);
    if status == "REGISTERED" {
        assert!(registered_texts >= 1 && owner_texts >= 1, "{cell_name}: REGISTERED and both told");
        if registered_texts > 1 || owner_texts > 1 {
            notes.push("a text sent twice".into());
        }
    } else {
        assert_eq!((registered_texts, owner_texts), (0, 0), "{cell_name}: {status} but a 'registered' text went");
        // Once the dependency is back, the person applies again at once.
        let cleared = app.http.delete(format!("{}/_local/faults", app.base)).send().await.expect("clear faults");
        assert_eq!(cleared.status(), 200);
        let again = app.submit(DAULET, PHONE_DAULET, &form(DAULET, FLAT_DAULET), None).await;
        assert_eq!(again.status, 201, "{cell_name}: after {status} the person applies again: {}", again.body);
    }
    let health = app.local("/health").await;
    assert_eq!(health["unreconciledExecutions"], 0, "{cell_name}: {health}");
    let mut outcome = format!("{status}{reason}");
    if !notes.is_empty() {
        outcome.push_str(&format!(" ({})", notes.join(", ")));
    }
    outcome
}

/// The table in `docs/fault-matrix.md`: `| step | dependency | length | timeout | ... |`.
fn documented() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in MATRIX_DOC.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [step, dependency, length, rest @ ..] = cells.as_slice() else { continue };
        for (class, outcome) in CLASSES.iter().zip(rest) {
            out.insert(format!("{}/{}/{class}/{length}", step.trim_matches('`'), dependency), outcome.to_string());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_under_every_failure_class_ends_terminal_visible_and_consistent() {
    let mut measured = BTreeMap::new();
    let mut rows = Vec::new();
    for (function, dependency) in STEPS {
        for length in LENGTHS {
            let cells =
                futures::future::join_all(CLASSES.iter().map(|class| cell(function, dependency, class, length)));
            let outcomes = cells.await;
            for (class, outcome) in CLASSES.iter().zip(&outcomes) {
                measured.insert(format!("{function}/{dependency}/{class}/{}", length.0), outcome.clone());
            }
            rows.push(format!("| `{function}` | {dependency} | {} | {} |", length.0, outcomes.join(" | ")));
        }
    }
    let table = rows.join("\n");
    assert_eq!(measured.len(), STEPS.len() * LENGTHS.len() * CLASSES.len());
    assert!(documented() == measured, "docs/fault-matrix.md differs from what was measured:\n{table}");
}

/// Issue #10, item 7: health reports each dependency, and says so while one is down.
#[tokio::test]
async fn health_reports_each_dependency() {
    let app = spawn_app().await;
    let ok = app.http.get(format!("{}/_local/health", app.base)).send().await.expect("health");
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.expect("json");
    assert_eq!(body["dependencies"]["storage"], "ok");
    let fault = json!({ "dependency": "storage", "class": "uncoded5xx", "seconds": 60 });
    assert_eq!(app.local_post("/faults", &fault).await.status, 201);
    let down = app.http.get(format!("{}/_local/health", app.base)).send().await.expect("health");
    assert_eq!(down.status(), 503);
    let body: Value = down.json().await.expect("json");
    assert_eq!(
        (body["status"].as_str(), body["dependencies"]["storage"].as_str()),
        (Some("degraded"), Some("unavailable"))
    );
    assert_eq!(body["dependencies"]["registries"], "ok");
    let fault = json!({ "function": "precheck", "dependency": "registries", "class": "throttling", "count": 5 });
    assert_eq!(app.local_post("/faults", &fault).await.status, 201);
    let body: Value =
        app.http.get(format!("{}/_local/health", app.base)).send().await.expect("health").json().await.expect("json");
    assert_eq!(body["dependencies"]["registries"], "unavailable", "the registries are probed too");
    let bad = app.local_post("/faults", &json!({ "dependency": "storage", "class": "boom", "count": 1 })).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
}
