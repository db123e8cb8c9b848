//! `spawn_app()`: a local stack on 127.0.0.1 and a random port, and a client that speaks to it the way
//! a citizen app, an owner's phone and a developer would.

use local_stack::{spawn, Config, RunningStack};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use std::time::Duration;

pub use test_kit::people::*;

pub mod openapi;
pub mod privacy;

pub struct App {
    pub base: String,
    pub http: reqwest::Client,
    pub stack: RunningStack,
    /// Where the log capture was when this stack started: its own lines all come after.
    pub log_start: usize,
}

pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

pub async fn spawn_app() -> App {
    spawn_app_with(Config::for_tests().expect("config")).await
}

/// The same stack over DynamoDB, SNS and Step Functions at `endpoint` (moto), each function's calls recorded.
pub async fn spawn_app_on_aws(endpoint: &str) -> App {
    let mut config = Config::for_tests().expect("config");
    config.aws_endpoint = Some(endpoint.to_string());
    spawn_app_with(config).await
}

/// Rate limits out of the way (each 100000, and no throttle per route at the edge): for tests about
/// something else that submit or ask one owner many times in a row. Every other stack runs with the defaults.
pub fn out_of_the_way(mut config: Config) -> Config {
    let n = 100_000;
    config.route_throttling = false;
    config.rate_limits = domain::rate_limits::RateLimits {
        signing_codes_per_15_min: n,
        signing_codes_per_day: n,
        submissions_per_applicant_per_day: n,
        submissions_per_registrant_per_day: n,
        consent_requests_per_owner_from_applicant_per_hour: n,
        consent_requests_per_owner_per_hour: n,
    };
    config
}

/// No throttle per route at the edge (API Gateway's, `local_stack::edge_throttle`): for tests that call one route
/// faster than API Gateway lets through (a fault matrix's retries, a function's own limit counted past its
/// end). `journeys/route_throttling.rs` tests the throttle itself.
pub async fn spawn_app_unthrottled() -> App {
    let mut config = Config::for_tests().expect("config");
    config.route_throttling = false;
    spawn_app_with(config).await
}

pub async fn spawn_app_unlimited() -> App {
    spawn_app_with(out_of_the_way(Config::for_tests().expect("config"))).await
}

pub async fn spawn_app_with(config: Config) -> App {
    privacy::capture_logs();
    let log_start = privacy::capture_offset();
    let stack = spawn(config).await.expect("local stack starts");
    // The journeys read English unless one asks for another language (the service's default is Kazakh:
    // `texts_for_people_come_in_the_language_asked` holds it).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", reqwest::header::HeaderValue::from_static("en"));
    let http = reqwest::Client::builder().default_headers(headers).build().unwrap_or_default();
    App { base: format!("http://{}", stack.addr), http, stack, log_start }
}

/// A form for `registrant` at `rka`, permanent, moved in yesterday.
pub fn form(registrant: &str, rka: &str) -> Value {
    json!({ "registrantIin": registrant, "rka": rka, "kind": "PERMANENT", "reason": "OTHER", "movedInOn": today_minus(1) })
}

pub fn today_minus(days: i64) -> String {
    (domain::clock::Clock::now(&domain::clock::SystemClock) - chrono_days(days)).date_naive().to_string()
}

fn chrono_days(days: i64) -> domain::chrono::Duration {
    domain::chrono::Duration::days(days)
}

pub fn six_digits(text: &str) -> Option<String> {
    let digits: Vec<char> = text.chars().collect();
    (0..digits.len().saturating_sub(5)).find_map(|i| {
        let w: String = digits[i..i + 6].iter().collect();
        let edge_ok =
            (i == 0 || !digits[i - 1].is_ascii_digit()) && digits.get(i + 6).is_none_or(|c| !c.is_ascii_digit());
        (edge_ok && w.chars().all(|c| c.is_ascii_digit())).then_some(w)
    })
}

impl Drop for App {
    /// Every test that passed also passes only if no personal data reached the logs or the executions.
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let leaks = self.personal_data_shown();
        assert!(leaks.is_empty(), "personal data shown to operators:\n{}", leaks.join("\n"));
    }
}

impl App {
    /// Where the captured logs and this stack's executions show a sample person's IIN, phone or name, or a
    /// one-time code this stack sent.
    pub fn personal_data_shown(&self) -> Vec<String> {
        let stack = &self.stack.shared.stack;
        let codes = stack.outbox.messages(None).iter().flat_map(|m| privacy::codes_in(&m.text)).collect::<Vec<_>>();
        let secrets = privacy::Secrets::sample_people_and(codes);
        let logs = privacy::captured_logs_since(self.log_start);
        let executions: Vec<(String, Value)> = stack
            .engine
            .list()
            .iter()
            .filter_map(|e| stack.engine.describe(&e.name))
            .filter_map(|view| serde_json::to_value(&view).ok().map(|v| (format!("execution {}", v["name"]), v)))
            .collect();
        let documents =
            logs.iter().map(|l| ("the logs", l)).chain(executions.iter().map(|(name, v)| (name.as_str(), v)));
        privacy::leaks(&secrets, documents)
    }

    async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
    }

    /// An API route's reply, held to the OpenAPI document (status documented, content type, body schema).
    async fn api_reply(method: &str, path: &str, resp: reqwest::Response) -> Reply {
        let r = Self::reply(resp).await;
        let content_type = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if let Err(e) = openapi::check_response(method, path, r.status, content_type, &r.body) {
            panic!("the response breaks the OpenAPI contract: {e}");
        }
        r
    }

    pub async fn token(&self, iin: &str) -> String {
        let r = self
            .http
            .post(format!("{}/_local/token", self.base))
            .json(&json!({ "iin": iin }))
            .send()
            .await
            .expect("token");
        Self::reply(r).await.body["token"].as_str().expect("token").to_string()
    }

    pub async fn get(&self, caller: &str, path: &str) -> Reply {
        let t = self.token(caller).await;
        let resp = self.http.get(format!("{}{path}", self.base)).bearer_auth(t).send().await.expect("get");
        Self::api_reply("GET", path, resp).await
    }

    /// A GET in a language: `Accept-Language: accept`.
    pub async fn get_in(&self, caller: &str, path: &str, accept: &str) -> Reply {
        let t = self.token(caller).await;
        let req = self.http.get(format!("{}{path}", self.base)).bearer_auth(t).header("accept-language", accept);
        Self::api_reply("GET", path, req.send().await.expect("get")).await
    }

    /// A GET asking for `accept` (`Accept`).
    pub async fn get_accept(&self, caller: &str, path: &str, accept: &str) -> Reply {
        let t = self.token(caller).await;
        let req = self.http.get(format!("{}{path}", self.base)).bearer_auth(t).header("accept", accept);
        Self::api_reply("GET", path, req.send().await.expect("get")).await
    }

    /// A GET with no token (the routes anyone may call).
    pub async fn public_get(&self, path: &str) -> Reply {
        let resp = self.http.get(format!("{}{path}", self.base)).send().await.expect("get");
        Self::api_reply("GET", path, resp).await
    }

    pub async fn post(&self, caller: &str, path: &str, body: &Value) -> Reply {
        self.post_with(caller, path, body, &[]).await
    }

    pub async fn post_with(&self, caller: &str, path: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
        let t = self.token(caller).await;
        let mut req = self.http.post(format!("{}{path}", self.base)).bearer_auth(t).json(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::api_reply("POST", path, req.send().await.expect("post")).await
    }

    /// A body sent as is, with a content type.
    pub async fn post_raw(&self, caller: Option<&str>, path: &str, body: Vec<u8>, content_type: &str) -> Reply {
        let mut req = self.http.post(format!("{}{path}", self.base)).header("content-type", content_type).body(body);
        if let Some(c) = caller {
            req = req.bearer_auth(self.token(c).await);
        }
        Self::api_reply("POST", path, req.send().await.expect("post")).await
    }

    pub async fn local(&self, path: &str) -> Value {
        Self::reply(self.http.get(format!("{}/_local{path}", self.base)).send().await.expect("local")).await.body
    }

    pub async fn local_post(&self, path: &str, body: &Value) -> Reply {
        Self::reply(self.http.post(format!("{}/_local{path}", self.base)).json(body).send().await.expect("local")).await
    }

    pub async fn outbox(&self, phone: &str) -> Vec<Value> {
        let v = self.local(&format!("/sms/outbox?to={}", phone.replace('+', "%2B"))).await;
        v["messages"].as_array().cloned().unwrap_or_default()
    }

    pub async fn sms_count(&self) -> usize {
        self.local("/sms/outbox").await["messages"].as_array().map_or(0, Vec::len)
    }

    /// The six-digit code in the last SMS to `phone`.
    pub async fn last_code(&self, phone: &str) -> String {
        let msgs = self.outbox(phone).await;
        let text = msgs.last().and_then(|m| m["text"].as_str()).unwrap_or_default().to_string();
        six_digits(&text).unwrap_or_else(|| panic!("no code in {text:?}"))
    }

    /// Signs `form` with the SMS code the applicant's BMG phone receives; returns the signed form.
    pub async fn signed(&self, applicant: &str, phone: &str, form: &Value) -> Value {
        let r = self.post(applicant, "/signing-codes", form).await;
        assert_eq!(r.status, 201, "signing code: {}", r.body);
        let code = self.last_code(phone).await;
        let mut signed = form.clone();
        signed["signature"] =
            json!({ "method": "SMS_CODE", "signingRequestId": r.body["signingRequestId"], "code": code });
        signed
    }

    /// Signs `form` with the applicant's test EDS (`POST /_local/eds/sign`, with `options` such as
    /// `{"detached": true, "scheme": "PSS_SHA256"}`); returns the signed form and the certificate.
    pub async fn signed_with_eds(&self, applicant: &str, form: &Value, options: Value) -> (Value, Value) {
        let mut ask = json!({ "iin": applicant, "form": form });
        for (k, v) in options.as_object().cloned().unwrap_or_default() {
            ask[k] = v;
        }
        let r = self.local_post("/eds/sign", &ask).await;
        assert_eq!(r.status, 201, "eds sign: {}", r.body);
        let mut signed = form.clone();
        signed["signature"] = json!({ "method": "EDS", "cms": r.body["cms"] });
        (signed, r.body["certificate"].clone())
    }

    /// Signs and submits; returns the reply.
    pub async fn submit(&self, applicant: &str, phone: &str, form: &Value, key: Option<&str>) -> Reply {
        let signed = self.signed(applicant, phone, form).await;
        let headers: Vec<(&str, &str)> = key.map(|k| vec![("Idempotency-Key", k)]).unwrap_or_default();
        self.post_with(applicant, "/registrations", &signed, &headers).await
    }

    /// Signs and submits, expecting 201; returns the application id.
    pub async fn apply(&self, applicant: &str, phone: &str, form: &Value) -> String {
        let r = self.submit(applicant, phone, form, None).await;
        assert_eq!(r.status, 201, "submit: {}", r.body);
        r.body["id"].as_str().expect("id").to_string()
    }

    pub async fn application(&self, applicant: &str, id: &str) -> Value {
        let r = self.get(applicant, &format!("/registrations/{id}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    }

    /// Waits until the stack has settled with the application at `status` (5 s at most): what follows sees
    /// every step and text of that outcome.
    pub async fn wait_for(&self, applicant: &str, id: &str, status: &str) -> Value {
        let mut last = Value::Null;
        for _ in 0..500 {
            self.settle().await;
            last = self.application(applicant, id).await;
            if last["status"] == status {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("application {id} did not reach {status}: {last}");
    }

    /// Waits until the application's status is one of `statuses` (5 s at most), as [`Self::wait_for`].
    pub async fn wait_for_any(&self, applicant: &str, id: &str, statuses: &[&str]) -> Value {
        self.settle().await;
        let now = self.application(applicant, id).await;
        match statuses.iter().find(|s| now["status"] == **s) {
            Some(status) => self.wait_for(applicant, id, status).await,
            None => panic!("application {id} settled at none of {statuses:?}: {now}"),
        }
    }

    /// Waits for the consent request to an owner's `phone` that follows the first `seen` messages to it
    /// (5 s at most); returns its code.
    pub async fn next_consent_code(&self, phone: &str, seen: usize) -> String {
        self.settle().await;
        if self.outbox(phone).await.len() > seen {
            return self.last_code(phone).await;
        }
        panic!("no consent request reached {phone} once the stack settled");
    }

    pub async fn sms_reply(&self, from: &str, text: &str) -> Value {
        let r = self.local_post("/sms/inbound", &json!({ "from": from, "text": text })).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
    }

    pub async fn advance_clock(&self, seconds: i64) {
        let r = self.local_post("/clock/advance", &json!({ "seconds": seconds })).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    /// Waits until the stack has nothing left to do at its clock ([`local_stack::wiring::Stack::settled`]:
    /// no function running, every execution parked on a token, a future timer, or ended). Advancing the
    /// clock then moves what waits on it.
    pub async fn settle(&self) {
        let settled = self.stack.shared.stack.settled();
        if tokio::time::timeout(Duration::from_secs(10), settled).await.is_err() {
            panic!("the stack did not settle within 10 s");
        }
    }

    pub async fn execution(&self, id: &str) -> Value {
        self.local(&format!("/executions/{id}")).await
    }
}

/// Issue #10, item 6: twenty retries of one signed submit with one `Idempotency-Key`, all at once (a client
/// that timed out and retried in a loop). Each gets the one application back: one 201, the rest 200 replays.
pub async fn concurrent_retries_of_one_key_get_one_application(app: &App) {
    let signed = app.signed(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    let key = [("Idempotency-Key", "concurrent-retry")];
    let replies =
        futures::future::join_all((0..20).map(|_| app.post_with(AIGERIM, "/registrations", &signed, &key))).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 19, "{statuses:?}");
    let ids: std::collections::BTreeSet<String> =
        replies.iter().filter_map(|r| r.body["id"].as_str().map(str::to_string)).collect();
    assert_eq!(ids.len(), 1, "one application: {ids:?}");
    let list = app.get(AIGERIM, "/registrations").await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
}

/// A text that tells of a registration, in any of the three languages (a consent request does not).
pub fn says_registered(text: &str) -> bool {
    ["прописан", "тіркелді", "registered at"].iter().any(|w| text.contains(w))
}

/// Issue #10: both co-owners answer at the same moment (SMS and app at once). Both answers count, the
/// application is registered once, and each person gets each text once.
pub async fn two_co_owners_answering_at_once_register_once(app: &App) {
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_CO_OWNED)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    let (bolat, gulnara) = (app.next_consent_code(PHONE_BOLAT, 0).await, app.next_consent_code(PHONE_GULNARA, 0).await);
    let (to_bolat, to_gulnara) = (format!("ИӘ {bolat}"), format!("YES {gulnara}"));
    let (b, g) = tokio::join!(app.sms_reply(PHONE_BOLAT, &to_bolat), app.sms_reply(PHONE_GULNARA, &to_gulnara));
    assert_eq!((b["outcome"].as_str(), g["outcome"].as_str()), (Some("APPROVED"), Some("APPROVED")));
    let end = app.wait_for(DAULET, &id, "REGISTERED").await;
    let events: Vec<&str> =
        end["timeline"].as_array().into_iter().flatten().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(events.iter().filter(|e| **e == "CONSENT_APPROVED").count(), 2, "{events:?}");
    assert_eq!(events.iter().filter(|e| **e == "REGISTERED").count(), 1, "{events:?}");
    for phone in [PHONE_DAULET, PHONE_BOLAT, PHONE_GULNARA] {
        let registered =
            app.outbox(phone).await.iter().filter(|m| m["text"].as_str().is_some_and(says_registered)).count();
        assert_eq!(registered, 1, "{phone} told once");
    }
}

/// Issue #10, item 1, as a second signal beside the deterministic interleavings: the applicant withdraws
/// while the owner approves, at the same moment, `rounds` times. Each ends in exactly one outcome, and the
/// texts say that outcome: a "registered" text exactly when REGISTERED (and the withdrawal was refused).
pub async fn withdrawals_crossing_approvals_leave_one_outcome(app: &App, rounds: usize) -> (usize, usize) {
    let (mut registered, mut withdrawn) = (0, 0);
    for _ in 0..rounds {
        let seen = app.outbox(PHONE_AIGERIM).await.len();
        let texts_before =
            app.outbox(PHONE_DAULET).await.iter().filter(|m| m["text"].as_str().is_some_and(says_registered)).count();
        let r = app.submit(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM), None).await;
        if r.status == 409 {
            let open = r.body["openApplicationId"].as_str().unwrap_or_default().to_string();
            let a = app.application(DAULET, &open).await;
            let ex = app.stack.shared.stack.engine.describe(&open).map(|e| format!("{:?}", e.summary.status));
            panic!("a new application is refused: {open} is still open: {a} (execution {ex:?})");
        }
        let id = r.body["id"].as_str().expect("id").to_string();
        app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
        let code = app.next_consent_code(PHONE_AIGERIM, seen).await;
        let (path, yes, empty) = (format!("/registrations/{id}/withdraw"), format!("ИӘ {code}"), json!({}));
        let (w, _) = tokio::join!(app.post(DAULET, &path, &empty), app.sms_reply(PHONE_AIGERIM, &yes));
        app.settle().await;
        let end = self::App::application(app, DAULET, &id).await;
        let texts =
            app.outbox(PHONE_DAULET).await.iter().filter(|m| m["text"].as_str().is_some_and(says_registered)).count()
                - texts_before;
        match (end["status"].as_str(), w.status) {
            (Some("REGISTERED"), 409) => {
                assert_eq!(texts, 1, "registered and told once");
                registered += 1;
            }
            (Some("CANCELLED"), 200) => {
                assert_eq!(end["reasonCode"], "WITHDRAWN");
                assert_eq!(texts, 0, "withdrawn: no 'registered' text");
                withdrawn += 1;
            }
            other => panic!("one outcome, consistent with the withdrawal's answer: {other:?} {end}"),
        }
    }
    (registered, withdrawn)
}

/// Issue #27, item 3, through HTTP with the fault control: while the SMS service is down every
/// `POST /signing-codes` is 503 with `Retry-After` and costs the applicant nothing, so the first request after
/// the outage gets its code, and the limit still counts what was sent (the 6th code in the window is 429).
pub async fn an_sms_outage_costs_the_applicant_no_signing_code(app: &App) {
    let fault = json!({ "function": "signing-code", "dependency": "sms", "class": "coded5xx", "seconds": 600 });
    assert_eq!(app.local_post("/faults", &fault).await.status, 201);
    let f = form(DAULET, FLAT_AIGERIM);
    for attempt in 0..7 {
        let r = app.post(DAULET, "/signing-codes", &f).await;
        assert_eq!((r.status, r.body["dependency"].as_str()), (503, Some("SMS")), "attempt {attempt}: {}", r.body);
        let retry = r.headers.get("retry-after").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert_eq!(retry, "60", "attempt {attempt}: when to ask again");
    }
    let cleared = app.http.delete(format!("{}/_local/faults", app.base)).send().await.expect("clear");
    assert!(cleared.status().is_success());
    // The same window: the outage's seven refusals were given back.
    for sent in 0..5 {
        let r = app.post(DAULET, "/signing-codes", &f).await;
        assert_eq!(r.status, 201, "code {sent} after the outage: {}", r.body);
    }
    let r = app.post(DAULET, "/signing-codes", &f).await;
    assert_eq!(r.status, 429, "what was sent still counts: {}", r.body);
}

/// Issue #27: an owner's SMS reply delivered again (SNS delivers at least once; Lambda retries) while the first
/// delivery, its answer committed with the message's receipt, is parked before its answer SMS. The redelivery
/// answers the first outcome and sends nothing; released, the first sends the one answer; a third delivery sends
/// nothing either. Over `store` (the embedded store, or DynamoDB on moto), with the workflow recorded.
pub async fn a_redelivery_between_commit_and_send_answers_once<S>(store: std::sync::Arc<S>)
where
    S: domain::ports::ApplicationStore + domain::ports::ConsentStore + domain::ports::TimelineStore + 'static,
{
    use domain::ports::SmsSender;
    use std::sync::Arc;
    use test_kit::interleaving::{Gate, PausedSms};
    let clock: Arc<dyn domain::clock::Clock> = Arc::new(domain::clock::SystemClock);
    let now = clock.now();
    let mut application = test_kit::application(DAULET, DAULET, FLAT_AIGERIM);
    application.status = domain::Status::AwaitingConsent;
    store.create(&application, &[], &domain::ports::Admission::default()).await.expect("application");
    let key = Arc::new(test_kit::test_code_key());
    let mut consent = domain::Consent::new(application.id.clone(), test_kit::iin(AIGERIM));
    consent.task_token = Some("token-redelivered".into());
    consent.code_hash = Some(domain::OneTimeCode::parse("123456").expect("code").hash(&key, consent.id.as_str()));
    consent.owner_phone = Some(domain::PhoneNumber::parse(PHONE_AIGERIM).expect("phone"));
    consent.requested_at = Some(now);
    consent.expires_at = Some(now + chrono::Duration::hours(1));
    store.create_all(std::slice::from_ref(&consent)).await.expect("consent");

    let outbox = Arc::new(memory_adapters::SmsOutbox::new(clock.clone()));
    let workflow = Arc::new(test_kit::RecordingWorkflow::default());
    let registries = Arc::new(
        domain::reference_data::ReferenceData::from_json(test_kit::SAMPLE_REFERENCE_DATA).expect("reference data"),
    );
    let deps = |sms: Arc<dyn SmsSender>| record_reply::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registries: registries.clone(),
        timeline: store.clone(),
        workflow: workflow.clone(),
        sms,
        clock: clock.clone(),
        metrics: Arc::new(memory_adapters::MemoryMetrics::default()),
        code_key: key.clone(),
    };
    let gate = Gate::armed();
    let parked = deps(Arc::new(PausedSms { inner: outbox.clone(), gate: gate.clone() }));
    let message = domain::InboundMessageId::parse(&domain::new_id("sns")).expect("id");
    let first_message = message.clone();
    let first =
        tokio::spawn(
            async move { record_reply::handle_sms(&parked, &first_message, PHONE_AIGERIM, "YES 123456").await },
        );
    gate.reached().await;
    let answered = domain::ports::ConsentStore::get(store.as_ref(), &application.id, &consent.id).await;
    let answered = answered.expect("read").expect("consent");
    assert_eq!(answered.status, domain::ConsentStatus::Approved, "the first delivery has committed");
    let again = record_reply::handle_sms(&deps(outbox.clone()), &message, PHONE_AIGERIM, "YES 123456")
        .await
        .expect("the redelivery");
    assert_eq!(
        (again.outcome, again.redelivery, again.replied),
        (domain::ReplyOutcome::Approved, true, false),
        "the first outcome; the answer is the first delivery's to send"
    );
    assert!(outbox.messages(None).is_empty(), "the redelivery sent nothing");
    gate.release();
    let first = first.await.expect("joined").expect("the first delivery");
    assert_eq!((first.outcome, first.replied, first.unfinished), (domain::ReplyOutcome::Approved, true, false));
    let third =
        record_reply::handle_sms(&deps(outbox.clone()), &message, PHONE_AIGERIM, "YES 123456").await.expect("third");
    assert_eq!((third.outcome, third.redelivery, third.replied), (domain::ReplyOutcome::Approved, true, true));
    let texts = outbox.messages(None);
    assert_eq!(texts.len(), 1, "one answer SMS for one reply: {texts:?}");
    assert_eq!(texts[0].to.as_str(), PHONE_AIGERIM);
    assert_eq!(workflow.successes.lock().unwrap_or_else(|p| p.into_inner()).len(), 1, "the workflow told once");
}

/// Issue #27, items 1 and 2, through HTTP with the fault control: Aigerim answers YES by SMS while record-reply's
/// SMS is down for a minute. The reply is answered as recorded (200 APPROVED, unfinished), never "nothing was
/// changed"; the application goes on to REGISTERED; SNS delivering the same message again decides nothing and
/// sends nothing; Lambda's retry a minute later (the stack redelivers as Lambda does) sends the one answer SMS;
/// a late redelivery sends nothing. Aigerim hears "consent recorded" once and never "already answered".
pub async fn an_owners_reply_counts_once_when_its_answer_sms_fails(app: &App) {
    use domain::texts::sms::Template;
    let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
    let code = app.last_code(PHONE_AIGERIM).await;
    let (recorded, already) = (
        Template::ConsentApproved.render(domain::Language::Kk).text,
        Template::ReplyAlreadyAnswered.render(domain::Language::Kk).text,
    );
    let count = |texts: &[Value], wanted: &str| texts.iter().filter(|m| m["text"].as_str() == Some(wanted)).count();
    let fault = json!({ "function": "record-reply", "dependency": "sms", "class": "coded5xx", "seconds": 60 });
    assert_eq!(app.local_post("/faults", &fault).await.status, 201);
    let sms = json!({ "from": PHONE_AIGERIM, "text": format!("YES {code}"), "messageId": "sns-reply-once" });
    let first = app.local_post("/sms/inbound", &sms).await;
    assert_eq!(first.status, 200, "a committed answer is never refused: {}", first.body);
    assert_eq!(
        (first.body["outcome"].as_str(), first.body["unfinished"].as_bool(), first.body["replied"].as_bool()),
        (Some("APPROVED"), Some(true), Some(false)),
        "{}",
        first.body
    );
    assert_eq!(first.body["messageId"], "sns-reply-once");
    app.wait_for(DAULET, &id, "REGISTERED").await;
    let again = app.local_post("/sms/inbound", &sms).await;
    assert_eq!(
        (again.status, again.body["outcome"].as_str(), again.body["redelivery"].as_bool()),
        (200, Some("APPROVED"), Some(true)),
        "{}",
        again.body
    );
    assert_eq!(count(&app.outbox(PHONE_AIGERIM).await, &recorded), 0, "SMS is still down");
    app.advance_clock(61).await;
    let mut sent = 0;
    for _ in 0..100 {
        sent = count(&app.outbox(PHONE_AIGERIM).await, &recorded);
        if sent > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sent, 1, "Lambda's retry sent the answer");
    let late = app.local_post("/sms/inbound", &sms).await;
    assert_eq!((late.body["replied"].as_bool(), late.body["unfinished"].as_bool()), (Some(true), Some(false)));
    app.advance_clock(300).await;
    app.settle().await;
    let texts = app.outbox(PHONE_AIGERIM).await;
    assert_eq!((count(&texts, &recorded), count(&texts, &already)), (1, 0), "answered once, never 'already answered'");
}
