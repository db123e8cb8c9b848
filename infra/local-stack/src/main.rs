//! `cargo run -p local-stack -- --help`: the whole system on one machine (flags below, parsed with clap).

use clap::Parser;
use domain::clock::AdjustableClock;
use domain::rate_limits::RateLimits;
use domain::reference_data::ReferenceData;
use local_stack::{spawn, Config};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

fn limit() -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(1..=100_000)
}

/// The residence-registration system on one machine: the API on HTTP, the deployed state machine in process,
/// embedded storage (or the AWS APIs at an endpoint), SMS to an outbox, and local controls under /_local.
#[derive(Debug, Parser)]
#[command(name = "local-stack", version)]
struct Flags {
    #[arg(long, value_name = "N", default_value_t = 3000)]
    port: u16,
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    host: IpAddr,
    /// The registries (people, properties) instead of the sample data.
    #[arg(long, value_name = "FILE")]
    reference_data: Option<PathBuf>,
    /// An ASL definition instead of infra/statemachine/registration.asl.json.
    #[arg(long, value_name = "FILE")]
    definition: Option<PathBuf>,
    /// How long an owner has to answer.
    #[arg(long, value_name = "N", default_value_t = domain::steps::DEFAULT_CONSENT_TIMEOUT_SECONDS, value_parser = clap::value_parser!(u32).range(60..=86_400))]
    consent_timeout_seconds: u32,
    /// Registrations at one address within the window that are normal; one more is flagged for review.
    #[arg(long, value_name = "N", default_value_t = domain::review::AddressReview::default().threshold, value_parser = clap::value_parser!(u32).range(1..))]
    address_review_threshold: u32,
    /// The window of the address review, in days.
    #[arg(long, value_name = "N", default_value_t = domain::review::AddressReview::default().window_days, value_parser = clap::value_parser!(u32).range(1..=366))]
    address_review_window_days: u32,
    /// DynamoDB, SNS, Step Functions and Secrets Manager at this endpoint (e.g. a moto server) instead of
    /// embedded storage.
    #[arg(long, value_name = "URL")]
    aws_endpoint: Option<String>,
    /// Signing codes per applicant and per BMG phone in 15 minutes (docs/rate-limits.md).
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().signing_codes_per_15_min, value_parser = limit())]
    limit_signing_codes_per_15_min: u32,
    /// Signing codes per applicant and per BMG phone in a day.
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().signing_codes_per_day, value_parser = limit())]
    limit_signing_codes_per_day: u32,
    /// Accepted submissions per applicant in a day.
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().submissions_per_applicant_per_day, value_parser = limit())]
    limit_submissions_per_applicant_per_day: u32,
    /// Accepted submissions naming one registrant in a day.
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().submissions_per_registrant_per_day, value_parser = limit())]
    limit_submissions_per_registrant_per_day: u32,
    /// Consent requests to one owner's phone from one applicant in an hour.
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().consent_requests_per_owner_from_applicant_per_hour, value_parser = limit())]
    limit_consent_requests_per_owner_from_applicant_per_hour: u32,
    /// Consent requests to one owner's phone in an hour, from everyone.
    #[arg(long, value_name = "N", default_value_t = RateLimits::default().consent_requests_per_owner_per_hour, value_parser = limit())]
    limit_consent_requests_per_owner_per_hour: u32,
    /// NCA roots (self-signed) and intermediates (PEM) to trust for EDS beside the stack's own test PKI, as a
    /// deployment's infra/nca/roots.pem and intermediates.pem would: try a deployment's trust locally.
    #[arg(long, value_name = "PEM")]
    eds_trust: Option<PathBuf>,
    /// Serve every request, without API Gateway's throttle per route (for benchmarks of the functions).
    #[arg(long)]
    no_route_throttling: bool,
}

impl Flags {
    fn config(self) -> Result<Config, String> {
        let read =
            |path: &PathBuf| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
        let reference = match &self.reference_data {
            Some(path) => read(path)?,
            None => local_stack::SAMPLE_REFERENCE_DATA.to_string(),
        };
        let definition = match &self.definition {
            Some(path) => read(path)?,
            None => local_stack::DEFINITION.to_string(),
        };
        let eds_trust = match &self.eds_trust {
            Some(path) => read(path)?,
            None => String::new(),
        };
        Ok(Config {
            eds_trust,
            route_throttling: !self.no_route_throttling,
            addr: SocketAddr::new(self.host, self.port),
            definition,
            reference_data: ReferenceData::from_json(&reference).map_err(|e| e.to_string())?,
            clock: Arc::new(AdjustableClock::real()),
            consent_timeout_seconds: self.consent_timeout_seconds,
            address_review: domain::review::AddressReview {
                threshold: self.address_review_threshold,
                window_days: self.address_review_window_days,
            },
            aws_endpoint: self.aws_endpoint,
            limits: local_stack::server::Limits::default(),
            rate_limits: RateLimits {
                signing_codes_per_15_min: self.limit_signing_codes_per_15_min,
                signing_codes_per_day: self.limit_signing_codes_per_day,
                submissions_per_applicant_per_day: self.limit_submissions_per_applicant_per_day,
                submissions_per_registrant_per_day: self.limit_submissions_per_registrant_per_day,
                consent_requests_per_owner_from_applicant_per_hour: self
                    .limit_consent_requests_per_owner_from_applicant_per_hour,
                consent_requests_per_owner_per_hour: self.limit_consent_requests_per_owner_per_hour,
            },
        })
    }
}

#[tokio::main]
async fn main() {
    // The functions' JSON log lines, as in CloudWatch; `RUST_LOG` sets the level.
    aws_adapters::init_logging();
    let config = match Flags::parse().config() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_flags_are_consistent_and_keep_their_names_and_ranges() {
        Flags::command().debug_assert();
        let f =
            Flags::try_parse_from(["local-stack", "--port", "0", "--limit-signing-codes-per-day", "7"]).expect("ok");
        let config = f.config().expect("config");
        assert_eq!(config.rate_limits.signing_codes_per_day, 7);
        assert_eq!(config.rate_limits.signing_codes_per_15_min, RateLimits::default().signing_codes_per_15_min);
        assert_eq!(config.consent_timeout_seconds, 3600);
        for bad in [
            ["--consent-timeout-seconds", "59"],
            ["--limit-consent-requests-per-owner-per-hour", "0"],
            ["--address-review-window-days", "367"],
        ] {
            let refused = Flags::try_parse_from(["local-stack", bad[0], bad[1]]).expect_err("out of range");
            assert!(refused.to_string().contains(bad[0]), "{refused}");
        }
        assert!(Flags::try_parse_from(["local-stack", "--nope"]).is_err());
        let missing = Flags::try_parse_from(["local-stack", "--eds-trust", "/nonexistent/trust.pem"]).expect("parsed");
        assert!(missing.config().err().expect("unreadable").contains("/nonexistent/trust.pem"));
    }
}
