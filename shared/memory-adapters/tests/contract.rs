//! The store contract suite (`test_kit::contract`) on the embedded store: the same assertions the DynamoDB
//! adapter passes on moto (`shared/aws-adapters/tests/adapters.rs`).

use memory_adapters::MemoryStore;
use std::sync::Arc;
use test_kit::contract;

#[tokio::test]
async fn applications() {
    let store = Arc::new(MemoryStore::new());
    contract::applications(store.clone(), store).await;
    contract::one_open_application_under_concurrency(Arc::new(MemoryStore::new()), true).await;
}

#[tokio::test]
async fn consents() {
    contract::consents(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn reply_receipts() {
    contract::reply_receipts(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn registrations() {
    contract::registrations(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn signing() {
    contract::signing(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn timeline() {
    contract::timeline(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn certificates() {
    contract::certificates(Arc::new(MemoryStore::new())).await;
}
