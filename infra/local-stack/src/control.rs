//! `/_local/...`: what the local stack adds for people and tests: tokens, the clock, the SMS outbox and
//! inbound SMS, the executions view, the business metrics.

use crate::apigw::problem;
use crate::functions::triggered_by;
use crate::shared::Shared;
use chrono::Duration;
use domain::function::Trigger;
use domain::ports::Clock;
use domain::{Iin, PhoneNumber};
use http_edge::Problem;
use http_edge::ProblemKind;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use tracing::Instrument;

pub type Reply = (u16, Value);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenForm {
    iin: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceForm {
    seconds: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct InboundSms {
    from: String,
    text: String,
    /// The provider's id of the message (SNS's `MessageId` in AWS); one is made when absent. The same id
    /// again is a redelivery of the same message.
    #[serde(default)]
    message_id: Option<String>,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::new(ProblemKind::MalformedJson, e.to_string()))
}

/// `None`: not a control route.
pub async fn handle(s: &Shared, method: &str, path: &str, query: &str, body: &[u8]) -> Option<Result<Reply, Problem>> {
    let r = match (method, path) {
        ("GET", "/_local/health") => Ok(health(s).await),
        ("POST", "/_local/token") => token(s, body),
        ("GET", "/_local/clock") => Ok((200, json!({ "now": s.stack.clock.now() }))),
        ("POST", "/_local/clock/advance") => advance(s, body),
        ("GET", "/_local/sms/outbox") => outbox(s, query),
        ("POST", "/_local/sms/inbound") => inbound(s, body).await,
        ("GET", "/_local/metrics") => Ok((200, metrics(s))),
        ("GET", "/_local/faults") => Ok((200, json!({ "faults": s.stack.faults.list() }))),
        ("POST", "/_local/faults") => add_fault(s, body),
        ("DELETE", "/_local/faults") => {
            s.stack.faults.clear();
            Ok((200, json!({ "faults": [] })))
        }
        ("GET", "/_local/people") => Ok((200, s.directory.people.clone())),
        ("GET", "/_local/addresses") => Ok((200, s.directory.addresses.clone())),
        ("GET", "/_local/definition") => Ok((200, s.directory.definition.clone())),
        ("GET", "/_local/executions") => Ok((200, json!({ "executions": s.stack.engine.list() }))),
        ("GET", p) if p.starts_with("/_local/executions/") => execution(s, &p["/_local/executions/".len()..], query),
        _ => return None,
    };
    Some(r)
}

/// The business metrics as CloudWatch would show them: one series per metric and dimension, and the totals.
fn metrics(s: &Shared) -> Value {
    let series = s.stack.metrics.series();
    let totals: serde_json::Map<String, Value> = domain::metrics::Metric::NAMES
        .iter()
        .map(|name| (name.to_string(), json!(s.stack.metrics.total(name))))
        .collect();
    json!({ "namespace": domain::metrics::DEFAULT_NAMESPACE, "totals": totals, "series": series })
}

fn token(s: &Shared, body: &[u8]) -> Result<Reply, Problem> {
    let form: TokenForm = parse(body)?;
    let iin = Iin::parse(&form.iin).map_err(|e| Problem::invalid_field("iin", e.rule(), e.to_string()))?;
    let token = s.authorizer.mint(&iin, s.stack.clock.now().timestamp());
    Ok((201, json!({ "token": token, "tokenType": "Bearer", "expiresIn": crate::authorizer::LIFETIME_SECONDS })))
}

fn advance(s: &Shared, body: &[u8]) -> Result<Reply, Problem> {
    let form: AdvanceForm = parse(body)?;
    if !(1..=30 * 24 * 3600).contains(&form.seconds) {
        return Err(Problem::invalid_field("seconds", "ADVANCE_1S_TO_30_DAYS", "seconds is from 1 to 2592000"));
    }
    let now = s.stack.clock.advance(Duration::seconds(form.seconds));
    s.stack.engine.clock_advanced();
    Ok((200, json!({ "now": now })))
}

fn outbox(s: &Shared, query: &str) -> Result<Reply, Problem> {
    let to = query.split('&').find_map(|p| p.strip_prefix("to=")).map(|v| v.replace("%2B", "+").replace("%20", " "));
    let phone = match to {
        Some(t) => Some(PhoneNumber::parse(&t).map_err(|e| Problem::invalid_field("to", e.rule(), e.to_string()))?),
        None => None,
    };
    Ok((200, json!({ "messages": s.stack.outbox.messages(phone.as_ref()) })))
}

async fn inbound(s: &Shared, body: &[u8]) -> Result<Reply, Problem> {
    let sms: InboundSms = parse(body)?;
    let message = match &sms.message_id {
        Some(id) => domain::InboundMessageId::parse(id)
            .map_err(|e| Problem::invalid_field("messageId", "MESSAGE_ID_FORMAT", e.to_string()))?,
        None => domain::InboundMessageId::parse(&domain::new_id("local"))
            .map_err(|e| Problem::new(ProblemKind::NoSuchRoute, e.to_string()))?,
    };
    let Some((function, handler)) = triggered_by(Trigger::InboundSms)
        .find_map(|spec| s.stack.function(spec.name).and_then(|h| h.sms.clone()).map(|h| (spec.name, h)))
    else {
        return Err(Problem::new(ProblemKind::NoSuchRoute, "no function takes inbound SMS"));
    };
    let delivery = Delivery {
        function,
        handler,
        invocations: s.stack.invocations.clone(),
        clock: s.stack.clock.clone(),
        message: message.clone(),
        from: sms.from,
        text: sms.text,
    };
    match delivery.deliver().await {
        Ok(mut result) => {
            if result["unfinished"] == true {
                // As Lambda retries an asynchronous invocation that failed: the same message, a minute and then
                // two minutes later (by the stack's clock); the redelivery finishes what the first left.
                tokio::spawn(delivery.redeliver(s.stack.engine.clone()));
            }
            result["messageId"] = json!(message.as_str());
            Ok((200, result))
        }
        Err(e) => Err(Problem::from(e)),
    }
}

/// One inbound SMS as SNS delivers it to the function: a new request and a new trace each time.
struct Delivery {
    function: &'static str,
    handler: crate::functions::SmsFn,
    invocations: crate::invocations::Invocations,
    clock: Arc<domain::clock::AdjustableClock>,
    message: domain::InboundMessageId,
    from: String,
    text: String,
}

impl Delivery {
    async fn deliver(&self) -> Result<Value, domain::errors::DependencyError> {
        let started = std::time::Instant::now();
        let (_, span) = crate::invocations::lambda_invocation(domain::xray::new_trace_header(self.clock.now()));
        let answered =
            (self.handler)(self.message.clone(), self.from.clone(), self.text.clone()).instrument(span).await;
        self.invocations.record(self.function, started.elapsed());
        answered
    }

    /// Lambda's two retries of an asynchronous invocation, until one finishes.
    async fn redeliver(self, engine: asl_runner::Engine) {
        for delay in [60, 120] {
            engine.sleep_until(engine.now() + chrono::Duration::seconds(delay)).await;
            match self.deliver().await {
                Ok(result) if result["unfinished"] != true => return,
                Ok(_) => tracing::warn!("a redelivered reply is still unfinished"),
                Err(e) => tracing::warn!(error = %e, "a redelivered reply failed"),
            }
        }
        tracing::error!("a reply is still unfinished after Lambda's retries: it goes to the reply-failures queue");
    }
}

fn add_fault(s: &Shared, body: &[u8]) -> Result<Reply, Problem> {
    let spec: crate::faults::FaultSpec = parse(body)?;
    match s.stack.faults.add(spec) {
        Ok(fault) => Ok((201, json!({ "fault": fault }))),
        Err(e) => Err(Problem::new(ProblemKind::InvalidFault, e)),
    }
}

/// Each dependency probed with a read that changes nothing: storage (an application that does not exist),
/// the registries (a person who does not exist); SMS and the workflow engine are in process (SMS over SNS is
/// not probed: a probe would send a text). 503 when any is down.
async fn health(s: &Shared) -> Reply {
    let probe_id = domain::ApplicationId::new();
    let storage = s.stack.probe.applications.get(&probe_id).await.err().map(|e| e.to_string());
    let nobody = domain::Iin::parse("000101300009").ok();
    let registries = match nobody {
        Some(iin) => s.stack.probe.registries.person(&iin).await.err().map(|e| e.to_string()),
        None => None,
    };
    let state = |failed: &Option<String>| if failed.is_some() { "unavailable" } else { "ok" };
    let down = storage.is_some() || registries.is_some();
    if let Some(e) = storage.as_ref().or(registries.as_ref()) {
        tracing::warn!(error = %e, "health: a dependency is down");
    }
    let unreconciled = s.stack.unreconciled.lock().map(|u| u.len()).unwrap_or_default();
    let applications = s.stack.memory.as_ref().map(|m| m.application_count());
    let body = json!({
        "status": if down { "degraded" } else { "ok" },
        "dependencies": {
            "storage": state(&storage),
            "registries": state(&registries),
            "sms": if s.stack.aws.is_some() { "not probed" } else { "ok" },
            "workflow": "ok",
        },
        "unreconciledExecutions": unreconciled,
        "applications": applications,
    });
    (if down { 503 } else { 200 }, body)
}

fn execution(s: &Shared, name: &str, query: &str) -> Result<Reply, Problem> {
    match s.stack.engine.describe(name) {
        Some(view) if query.contains("format=text") => {
            let v = serde_json::to_value(view).unwrap_or_default();
            Ok((200, json!({ "status": v["status"], "history": history_text(&v).lines().collect::<Vec<_>>() })))
        }
        Some(view) => Ok((200, serde_json::to_value(view).unwrap_or_default())),
        None => Err(problem(ProblemKind::NotFound, "no execution with this name")),
    }
}

/// Used by `/_local/executions/{name}?format=text`.
pub fn history_text(view: &Value) -> String {
    let mut out = String::new();
    for e in view["history"].as_array().into_iter().flatten() {
        let name = e["details"]["name"].as_str().or_else(|| e["details"]["resource"].as_str()).unwrap_or("");
        let error = e["details"]["error"].as_str().unwrap_or("");
        out.push_str(&format!(
            "{:>4}  {}  {:<24} {} {}\n",
            e["id"],
            e["timestamp"].as_str().unwrap_or(""),
            e["type"].as_str().unwrap_or(""),
            name,
            error
        ));
    }
    out
}
