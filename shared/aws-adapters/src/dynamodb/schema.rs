//! The tables, as the deployment template declares them: for tests against moto and for running the
//! functions locally against it (`admin create-tables`).

use super::{GSI1, GSI2, GSI3, GSI4, TTL};
use crate::errors;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;
use domain::errors::StoreError;

fn attr(name: &str) -> Result<AttributeDefinition, StoreError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(errors::serde)
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, StoreError> {
    KeySchemaElement::builder().attribute_name(name).key_type(kind).build().map_err(errors::serde)
}

fn gsi(name: &str, pk: &str, sk: Option<&str>, projection: ProjectionType) -> Result<GlobalSecondaryIndex, StoreError> {
    let mut b = GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(pk, KeyType::Hash)?)
        .projection(Projection::builder().projection_type(projection).build());
    if let Some(sk) = sk {
        b = b.key_schema(key(sk, KeyType::Range)?);
    }
    b.build().map_err(errors::serde)
}

/// The main table: `pk`/`sk`, gsi1 (`gsi1pk`/`gsi1sk`), gsi2 (`gsi2pk`/`gsi2sk`), gsi3 (`gsi3pk`),
/// gsi4 (`gsi4pk`/`gsi4sk`, keys only), TTL.
pub async fn create_main_table(client: &Client, table: &str) -> Result<(), StoreError> {
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(
            ["pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi4pk", "gsi4sk"]
                .into_iter()
                .map(attr)
                .collect::<Result<_, _>>()?,
        ))
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(gsi(GSI1, "gsi1pk", Some("gsi1sk"), ProjectionType::All)?)
        .global_secondary_indexes(gsi(GSI2, "gsi2pk", Some("gsi2sk"), ProjectionType::All)?)
        .global_secondary_indexes(gsi(GSI3, "gsi3pk", None, ProjectionType::All)?)
        .global_secondary_indexes(gsi(GSI4, "gsi4pk", Some("gsi4sk"), ProjectionType::KeysOnly)?)
        .send()
        .await
        .map_err(errors::store)?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder().attribute_name(TTL).enabled(true).build().map_err(errors::serde)?,
        )
        .send()
        .await
        .map_err(errors::store)?;
    Ok(())
}

/// The registries table: `pk` only.
pub async fn create_registries_table(client: &Client, table: &str) -> Result<(), StoreError> {
    client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("pk")?)
        .attribute_definitions(attr("owner")?)
        .attribute_definitions(attr("rka")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .global_secondary_indexes(gsi(super::OWNERS, "owner", Some("rka"), ProjectionType::KeysOnly)?)
        .send()
        .await
        .map_err(errors::store)?;
    Ok(())
}
