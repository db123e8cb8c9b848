//! Where a function's init time goes: the phases of building the SDK configuration and clients, timed
//! in one process, for the default chains (`aws_config::load_from_env`) and for the Lambda environment's
//! own sources (region and credentials from the environment variables Lambda sets).
//! `init-phases` prints microseconds per phase.

use std::time::Instant;

async fn clients(config: &aws_config::SdkConfig, started: Instant, label: &str) {
    let loaded = started.elapsed();
    let dynamodb = aws_sdk_dynamodb::Client::new(config);
    let first = started.elapsed();
    let sns = aws_sdk_sns::Client::new(config);
    let sfn = aws_sdk_sfn::Client::new(config);
    let all = started.elapsed();
    println!(
        "{label}: config {} us, first client {} us, two more {} us, total {} us",
        loaded.as_micros(),
        (first - loaded).as_micros(),
        (all - first).as_micros(),
        all.as_micros()
    );
    drop((dynamodb, sns, sfn));
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--amazon-roots-only") {
        // The same, with a trust store of Amazon Trust Services' roots only (read from the system), to see what
        // the system's root store costs.
        let t = Instant::now();
        let mut store = aws_smithy_http_client::tls::TrustStore::empty().with_native_roots(false);
        for f in [
            "Amazon_Root_CA_1",
            "Amazon_Root_CA_2",
            "Amazon_Root_CA_3",
            "Amazon_Root_CA_4",
            "Starfield_Services_Root_Certificate_Authority_-_G2",
        ] {
            store = store.with_pem_certificate(std::fs::read(format!("/etc/ssl/certs/{f}.pem")).unwrap_or_default());
        }
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                aws_smithy_http_client::tls::rustls_provider::CryptoMode::AwsLc,
            ))
            .tls_context(
                aws_smithy_http_client::tls::TlsContext::builder().with_trust_store(store).build().unwrap_or_default(),
            )
            .build_https();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(http).load().await;
        clients(&config, t, "Amazon roots only").await;
    } else if std::env::args().any(|a| a == "--lambda-sources") {
        let t = Instant::now();
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::environment::EnvironmentVariableRegionProvider::new())
            .credentials_provider(aws_config::environment::EnvironmentVariableCredentialsProvider::new())
            .load()
            .await;
        clients(&config, t, "environment sources").await;
    } else {
        let t = Instant::now();
        let config = aws_config::load_from_env().await;
        clients(&config, t, "default chains").await;
    }
}
