//! AWS errors to the ports' errors. Throttling, timeouts and 5xx are worth retrying (the SDK retries
//! them first, then the state machine's `Retry`); validation and missing resources are not.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use shared::errors::StoreError;

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

/// Whether an SDK error is worth retrying: no answer at all, or an answer that says "later".
pub fn is_transient<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
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

pub fn store<E: ProvideErrorMetadata + std::fmt::Debug, R>(e: SdkError<E, R>) -> StoreError {
    if is_transient(&e) {
        StoreError::Unavailable(describe(&e))
    } else {
        StoreError::Corrupt(describe(&e))
    }
}

pub fn serde(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("item does not map: {e}"))
}
