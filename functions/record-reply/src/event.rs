//! One Lambda, two event shapes, parsed at the edge into [`ReplyEvent`]: an API Gateway (HTTP API 2.0)
//! request from the app, or an SNS notification carrying SMS replies from two-way SMS (`originationNumber`,
//! `messageBody`, ...). Both are the types of `aws_lambda_events`.

use super::{handle, handle_sms, Deps, SmsReplyResult};
use aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::sns::SnsEventObj;
use domain::InboundMessageId;
use lambda_runtime::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the event is neither an API Gateway request nor an SNS notification: {0}")]
    Unrecognised(String),
    /// A dependency was down; nothing changed. The asynchronous invocation is retried.
    #[error("could not record the reply now")]
    Unavailable(#[source] domain::errors::DependencyError),
    /// The reply is recorded; its answer SMS could not be sent, or the workflow not told: the asynchronous
    /// invocation is retried, and the redelivery finishes it (and decides nothing again).
    #[error("the reply is recorded; what follows it is pending")]
    ReplyUnfinished,
}

impl From<EventError> for Diagnostic {
    fn from(e: EventError) -> Self {
        let error_type = match e {
            EventError::Unrecognised(_) => "UnrecognisedEvent",
            EventError::Unavailable(_) => "ReplyUnavailable",
            EventError::ReplyUnfinished => "ReplyUnfinished",
        };
        let mut message = e.to_string();
        if let Some(cause) = std::error::Error::source(&e) {
            message = format!("{message}: {cause}");
        }
        Diagnostic { error_type: error_type.into(), error_message: message }
    }
}

/// The two-way SMS message inside the SNS notification.
/// No `Debug`: the number and the text (with its code) are personal data.
#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InboundSms {
    origination_number: String,
    message_body: String,
}

/// What record-reply is invoked with.
pub enum ReplyEvent {
    /// SMS replies, one a record.
    Sms(SnsEventObj<InboundSms>),
    /// The owner's app: `GET /consents`, `POST /consents/{id}/decision`.
    App(Box<ApiGatewayV2httpRequest>),
}

impl ReplyEvent {
    /// By the shape's own mark (`Records` of SNS, `requestContext` of API Gateway), then into its type.
    pub fn parse(event: Value) -> Result<ReplyEvent, EventError> {
        let unrecognised = |what: &str, e: serde_json::Error| EventError::Unrecognised(format!("{what}: {e}"));
        if event.get("Records").is_some() {
            return serde_json::from_value(event).map(ReplyEvent::Sms).map_err(|e| unrecognised("SNS notification", e));
        }
        if event.get("requestContext").is_some() {
            return serde_json::from_value(event)
                .map(|r| ReplyEvent::App(Box::new(r)))
                .map_err(|e| unrecognised("API Gateway request", e));
        }
        Err(EventError::Unrecognised("no Records and no requestContext".into()))
    }
}

/// What record-reply answers: the results of SMS replies, or the app's HTTP response.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ReplyAnswer {
    Sms { results: Vec<SmsReplyResult> },
    App(Box<ApiGatewayV2httpResponse>),
}

pub async fn handle_event(deps: &Deps, event: Value) -> Result<ReplyAnswer, EventError> {
    match ReplyEvent::parse(event)? {
        ReplyEvent::Sms(notification) => {
            let mut results = Vec::with_capacity(notification.records.len());
            for record in &notification.records {
                // SNS's id of the notification: one per reply, the same on every redelivery of it.
                let message = InboundMessageId::parse(&record.sns.message_id)
                    .map_err(|e| EventError::Unrecognised(format!("SNS MessageId: {e}")))?;
                let sms = &record.sns.message;
                let result = handle_sms(deps, &message, &sms.origination_number, &sms.message_body).await;
                results.push(result.map_err(EventError::Unavailable)?);
            }
            if results.iter().any(|r| r.unfinished) {
                return Err(EventError::ReplyUnfinished);
            }
            Ok(ReplyAnswer::Sms { results })
        }
        ReplyEvent::App(request) => {
            let request: lambda_http::Request = lambda_http::request::LambdaRequest::ApiGatewayV2(*request).into();
            let (parts, body) = handle(deps, request).await.into_parts();
            let mut response = ApiGatewayV2httpResponse::default();
            response.status_code = i64::from(parts.status.as_u16());
            response.headers = parts.headers;
            response.body = match body {
                lambda_http::Body::Text(t) => Some(Body::Text(t)),
                lambda_http::Body::Binary(b) => Some(Body::Binary(b)),
                _ => None,
            };
            Ok(ReplyAnswer::App(Box::new(response)))
        }
    }
}
