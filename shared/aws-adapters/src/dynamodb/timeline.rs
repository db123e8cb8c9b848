//! Timeline entries: `APP#<id>` / `TL#<time>#<n>`, read with the application's partition.

use super::{entity, item, s, DynamoStore, Item};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use chrono::SecondsFormat;
use domain::errors::StoreError;
use domain::ports::TimelineStore;
use domain::{ApplicationId, TimelineEntry};

/// A timeline entry as an item; `TL#<time>#<random>` keeps entries of the same microsecond apart.
pub(super) fn entry_item(id: &ApplicationId, entry: &TimelineEntry) -> Result<Item, StoreError> {
    let sk = format!("TL#{}#{}", entry.at.to_rfc3339_opts(SecondsFormat::Micros, true), &domain::new_id("e")[2..10]);
    item(entry, &[("pk", format!("APP#{id}")), ("sk", sk)])
}

/// Entries as puts of a transaction (the write that changes the status writes its history too).
pub(super) fn entry_puts(
    table: &str,
    id: &ApplicationId,
    entries: &[TimelineEntry],
) -> Result<Vec<TransactWriteItem>, StoreError> {
    entries
        .iter()
        .map(|e| {
            let put = Put::builder().table_name(table).set_item(Some(entry_item(id, e)?)).build();
            put.map(|p| TransactWriteItem::builder().put(p).build()).map_err(errors::serde)
        })
        .collect()
}

#[async_trait]
impl TimelineStore for DynamoStore {
    async fn append(&self, id: &ApplicationId, entry: TimelineEntry) -> Result<(), StoreError> {
        let item = entry_item(id, &entry)?;
        self.client.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(errors::store)?;
        Ok(())
    }

    async fn list(&self, id: &ApplicationId) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut entries = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk AND begins_with(sk, :tl)")
                .expression_attribute_values(":pk", s(format!("APP#{id}")))
                .expression_attribute_values(":tl", s("TL#"))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(errors::store)?;
            for i in out.items.unwrap_or_default() {
                entries.push(entity(i)?);
            }
            match out.last_evaluated_key {
                Some(k) => start = Some(k),
                None => return Ok(entries),
            }
        }
    }
}
