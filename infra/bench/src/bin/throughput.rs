//! Local stack throughput: complete registrations per second end to end through HTTP (signing code,
//! submit, the workflow, the owner's SMS reply), with `--concurrency` citizens at once, and the peak memory.
//!
//! `throughput [--registrations 2000] [--concurrency 32] [--mode self|consent|expire]`
//! - `self`: owners register at their own flat (no consent);
//! - `consent`: tenants register at an owner's flat, each owner answers YES by SMS;
//! - `expire`: tenants register at an owner's flat, nobody answers, and one clock advance of 3601 s ends
//!   every wait at once (the consent clock advanced in bulk).

use bench::client::Client;
use bench::{peak_rss_mib, synthetic};
use domain::reference_data::ReferenceData;
use local_stack::{spawn, Config};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

const USAGE: &str = "usage: throughput [--registrations 2000] [--concurrency 32] [--mode self|consent|expire]";

async fn one(client: &Client, i: u64, n: u64, mode: &str, moved_in: &str) -> Result<String, String> {
    let (tenant, owner) = (synthetic::iin(i), synthetic::iin(n + i));
    let (tenant_phone, owner_phone) = (synthetic::phone(i), synthetic::phone(n + i));
    let (applicant, phone) = if mode == "self" { (&owner, &owner_phone) } else { (&tenant, &tenant_phone) };
    let signed =
        client.sign(applicant.as_str(), phone, &synthetic::form(applicant, &synthetic::rka(i), moved_in)).await?;
    let seen = client.outbox_len(&owner_phone).await?;
    let r = client.api(applicant.as_str(), "POST", "/registrations", Some(signed)).await?;
    if r.status != 201 {
        return Err(format!("submit: {} {}", r.status, r.body));
    }
    let id = r.body["id"].as_str().unwrap_or_default().to_string();
    match mode {
        "self" => client.wait_for(applicant.as_str(), &id, "REGISTERED").await?,
        "consent" => {
            let code = client.next_code(&owner_phone, seen).await?;
            client
                .local("POST", "/sms/inbound", Some(json!({ "from": owner_phone, "text": format!("YES {code}") })))
                .await?;
            client.wait_for(applicant.as_str(), &id, "REGISTERED").await?;
        }
        _ => client.wait_for(applicant.as_str(), &id, "AWAITING_CONSENT").await?,
    }
    Ok(id)
}

#[tokio::main]
async fn main() {
    let (mut n, mut concurrency, mut mode) = (2_000u64, 32u64, "consent".to_string());
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--registrations", Some(v)) => n = v.parse().unwrap_or(n),
            ("--concurrency", Some(v)) => concurrency = v.parse().unwrap_or(concurrency).max(1),
            ("--mode", Some(v)) if ["self", "consent", "expire"].contains(&v.as_str()) => mode = v,
            _ => {
                eprintln!("{USAGE}");
                std::process::exit(2);
            }
        }
    }
    if let Err(e) = run(n, concurrency, &mode).await {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

async fn run(n: u64, concurrency: u64, mode: &str) -> Result<(), String> {
    let mut config = Config::for_tests()?;
    // The functions and the stores are measured, not API Gateway's throttle per route.
    config.route_throttling = false;
    config.reference_data =
        ReferenceData::from_json(&synthetic::reference_data(n).to_string()).map_err(|e| e.to_string())?;
    let running = spawn(config).await?;
    let client = Arc::new(Client::new(format!("http://{}", running.addr)));
    // Tokens are minted before the clock starts: the authorizer is not what is measured.
    for i in 0..n {
        let who = if mode == "self" { synthetic::iin(n + i) } else { synthetic::iin(i) };
        client.token(who.as_str()).await?;
    }
    let moved_in = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive().to_string();
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let (client, mode, moved_in) = (client.clone(), mode.to_string(), moved_in.clone());
        workers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            let mut i = w;
            while i < n {
                ids.push((i, one(&client, i, n, &mode, &moved_in).await?));
                i += concurrency;
            }
            Ok::<_, String>(ids)
        }));
    }
    let mut ids = Vec::new();
    for w in workers {
        ids.extend(w.await.map_err(|e| e.to_string())??);
    }
    let submitted = started.elapsed();
    if mode == "expire" {
        client.local("POST", "/clock/advance", Some(json!({ "seconds": 3601 }))).await?;
        for (i, id) in &ids {
            client.wait_for(synthetic::iin(*i).as_str(), id, "CANCELLED").await?;
        }
    }
    let total = started.elapsed();
    println!(
        "| {mode} | {n} | {concurrency} | {:.1} | {:.0} | {:.1} | {:.0} |",
        total.as_secs_f64(),
        n as f64 / total.as_secs_f64(),
        submitted.as_secs_f64(),
        peak_rss_mib()
    );
    running.task.abort();
    Ok(())
}
