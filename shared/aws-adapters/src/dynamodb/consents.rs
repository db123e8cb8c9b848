//! Consents live in their application's partition (`APP#<id>` / `CONSENT#<cid>`), so the workflow reads
//! them strongly consistently. gsi1: the owner's by status (`OWNER#<iin>`, `<STATUS>#<cid>`); gsi2: by
//! the phone the request went to; gsi3: by consent id (an owner answering in the app).

use super::limits::hit_of;
use super::transact::{transact, transact_naming_failures, Transacted};
use super::{entity, item, key, s, DynamoStore, Item, GSI1, GSI2, GSI3, TTL};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, PutRequest, ReturnValue, TransactWriteItem, Update, WriteRequest};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::errors::StoreError;
use domain::ports::{AnswerRecording, ConsentStore, MarkRequested, RecordedAnswer};
use domain::rate_limits::Counter;
use domain::{
    ApplicationId, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, InboundMessageId, PhoneNumber, ReplyReceipt,
};

/// Answered consents are kept this long after their expiry, then DynamoDB's TTL removes them.
const KEEP_DAYS: i64 = 30;

pub(super) fn consent_item(c: &Consent) -> Result<Item, StoreError> {
    let mut keys = vec![
        ("pk", format!("APP#{}", c.application_id)),
        ("sk", format!("CONSENT#{}", c.id)),
        ("gsi1pk", format!("OWNER#{}", c.owner.as_str())),
        ("gsi1sk", format!("{}#{}", c.status.as_str(), c.id)),
        ("gsi3pk", format!("CONSENT#{}", c.id)),
    ];
    if let (Some(phone), Some(at)) = (&c.owner_phone, c.requested_at) {
        keys.push(("gsi2pk", format!("PHONE#{}", phone.as_str())));
        keys.push(("gsi2sk", format!("{}#{}", at.to_rfc3339_opts(SecondsFormat::Micros, true), c.id)));
    }
    let mut item = item(c, &keys)?;
    if let Some(expires) = c.expires_at {
        let epoch = (expires + chrono::Duration::days(KEEP_DAYS)).timestamp();
        item.insert(TTL.into(), aws_sdk_dynamodb::types::AttributeValue::N(epoch.to_string()));
    }
    Ok(item)
}

impl DynamoStore {
    async fn query_consents(
        &self,
        index: Option<&str>,
        condition: &str,
        values: &[(&str, String)],
    ) -> Result<Vec<Consent>, StoreError> {
        let mut out_items = Vec::new();
        let mut start = None;
        loop {
            let mut q = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(index.map(str::to_string))
                .key_condition_expression(condition)
                .consistent_read(index.is_none())
                .set_exclusive_start_key(start);
            for (k, v) in values {
                q = q.expression_attribute_values(*k, s(v.clone()));
            }
            let out = q.send().await.map_err(errors::store)?;
            for i in out.items.unwrap_or_default() {
                out_items.push(entity(i)?);
            }
            match out.last_evaluated_key {
                Some(k) => start = Some(k),
                None => return Ok(out_items),
            }
        }
    }
}

#[async_trait]
impl ConsentStore for DynamoStore {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError> {
        for chunk in consents.chunks(25) {
            let mut writes = Vec::new();
            for c in chunk {
                let put = PutRequest::builder().set_item(Some(consent_item(c)?)).build().map_err(errors::serde)?;
                writes.push(WriteRequest::builder().put_request(put).build());
            }
            let mut pending = Some(std::collections::HashMap::from([(self.table.clone(), writes)]));
            for _ in 0..5 {
                let out = self
                    .client
                    .batch_write_item()
                    .set_request_items(pending.take())
                    .send()
                    .await
                    .map_err(errors::store)?;
                match out.unprocessed_items.filter(|u| !u.is_empty()) {
                    Some(left) => pending = Some(left),
                    None => break,
                }
            }
            if pending.is_some() {
                return Err(StoreError::Unavailable("some consents were not written (throttled)".into()));
            }
        }
        Ok(())
    }

    async fn get(&self, application: &ApplicationId, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("APP#{application}"), &format!("CONSENT#{id}"))))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        out.item.map(entity).transpose()
    }

    async fn find(&self, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        let found = self.query_consents(Some(GSI3), "gsi3pk = :id", &[(":id", format!("CONSENT#{id}"))]).await?;
        Ok(found.into_iter().next())
    }

    async fn for_application(&self, id: &ApplicationId) -> Result<Vec<Consent>, StoreError> {
        self.query_consents(
            None,
            "pk = :pk AND begins_with(sk, :c)",
            &[(":pk", format!("APP#{id}")), (":c", "CONSENT#".into())],
        )
        .await
    }

    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError> {
        let pending = format!("{}#", ConsentStatus::Pending.as_str());
        self.query_consents(
            Some(GSI1),
            "gsi1pk = :o AND begins_with(gsi1sk, :p)",
            &[(":o", format!("OWNER#{}", owner.as_str())), (":p", pending)],
        )
        .await
    }

    async fn for_phone(&self, phone: &PhoneNumber, since: DateTime<Utc>) -> Result<Vec<Consent>, StoreError> {
        // gsi2sk starts with the request time (RFC 3339, UTC, microseconds), so it sorts by time.
        let since = since.to_rfc3339_opts(SecondsFormat::Micros, true);
        let values = [(":p", format!("PHONE#{}", phone.as_str())), (":since", since)];
        self.query_consents(Some(GSI2), "gsi2pk = :p AND gsi2sk >= :since", &values).await
    }

    async fn mark_requested(&self, consent: &Consent, limits: &[Counter]) -> Result<MarkRequested, StoreError> {
        // The consent still pending and its application still open: one transaction, so that a request is
        // never texted for an application withdrawn a moment before.
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(consent_item(consent)?))
            .condition_expression("#status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", s(ConsentStatus::Pending.as_str()))
            .build()
            .map_err(errors::serde)?;
        let mut writes =
            vec![self.open_application_check(&consent.application_id)?, TransactWriteItem::builder().put(put).build()];
        writes.extend(self.counter_updates(limits)?);
        Ok(match transact_naming_failures(&self.client, writes).await? {
            None => MarkRequested::Marked,
            Some(failed) if failed.iter().any(|i| *i < 2) => MarkRequested::Closed,
            Some(failed) => hit_of(limits, &failed, 2).map_or(MarkRequested::Closed, MarkRequested::Limited),
        })
    }

    async fn transition(
        &self,
        application: &ApplicationId,
        id: &ConsentId,
        from: ConsentStatus,
        to: ConsentStatus,
        channel: Option<ConsentChannel>,
        at: DateTime<Utc>,
    ) -> Result<Option<Consent>, StoreError> {
        let mut set = vec!["#status = :to", "gsi1sk = :sk"];
        let mut remove = Vec::new();
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("APP#{application}"), &format!("CONSENT#{id}"))))
            .condition_expression("#status = :from")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":from", s(from.as_str()))
            .expression_attribute_values(":to", s(to.as_str()))
            .expression_attribute_values(":sk", s(format!("{}#{id}", to.as_str())))
            .return_values(ReturnValue::AllNew);
        if to == ConsentStatus::Pending {
            remove.extend(["answeredAt", "channel"]);
        } else {
            set.push("answeredAt = :at");
            update = update.expression_attribute_values(":at", s(at.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
        }
        match channel.map(|c| c.as_str()) {
            Some(c) => {
                set.push("channel = :ch");
                update = update.expression_attribute_values(":ch", s(c));
            }
            None if to != ConsentStatus::Pending => remove.push("channel"),
            None => {}
        }
        let mut expression = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        if matches!(to, ConsentStatus::Approved | ConsentStatus::Declined) {
            // An answer holds only while the application is open: the same update, in a transaction with a
            // condition on the application.
            let b = update.as_input().clone();
            let answer = Update::builder()
                .table_name(&self.table)
                .set_key(b.get_key().clone())
                .update_expression(expression)
                .condition_expression("#status = :from")
                .set_expression_attribute_names(b.get_expression_attribute_names().clone())
                .set_expression_attribute_values(b.get_expression_attribute_values().clone())
                .build()
                .map_err(errors::serde)?;
            let writes =
                vec![self.open_application_check(application)?, TransactWriteItem::builder().update(answer).build()];
            return match transact(&self.client, writes).await? {
                Transacted::Committed => self.get(application, id).await,
                Transacted::ConditionFailed => Ok(None),
            };
        }
        match update.update_expression(expression).send().await {
            Ok(out) => out.attributes.map(entity).transpose(),
            Err(e) if errors::code(&e).as_deref() == Some("ConditionalCheckFailedException") => Ok(None),
            Err(e) => Err(errors::store(e)),
        }
    }

    async fn record_answer(&self, a: &RecordedAnswer<'_>) -> Result<AnswerRecording, StoreError> {
        let (application, id) = (a.application, a.consent);
        let answer = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(format!("APP#{application}"), &format!("CONSENT#{id}"))))
            .update_expression("SET #status = :to, gsi1sk = :sk, answeredAt = :at, channel = :ch")
            .condition_expression("#status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", s(ConsentStatus::Pending.as_str()))
            .expression_attribute_values(":to", s(a.to.as_str()))
            .expression_attribute_values(":sk", s(format!("{}#{id}", a.to.as_str())))
            .expression_attribute_values(":at", s(a.at.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
            .expression_attribute_values(":ch", s(a.channel.as_str()))
            .build()
            .map_err(errors::serde)?;
        let entry = Put::builder()
            .table_name(&self.table)
            .set_item(Some(super::timeline::entry_item(application, a.entry)?))
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![
            self.open_application_check(application)?,
            TransactWriteItem::builder().update(answer).build(),
            TransactWriteItem::builder().put(entry).build(),
        ];
        if let Some(receipt) = a.receipt {
            writes.push(self.receipt_put(receipt)?);
        }
        match transact(&self.client, writes).await? {
            Transacted::Committed => match self.get(application, id).await? {
                Some(c) => Ok(AnswerRecording::Recorded(Box::new(c))),
                None => Ok(AnswerRecording::NotPending),
            },
            // Which condition failed: the receipt's (a redelivery) when it is there now, else the answer's.
            Transacted::ConditionFailed => match a.receipt {
                Some(r) if self.get_receipt(&r.message).await?.is_some() => Ok(AnswerRecording::MessageAlreadyReceived),
                _ => Ok(AnswerRecording::NotPending),
            },
        }
    }

    async fn record_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.put_receipt(receipt).await
    }

    async fn amend_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        self.replace_pending_receipt(receipt).await
    }

    async fn receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError> {
        self.get_receipt(message).await
    }

    async fn claim_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.claim_receipt_ack(message, now, lease_until).await
    }

    async fn finish_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError> {
        self.finish_receipt_ack(message, sent).await
    }
}
