//! One Lambda, two event shapes: an API Gateway (HTTP API 2.0) request from the app, or an SNS
//! notification carrying an SMS reply from two-way SMS (`originationNumber`, `messageBody`, ...).

use super::{handle, handle_sms, Deps, SmsReplyResult};
use lambda_runtime::Diagnostic;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the event is neither an API Gateway request nor an SNS notification: {0}")]
    Unrecognised(String),
    /// A dependency was down; nothing changed. The asynchronous invocation is retried.
    #[error("could not record the reply now: {0}")]
    Unavailable(String),
}

impl From<EventError> for Diagnostic {
    fn from(e: EventError) -> Self {
        let error_type = match e {
            EventError::Unrecognised(_) => "UnrecognisedEvent",
            EventError::Unavailable(_) => "ReplyUnavailable",
        };
        Diagnostic { error_type: error_type.into(), error_message: e.to_string() }
    }
}

/// The two-way SMS message inside the SNS notification.
/// No `Debug`: the number and the text (with its code) are personal data.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InboundSms {
    origination_number: String,
    message_body: String,
}

pub async fn handle_event(deps: &Deps, event: Value) -> Result<Value, EventError> {
    if let Some(records) = event.get("Records").and_then(Value::as_array) {
        let mut results: Vec<SmsReplyResult> = Vec::new();
        for r in records {
            let message = r.pointer("/Sns/Message").and_then(Value::as_str).unwrap_or_default();
            let sms: InboundSms =
                serde_json::from_str(message).map_err(|e| EventError::Unrecognised(format!("SNS message: {e}")))?;
            results.push(
                handle_sms(deps, &sms.origination_number, &sms.message_body)
                    .await
                    .map_err(|e| EventError::Unavailable(e.to_string()))?,
            );
        }
        return Ok(json!({ "results": results }));
    }
    if event.get("requestContext").is_some() {
        let request =
            lambda_http::request::from_str(&event.to_string()).map_err(|e| EventError::Unrecognised(e.to_string()))?;
        let response = handle(deps, request).await;
        let (parts, body) = response.into_parts();
        let headers: serde_json::Map<String, Value> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), Value::String(v.to_str().unwrap_or_default().to_string())))
            .collect();
        let body = match body {
            lambda_http::Body::Text(t) => t,
            lambda_http::Body::Binary(b) => String::from_utf8_lossy(&b).into_owned(),
            _ => String::new(),
        };
        return Ok(
            json!({ "statusCode": parts.status.as_u16(), "headers": headers, "body": body, "isBase64Encoded": false }),
        );
    }
    Err(EventError::Unrecognised("no Records and no requestContext".into()))
}
