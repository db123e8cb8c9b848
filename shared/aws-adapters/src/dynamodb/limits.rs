//! Rate-limit counters: `LIMIT#<limit>#<subject>#<window start>` / `LIMIT`, one number `n`, removed by TTL
//! after the window. Each is incremented by an update conditioned on being below the limit, inside the
//! transaction of what it limits: over a limit the whole transaction is cancelled, so nothing is written or
//! counted.

use super::{key, DynamoStore, TTL};
use crate::errors;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use domain::errors::StoreError;
use domain::rate_limits::{Counter, LimitHit};

impl DynamoStore {
    /// One update of each counter's item, shaped by `shape`, as writes of a transaction.
    fn counter_writes(
        &self,
        counters: &[Counter],
        shape: impl Fn(UpdateBuilder, &Counter) -> UpdateBuilder,
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        counters
            .iter()
            .map(|c| {
                let update =
                    Update::builder().table_name(&self.table).set_key(Some(key(format!("LIMIT#{}", c.key), "LIMIT")));
                shape(update, c).build().map(|u| TransactWriteItem::builder().update(u).build()).map_err(errors::serde)
            })
            .collect()
    }

    pub(super) fn counter_updates(&self, counters: &[Counter]) -> Result<Vec<TransactWriteItem>, StoreError> {
        self.counter_writes(counters, |update, c| {
            update
                .update_expression("ADD n :one SET #ttl = :ttl")
                .condition_expression("attribute_not_exists(n) OR n < :max")
                .expression_attribute_names("#ttl", TTL)
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .expression_attribute_values(":max", AttributeValue::N(c.max.to_string()))
                // A day after the window: DynamoDB removes expired items lazily, and a removed counter is one
                // of a window nobody asks about any more.
                .expression_attribute_values(
                    ":ttl",
                    AttributeValue::N((c.window_ends.timestamp() + 86_400).to_string()),
                )
        })
    }

    /// Gives back one of each of `counters`: `ADD n :minus_one` while `n > 0` (a counter already back at zero,
    /// or gone with its window, fails the transaction's condition: the caller reads that as "nothing to give
    /// back").
    pub(super) fn counter_givebacks(&self, counters: &[Counter]) -> Result<Vec<TransactWriteItem>, StoreError> {
        self.counter_writes(counters, |update, _| {
            update
                .update_expression("ADD n :minus_one")
                .condition_expression("n > :zero")
                .expression_attribute_values(":minus_one", AttributeValue::N("-1".into()))
                .expression_attribute_values(":zero", AttributeValue::N("0".into()))
        })
    }
}

/// The first of `counters` (written from index `offset` of the transaction) whose condition failed.
pub(super) fn hit_of(counters: &[Counter], failed: &[usize], offset: usize) -> Option<LimitHit> {
    failed.iter().filter_map(|i| i.checked_sub(offset)).find_map(|i| counters.get(i)).map(Counter::hit)
}
