//! `cargo run -p local-stack -- [--port 3000] [--host 127.0.0.1] [--reference-data FILE] [--definition FILE]
//! [--consent-timeout-seconds 3600] [--address-review-threshold 10] [--address-review-window-days 30]
//! [--aws-endpoint URL] [--limit-... N]` (the rate limits: see `USAGE` and docs/rate-limits.md)

use local_stack::{spawn, Config};
use shared::clock::AdjustableClock;
use shared::reference_data::ReferenceData;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

const USAGE: &str = "usage: local-stack [--port N (3000)] [--host IP (127.0.0.1)] [--reference-data FILE] \
[--definition FILE] [--consent-timeout-seconds N (3600)] [--address-review-threshold N (10)] \
[--address-review-window-days N (30)] [--aws-endpoint URL (DynamoDB, SNS, Step Functions there)] \
[--limit-signing-codes-per-15-min N (5)] [--limit-signing-codes-per-day N (20)] \
[--limit-submissions-per-applicant-per-day N (10)] [--limit-submissions-per-registrant-per-day N (5)] \
[--limit-consent-requests-per-owner-from-applicant-per-hour N (3)] \
[--limit-consent-requests-per-owner-per-hour N (10)] (why these: docs/rate-limits.md)";

fn args() -> Result<Config, String> {
    let mut port: u16 = 3000;
    let mut host: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut reference = local_stack::SAMPLE_REFERENCE_DATA.to_string();
    let mut definition = local_stack::DEFINITION.to_string();
    let mut consent_timeout_seconds = shared::steps::DEFAULT_CONSENT_TIMEOUT_SECONDS;
    let mut aws_endpoint = None;
    let mut address_review = shared::review::AddressReview::default();
    let mut rate_limits = shared::rate_limits::RateLimits::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--port" => port = value()?.parse().map_err(|_| format!("--port takes a number\n{USAGE}"))?,
            "--host" => host = value()?.parse().map_err(|_| format!("--host takes an IP address\n{USAGE}"))?,
            "--reference-data" => {
                let path = value()?;
                reference = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            }
            "--definition" => {
                let path = value()?;
                definition = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            }
            "--consent-timeout-seconds" => {
                consent_timeout_seconds = value()?
                    .parse()
                    .ok()
                    .filter(|s| (60..=86_400).contains(s))
                    .ok_or_else(|| format!("--consent-timeout-seconds takes 60 to 86400\n{USAGE}"))?
            }
            "--address-review-threshold" => {
                address_review.threshold = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("--address-review-threshold takes a number from 1\n{USAGE}"))?
            }
            "--address-review-window-days" => {
                address_review.window_days = value()?
                    .parse()
                    .ok()
                    .filter(|n| (1..=366).contains(n))
                    .ok_or_else(|| format!("--address-review-window-days takes 1 to 366\n{USAGE}"))?
            }
            "--aws-endpoint" => aws_endpoint = Some(value()?),
            limit if limit.starts_with("--limit-") => {
                let v = value()?;
                if !rate_limits.set_flag(limit, &v).map_err(|e| format!("{e}\n{USAGE}"))? {
                    return Err(format!("unknown option {limit}\n{USAGE}"));
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok(Config {
        addr: SocketAddr::new(host, port),
        definition,
        reference_data: ReferenceData::from_json(&reference).map_err(|e| e.to_string())?,
        clock: Arc::new(AdjustableClock::real()),
        consent_timeout_seconds,
        address_review,
        aws_endpoint,
        limits: local_stack::server::Limits::default(),
        rate_limits,
    })
}

#[tokio::main]
async fn main() {
    // The functions' JSON log lines, as in CloudWatch; `RUST_LOG` sets the level.
    aws_adapters::init_logging();
    let config = match args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let running = match spawn(config).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("local stack did not start: {e}");
            std::process::exit(1);
        }
    };
    println!("local stack listening on http://{}", running.addr);
    println!("  token:      curl -s -X POST http://{}/_local/token -d '{{\"iin\":\"880702300117\"}}'", running.addr);
    println!("  SMS outbox: curl -s http://{}/_local/sms/outbox", running.addr);
    println!("  executions: curl -s http://{}/_local/executions", running.addr);
    println!("  metrics:    curl -s http://{}/_local/metrics", running.addr);
    println!("  health:     curl -s http://{}/_local/health", running.addr);
    println!(
        "  faults:     curl -s http://{}/_local/faults -d '{{\"dependency\":\"storage\",\"class\":\"uncoded5xx\",\"count\":1}}'",
        running.addr
    );
    let _ = tokio::signal::ctrl_c().await;
    println!("stopped");
}
