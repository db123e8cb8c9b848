//! Signing requests: `SIG#<id>` / `SIG`, removed by TTL after expiry (and checked for expiry when read).
//! A guess takes an attempt in one conditional update before its code is compared; the code is marked used
//! by the transaction that stores the application it signs (`applications.rs`).

use super::limits::hit_of;
use super::transact::transact_naming_failures;
use super::{entity, item, key, s, DynamoStore, TTL};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, Put, ReturnValue, ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};
use chrono::{DateTime, Utc};
use domain::errors::StoreError;
use domain::ports::{CodeCheck, SigningRequest, SigningStore};
use domain::rate_limits::{Counter, LimitHit};
use domain::{ApplicationId, CodeHash, Iin, SigningRequestId};

fn sig_key(id: &SigningRequestId) -> super::Item {
    key(format!("SIG#{id}"), "SIG")
}

/// The request is open to a code: `applicant`'s, for the form `digest`, unused, unexpired, an attempt left.
const OPEN_TO: &str =
    "attribute_exists(pk) AND applicant = :applicant AND digest = :digest AND used = :no AND attemptsLeft > :zero AND #ttl > :now";

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl DynamoStore {
    /// Marks the request used by `app` (with its Idempotency-Key), only while it is open to `applicant`'s
    /// form with `digest` and `code` is its code: a write of the transaction that stores the application.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn use_signature(
        &self,
        id: &SigningRequestId,
        code: &CodeHash,
        app: &ApplicationId,
        applicant: &Iin,
        digest: &str,
        idempotency_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<TransactWriteItem, StoreError> {
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(sig_key(id)))
            .update_expression(if idempotency_key.is_some() {
                "SET used = :yes, usedBy = :app, usedForKey = :key"
            } else {
                "SET used = :yes, usedBy = :app"
            })
            .condition_expression(format!("{OPEN_TO} AND codeHash = :candidate"))
            .expression_attribute_names("#ttl", TTL)
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":now", n(now.timestamp()))
            .expression_attribute_values(":candidate", s(code.as_str()))
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .expression_attribute_values(":app", s(app.to_string()))
            .expression_attribute_values(":applicant", s(applicant.as_str()))
            .expression_attribute_values(":digest", s(digest));
        if let Some(k) = idempotency_key {
            update = update.expression_attribute_values(":key", s(k));
        }
        Ok(TransactWriteItem::builder().update(update.build().map_err(errors::serde)?).build())
    }
}

#[async_trait]
impl SigningStore for DynamoStore {
    async fn put(&self, request: &SigningRequest, limits: &[Counter]) -> Result<Option<LimitHit>, StoreError> {
        let mut item = item(request, &[("pk", format!("SIG#{}", request.id)), ("sk", "SIG".into())])?;
        item.insert(TTL.into(), n(request.expires_at.timestamp()));
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![TransactWriteItem::builder().put(put).build()];
        writes.extend(self.counter_updates(limits)?);
        match transact_naming_failures(&self.client, writes).await? {
            None => Ok(None),
            Some(failed) => match hit_of(limits, &failed, 1) {
                Some(hit) => Ok(Some(hit)),
                None => Err(StoreError::Unavailable("the signing request could not be stored; retry".into())),
            },
        }
    }

    async fn withdraw(&self, request: &SigningRequest, limits: &[Counter]) -> Result<bool, StoreError> {
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(sig_key(&request.id)))
            .condition_expression("attribute_exists(pk) AND used = :no")
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![TransactWriteItem::builder().delete(delete).build()];
        writes.extend(self.counter_givebacks(limits)?);
        Ok(super::transact::transact(&self.client, writes).await? == super::transact::Transacted::Committed)
    }

    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(sig_key(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        out.item.map(entity).transpose()
    }

    async fn try_code(
        &self,
        id: &SigningRequestId,
        applicant: &Iin,
        digest: &str,
        candidate: &CodeHash,
        now: DateTime<Utc>,
    ) -> Result<CodeCheck, StoreError> {
        // Counted only if wrong: the stored hash is compared with the candidate inside the condition.
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(sig_key(id)))
            .update_expression("SET attemptsLeft = attemptsLeft - :one")
            .condition_expression(format!("{OPEN_TO} AND codeHash <> :candidate"))
            .expression_attribute_names("#ttl", TTL)
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .expression_attribute_values(":applicant", s(applicant.as_str()))
            .expression_attribute_values(":digest", s(digest))
            .expression_attribute_values(":now", n(now.timestamp()))
            .expression_attribute_values(":candidate", s(candidate.as_str()))
            .return_values(ReturnValue::UpdatedNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => {
                let left = out.attributes.as_ref().and_then(|a| a.get("attemptsLeft")).and_then(|v| v.as_n().ok());
                Ok(CodeCheck::Wrong { attempts_left: left.and_then(|n| n.parse().ok()).unwrap_or(0) })
            }
            Err(e) if errors::code(&e).as_deref() == Some("ConditionalCheckFailedException") => {
                // Not counted: either the code is right (and the request open to it), or the request is not
                // open (locked, used, expired, another form). Which, from the item as the condition saw it
                // (or, where the service does not return it, as it is now: attempts only go down, so a later
                // read can only be stricter).
                let seen = match &e {
                    SdkError::ServiceError(se) => match se.err() {
                        UpdateItemError::ConditionalCheckFailedException(c) => c.item().cloned(),
                        _ => None,
                    },
                    _ => None,
                };
                let request: Option<SigningRequest> = match seen {
                    Some(item) => Some(entity(item)?),
                    None => self.get(id).await?,
                };
                Ok(match request {
                    Some(r) if r.open_to(applicant, digest, now) && &r.code_hash == candidate => CodeCheck::Right,
                    other => CodeCheck::NotTried(other),
                })
            }
            Err(e) => Err(errors::store(e)),
        }
    }
}
