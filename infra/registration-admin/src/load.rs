//! `load-reference-data FILE`: the file is read twice as a stream. The first pass checks every record and the
//! file's consistency (`domain::reference_data::Check`, holding only numbers) and writes nothing if anything is
//! wrong; the second writes, 25 items a request and 8 requests at a time, unprocessed items retried with
//! backoff, with a progress bar over the file's bytes.

use crate::stream::{each_record, Record};
use aws_adapters::dynamodb::{batch_put, ownership_items, person_item, property_item, Item};
use domain::reference_data::Check;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Requests in flight at once.
const IN_FLIGHT: usize = 8;

#[derive(Debug, PartialEq, Eq)]
pub struct Loaded {
    pub people: usize,
    pub properties: usize,
}

/// Counts the bytes read, for the progress bar.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn open(path: &Path, read: &Arc<AtomicU64>) -> Result<Counted<BufReader<std::fs::File>>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Counted { inner: BufReader::with_capacity(1 << 16, file), read: read.clone() })
}

fn bar(path: &Path, what: &str) -> ProgressBar {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(len).with_message(what.to_string());
    if let Ok(style) =
        ProgressStyle::with_template("{msg:9} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Pass one: every record parses and the file is consistent.
pub async fn check(path: &Path) -> Result<Loaded, String> {
    let read = Arc::new(AtomicU64::new(0));
    let reader = open(path, &read)?;
    let progress = bar(path, "checking");
    let ticker = tick(progress.clone(), read.clone());
    let checked = tokio::task::spawn_blocking(move || {
        let mut check = Check::default();
        each_record(reader, |r| {
            match r {
                Record::Person(p) => check.person(&p),
                Record::Property(p) => check.property(&p),
            }
            .map_err(|e| e.to_string())
        })?;
        check.finish().map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?;
    ticker.abort();
    progress.finish_and_clear();
    let (people, properties) = checked?;
    Ok(Loaded { people, properties })
}

/// Keeps the bar at the bytes read.
fn tick(progress: ProgressBar, read: Arc<AtomicU64>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            progress.set_position(read.load(Ordering::Relaxed));
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
}

/// A write's result, whether it failed or its task did.
fn joined(r: Result<Result<(), String>, tokio::task::JoinError>) -> Result<(), String> {
    r.map_err(|e| e.to_string()).and_then(|r| r)
}

/// Both passes: nothing is written unless the whole file is good.
pub async fn load(client: &aws_sdk_dynamodb::Client, table: &str, path: &Path) -> Result<Loaded, String> {
    let checked = check(path).await?;
    let read = Arc::new(AtomicU64::new(0));
    let reader = open(path, &read)?;
    let progress = bar(path, "writing");
    let ticker = tick(progress.clone(), read.clone());
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Item>(25 * IN_FLIGHT * 2);
    let parser = tokio::task::spawn_blocking(move || {
        each_record(reader, |r| {
            let items = match &r {
                Record::Person(p) => vec![person_item(p).map_err(|e| e.to_string())?],
                Record::Property(p) => {
                    let mut items = vec![property_item(p).map_err(|e| e.to_string())?];
                    items.extend(ownership_items(p));
                    items
                }
            };
            items.into_iter().try_for_each(|item| tx.blocking_send(item).map_err(|_| "the writer stopped".to_string()))
        })
    });
    let mut writing = tokio::task::JoinSet::new();
    let mut batch = Vec::with_capacity(25);
    let mut failed = None;
    loop {
        let item = rx.recv().await;
        let done = item.is_none();
        batch.extend(item);
        if batch.len() == 25 || (done && !batch.is_empty()) {
            while writing.len() >= IN_FLIGHT {
                if let Some(Err(e)) = writing.join_next().await.map(joined) {
                    failed.get_or_insert(e);
                }
            }
            let (client, table, items) = (client.clone(), table.to_string(), std::mem::take(&mut batch));
            writing.spawn(async move { batch_put(&client, &table, items).await.map_err(|e| e.to_string()) });
        }
        if done || failed.is_some() {
            break;
        }
    }
    while let Some(r) = writing.join_next().await {
        if let Err(e) = joined(r) {
            failed.get_or_insert(e);
        }
    }
    drop(rx);
    let parsed = parser.await.map_err(|e| e.to_string())?;
    ticker.abort();
    progress.finish_and_clear();
    match failed {
        Some(e) => Err(format!("stopped: {e} (loading again is safe: each item is put whole)")),
        None => parsed.map(|()| checked),
    }
}
