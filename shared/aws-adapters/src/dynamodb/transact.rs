//! TransactWriteItems with its cancellations read for what they are. A transaction is cancelled when a
//! condition failed (a decision: the caller reads what the state is now) or when it collided with another
//! transaction on one of its items, or was throttled (no decision at all: retried here, a few times, then
//! "unavailable"). Two co-owners' answers, or two consent requests of one application, each hold a condition
//! on the same application item, so collisions are ordinary, not corruption and not a "no".

use crate::errors;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::TransactWriteItem;
use aws_sdk_dynamodb::Client;
use domain::errors::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transacted {
    Committed,
    /// A condition did not hold: nothing was written.
    ConditionFailed,
}

/// What a cancellation says, from its reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cancelled {
    /// A condition failed (and nothing collided): the indexes of the writes whose condition failed.
    Condition(Vec<usize>),
    /// Another transaction held an item, or the table was throttled: try again.
    Collided,
}

pub fn cancelled<R>(e: &SdkError<TransactWriteItemsError, R>) -> Option<Cancelled> {
    let SdkError::ServiceError(s) = e else { return None };
    let TransactWriteItemsError::TransactionCanceledException(c) = s.err() else { return None };
    let codes: Vec<&str> = c.cancellation_reasons().iter().map(|r| r.code().unwrap_or("None")).collect();
    let collided = codes.iter().any(|code| {
        matches!(
            *code,
            "TransactionConflict" | "ThrottlingError" | "ProvisionedThroughputExceeded" | "RequestLimitExceeded"
        )
    });
    let failed = codes.iter().enumerate().filter(|(_, c)| **c == "ConditionalCheckFailed").map(|(i, _)| i).collect();
    Some(if collided { Cancelled::Collided } else { Cancelled::Condition(failed) })
}

/// How often a collided transaction is tried again, and the first wait (doubling).
const TRIES: u32 = 4;
const FIRST_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

pub async fn transact(client: &Client, writes: Vec<TransactWriteItem>) -> Result<Transacted, StoreError> {
    Ok(match transact_naming_failures(client, writes).await? {
        None => Transacted::Committed,
        Some(_) => Transacted::ConditionFailed,
    })
}

/// As [`transact`]; a failed condition comes with the indexes of the writes whose condition failed (empty
/// if the service did not say).
pub async fn transact_naming_failures(
    client: &Client,
    writes: Vec<TransactWriteItem>,
) -> Result<Option<Vec<usize>>, StoreError> {
    let mut wait = FIRST_WAIT;
    for attempt in 1..=TRIES {
        let result = client.transact_write_items().set_transact_items(Some(writes.clone())).send().await;
        match result {
            Ok(_) => return Ok(None),
            Err(e) => match cancelled(&e) {
                Some(Cancelled::Condition(failed)) => return Ok(Some(failed)),
                Some(Cancelled::Collided) if attempt < TRIES => {
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
                Some(Cancelled::Collided) => {
                    return Err(StoreError::Unavailable("the transaction kept colliding with others".into()))
                }
                None => return Err(errors::store(e)),
            },
        }
    }
    Err(StoreError::Unavailable("the transaction kept colliding with others".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::error::TransactionCanceledException;
    use aws_sdk_dynamodb::types::CancellationReason;
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;

    fn cancellation(codes: &[&str]) -> SdkError<TransactWriteItemsError, HttpResponse> {
        let reasons = codes.iter().map(|c| CancellationReason::builder().code(*c).build()).collect();
        let e = TransactionCanceledException::builder().set_cancellation_reasons(Some(reasons)).build();
        let raw = HttpResponse::new(StatusCode::try_from(400).expect("status"), SdkBody::empty());
        SdkError::service_error(TransactWriteItemsError::TransactionCanceledException(e), raw)
    }

    /// A collision with another transaction is not a failed condition: taking it for one told an owner
    /// "already answered" when a co-owner answered at the same moment.
    #[test]
    fn a_collision_is_retried_and_only_a_failed_condition_is_a_no() {
        assert_eq!(cancelled(&cancellation(&["None", "ConditionalCheckFailed"])), Some(Cancelled::Condition(vec![1])));
        assert_eq!(cancelled(&cancellation(&["TransactionConflict", "None"])), Some(Cancelled::Collided));
        assert_eq!(
            cancelled(&cancellation(&["ConditionalCheckFailed", "TransactionConflict"])),
            Some(Cancelled::Collided)
        );
        assert_eq!(cancelled(&cancellation(&["ThrottlingError"])), Some(Cancelled::Collided));
    }
}
