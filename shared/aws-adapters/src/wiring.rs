//! Environment variables (set by the deployment template) to clients and adapters, once per process.

use crate::calls::{CallLog, Recorder};
use crate::dynamodb::{DynamoRegistries, DynamoStore};
use crate::emf::EmfMetrics;
use crate::sfn::StepFunctions;
use crate::sns::SnsSms;
use domain::clock::{Clock, SystemClock};
use domain::ports::counted_sms::CountedSms;
use domain::ports::{
    ApplicationStore, CertificateStore, ConsentStore, DocumentSigner, Metrics, RegistrationStore, Registries,
    SigningStore, SmsSender, TimelineStore, Workflow,
};
use domain::wiring::{Policy, PortSource, WiringError};
use std::sync::{Arc, OnceLock};

/// What the functions read from their environment. Each function needs only some of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `TABLE_NAME`: applications, timelines, consents, registrations, signing requests.
    pub table: Option<String>,
    /// `REGISTRIES_TABLE_NAME`: people and properties.
    pub registries_table: Option<String>,
    /// `STATE_MACHINE_ARN`.
    pub state_machine_arn: Option<String>,
    /// `SMS_SENDER_ID`, default `1414`.
    pub sms_sender_id: String,
    /// `CONSENT_TIMEOUT_SECONDS`, default 3600, from 60 to 86400.
    pub consent_timeout_seconds: u32,
    /// `METRICS_NAMESPACE`, default `ResidenceRegistration`.
    pub metrics_namespace: String,
    /// `STAGE`, default `dev`: the `Stage` dimension of every metric.
    pub stage: String,
    /// `AWS_LAMBDA_FUNCTION_NAME` (Lambda sets it): the `function` of every metric line.
    pub function_name: String,
    /// `ADDRESS_REVIEW_THRESHOLD` (default 10) and `ADDRESS_REVIEW_WINDOW_DAYS` (default 30, at most 366).
    pub address_review: domain::review::AddressReview,
    /// `CODE_KEY_SECRET_ARN`: the Secrets Manager secret one-time codes are hashed with.
    pub code_key_secret: Option<String>,
    /// `LIMIT_*` (see [`domain::rate_limits::RateLimits::SETTINGS`]): the rate limits.
    pub rate_limits: domain::rate_limits::RateLimits,
    /// `CERTIFICATE_KEY_ID`: the KMS key certificates are signed with (only the certificate function has it).
    pub certificate_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("environment variable {0} is required by this function")]
    Missing(&'static str),
    #[error("environment variable {0} is not valid: {1}")]
    Invalid(&'static str, String),
    #[error("the code key could not be read from Secrets Manager: {0}")]
    CodeKey(String),
}

impl Settings {
    pub fn from_env() -> Result<Settings, SettingsError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let timeout = match get("CONSENT_TIMEOUT_SECONDS") {
            None => domain::steps::DEFAULT_CONSENT_TIMEOUT_SECONDS,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|t| (60..=86_400).contains(t))
                .ok_or_else(|| SettingsError::Invalid("CONSENT_TIMEOUT_SECONDS", format!("{v:?}: 60 to 86400")))?,
        };
        let positive = |name: &'static str, default: u32, max: u32| match get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| SettingsError::Invalid(name, format!("{v:?}: 1 to {max}"))),
        };
        let defaults = domain::review::AddressReview::default();
        let address_review = domain::review::AddressReview {
            threshold: positive("ADDRESS_REVIEW_THRESHOLD", defaults.threshold, 1_000_000)?,
            window_days: positive("ADDRESS_REVIEW_WINDOW_DAYS", defaults.window_days, 366)?,
        };
        Ok(Settings {
            table: get("TABLE_NAME").filter(|v| !v.is_empty()),
            registries_table: get("REGISTRIES_TABLE_NAME").filter(|v| !v.is_empty()),
            state_machine_arn: get("STATE_MACHINE_ARN").filter(|v| !v.is_empty()),
            sms_sender_id: get("SMS_SENDER_ID")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| domain::sms::SENDER_ID.into()),
            consent_timeout_seconds: timeout,
            metrics_namespace: get("METRICS_NAMESPACE")
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| domain::metrics::DEFAULT_NAMESPACE.into()),
            stage: get("STAGE").filter(|v| !v.is_empty()).unwrap_or_else(|| "dev".into()),
            function_name: get("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default(),
            address_review,
            code_key_secret: get("CODE_KEY_SECRET_ARN").filter(|v| !v.is_empty()),
            rate_limits: domain::rate_limits::RateLimits::from_lookup(&get)
                .map_err(|e| SettingsError::Invalid(e.name, format!("{:?}: 1 to 100000", e.value)))?,
            certificate_key: get("CERTIFICATE_KEY_ID").filter(|v| !v.is_empty()),
        })
    }
}

/// Every SDK call ends well inside a function's 10 s timeout: a stalled connection or a service that does
/// not answer becomes a transient error (the documented 503, or the state machine's `Retry`) instead of a
/// Lambda timeout. An attempt gets 2 s (DynamoDB answers in milliseconds; SNS and Step Functions in tens),
/// the whole operation with the SDK's own retries 6 s, a connection 1 s.
pub fn sdk_timeouts() -> aws_smithy_types::timeout::TimeoutConfig {
    use std::time::Duration;
    aws_smithy_types::timeout::TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(1))
        .operation_attempt_timeout(Duration::from_secs(2))
        .operation_timeout(Duration::from_secs(6))
        .build()
}

/// The roots AWS service endpoints chain to (see `shared/aws-adapters/certs/README.md`).
const AMAZON_TRUST_SERVICES: &[u8] = include_bytes!("../certs/amazon-trust-services.pem");

/// The SDK's HTTPS client (rustls with aws-lc), trusting Amazon Trust Services' roots instead of the ~145
/// system roots, whose loading was most of a function's init time. An endpoint named by `AWS_ENDPOINT_URL`
/// (moto, a test server) may use another CA: then the system roots are trusted too.
fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls;
    let other_endpoint = std::env::var_os("AWS_ENDPOINT_URL").is_some();
    let roots = tls::TrustStore::empty().with_native_roots(other_endpoint).with_pem_certificate(AMAZON_TRUST_SERVICES);
    let builder = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(tls::rustls_provider::CryptoMode::AwsLc));
    match tls::TlsContext::builder().with_trust_store(roots).build() {
        Ok(context) => builder.tls_context(context).build_https(),
        // Not reached with the embedded certificates; the SDK's default context still works.
        Err(_) => builder.build_https(),
    }
}

/// `AWS_ENDPOINT_URL_<SERVICE>` (`DYNAMODB`, `SNS`, `SFN`, `SECRETS_MANAGER`), as the SDK's own configuration
/// reads it: one service at a test server. Read here too, since [`lambda_sdk_config`] does not go through it.
fn service_endpoint(service: &str) -> Option<String> {
    std::env::var(format!("AWS_ENDPOINT_URL_{service}")).ok().filter(|v| !v.is_empty())
}

/// The SDK configuration as Lambda's environment gives it, read directly: region from `AWS_REGION`, the role's
/// credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, an endpoint from
/// `AWS_ENDPOINT_URL` if set (moto, `cargo lambda watch` with `.env.local`). Not `aws_config::defaults()`,
/// whose credential chain (profiles, SSO, STS, IMDS, ECS) and profile-file parsing are never used in Lambda
/// and were about 100 KB of each function's zip.
fn lambda_sdk_config() -> Result<aws_config::SdkConfig, SettingsError> {
    use aws_config::{BehaviorVersion, Region, SdkConfig};
    let region = std::env::var("AWS_REGION")
        .or_else(|_| std::env::var("AWS_DEFAULT_REGION"))
        .map_err(|_| SettingsError::Missing("AWS_REGION"))?;
    let credentials = aws_config::environment::EnvironmentVariableCredentialsProvider::new();
    let mut builder = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(credentials))
        .http_client(https_client())
        .sleep_impl(aws_smithy_async::rt::sleep::TokioSleep::new())
        .time_source(aws_smithy_async::time::SystemTimeSource::new())
        .retry_config(aws_config::retry::RetryConfig::standard())
        .timeout_config(sdk_timeouts())
        .identity_cache(aws_config::identity::IdentityCache::lazy().build());
    if let Some(url) = std::env::var("AWS_ENDPOINT_URL").ok().filter(|u| !u.is_empty()) {
        builder = builder.endpoint_url(url);
    }
    Ok(builder.build())
}

/// One SDK client, built once and written once for every service: the shared configuration, the SDK's
/// timeouts, the service's endpoint override (`AWS_ENDPOINT_URL_<SERVICE>`) and the call recorder when there
/// is one. (A macro: each SDK crate has its own builder type, with no trait in common.)
macro_rules! client {
    ($aws:ident, $cell:ident, $sdk:ident, $service:literal) => {
        $aws.$cell.get_or_init(|| {
            let mut b = $sdk::config::Builder::from(&$aws.config).timeout_config(sdk_timeouts());
            if let Some(url) = service_endpoint($service) {
                b = b.endpoint_url(url);
            }
            if let Some(r) = &$aws.recorder {
                b = b.interceptor(r.clone());
            }
            $sdk::Client::from_conf(b.build())
        })
    };
}

/// The SDK configuration, and each client built the first time a function asks for it (once per Lambda
/// instance, during init, since `main.rs` builds its ports there): a function that only reads DynamoDB
/// never builds the SNS and Step Functions clients.
#[derive(Clone)]
pub struct Aws {
    pub settings: Settings,
    config: aws_config::SdkConfig,
    recorder: Option<Recorder>,
    dynamodb: OnceLock<aws_sdk_dynamodb::Client>,
    sns: OnceLock<aws_sdk_sns::Client>,
    sfn: OnceLock<aws_sdk_sfn::Client>,
    secrets: OnceLock<aws_sdk_secretsmanager::Client>,
    kms: OnceLock<aws_sdk_kms::Client>,
    /// Read at init by [`Aws::with_code_key`].
    code_key: Option<Arc<domain::CodeKey>>,
    /// Given by the one function that verifies EDS signatures ([`Aws::with_eds_verifier`]).
    eds_verifier: Option<Arc<dyn domain::eds::EdsVerifier>>,
    /// The certificate function's KMS key ([`Aws::with_document_signer`]).
    document_signer: Option<Arc<dyn DocumentSigner>>,
}

impl Aws {
    /// A function's start in Lambda: logging, the settings from the environment, the SDK configuration. An
    /// error here stops the function at init (it never serves).
    pub async fn for_lambda() -> Result<Aws, SettingsError> {
        crate::init_logging();
        Ok(Self::from_config(Settings::from_env()?, &lambda_sdk_config()?))
    }

    /// For the four functions that hash one-time codes: the key, read once at init from `CODE_KEY_SECRET_ARN`
    /// (only they have it, and only they may read it). A separate call so that the other six functions do
    /// not link the Secrets Manager client at all.
    pub async fn with_code_key(mut self) -> Result<Aws, SettingsError> {
        self.code_key = Some(self.read_code_key().await?);
        Ok(self)
    }

    /// For submit: the EDS verifier (the `eds-verifier` crate, which only submit links).
    pub fn with_eds_verifier(mut self, eds: Arc<dyn domain::eds::EdsVerifier>) -> Aws {
        self.eds_verifier = Some(eds);
        self
    }

    /// For the certificate function: its KMS signing key, from `CERTIFICATE_KEY_ID` (only it has the key and
    /// `kms:Sign`; no other function links the KMS client).
    pub fn with_document_signer(mut self) -> Result<Aws, SettingsError> {
        let key = self.settings.certificate_key.clone().ok_or(SettingsError::Missing("CERTIFICATE_KEY_ID"))?;
        self.document_signer = Some(Arc::new(crate::kms::KmsSigner::new(self.kms().clone(), key)));
        Ok(self)
    }

    /// In Lambda (`AWS_LAMBDA_FUNCTION_NAME` and credentials in the environment, as Lambda sets them),
    /// region and credentials come straight from the environment; elsewhere from the standard chains
    /// (profiles, SSO, ...). `AWS_ENDPOINT_URL` points the SDK at a local server such as moto.
    pub async fn from_env(settings: Settings) -> Aws {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest()).http_client(https_client());
        if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() && std::env::var_os("AWS_ACCESS_KEY_ID").is_some() {
            loader = loader
                .region(aws_config::environment::EnvironmentVariableRegionProvider::new())
                .credentials_provider(aws_config::environment::EnvironmentVariableCredentialsProvider::new());
        }
        Self::from_config(settings, &loader.load().await)
    }

    pub fn from_config(settings: Settings, config: &aws_config::SdkConfig) -> Aws {
        Aws {
            settings,
            config: config.clone(),
            recorder: None,
            dynamodb: OnceLock::new(),
            sns: OnceLock::new(),
            sfn: OnceLock::new(),
            secrets: OnceLock::new(),
            kms: OnceLock::new(),
            code_key: None,
            eds_verifier: None,
            document_signer: None,
        }
    }

    /// The same clients, each recording its calls into `log` (see [`crate::calls`]).
    pub fn with_call_log(settings: Settings, config: &aws_config::SdkConfig, log: &CallLog) -> Aws {
        Aws { recorder: Some(Recorder::new(log.clone())), ..Self::from_config(settings, config) }
    }

    pub fn dynamodb(&self) -> &aws_sdk_dynamodb::Client {
        client!(self, dynamodb, aws_sdk_dynamodb, "DYNAMODB")
    }

    pub fn sns(&self) -> &aws_sdk_sns::Client {
        client!(self, sns, aws_sdk_sns, "SNS")
    }

    pub fn sfn(&self) -> &aws_sdk_sfn::Client {
        client!(self, sfn, aws_sdk_sfn, "SFN")
    }

    pub fn secrets(&self) -> &aws_sdk_secretsmanager::Client {
        client!(self, secrets, aws_sdk_secretsmanager, "SECRETS_MANAGER")
    }

    pub fn kms(&self) -> &aws_sdk_kms::Client {
        client!(self, kms, aws_sdk_kms, "KMS")
    }

    /// The key one-time codes are hashed with, read once (at init) from the secret `CODE_KEY_SECRET_ARN`
    /// names; at least 32 bytes of its string. A function that cannot read it does not start.
    pub async fn read_code_key(&self) -> Result<Arc<domain::CodeKey>, SettingsError> {
        let arn = self.settings.code_key_secret.clone().ok_or(SettingsError::Missing("CODE_KEY_SECRET_ARN"))?;
        let out = self
            .secrets()
            .get_secret_value()
            .secret_id(arn)
            .send()
            .await
            .map_err(|e| SettingsError::CodeKey(crate::errors::describe(&e)))?;
        let secret = out.secret_string().ok_or_else(|| SettingsError::CodeKey("the secret has no string".into()))?;
        domain::CodeKey::new(secret.as_bytes().to_vec())
            .map(Arc::new)
            .map_err(|e| SettingsError::CodeKey(e.to_string()))
    }

    pub fn store(&self) -> Result<Arc<DynamoStore>, SettingsError> {
        let table = self.settings.table.clone().ok_or(SettingsError::Missing("TABLE_NAME"))?;
        Ok(Arc::new(DynamoStore::new(self.dynamodb().clone(), table)))
    }

    pub fn registries(&self) -> Result<Arc<DynamoRegistries>, SettingsError> {
        let table = self.settings.registries_table.clone().ok_or(SettingsError::Missing("REGISTRIES_TABLE_NAME"))?;
        Ok(Arc::new(DynamoRegistries::new(self.dynamodb().clone(), table)))
    }

    /// SMS through SNS, each send counted (parts by language, errors) in the function's metrics.
    pub fn sms(&self) -> Arc<CountedSms> {
        Arc::new(CountedSms { inner: self.sns_sms(), metrics: self.metrics() })
    }

    /// SMS through SNS, not counted (the local stack counts them itself).
    pub fn sns_sms(&self) -> Arc<SnsSms> {
        Arc::new(SnsSms::new(self.sns().clone(), self.settings.sms_sender_id.clone()))
    }

    /// Business metrics as EMF lines on stdout.
    pub fn metrics(&self) -> Arc<EmfMetrics> {
        let s = &self.settings;
        Arc::new(EmfMetrics::stdout(&s.metrics_namespace, &s.stage, &s.function_name))
    }

    pub fn workflow(&self) -> Result<Arc<StepFunctions>, SettingsError> {
        let arn = self.settings.state_machine_arn.clone().ok_or(SettingsError::Missing("STATE_MACHINE_ARN"))?;
        Ok(Arc::new(StepFunctions::new(self.sfn().clone(), arn)))
    }
}

impl From<SettingsError> for WiringError {
    fn from(e: SettingsError) -> Self {
        match e {
            SettingsError::Missing(name) => WiringError::Missing(name),
            other => WiringError::Failed { what: "settings", source: Box::new(other) },
        }
    }
}

/// The ports over DynamoDB, SNS and Step Functions, as `Deps::from_ports` takes them in Lambda.
impl PortSource for Aws {
    fn applications(&self) -> Result<Arc<dyn ApplicationStore>, WiringError> {
        Ok(self.store()?)
    }
    fn consents(&self) -> Result<Arc<dyn ConsentStore>, WiringError> {
        Ok(self.store()?)
    }
    fn registrations(&self) -> Result<Arc<dyn RegistrationStore>, WiringError> {
        Ok(self.store()?)
    }
    fn signing(&self) -> Result<Arc<dyn SigningStore>, WiringError> {
        Ok(self.store()?)
    }
    fn timeline(&self) -> Result<Arc<dyn TimelineStore>, WiringError> {
        Ok(self.store()?)
    }
    fn registries(&self) -> Result<Arc<dyn Registries>, WiringError> {
        Ok(Aws::registries(self)?)
    }
    fn sms(&self) -> Result<Arc<dyn SmsSender>, WiringError> {
        Ok(Aws::sms(self))
    }
    fn workflow(&self) -> Result<Arc<dyn Workflow>, WiringError> {
        Ok(Aws::workflow(self)?)
    }
    fn metrics(&self) -> Arc<dyn Metrics> {
        Aws::metrics(self)
    }
    fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(SystemClock)
    }
    fn code_key(&self) -> Result<Arc<domain::CodeKey>, WiringError> {
        self.code_key.clone().ok_or(WiringError::Missing("CODE_KEY_SECRET_ARN"))
    }
    fn eds_verifier(&self) -> Result<Arc<dyn domain::eds::EdsVerifier>, WiringError> {
        self.eds_verifier.clone().ok_or(WiringError::Missing("NCA_ROOT_SHA256"))
    }
    fn certificates(&self) -> Result<Arc<dyn CertificateStore>, WiringError> {
        Ok(self.store()?)
    }
    fn document_signer(&self) -> Result<Arc<dyn DocumentSigner>, WiringError> {
        self.document_signer.clone().ok_or(WiringError::Missing("CERTIFICATE_KEY_ID"))
    }
    fn policy(&self) -> Policy {
        let s = &self.settings;
        Policy {
            consent_timeout_seconds: s.consent_timeout_seconds,
            address_review: s.address_review,
            rate_limits: s.rate_limits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_roots_are_five_certificates_that_a_client_accepts() {
        let pem = String::from_utf8_lossy(AMAZON_TRUST_SERVICES);
        assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 5);
        // Building a client builds its TLS connector, which parses the trust store (and panics on a bad one).
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("eu-central-1"))
            .http_client(https_client())
            .build();
        let _client = aws_sdk_dynamodb::Client::from_conf(config);
    }

    #[test]
    fn reads_and_checks_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let s = Settings::from_lookup(env(&[("TABLE_NAME", "t")])).expect("valid");
        assert_eq!(
            (s.table.as_deref(), s.sms_sender_id.as_str(), s.consent_timeout_seconds),
            (Some("t"), "1414", 3600)
        );
        assert!(Settings::from_lookup(env(&[("CONSENT_TIMEOUT_SECONDS", "5")])).is_err());
        assert!(Settings::from_lookup(env(&[("ADDRESS_REVIEW_THRESHOLD", "0")])).is_err());
        assert!(Settings::from_lookup(env(&[("ADDRESS_REVIEW_WINDOW_DAYS", "400")])).is_err());
        assert_eq!(
            Settings::from_lookup(env(&[("ADDRESS_REVIEW_THRESHOLD", "3"), ("STAGE", "prod")])).map(|s| (
                s.address_review.threshold,
                s.address_review.window_days,
                s.stage
            )),
            Ok((3, 30, "prod".to_string()))
        );
        assert_eq!(
            Settings::from_lookup(env(&[("CONSENT_TIMEOUT_SECONDS", "120")])).map(|s| s.consent_timeout_seconds),
            Ok(120)
        );
    }
}
