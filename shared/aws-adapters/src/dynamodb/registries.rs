//! The registries as a DynamoDB table: `PERSON#<iin>`, `PROPERTY#<rka>`, and one `OWNS#<iin>#<rka>` per owner of
//! a property (`owner`, `rka`), which the `owners` index finds by owner. A deployment can swap this
//! for the state registries' own APIs behind the same `Registries` port. [`load_reference_data`]
//! imports the reference-data file the local stack uses.

use super::{item, s, Item};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use domain::errors::{RegistryError, StoreError};
use domain::ports::{Found, Registries};
use domain::reference_data::ReferenceData;
use domain::{Iin, Person, Property, Rka};

/// The registries table's index of ownership items: `owner` / `rka`, keys only.
pub const OWNERS: &str = "owners";

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

fn from_registry_item<T: serde::de::DeserializeOwned>(mut i: Item) -> Result<T, RegistryError> {
    i.remove("pk");
    serde_dynamo::aws_sdk_dynamodb_1::from_item(i).map_err(|e| RegistryError(e.to_string()))
}

#[async_trait]
impl Registries for DynamoRegistries {
    /// One `BatchGetItem` (100 keys at most per request; keys DynamoDB leaves unprocessed are asked again:
    /// [`super::batch_get`]).
    async fn lookup(&self, people: &[Iin], properties: &[Rka]) -> Result<Found, RegistryError> {
        let mut pks: Vec<String> = people.iter().map(|p| format!("PERSON#{}", p.as_str())).collect();
        pks.extend(properties.iter().map(|r| format!("PROPERTY#{r}")));
        pks.sort();
        pks.dedup();
        let keys: Vec<Item> = pks.into_iter().map(|pk| Item::from([("pk".to_string(), s(pk))])).collect();
        let items =
            super::batch_get(&self.client, &self.table, keys).await.map_err(|e| RegistryError(e.to_string()))?;
        let mut found = Found::default();
        for item in items {
            let is_person = item.get("pk").and_then(|v| v.as_s().ok()).is_some_and(|pk| pk.starts_with("PERSON#"));
            if is_person {
                found.people.push(from_registry_item(item)?);
            } else {
                found.properties.push(from_registry_item(item)?);
            }
        }
        Ok(found)
    }

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

    /// The `owners` index by owner (the RKAs), then the properties in one lookup.
    async fn owned_by(&self, owner: &Iin) -> Result<Vec<Property>, RegistryError> {
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(OWNERS)
            .key_condition_expression("#o = :o")
            .expression_attribute_names("#o", "owner")
            .expression_attribute_values(":o", s(owner.as_str()));
        let rkas: Vec<Rka> = super::query_all(query)
            .await
            .map_err(|e| RegistryError(e.to_string()))?
            .iter()
            .filter_map(|item| item.get("rka").and_then(|v| v.as_s().ok()).and_then(|r| Rka::parse(r).ok()))
            .collect();
        if rkas.is_empty() {
            return Ok(vec![]);
        }
        let mut owned = self.lookup(&[], &rkas).await?.properties;
        owned.sort_by(|a, b| a.rka.cmp(&b.rka));
        Ok(owned)
    }
}

/// A person as the registries table holds them.
pub fn person_item(p: &Person) -> Result<Item, StoreError> {
    registry_item(p, format!("PERSON#{}", p.iin.as_str()))
}

/// A property as the registries table holds it.
pub fn property_item(p: &Property) -> Result<Item, StoreError> {
    registry_item(p, format!("PROPERTY#{}", p.rka))
}

/// One item per owner of `p`: what the `owners` index finds a property by.
pub fn ownership_items(p: &Property) -> Vec<Item> {
    p.owners
        .iter()
        .map(|o| {
            Item::from([
                ("pk".to_string(), s(format!("OWNS#{}#{}", o.as_str(), p.rka))),
                ("owner".to_string(), s(o.as_str())),
                ("rka".to_string(), s(p.rka.to_string())),
            ])
        })
        .collect()
}

/// Writes every person and property of a checked reference-data file; returns how many items.
pub async fn load_reference_data(client: &Client, table: &str, data: &ReferenceData) -> Result<usize, StoreError> {
    let mut items = Vec::new();
    for p in data.people() {
        items.push(person_item(p)?);
    }
    for p in data.properties() {
        items.push(property_item(p)?);
        items.extend(ownership_items(p));
    }
    let count = items.len();
    super::batch_put(client, table, items).await?;
    Ok(count)
}
