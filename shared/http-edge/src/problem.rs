//! RFC 9457 problem details: `application/problem+json` naming the field and the rule.

use super::HttpResponse;
pub use domain::texts::problems::ProblemKind;
use lambda_http::{http::StatusCode, Body, Response};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

fn urn<S: Serializer>(kind: &ProblemKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&kind.urn())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Serialized as the type URN, `urn:problem:residence-registration:<code>`.
    #[serde(rename = "type", serialize_with = "urn")]
    pub kind: ProblemKind,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Extra members, e.g. the open application's id on a 409.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The `Retry-After` header (seconds) of a 429.
    #[serde(skip)]
    pub retry_after: Option<u64>,
    /// The `Content-Language` header, once localized.
    #[serde(skip)]
    pub language: Option<domain::Language>,
}

impl Problem {
    /// A problem of `kind`: its status and (English) title are the kind's.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            kind,
            title: kind.title(domain::Language::En).to_string(),
            status: kind.status(),
            detail: detail.into(),
            field: None,
            rule: None,
            extra: Map::new(),
            retry_after: None,
            language: None,
        }
    }

    /// A 400 for one field breaking one rule.
    pub fn invalid_field(field: &str, rule: &str, detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::InvalidField, detail).at(field, rule)
    }

    pub fn at(mut self, field: &str, rule: &str) -> Self {
        self.field = Some(field.to_string());
        self.rule = Some(rule.to_string());
        self
    }

    /// An extra member; never one of RFC 9457's own names (a second `status` would make two keys of one name).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        debug_assert!(!["type", "title", "status", "detail", "field", "rule"].contains(&key), "{key} is a member");
        self.extra.insert(key.to_string(), value.into());
        self
    }

    /// A 503 naming the kind of dependency that failed and nothing of its internals (no AWS error codes, table
    /// names or messages: those go to the log, once, where the error is converted).
    pub fn unavailable(dependency: Dependency) -> Self {
        Problem::new(
            ProblemKind::Unavailable,
            format!("{} is unavailable; nothing was changed, please try again in a minute", dependency.as_str()),
        )
        .with("dependency", dependency.as_str())
    }

    pub fn not_found(what: &str) -> Self {
        Problem::new(ProblemKind::NotFound, format!("no {what} with this id is visible to you"))
    }

    /// Its title and, where it is for people, its detail in `lang` (`domain::texts::problems`); the type,
    /// field and rule stay codes.
    pub fn localized(mut self, lang: domain::Language) -> Self {
        self.title = self.kind.title(lang).to_string();
        let extra = |k: &str| self.extra.get(k).and_then(Value::as_str).map(str::to_string);
        let broken = self.rule.as_deref().and_then(|r| domain::texts::problems::rule(r, lang));
        if let Some(detail) = domain::texts::problems::detail(self.kind, lang, extra) {
            self.detail = detail;
        } else if let Some(text) = broken {
            self.detail = match &self.field {
                Some(field) => format!("{field}: {text}"),
                None => text.to_string(),
            };
        }
        self.language = Some(lang);
        self
    }

    /// The answer, in `lang` (with `Content-Language`).
    pub fn respond(self, lang: domain::Language) -> HttpResponse {
        self.localized(lang).into_response()
    }

    pub fn into_response(self) -> HttpResponse {
        let body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".into());
        let mut response = Response::builder()
            .status(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header("content-type", "application/problem+json");
        if let Some(seconds) = self.retry_after {
            response = response.header("retry-after", seconds.to_string());
        }
        if let Some(lang) = self.language {
            response = response.header("content-language", lang.as_str());
        }
        response.body(Body::Text(body)).unwrap_or_default()
    }
}

/// What a 503 names: a class of dependency, never its internals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dependency {
    Storage,
    Registries,
    Sms,
    Workflow,
    /// OCSP and the CRL of an EDS certificate.
    Revocation,
    /// EDS verification itself (a deployment that trusts no NCA root).
    Eds,
    /// The service's signing key (KMS), for certificates.
    Signing,
}

impl Dependency {
    pub fn as_str(&self) -> &'static str {
        match self {
            Dependency::Storage => "storage",
            Dependency::Registries => "registries",
            Dependency::Sms => "SMS",
            Dependency::Workflow => "workflow",
            Dependency::Revocation => "revocation",
            Dependency::Eds => "EDS",
            Dependency::Signing => "signing",
        }
    }
}

impl From<domain::errors::StoreError> for Problem {
    fn from(e: domain::errors::StoreError) -> Self {
        if e == domain::errors::StoreError::BadCursor {
            return Problem::invalid_field(
                "cursor",
                "CURSOR_FROM_PREVIOUS_PAGE",
                "cursor is the nextCursor of a previous page, unchanged",
            );
        }
        tracing::warn!(error = %e, dependency = "storage", "dependency failed");
        Problem::unavailable(Dependency::Storage)
    }
}

impl From<domain::errors::RegistryError> for Problem {
    fn from(e: domain::errors::RegistryError) -> Self {
        tracing::warn!(error = %e, dependency = "registries", "dependency failed");
        Problem::unavailable(Dependency::Registries)
    }
}

impl From<domain::errors::SmsError> for Problem {
    fn from(e: domain::errors::SmsError) -> Self {
        tracing::warn!(error = %e, dependency = "SMS", "dependency failed");
        Problem::unavailable(Dependency::Sms)
    }
}

impl From<domain::errors::WorkflowError> for Problem {
    fn from(e: domain::errors::WorkflowError) -> Self {
        tracing::warn!(error = %e, dependency = "workflow", "dependency failed");
        Problem::unavailable(Dependency::Workflow)
    }
}

impl From<domain::errors::SignerError> for Problem {
    fn from(e: domain::errors::SignerError) -> Self {
        tracing::warn!(error = %e, dependency = "signing", "dependency failed");
        Problem::unavailable(Dependency::Signing)
    }
}

impl From<domain::errors::DependencyError> for Problem {
    fn from(e: domain::errors::DependencyError) -> Self {
        use domain::errors::DependencyError as D;
        match e {
            D::Store(e) => e.into(),
            D::Registry(e) => e.into(),
            D::Sms(e) => e.into(),
            D::Workflow(e) => e.into(),
            D::Signer(e) => e.into(),
        }
    }
}

/// A JSON answer.
pub fn json(status: u16, value: &impl Serialize) -> HttpResponse {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
        .header("content-type", "application/json")
        .body(Body::Text(body))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::errors::{DependencyError, SmsError, StoreError};

    /// Issue #10, item 7: a 503 told citizens AWS's own error text.
    #[test]
    fn a_503_names_the_dependency_class_and_nothing_of_its_internals() {
        let internal = "ResourceNotFoundException: Requested resource not found";
        for (problem, class) in [
            (Problem::from(StoreError::Unavailable(internal.into())), "storage"),
            (Problem::from(DependencyError::Sms(SmsError::Unavailable(internal.into()))), "SMS"),
        ] {
            let body = serde_json::to_string(&problem).expect("json");
            assert_eq!(problem.status, 503);
            assert!(!body.contains("ResourceNotFound") && !body.contains("Requested"), "{body}");
            assert_eq!(problem.extra["dependency"], class);
            assert!(problem.detail.starts_with(class), "{}", problem.detail);
        }
    }
}
