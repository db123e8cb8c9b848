//! AWS errors to the ports' errors, classified by what they are: timeouts, connection failures, throttling
//! and any 5xx (coded or not) are transient, retried by the SDK and then by the state machine's `Retry`.
//! Only an item that does not map back to its type ([`serde`]) is corrupt data: an error from the service,
//! whatever it is, is never taken for corrupt data.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use domain::errors::StoreError;

/// Error codes a retry can cure.
const TRANSIENT: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
    "TransactionConflictException",
    "TransactionInProgressException",
    "Throttled",
    "InternalError",
    "KMSThrottlingException",
];

pub fn code<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> Option<String> {
    match e {
        SdkError::ServiceError(s) => s.err().code().map(str::to_string),
        _ => None,
    }
}

/// A conditional write's result: `true` when it was applied, `false` when its condition did not hold
/// (`ConditionalCheckFailedException`), the store's error otherwise.
pub fn applied<T, E: ProvideErrorMetadata + std::fmt::Debug, R: HttpStatus>(
    result: Result<T, SdkError<E, R>>,
) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(e) if code(&e).as_deref() == Some("ConditionalCheckFailedException") => Ok(false),
        Err(e) => Err(store(e)),
    }
}

/// The HTTP status of a service's answer, when it answered.
fn http_status<E, R: HttpStatus>(e: &SdkError<E, R>) -> Option<u16> {
    match e {
        SdkError::ServiceError(s) => Some(s.raw().status_code()),
        SdkError::ResponseError(r) => Some(r.raw().status_code()),
        _ => None,
    }
}

/// The raw response's status, for the SDK's response type.
pub trait HttpStatus {
    fn status_code(&self) -> u16;
}

impl HttpStatus for aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// Whether an SDK error is worth retrying: no answer at all (timeout, connection refused or reset), an
/// answer that says "later" (throttling, a transient code), or any 5xx, with or without an error code.
pub fn is_transient<E: ProvideErrorMetadata, R: HttpStatus>(e: &SdkError<E, R>) -> bool {
    if http_status(e).is_some_and(|s| s >= 500 || s == 429) {
        return true;
    }
    match e {
        SdkError::ServiceError(_) => code(e).is_some_and(|c| TRANSIENT.contains(&c.as_str())),
        SdkError::ConstructionFailure(_) => false,
        _ => true,
    }
}

pub fn describe<E: ProvideErrorMetadata + std::fmt::Debug, R>(e: &SdkError<E, R>) -> String {
    match e {
        SdkError::ServiceError(s) => {
            format!("{}: {}", s.err().code().unwrap_or("error"), s.err().message().unwrap_or(""))
        }
        SdkError::TimeoutError(_) => "timed out".into(),
        SdkError::DispatchFailure(d) => {
            format!("dispatch failure: {:?}", d.as_connector_error().map(|c| c.to_string()))
        }
        SdkError::ResponseError(_) => "unreadable response".into(),
        SdkError::ConstructionFailure(_) => "request could not be built".into(),
        _ => "unknown SDK error".into(),
    }
}

/// Every error the service (or the way to it) gives is "unavailable": the state machine retries it a bounded
/// number of times and then still finalizes the application; the API answers 503 "storage". A validation
/// error or a missing table is a deployment fault, not corrupt data, and the log line says which it was.
pub fn store<E: ProvideErrorMetadata + std::fmt::Debug, R: HttpStatus>(e: SdkError<E, R>) -> StoreError {
    let transient = is_transient(&e);
    let described = describe(&e);
    if !transient {
        tracing::error!(error = %described, "DynamoDB refused the request");
    }
    StoreError::Unavailable(described)
}

pub fn serde(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("item does not map: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn answered(status: u16, code: Option<&str>) -> SdkError<GetItemError, HttpResponse> {
        let mut meta = ErrorMetadata::builder();
        if let Some(c) = code {
            meta = meta.code(c);
        }
        let raw = HttpResponse::new(StatusCode::try_from(status).expect("status"), SdkBody::empty());
        SdkError::service_error(GetItemError::generic(meta.build()), raw)
    }

    /// Issue #10, item 3: a 502 without an error code was taken for corrupt data.
    #[test]
    fn any_5xx_with_or_without_a_code_is_transient_and_never_corrupt() {
        for e in [answered(502, None), answered(503, Some("ServiceUnavailable")), answered(500, Some("Odd"))] {
            assert!(is_transient(&e));
            assert!(matches!(store(e), StoreError::Unavailable(_)));
        }
        assert!(is_transient(&answered(429, None)), "throttled");
        assert!(is_transient(&answered(400, Some("ThrottlingException"))));
        let refused = answered(400, Some("ResourceNotFoundException"));
        assert!(!is_transient(&refused));
        assert!(matches!(store(refused), StoreError::Unavailable(_)), "a service's refusal is not corrupt data");
        assert!(matches!(serde("missing field"), StoreError::Corrupt(_)), "only an unmappable item is");
    }
}
