//! The registries as a DynamoDB table: `PERSON#<iin>` and `PROPERTY#<rka>`. A deployment can swap this
//! for the state registries' own APIs behind the same `Registries` port. [`load_reference_data`]
//! imports the reference-data file the local stack uses.

use super::{item, s, Item};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use shared::domain::{Iin, Person, Property, Rka};
use shared::errors::{RegistryError, StoreError};
use shared::ports::Registries;
use shared::reference_data::ReferenceData;

pub struct DynamoRegistries {
    client: Client,
    table: String,
}

impl DynamoRegistries {
    pub fn new(client: Client, table: String) -> Self {
        DynamoRegistries { client, table }
    }

    async fn get(&self, pk: String) -> Result<Option<Item>, RegistryError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .send()
            .await
            .map_err(|e| RegistryError(errors::describe(&e)))?;
        Ok(out.item)
    }
}

fn registry_item<T: serde::Serialize>(value: &T, pk: String) -> Result<Item, StoreError> {
    let mut i = item(value, &[])?;
    i.insert("pk".into(), s(pk));
    Ok(i)
}

#[async_trait]
impl Registries for DynamoRegistries {
    async fn person(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        let item = self.get(format!("PERSON#{}", iin.as_str())).await?;
        item.map(|mut i| {
            i.remove("pk");
            serde_dynamo::aws_sdk_dynamodb_1::from_item(i).map_err(|e| RegistryError(e.to_string()))
        })
        .transpose()
    }

    async fn property(&self, rka: &Rka) -> Result<Option<Property>, RegistryError> {
        let item = self.get(format!("PROPERTY#{rka}")).await?;
        item.map(|mut i| {
            i.remove("pk");
            serde_dynamo::aws_sdk_dynamodb_1::from_item(i).map_err(|e| RegistryError(e.to_string()))
        })
        .transpose()
    }
}

/// Writes every person and property of a checked reference-data file; returns how many items.
pub async fn load_reference_data(client: &Client, table: &str, data: &ReferenceData) -> Result<usize, StoreError> {
    let mut items = Vec::new();
    for p in data.people() {
        items.push(registry_item(p, format!("PERSON#{}", p.iin.as_str()))?);
    }
    for p in data.properties() {
        items.push(registry_item(p, format!("PROPERTY#{}", p.rka))?);
    }
    let count = items.len();
    super::batch_put(client, table, items).await?;
    Ok(count)
}
