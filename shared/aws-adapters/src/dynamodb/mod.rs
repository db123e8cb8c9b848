//! One table for what the workflow writes, one for the registries. Keys, indexes and every access
//! pattern are in `infra/dynamodb.md`; [`schema`] creates the tables the same way the template does.

mod applications;
pub mod bulk;
mod certificates;
mod consents;
mod limits;
mod receipts;
mod registrations;
mod registries;
pub mod schema;
mod signing;
mod timeline;
pub mod transact;

pub use registries::{load_reference_data, ownership_items, person_item, property_item, DynamoRegistries, OWNERS};

use crate::errors;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::Client;
use domain::errors::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const GSI1: &str = "gsi1";
pub const GSI2: &str = "gsi2";
pub const GSI3: &str = "gsi3";
/// Registrations by address (`ADDR#<rka>`) and date: the address-volume review signal.
pub const GSI4: &str = "gsi4";
/// The table's TTL attribute (epoch seconds).
pub const TTL: &str = "expiresAtEpoch";

pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: String) -> Self {
        DynamoStore { client, table }
    }
}

pub(crate) fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// An entity as an item, with its key and index attributes added.
pub(crate) fn item<T: Serialize>(value: &T, keys: &[(&str, String)]) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::aws_sdk_dynamodb_1::to_item(value).map_err(errors::serde)?;
    item.retain(|_, v| !matches!(v, AttributeValue::Null(_)));
    for (k, v) in keys {
        item.insert((*k).to_string(), s(v.clone()));
    }
    Ok(item)
}

pub(crate) fn entity<T: DeserializeOwned>(mut item: Item) -> Result<T, StoreError> {
    for k in [PK, SK, "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi4pk", "gsi4sk", TTL] {
        item.remove(k);
    }
    serde_dynamo::aws_sdk_dynamodb_1::from_item(item).map_err(errors::serde)
}

pub(crate) fn key(pk: String, sk: &str) -> Item {
    HashMap::from([(PK.to_string(), s(pk)), (SK.to_string(), s(sk))])
}

/// Every item a query gives, page after page (`LastEvaluatedKey` followed to the end).
pub(crate) async fn query_all(
    query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let out = query.clone().set_exclusive_start_key(start).send().await.map_err(errors::store)?;
        items.extend(out.items.unwrap_or_default());
        start = out.last_evaluated_key;
        if start.is_none() {
            return Ok(items);
        }
    }
}

/// Gets items by key, 100 at a time with BatchGetItem; keys DynamoDB leaves unprocessed (throttling) are asked
/// again after a short, growing pause, 5 times at most. The order of the items is not the keys'.
pub async fn batch_get(client: &Client, table: &str, keys: Vec<Item>) -> Result<Vec<Item>, StoreError> {
    use aws_sdk_dynamodb::types::KeysAndAttributes;
    let mut items = Vec::new();
    for chunk in keys.chunks(100) {
        let mut request =
            Some(KeysAndAttributes::builder().set_keys(Some(chunk.to_vec())).build().map_err(errors::serde)?);
        let mut attempt = 0u32;
        while let Some(keys) = request.take() {
            if attempt > 0 {
                if attempt > 5 {
                    return Err(StoreError::Unavailable("keys kept unprocessed".into()));
                }
                tokio::time::sleep(std::time::Duration::from_millis(25 << attempt)).await;
            }
            attempt += 1;
            let out = client.batch_get_item().request_items(table, keys).send().await.map_err(errors::store)?;
            items.extend(out.responses.and_then(|mut r| r.remove(table)).unwrap_or_default());
            request = out.unprocessed_keys.and_then(|mut u| u.remove(table)).filter(|k| !k.keys().is_empty());
        }
    }
    Ok(items)
}

/// Puts items 25 at a time with BatchWriteItem. What DynamoDB leaves unprocessed (throttling) is sent again
/// after a growing pause (50 ms doubling to 3.2 s, with jitter); still unprocessed after 8 retries is an error.
pub async fn batch_put(client: &Client, table: &str, items: Vec<Item>) -> Result<(), StoreError> {
    use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
    use rand::Rng;
    const RETRIES: u32 = 8;
    for chunk in items.chunks(25) {
        let writes = chunk
            .iter()
            .map(|i| {
                PutRequest::builder()
                    .set_item(Some(i.clone()))
                    .build()
                    .map(|p| WriteRequest::builder().put_request(p).build())
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(errors::serde)?;
        let mut pending = Some(HashMap::from([(table.to_string(), writes)]));
        let mut retry = 0;
        while let Some(request) = pending.take() {
            if retry > RETRIES {
                return Err(StoreError::Unavailable(format!("items stayed unprocessed after {RETRIES} retries")));
            }
            if retry > 0 {
                let pause = 50u64 << (retry - 1);
                let jitter = rand::thread_rng().gen_range(0..=pause / 2);
                tokio::time::sleep(std::time::Duration::from_millis(pause + jitter)).await;
            }
            let out = client.batch_write_item().set_request_items(Some(request)).send().await.map_err(errors::store)?;
            pending = out.unprocessed_items.filter(|u| !u.is_empty());
            retry += 1;
        }
    }
    Ok(())
}
