//! Issued certificates: `CERT#<number>` / `CERT`, written with the application's timeline entry in one
//! transaction. Checks are counted per caller with the rate-limit counters (`limits.rs`).

use super::timeline::entry_puts;
use super::transact::{transact, Transacted};
use super::{entity, item, key, DynamoStore};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use domain::certificate::{CertificateRecord, DocumentNumber};
use domain::errors::StoreError;
use domain::ports::CertificateStore;
use domain::rate_limits::{Counter, LimitHit};
use domain::TimelineEntry;

#[async_trait]
impl CertificateStore for DynamoStore {
    async fn issue(&self, record: &CertificateRecord, entry: TimelineEntry) -> Result<bool, StoreError> {
        let item = item(record, &[("pk", format!("CERT#{}", record.number)), ("sk", "CERT".into())])?;
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![TransactWriteItem::builder().put(put).build()];
        writes.extend(entry_puts(&self.table, &record.application_id, &[entry])?);
        Ok(transact(&self.client, writes).await? == Transacted::Committed)
    }

    async fn get(&self, number: &DocumentNumber) -> Result<Option<CertificateRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(format!("CERT#{number}"), "CERT")))
            .send()
            .await
            .map_err(errors::store)?;
        out.item.map(entity).transpose()
    }

    async fn count_check(&self, counter: &Counter) -> Result<Option<LimitHit>, StoreError> {
        let writes = self.counter_updates(std::slice::from_ref(counter))?;
        Ok(match transact(&self.client, writes).await? {
            Transacted::Committed => None,
            Transacted::ConditionFailed => Some(counter.hit()),
        })
    }
}
