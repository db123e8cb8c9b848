//! Cold-start proxy: the milliseconds from `exec` of a Lambda binary to its first
//! `GET /2018-06-01/runtime/invocation/next` on a minimal local Runtime API, over N runs per binary.
//!
//! `init-time [--runs N] [--without-cert-dir] BINARY...` prints one line per binary: median, min, max (ms)
//! and the ratio of the medians to the first binary (the reference). Runs are interleaved across binaries. The binaries get the environment Lambda
//! gives a function (names, region, credentials, the tables and state machine they read); nothing is invoked.

use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::process::Command;

const USAGE: &str = "usage: init-time [--runs N (20)] [--without-cert-dir] BINARY...";

/// Waits for a connection whose request line asks for the next invocation. A `POST /` before it is the
/// code key's `GetSecretValue` (the functions that hash codes read it at init): answered with a secret, as
/// Secrets Manager would (over plain HTTP on this host: in AWS the call adds a TLS handshake and a round trip).
async fn first_next(listener: &TcpListener) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    loop {
        let (mut stream, _) = listener.accept().await?;
        let mut buf = vec![0u8; 8192];
        let mut read = 0;
        while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") && read < buf.len() {
            let n = stream.read(&mut buf[read..]).await?;
            if n == 0 {
                break;
            }
            read += n;
        }
        let head = String::from_utf8_lossy(&buf[..read]).to_string();
        if head.starts_with("GET /2018-06-01/runtime/invocation/next") {
            return Ok(());
        }
        if !head.starts_with("POST /") {
            continue;
        }
        let header_end = head.find("\r\n\r\n").map_or(read, |i| i + 4);
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut have = read - header_end;
        while have < length {
            let n = stream.read(&mut buf[..]).await?;
            if n == 0 {
                break;
            }
            have += n;
        }
        let body = format!(
            r#"{{"ARN":"{SECRET_ARN}","Name":"code-key","SecretString":"{}","VersionId":"v1"}}"#,
            "k".repeat(64)
        );
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(response.as_bytes()).await?;
        // Closed after the answer (dropped here): the runtime's own client connects anew for the next invocation.
    }
}

const SECRET_ARN: &str = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:code-key";

async fn one_run(binary: &str, listener: &TcpListener, without_cert_dir: bool) -> Result<Duration, String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let name = std::path::Path::new(binary).file_name().and_then(|n| n.to_str()).unwrap_or("function");
    let mut cmd = Command::new(binary);
    cmd.env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_REGION", "eu-central-1")
        .env("AWS_ACCESS_KEY_ID", "bench")
        .env("AWS_SECRET_ACCESS_KEY", "bench")
        .env("AWS_SESSION_TOKEN", "bench")
        .env("TABLE_NAME", "registration")
        .env("REGISTRIES_TABLE_NAME", "registries")
        .env("STATE_MACHINE_ARN", "arn:aws:states:eu-central-1:123456789012:stateMachine:registration")
        .env("CODE_KEY_SECRET_ARN", SECRET_ARN)
        .env("AWS_ENDPOINT_URL_SECRETS_MANAGER", format!("http://{addr}"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    if without_cert_dir {
        cmd.env_remove("SSL_CERT_DIR").env_remove("SSL_CERT_FILE");
    }
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("{binary}: {e}"))?;
    let outcome = tokio::select! {
        r = first_next(listener) => r.map(|_| started.elapsed()).map_err(|e| e.to_string()),
        status = child.wait() => Err(format!("{binary} exited before asking for an event: {status:?}")),
        _ = tokio::time::sleep(Duration::from_secs(10)) => Err(format!("{binary}: no request within 10 s")),
    };
    let _ = child.kill().await;
    outcome
}

fn stats(mut ms: Vec<f64>) -> (f64, f64, f64) {
    ms.sort_by(f64::total_cmp);
    let median = if ms.len() % 2 == 1 { ms[ms.len() / 2] } else { (ms[ms.len() / 2 - 1] + ms[ms.len() / 2]) / 2.0 };
    (median, ms[0], ms[ms.len() - 1])
}

#[tokio::main]
async fn main() {
    let mut runs = 20usize;
    let mut without_cert_dir = false;
    let mut binaries = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(runs),
            "--without-cert-dir" => without_cert_dir = true,
            "-h" | "--help" => return println!("{USAGE}"),
            b => binaries.push(b.to_string()),
        }
    }
    if binaries.is_empty() {
        eprintln!("{USAGE}");
        std::process::exit(2);
    }
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen: {e}");
            std::process::exit(1);
        }
    };
    // Warm the page cache once per binary, so every run measures the same thing.
    for b in &binaries {
        let _ = one_run(b, &listener, without_cert_dir).await;
    }
    // Runs are interleaved (one of each binary, then again), so that the machine's drift touches all alike.
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(runs); binaries.len()];
    for _ in 0..runs {
        for (b, ms) in binaries.iter().zip(samples.iter_mut()) {
            match one_run(b, &listener, without_cert_dir).await {
                Ok(d) => ms.push(d.as_secs_f64() * 1000.0),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
        }
    }
    println!("| binary | median ms | min ms | max ms | × reference |");
    println!("|---|---|---|---|---|");
    let mut reference = None;
    for (b, ms) in binaries.iter().zip(samples) {
        let (median, min, max) = stats(ms);
        let base = *reference.get_or_insert(median);
        let name = std::path::Path::new(b).file_name().and_then(|n| n.to_str()).unwrap_or(b);
        println!("| {name} | {median:.2} | {min:.2} | {max:.2} | {:.2} |", median / base);
    }
}
