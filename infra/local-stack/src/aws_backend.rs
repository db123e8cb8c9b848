//! The local stack over the AWS APIs at an endpoint (moto, in the tests): the functions use the same
//! DynamoDB, SNS and Step Functions adapters as in AWS, each function with its own clients whose calls are
//! recorded ([`aws_adapters::calls::CallLog`]). That is what the policy test and the cost counts read.
//!
//! The workflow still runs in the in-process engine (moto would need Lambda functions to run it), and the
//! functions' Step Functions calls go to the API as well, so that each call a function makes in AWS is made:
//! [`WorkflowAlsoToApi`]. Every SMS goes through SNS and into the outbox, so the local controls still work.

use crate::functions::{names, substitutions};
use async_trait::async_trait;
use aws_adapters::calls::CallLog;
use aws_adapters::dynamodb::{load_reference_data, schema};
use aws_adapters::{Aws, Settings};
use domain::errors::{SmsError, WorkflowError};
use domain::ports::{SmsSender, Workflow};
use domain::reference_data::ReferenceData;
use domain::sms::SmsMessage;
use domain::{ApplicationId, PhoneNumber};
use memory_adapters::SmsOutbox;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The functions that read the code key at init.
pub const CODE_KEY_READERS: [&str; 4] = ["signing-code", "submit", "request-consent", "record-reply"];

pub struct AwsBackend {
    pub config: aws_config::SdkConfig,
    pub settings: Settings,
    /// Each function's calls, by function name.
    pub calls: BTreeMap<&'static str, CallLog>,
    /// The code key, read from the secret created at the endpoint, as a function reads it at init.
    pub code_key: Arc<domain::CodeKey>,
}

impl AwsBackend {
    /// Creates fresh tables (unique names), loads the registries and creates the state machine from
    /// `definition`, at `endpoint` with test credentials.
    pub async fn prepare(
        endpoint: &str,
        reference_data: &ReferenceData,
        definition: &str,
        consent_timeout_seconds: u32,
    ) -> Result<AwsBackend, String> {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(aws_config::Region::new("eu-central-1"))
            .test_credentials()
            .load()
            .await;
        let setup = Aws::from_config(Settings::from_lookup(|_| None).map_err(|e| e.to_string())?, &config);
        let suffix = &uuid::Uuid::new_v4().simple().to_string()[..12];
        let (table, registries) = (format!("registration-{suffix}"), format!("registries-{suffix}"));
        schema::create_main_table(setup.dynamodb(), &table).await.map_err(|e| e.to_string())?;
        schema::create_registries_table(setup.dynamodb(), &registries).await.map_err(|e| e.to_string())?;
        load_reference_data(setup.dynamodb(), &registries, reference_data).await.map_err(|e| e.to_string())?;
        let mut deployed = definition.to_string();
        for (k, v) in substitutions() {
            deployed = deployed.replace(&format!("${{{k}}}"), &v);
        }
        let created = setup
            .sfn()
            .create_state_machine()
            .name(format!("registration-{suffix}"))
            .definition(deployed)
            .role_arn("arn:aws:iam::123456789012:role/registration-workflow")
            .send()
            .await
            .map_err(|e| format!("create state machine: {e:?}"))?;
        // The code key: a secret as the template creates it (a random string), read back as functions read it.
        let secret = setup
            .secrets()
            .create_secret()
            .name(format!("registration-code-key-{suffix}"))
            .secret_string(format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()))
            .send()
            .await
            .map_err(|e| format!("create secret: {e:?}"))?;
        // The certificate key: an asymmetric KMS key as the template creates it.
        let key = setup
            .kms()
            .create_key()
            .key_spec(aws_sdk_kms::types::KeySpec::EccNistP256)
            .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
            .description(format!("registration certificates {suffix}"))
            .send()
            .await
            .map_err(|e| format!("create key: {e:?}"))?;
        let certificate_key = key.key_metadata().map(|m| m.key_id().to_string());
        let settings = Settings {
            table: Some(table),
            registries_table: Some(registries),
            state_machine_arn: Some(created.state_machine_arn().to_string()),
            sms_sender_id: domain::sms::SENDER_ID.to_string(),
            consent_timeout_seconds,
            metrics_namespace: domain::metrics::DEFAULT_NAMESPACE.to_string(),
            stage: "local".to_string(),
            function_name: String::new(),
            address_review: domain::review::AddressReview::default(),
            code_key_secret: secret.arn().map(str::to_string),
            rate_limits: domain::rate_limits::RateLimits::default(),
            certificate_key,
        };
        let calls: BTreeMap<&'static str, CallLog> = names().map(|f| (f, CallLog::new())).collect();
        // Each function that hashes or checks codes reads the key at init, with its own clients (so its
        // call is in its log, and the policy test holds its grant).
        let mut code_key = None;
        for function in CODE_KEY_READERS {
            let log = calls.get(function).cloned().unwrap_or_default();
            let key =
                Aws::with_call_log(settings.clone(), &config, &log).read_code_key().await.map_err(|e| e.to_string())?;
            code_key = Some(key);
        }
        let code_key = code_key.ok_or("no function reads the code key")?;
        Ok(AwsBackend { config, settings, calls, code_key })
    }

    /// Clients for `function`, recording into its log.
    pub fn clients(&self, function: &'static str) -> Aws {
        let log = self.calls.get(function).cloned().unwrap_or_default();
        Aws::with_call_log(self.settings.clone(), &self.config, &log)
    }
}

/// SNS, and on success the outbox too (so `/_local/sms/outbox` shows what was sent).
pub struct SmsAlsoToOutbox {
    pub sns: Arc<dyn SmsSender>,
    pub outbox: Arc<SmsOutbox>,
}

#[async_trait]
impl SmsSender for SmsAlsoToOutbox {
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError> {
        self.sns.send(to, message).await?;
        self.outbox.send(to, message).await
    }
}

/// The Step Functions API first (the call the function makes in AWS), then the engine that really runs
/// the execution, whose answer counts.
pub struct WorkflowAlsoToApi {
    pub api: Arc<dyn Workflow>,
    pub engine: asl_runner::Engine,
}

#[async_trait]
impl Workflow for WorkflowAlsoToApi {
    async fn start(&self, application: &ApplicationId, trace_header: Option<&str>) -> Result<(), WorkflowError> {
        self.api.start(application, trace_header).await?;
        Workflow::start(&self.engine, application, trace_header).await
    }

    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError> {
        self.api.send_task_success(token, output.clone()).await?;
        Workflow::send_task_success(&self.engine, token, output).await
    }

    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), WorkflowError> {
        self.api.send_task_failure(token, error, cause).await?;
        Workflow::send_task_failure(&self.engine, token, error, cause).await
    }

    async fn stop(&self, application: &ApplicationId, cause: &str) -> Result<(), WorkflowError> {
        self.api.stop(application, cause).await?;
        Workflow::stop(&self.engine, application, cause).await
    }
}
