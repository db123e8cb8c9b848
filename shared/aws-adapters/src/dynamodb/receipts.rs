//! Receipts of inbound SMS: `REPLY#<message id>` / `REPLY`, removed by TTL after `RECEIPT_KEPT_DAYS`. Written
//! once (`attribute_not_exists`), alone or in the transaction of the answer the message made
//! (`consents.rs`); the acknowledgement's claim is one conditional update (`ackState` PENDING and no live
//! lease), as the outcome texts' (`applications.rs`).

use super::{key, s, DynamoStore, Item, TTL};
use crate::errors;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::errors::StoreError;
use domain::{
    Acknowledgement, ApplicationId, ConsentId, InboundMessageId, Language, NoticeState, PhoneNumber, ReplyOutcome,
    ReplyReceipt,
};

fn receipt_key(message: &InboundMessageId) -> Item {
    key(format!("REPLY#{message}"), "REPLY")
}

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn receipt_item(r: &ReplyReceipt) -> Item {
    let mut item = receipt_key(&r.message);
    item.insert("outcome".into(), s(r.outcome.as_str()));
    item.insert("receivedAt".into(), s(r.received_at.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
    item.insert(TTL.into(), n(r.expires_at().timestamp()));
    if let Some(ack) = &r.ack {
        item.insert("ackTo".into(), s(ack.to.as_str()));
        item.insert("ackText".into(), s(ack.text.as_str()));
        item.insert("ackState".into(), s(ack.state.as_str()));
        item.insert("ackLanguage".into(), s(ack.language.as_str()));
    }
    if let Some((application, consent)) = &r.answered {
        item.insert("applicationId".into(), s(application.to_string()));
        item.insert("consentId".into(), s(consent.to_string()));
    }
    item
}

fn text(item: &Item, name: &str) -> Result<String, StoreError> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .ok_or_else(|| StoreError::Unavailable(format!("a reply receipt without {name}")))
}

fn receipt_of(item: &Item) -> Result<ReplyReceipt, StoreError> {
    let message = text(item, "pk")?;
    let message = InboundMessageId::parse(message.trim_start_matches("REPLY#"))
        .map_err(|e| StoreError::Unavailable(format!("a reply receipt's id: {e}")))?;
    let outcome = text(item, "outcome")?;
    let outcome = ReplyOutcome::ALL
        .iter()
        .find(|o| o.as_str() == outcome)
        .copied()
        .ok_or_else(|| StoreError::Unavailable(format!("a reply receipt's outcome {outcome}")))?;
    let received_at = DateTime::parse_from_rfc3339(&text(item, "receivedAt")?)
        .map_err(|e| StoreError::Unavailable(format!("a reply receipt's time: {e}")))?
        .with_timezone(&Utc);
    let ack = match item.get("ackTo") {
        None => None,
        Some(_) => Some(Acknowledgement {
            to: PhoneNumber::parse(&text(item, "ackTo")?)
                .map_err(|e| StoreError::Unavailable(format!("a reply receipt's number: {e}")))?,
            text: text(item, "ackText")?,
            state: if text(item, "ackState")? == NoticeState::Sent.as_str() {
                NoticeState::Sent
            } else {
                NoticeState::Pending
            },
            language: {
                let name = text(item, "ackLanguage")?;
                Language::ALL.iter().find(|l| l.as_str() == name).copied().unwrap_or_default()
            },
        }),
    };
    let answered = match (item.get("applicationId"), item.get("consentId")) {
        (Some(_), Some(_)) => {
            let application = ApplicationId::parse(&text(item, "applicationId")?);
            let consent = ConsentId::parse(&text(item, "consentId")?);
            application.zip(consent)
        }
        _ => None,
    };
    Ok(ReplyReceipt { message, outcome, ack, received_at, answered })
}

impl DynamoStore {
    /// The receipt's write, only if its message has none: alone, or in the transaction of an answer.
    pub(super) fn receipt_put(&self, r: &ReplyReceipt) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(receipt_item(r)))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(errors::serde)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub(super) async fn put_receipt(&self, r: &ReplyReceipt) -> Result<bool, StoreError> {
        let sent = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(receipt_item(r)))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        errors::applied(sent)
    }

    /// Overwrites the receipt while its acknowledgement is pending: `false` when it was sent (or is gone).
    pub(super) async fn replace_pending_receipt(&self, r: &ReplyReceipt) -> Result<bool, StoreError> {
        let sent = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(receipt_item(r)))
            .condition_expression("ackState = :pending")
            .expression_attribute_values(":pending", s(NoticeState::Pending.as_str()))
            .send()
            .await;
        errors::applied(sent)
    }

    pub(super) async fn get_receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(receipt_key(message)))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        out.item.as_ref().map(receipt_of).transpose()
    }

    pub(super) async fn claim_receipt_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sent = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(receipt_key(message)))
            .update_expression("SET ackLease = :until")
            .condition_expression("ackState = :pending AND (attribute_not_exists(ackLease) OR ackLease <= :now)")
            .expression_attribute_values(":pending", s(NoticeState::Pending.as_str()))
            .expression_attribute_values(":now", n(now.timestamp_millis()))
            .expression_attribute_values(":until", n(lease_until.timestamp_millis()))
            .send()
            .await;
        errors::applied(sent)
    }

    pub(super) async fn finish_receipt_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(receipt_key(message)))
            .condition_expression("attribute_exists(pk)");
        update = if sent {
            update
                .update_expression("SET ackState = :sent REMOVE ackLease")
                .expression_attribute_values(":sent", s(NoticeState::Sent.as_str()))
        } else {
            update.update_expression("REMOVE ackLease")
        };
        // A claim already ended (sent, or its item gone) is not an error.
        errors::applied(update.send().await).map(|_| ())
    }
}
