//! Issue #10, item 5: a dependency that accepts the connection and never answers. Every SDK call ends
//! within the operation timeout (6 s) as "unavailable" (the documented 503, or a retried step), well inside
//! a function's 10 s, instead of running until Lambda kills the function.

use aws_adapters::{Aws, Settings};
use aws_config::{BehaviorVersion, Region};
use domain::errors::StoreError;
use domain::ports::ApplicationStore;
use domain::ApplicationId;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_stalled_dependency_becomes_unavailable_within_the_operation_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // Accepts and holds every connection, reading nothing and answering nothing.
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(format!("http://{addr}"))
        .region(Region::new("eu-central-1"))
        .test_credentials()
        .load()
        .await;
    let settings = Settings::from_lookup(|k| (k == "TABLE_NAME").then(|| "stalled".to_string())).expect("settings");
    let store = Aws::from_config(settings, &config).store().expect("store");
    let started = Instant::now();
    let result = store.get(&ApplicationId::new()).await;
    let took = started.elapsed();
    assert!(matches!(result, Err(StoreError::Unavailable(_))), "{result:?}");
    assert!(took < Duration::from_secs(8), "ended by the SDK's operation timeout, not the function's: {took:?}");
    assert!(took >= Duration::from_secs(2), "an attempt was given its 2 s: {took:?}");
    held.abort();
}
