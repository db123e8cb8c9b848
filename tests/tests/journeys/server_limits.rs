//! Issue #10, item 8: the local stack's HTTP front under slow and half-open clients. Limits are made small
//! here (1 s to send headers, 4 connections) so that the test is quick; the defaults are 10 s and 256.

use local_stack::server::Limits;
use std::time::{Duration, Instant};
use tests::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn half_sent(addr: std::net::SocketAddr) -> TcpStream {
    let mut c = TcpStream::connect(addr).await.expect("connect");
    c.write_all(b"GET /_local/health HTTP/1.1\r\nHost: x\r\n").await.expect("half a request");
    c
}

#[tokio::test]
async fn half_sent_requests_are_dropped_and_never_starve_a_good_one() {
    let mut config = local_stack::Config::for_tests().expect("config");
    config.limits = Limits {
        max_connections: 4,
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(2),
    };
    let app = spawn_app_with(config).await;
    let addr = app.stack.addr;
    // Every connection slot taken by a client that never finishes its headers.
    let mut slow = Vec::new();
    for _ in 0..4 {
        slow.push(half_sent(addr).await);
    }
    let started = Instant::now();
    let good = app.http.get(format!("{}/_local/health", app.base)).send().await.expect("answered");
    assert_eq!(good.status(), 200);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "a good request waits for a slot, not forever: {waited:?}");
    for mut c in slow {
        let mut buf = [0u8; 512];
        // The server answers 408 or just closes; either way the connection ends.
        let ended = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match c.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(ended.is_ok(), "a half-sent request is dropped after the header timeout");
    }
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let mut config = local_stack::Config::for_tests().expect("config");
    config.limits = Limits {
        max_connections: 8,
        header_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
    };
    let app = spawn_app_with(config).await;
    let mut c = TcpStream::connect(app.stack.addr).await.expect("connect");
    c.write_all(b"GET /_local/clock HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("request");
    let mut buf = vec![0u8; 4096];
    let n = c.read(&mut buf).await.expect("response");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let closed = tokio::time::timeout(Duration::from_secs(6), async {
        loop {
            match c.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the idle connection was closed by the server");
}
