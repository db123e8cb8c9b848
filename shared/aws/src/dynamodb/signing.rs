//! Signing requests: `SIG#<id>` / `SIG`, removed by TTL after expiry (and checked for expiry when read).

use super::{entity, item, key, DynamoStore, TTL};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use shared::domain::SigningRequestId;
use shared::errors::StoreError;
use shared::ports::{SigningRequest, SigningStore};

#[async_trait]
impl SigningStore for DynamoStore {
    async fn put(&self, request: &SigningRequest) -> Result<(), StoreError> {
        let mut item = item(request, &[("pk", format!("SIG#{}", request.id)), ("sk", "SIG".into())])?;
        item.insert(TTL.into(), AttributeValue::N(request.expires_at.timestamp().to_string()));
        self.client.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(errors::store)?;
        Ok(())
    }

    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("SIG#{id}"), "SIG")))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        out.item.map(entity).transpose()
    }

    async fn spend_attempt(&self, id: &SigningRequestId) -> Result<Option<u8>, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("SIG#{id}"), "SIG")))
            .update_expression("SET attemptsLeft = attemptsLeft - :one")
            .condition_expression("attribute_exists(pk) AND used = :no AND attemptsLeft > :zero")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":zero", AttributeValue::N("0".into()))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await;
        match result {
            Ok(out) => {
                let left = out
                    .attributes
                    .and_then(|a| a.get("attemptsLeft").and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()));
                Ok(left)
            }
            Err(e) if errors::code(&e).as_deref() == Some("ConditionalCheckFailedException") => Ok(None),
            Err(e) => Err(errors::store(e)),
        }
    }

    async fn consume(&self, id: &SigningRequestId, idempotency_key: Option<&str>) -> Result<bool, StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("SIG#{id}"), "SIG")))
            .update_expression(if idempotency_key.is_some() {
                "SET used = :yes, usedForKey = :key"
            } else {
                "SET used = :yes"
            })
            .condition_expression("attribute_exists(pk) AND used = :no")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":no", AttributeValue::Bool(false));
        if let Some(k) = idempotency_key {
            update = update.expression_attribute_values(":key", AttributeValue::S(k.to_string()));
        }
        let result = update.send().await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if errors::code(&e).as_deref() == Some("ConditionalCheckFailedException") => Ok(false),
            Err(e) => Err(errors::store(e)),
        }
    }
}
