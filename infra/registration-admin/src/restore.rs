//! `restore-from SOURCE`: makes the main table hold exactly what SOURCE holds, SOURCE being a table restored
//! from point-in-time recovery (docs/deploying.md, "Restoring the main table"). The stack keeps its table (its
//! name, indexes, TTL, alarms and grants stay as deployed); its items become the restored ones:
//!
//! 1. every item of SOURCE is written into the table (25 at a time, unprocessed ones retried with backoff);
//! 2. every item of the table whose key SOURCE does not have is deleted (written after the restore time).
//!
//! Run it with the writing functions stopped (their reserved concurrency at 0), or a write made meanwhile may
//! be overwritten or deleted. Scans are for this operator command only: the functions never scan.

use aws_adapters::dynamodb::{batch_put, Item};
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use std::collections::{HashMap, HashSet};

/// How many items were written and deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub written: usize,
    pub deleted: usize,
}

fn key_of(item: &Item) -> Option<(String, String)> {
    let text = |name: &str| item.get(name).and_then(|v| v.as_s().ok()).cloned();
    Some((text("pk")?, text("sk").unwrap_or_default()))
}

/// One page of a consistent scan, and where the next one starts (`None`: it was the last).
async fn page(client: &Client, table: &str, start: Option<Item>) -> Result<(Vec<Item>, Option<Item>), String> {
    let out = client
        .scan()
        .table_name(table)
        .consistent_read(true)
        .set_exclusive_start_key(start)
        .send()
        .await
        .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(&e).to_string())?;
    Ok((out.items.unwrap_or_default(), out.last_evaluated_key.filter(|k| !k.is_empty())))
}

async fn delete(client: &Client, table: &str, keys: &[(String, String)]) -> Result<(), String> {
    for chunk in keys.chunks(25) {
        let mut writes = Vec::new();
        for (pk, sk) in chunk {
            let mut key = HashMap::from([("pk".to_string(), AttributeValue::S(pk.clone()))]);
            if !sk.is_empty() {
                key.insert("sk".to_string(), AttributeValue::S(sk.clone()));
            }
            let request = DeleteRequest::builder().set_key(Some(key)).build().map_err(|e| e.to_string())?;
            writes.push(WriteRequest::builder().delete_request(request).build());
        }
        let mut pending = Some(HashMap::from([(table.to_string(), writes)]));
        for attempt in 0..=8u32 {
            let Some(request) = pending.take() else { break };
            if attempt > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(50 << (attempt - 1))).await;
            }
            let out = client
                .batch_write_item()
                .set_request_items(Some(request))
                .send()
                .await
                .map_err(|e| aws_sdk_dynamodb::error::DisplayErrorContext(&e).to_string())?;
            pending = out.unprocessed_items.filter(|u| !u.is_empty());
        }
        if pending.is_some() {
            return Err("deletes stayed unprocessed after 8 retries".into());
        }
    }
    Ok(())
}

pub async fn restore_from(client: &Client, source: &str, table: &str) -> Result<Restored, String> {
    if source == table {
        return Err("the source is the table itself".into());
    }
    // Pass 1: the source's items, a page (1 MB) at a time; only their keys are kept in memory.
    let mut kept = HashSet::new();
    let (mut written, mut next) = (0, None);
    loop {
        let (items, after) = page(client, source, next.take()).await?;
        for item in &items {
            kept.insert(key_of(item).ok_or("an item of the source has no pk")?);
        }
        written += items.len();
        batch_put(client, table, items).await.map_err(|e| e.to_string())?;
        match after {
            Some(k) => next = Some(k),
            None => break,
        }
    }
    // Pass 2: what the table has that the source does not.
    let mut extra = Vec::new();
    loop {
        let (items, after) = page(client, table, next.take()).await?;
        extra.extend(items.iter().filter_map(key_of).filter(|k| !kept.contains(k)));
        match after {
            Some(k) => next = Some(k),
            None => break,
        }
    }
    delete(client, table, &extra).await?;
    Ok(Restored { written, deleted: extra.len() })
}
