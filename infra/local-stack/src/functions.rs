//! The table of functions: one row per crate of `functions/`, its own [`FunctionSpec`] (name and
//! triggers) and how the stack builds its handlers from a [`PortSource`] (its `Deps::from_ports`, as its
//! `main.rs` does in AWS). The routes, the workflow's tasks and their ARNs, inbound SMS, reconciliation, the fault
//! control and the cost counts all read this table; `tests/tests/deployment/functions.rs` holds it equal to
//! the template. Adding a function is: its crate, its row here, its template resource.

use domain::errors::{DependencyError, StepError};
use domain::function::{FunctionSpec, Trigger};
use domain::wiring::{PortSource, WiringError};
use http_edge::HttpResponse;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type Boxed<T> = Pin<Box<dyn Future<Output = T> + Send>>;
/// An API Gateway request to the function's response (`lambda_http`).
pub type HttpFn = Arc<dyn Fn(lambda_http::Request) -> Boxed<HttpResponse> + Send + Sync>;
/// A JSON event (a workflow task's input, EventBridge's event) to the function's JSON result.
pub type JsonFn = Arc<dyn Fn(Value) -> Boxed<Result<Value, StepError>> + Send + Sync>;
/// An SMS to the service's number: the provider's message id, sender and text to the outcome, as JSON.
pub type SmsFn =
    Arc<dyn Fn(domain::InboundMessageId, String, String) -> Boxed<Result<Value, DependencyError>> + Send + Sync>;

/// What a function takes, one handler per kind of trigger it has.
#[derive(Clone, Default)]
pub struct Handlers {
    /// [`Trigger::Route`] and [`Trigger::DefaultRoute`].
    pub http: Option<HttpFn>,
    /// [`Trigger::WorkflowStep`] and [`Trigger::ExecutionEnded`].
    pub json: Option<JsonFn>,
    /// [`Trigger::InboundSms`].
    pub sms: Option<SmsFn>,
}

impl Handlers {
    /// Whether it has a handler for every kind of trigger the spec names, and none other.
    pub fn serve(&self, spec: &FunctionSpec) -> bool {
        let json = spec.triggers.iter().any(|t| matches!(t, Trigger::WorkflowStep { .. } | Trigger::ExecutionEnded));
        self.http.is_some() == spec.is_http()
            && self.json.is_some() == json
            && self.sms.is_some() == spec.has(Trigger::InboundSms)
    }
}

/// One function of the stack.
pub struct Row {
    pub spec: &'static FunctionSpec,
    pub build: fn(&dyn PortSource) -> Result<Handlers, WiringError>,
}

/// An HTTP function: `Deps::from_ports` and `handle(&Deps, Request)`.
macro_rules! http_row {
    ($krate:ident) => {
        Row {
            spec: &$krate::FUNCTION,
            build: |src| {
                let deps = Arc::new($krate::Deps::from_ports(src)?);
                let http: HttpFn = Arc::new(move |req| {
                    let deps = deps.clone();
                    Box::pin(async move { $krate::handle(&deps, req).await })
                });
                Ok(Handlers { http: Some(http), ..Handlers::default() })
            },
        }
    };
}

/// A function of JSON events (a workflow step, EventBridge's): `Deps::from_ports` and `handle(&Deps, input)`.
macro_rules! json_row {
    ($krate:ident) => {
        Row {
            spec: &$krate::FUNCTION,
            build: |src| {
                let deps = Arc::new($krate::Deps::from_ports(src)?);
                Ok(Handlers {
                    json: Some(json(move |input| {
                        let deps = deps.clone();
                        async move { $krate::handle(&deps, input).await }
                    })),
                    ..Handlers::default()
                })
            },
        }
    };
}

/// Every function of `functions/`.
pub const TABLE: [Row; 11] = [
    http_row!(precheck),
    http_row!(signing_code),
    http_row!(submit),
    http_row!(service_history),
    http_row!(withdraw),
    http_row!(certificate),
    Row { spec: &record_reply::FUNCTION, build: record_reply_handlers },
    json_row!(check_eligibility),
    json_row!(request_consent),
    json_row!(finalize),
    json_row!(reconcile),
];

/// Record-reply takes the app's requests and the owners' SMS replies, with one set of ports.
fn record_reply_handlers(src: &dyn PortSource) -> Result<Handlers, WiringError> {
    let deps = Arc::new(record_reply::Deps::from_ports(src)?);
    let d = deps.clone();
    let http: HttpFn = Arc::new(move |req| {
        let d = d.clone();
        Box::pin(async move { record_reply::handle(&d, req).await })
    });
    let sms: SmsFn = Arc::new(move |message, from, text| {
        let d = deps.clone();
        Box::pin(async move {
            let result = record_reply::handle_sms(&d, &message, &from, &text).await?;
            Ok(serde_json::to_value(result).unwrap_or_default())
        })
    });
    Ok(Handlers { http: Some(http), sms: Some(sms), json: None })
}

/// A typed JSON handler as Lambda's runtime calls it: the input parsed, the output serialised.
fn json<I, O, F, Fut>(f: F) -> JsonFn
where
    I: DeserializeOwned + Send + 'static,
    O: Serialize + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<O, StepError>> + Send + 'static,
{
    let f = Arc::new(f);
    Arc::new(move |value| {
        let f = f.clone();
        Box::pin(async move {
            let input = serde_json::from_value::<I>(value).map_err(|e| StepError::InvalidStepInput(e.to_string()))?;
            let output = f(input).await?;
            serde_json::to_value(output).map_err(|e| StepError::InvalidStepInput(e.to_string()))
        })
    })
}

/// Every function's name, in the table's order.
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|row| row.spec.name)
}

/// The function with this name.
pub fn spec(name: &str) -> Option<&'static FunctionSpec> {
    TABLE.iter().map(|row| row.spec).find(|spec| spec.name == name)
}

/// The functions whose trigger is `trigger`.
pub fn triggered_by(trigger: Trigger) -> impl Iterator<Item = &'static FunctionSpec> {
    TABLE.iter().map(|row| row.spec).filter(move |spec| spec.has(trigger))
}

/// The ARN a function has here (the definition's substitutions end in its name, as in AWS).
pub fn arn(name: &str) -> String {
    format!("arn:aws:lambda:local:000000000000:function:{name}")
}

/// The `${...}` substitutions of the definition, as the template's DefinitionSubstitutions: each workflow
/// step's ARN.
pub fn substitutions() -> HashMap<String, String> {
    TABLE
        .iter()
        .filter_map(|row| row.spec.arn_substitution().map(|key| (key.to_string(), arn(row.spec.name))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_every_function_has_a_trigger() {
        assert_eq!(names().collect::<BTreeSet<_>>().len(), TABLE.len());
        assert!(TABLE.iter().all(|row| !row.spec.triggers.is_empty()));
        assert_eq!(triggered_by(Trigger::InboundSms).count(), 1);
        assert_eq!(triggered_by(Trigger::ExecutionEnded).count(), 1);
        assert_eq!(triggered_by(Trigger::DefaultRoute).count(), 1);
        assert_eq!(substitutions().len(), 3);
    }
}
