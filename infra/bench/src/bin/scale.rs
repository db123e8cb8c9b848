//! Scale: the latency of submit, status read and consent reply, through the local stack's HTTP API, with
//! 10^3, 10^5 and 10^6 applications already stored, in process (embedded storage) or over moto
//! (`--aws-endpoint`, where the DynamoDB requests of each operation are counted too).
//!
//! `scale [--sizes 1000,100000,1000000] [--ops 100] [--aws-endpoint URL]` prints a markdown table.

use bench::client::Client;
use bench::{stats, synthetic};
use domain::ports::{ApplicationStore, ConsentStore};
use domain::reference_data::ReferenceData;
use domain::{Consent, ConsentChannel, ConsentStatus, PhoneNumber, Status, TimelineEntry};
use local_stack::{spawn, Config};
use serde_json::json;
use std::time::Instant;

const USAGE: &str = "usage: scale [--sizes 1000,100000,1000000] [--ops 100] [--aws-endpoint URL]";
/// Stored applications use people numbered from here on (the measured ones are below).
const STORED_BASE: u64 = 10_000_000;

struct Row {
    size: u64,
    load_s: f64,
    ops: [(f64, f64, f64); 3],
    requests: [f64; 3],
}

/// `size` finished applications, each with an answered consent and a timeline entry.
fn stored(size: u64, ops: u64) -> (Vec<domain::Application>, Vec<Consent>) {
    let mut apps = Vec::with_capacity(size as usize);
    let mut consents = Vec::with_capacity(size as usize);
    for j in 0..size {
        let person = synthetic::iin(STORED_BASE + j);
        let mut app = test_kit::application(person.as_str(), person.as_str(), &synthetic::rka(j % ops));
        app.status = Status::Registered;
        // Each stored consent has its own owner and phone: the table grows, the measured people have no history.
        let mut c = Consent::new(app.id.clone(), synthetic::iin(STORED_BASE + size + j));
        c.status = ConsentStatus::Approved;
        c.channel = Some(ConsentChannel::Sms);
        c.owner_phone = PhoneNumber::parse(&format!("+7705{:07}", j % 10_000_000)).ok();
        c.requested_at = Some(app.submitted_at);
        c.expires_at = Some(app.submitted_at + chrono::Duration::hours(1));
        c.answered_at = Some(app.submitted_at);
        apps.push(app);
        consents.push(c);
    }
    (apps, consents)
}

async fn run(size: u64, ops: u64, aws_endpoint: Option<&str>) -> Result<Row, String> {
    let mut config = Config::for_tests()?;
    // The functions and the stores are measured, not API Gateway's throttle per route.
    config.route_throttling = false;
    config.reference_data =
        ReferenceData::from_json(&synthetic::reference_data(ops).to_string()).map_err(|e| e.to_string())?;
    config.aws_endpoint = aws_endpoint.map(str::to_string);
    let running = spawn(config).await?;
    let stack = &running.shared.stack;

    let started = Instant::now();
    let (apps, consents) = stored(size, ops);
    match (&stack.memory, &stack.aws) {
        (Some(store), _) => {
            for (a, c) in apps.iter().zip(&consents) {
                let registered = [TimelineEntry::new(a.submitted_at, domain::TimelineEvent::Registered, None)];
                store.create(a, &registered, &domain::ports::Admission::default()).await.map_err(|e| e.to_string())?;
                store.create_all(std::slice::from_ref(c)).await.map_err(|e| e.to_string())?;
            }
        }
        (None, Some(aws)) => {
            let clients = aws.clients("submit");
            let table = aws.settings.table.clone().unwrap_or_default();
            for (a, c) in apps.chunks(5_000).zip(consents.chunks(5_000)) {
                aws_adapters::dynamodb::bulk::put_applications(clients.dynamodb(), &table, a, c)
                    .await
                    .map_err(|e| e.to_string())?;
            }
        }
        _ => return Err("no store".into()),
    }
    drop((apps, consents));
    let load_s = started.elapsed().as_secs_f64();

    let client = Client::new(format!("http://{}", running.addr));
    let moved_in = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string();
    let mut samples: [Vec<f64>; 3] = [vec![], vec![], vec![]];
    let mut requests = [0usize; 3];
    let calls = |functions: &[&str]| -> usize {
        stack.aws.as_ref().map_or(0, |aws| {
            functions
                .iter()
                .filter_map(|f| aws.calls.get(f))
                .map(|l| l.take().into_iter().filter(|c| c.operation.starts_with("DynamoDB.")).count())
                .sum()
        })
    };
    for i in 0..ops {
        let (tenant, owner) = (synthetic::iin(i), synthetic::iin(ops + i));
        let (tenant_phone, owner_phone) = (synthetic::phone(i), synthetic::phone(ops + i));
        let signed = client
            .sign(tenant.as_str(), &tenant_phone, &synthetic::form(&tenant, &synthetic::rka(i), &moved_in))
            .await?;
        let seen = client.outbox_len(&owner_phone).await?;
        calls(&["submit"]);
        let r = client.api(tenant.as_str(), "POST", "/registrations", Some(signed)).await?;
        requests[0] += calls(&["submit"]);
        if r.status != 201 {
            return Err(format!("submit: {} {}", r.status, r.body));
        }
        samples[0].push(r.took.as_secs_f64() * 1000.0);
        let id = r.body["id"].as_str().unwrap_or_default().to_string();
        let code = client.next_code(&owner_phone, seen).await?;

        calls(&["service-history"]);
        let r = client.api(tenant.as_str(), "GET", &format!("/registrations/{id}"), None).await?;
        requests[1] += calls(&["service-history"]);
        if r.status != 200 {
            return Err(format!("status read: {} {}", r.status, r.body));
        }
        samples[1].push(r.took.as_secs_f64() * 1000.0);

        calls(&["record-reply"]);
        let r = client
            .local("POST", "/sms/inbound", Some(json!({ "from": owner_phone, "text": format!("YES {code}") })))
            .await?;
        requests[2] += calls(&["record-reply"]);
        if r.body["outcome"] != "APPROVED" {
            return Err(format!("consent reply: {}", r.body));
        }
        samples[2].push(r.took.as_secs_f64() * 1000.0);
        client.wait_for(tenant.as_str(), &id, "REGISTERED").await?;
        let _ = owner;
    }
    running.task.abort();
    let [a, b, c] = samples;
    Ok(Row { size, load_s, ops: [stats(a), stats(b), stats(c)], requests: requests.map(|n| n as f64 / ops as f64) })
}

#[tokio::main]
async fn main() {
    let mut sizes = vec![1_000u64, 100_000, 1_000_000];
    let mut ops = 100u64;
    let mut aws_endpoint: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--sizes" => {
                sizes = args.next().map(|s| s.split(',').filter_map(|n| n.parse().ok()).collect()).unwrap_or(sizes)
            }
            "--ops" => ops = args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).unwrap_or(ops),
            "--aws-endpoint" => aws_endpoint = args.next(),
            _ => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let backend =
        aws_endpoint.as_deref().map_or("embedded storage".to_string(), |e| format!("DynamoDB/SNS/SFN at {e}"));
    println!("scale over {backend}: {ops} operations of each kind per size; latency in ms, median (min-max)\n");
    println!("| stored applications | load s | submit | status read | consent reply | DynamoDB requests per submit / read / reply |");
    println!("|---|---|---|---|---|---|");
    for size in sizes {
        match run(size, ops, aws_endpoint.as_deref()).await {
            Ok(r) => {
                let f = |(m, lo, hi): (f64, f64, f64)| format!("{m:.2} ({lo:.2}-{hi:.2})");
                let req = if aws_endpoint.is_some() {
                    format!("{:.1} / {:.1} / {:.1}", r.requests[0], r.requests[1], r.requests[2])
                } else {
                    "-".to_string()
                };
                println!(
                    "| {} | {:.1} | {} | {} | {} | {req} |",
                    r.size,
                    r.load_s,
                    f(r.ops[0]),
                    f(r.ops[1]),
                    f(r.ops[2])
                );
            }
            Err(e) => {
                eprintln!("size {size}: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("\npeak memory of the process: {:.0} MiB", bench::peak_rss_mib());
}
