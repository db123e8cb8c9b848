//! The AWS adapters over real HTTP against moto (group 1: moto's defaults; `./scripts/test` resets it first).

mod support;

use aws_adapters::dynamodb::{load_reference_data, schema, DynamoRegistries, DynamoStore};
use aws_adapters::sfn::StepFunctions;
use aws_adapters::sns::SnsSms;
use domain::errors::WorkflowError;
use domain::ports::{Registries, SmsSender, Workflow};
use domain::reference_data::ReferenceData;
use domain::texts::sms::Template;
use domain::{ApplicationId, Iin, Language, PhoneNumber, Rka};
use serde_json::json;
use std::sync::Arc;
use test_kit::contract;

const REGION: &str = "eu-central-1";

async fn store() -> Arc<DynamoStore> {
    let client = aws_sdk_dynamodb::Client::new(&support::config(REGION).await);
    let table = support::unique("registration");
    schema::create_main_table(&client, &table).await.expect("create table");
    Arc::new(DynamoStore::new(client, table))
}

#[tokio::test]
async fn application_store_contract() {
    let s = store().await;
    contract::applications(s.clone(), s).await;
}

/// A second signal over moto (its transactions are not atomic under concurrency: in one CI run of ten, two of
/// ten concurrent creates both committed); the store contract's interleavings and DynamoDB's own transaction
/// semantics are the proof, and the embedded store runs the same test strictly.
#[tokio::test]
async fn one_open_application_per_registrant_under_concurrent_submits() {
    contract::one_open_application_under_concurrency(store().await, false).await;
}

#[tokio::test]
async fn consent_store_contract() {
    contract::consents(store().await).await;
}

#[tokio::test]
async fn reply_receipt_contract() {
    contract::reply_receipts(store().await).await;
}

#[tokio::test]
async fn registration_store_contract() {
    contract::registrations(store().await).await;
}

#[tokio::test]
async fn signing_store_contract() {
    contract::signing(store().await).await;
}

#[tokio::test]
async fn certificate_store_contract() {
    contract::certificates(store().await).await;
}

#[tokio::test]
async fn timeline_store_contract() {
    contract::timeline(store().await).await;
}

#[tokio::test]
async fn the_table_has_ttl_on_the_expiry_attribute() {
    let client = aws_sdk_dynamodb::Client::new(&support::config(REGION).await);
    let table = support::unique("ttl");
    schema::create_main_table(&client, &table).await.expect("create");
    let ttl = client.describe_time_to_live().table_name(&table).send().await.expect("describe");
    let d = ttl.time_to_live_description.expect("ttl");
    assert_eq!(d.attribute_name(), Some("expiresAtEpoch"));
}

#[tokio::test]
async fn registries_load_from_the_reference_data_file_and_read_back() {
    let client = aws_sdk_dynamodb::Client::new(&support::config(REGION).await);
    let table = support::unique("registries");
    schema::create_registries_table(&client, &table).await.expect("create");
    let data = ReferenceData::from_json(test_kit::SAMPLE_REFERENCE_DATA).expect("sample");
    let written = load_reference_data(&client, &table, &data).await.expect("load");
    let ownerships: usize = data.properties().map(|p| p.owners.len()).sum();
    assert_eq!(written, data.people().count() + data.properties().count() + ownerships);
    let registries = DynamoRegistries::new(client, table);
    // Each owner's properties, through the `owners` index, equal to the file's (the embedded registries').
    for person in data.people() {
        let mut expected: Vec<_> = data.properties().filter(|p| p.owners.contains(&person.iin)).cloned().collect();
        expected.sort_by(|a, b| a.rka.cmp(&b.rka));
        assert_eq!(registries.owned_by(&person.iin).await.expect("owned"), expected, "{}", person.iin.masked());
        assert_eq!(data.owned_by(&person.iin).await.expect("owned"), expected);
    }
    for p in data.people() {
        assert_eq!(registries.person(&p.iin).await.expect("read").as_ref(), Some(p), "{}", p.iin.masked());
    }
    for p in data.properties() {
        assert_eq!(registries.property(&p.rka).await.expect("read").as_ref(), Some(p));
    }
    assert_eq!(
        registries.person(&Iin::parse("921030400817").expect("iin")).await.expect("read").and_then(|p| p.bmg_phone),
        None
    );
    assert_eq!(registries.property(&Rka::parse("0201500000009999").expect("rka")).await.expect("read"), None);
}

#[tokio::test]
async fn sms_go_out_from_1414_as_transactional() {
    let sns = aws_sdk_sns::Client::new(&support::config(REGION).await);
    let sender = SnsSms::new(sns, "1414".into());
    let phone = PhoneNumber::parse("+77019876543").expect("phone");
    let message = Template::SigningCode { code: "424242" }.render(Language::Kk);
    sender.send(&phone, &message).await.expect("published");
    let data = support::moto_api("GET", "data.json", None).await;
    let sent = data["sns"]["SMS"].to_string();
    assert!(sent.contains("+77019876543") && sent.contains("424242"), "moto recorded the SMS: {sent}");
}

#[tokio::test]
async fn step_functions_start_by_name_and_stop_unknown_execution() {
    let config = support::config(REGION).await;
    let sfn = aws_sdk_sfn::Client::new(&config);
    let definition = json!({"StartAt": "Wait", "States": {"Wait": {"Type": "Pass", "End": true}}}).to_string();
    let arn = sfn
        .create_state_machine()
        .name(support::unique("registration"))
        .definition(definition)
        .role_arn("arn:aws:iam::123456789012:role/registration-workflow")
        .send()
        .await
        .expect("state machine")
        .state_machine_arn;
    let workflow = StepFunctions::new(sfn.clone(), arn.clone());
    let id = ApplicationId::new();
    workflow.start(&id, None).await.expect("started");
    let described =
        sfn.describe_execution().execution_arn(workflow.execution_arn(id.as_str())).send().await.expect("exists");
    assert_eq!(described.name(), Some(id.as_str()), "named by application id");
    assert_eq!(described.input(), Some(json!({"applicationId": id.to_string()}).to_string().as_str()), "ids only");
    let again = workflow.start(&id, None).await;
    assert!(again.is_ok() || again == Err(WorkflowError::ExecutionAlreadyExists), "no second execution: {again:?}");
    let listed = sfn.list_executions().state_machine_arn(&arn).send().await.expect("list");
    assert_eq!(listed.executions().len(), 1);
    let stop = workflow.stop(&ApplicationId::new(), "withdrawn").await;
    assert!(matches!(stop, Err(WorkflowError::ExecutionDoesNotExist)), "{stop:?}");
}

/// The certificate key in KMS (moto): an ECC_NIST_P256 key signs over real HTTP; the signature, turned from
/// KMS's DER into JWS's r‖s, verifies with the public key KMS gives (checked by aws-lc-rs), and not over
/// another message.
#[tokio::test]
async fn kms_signs_certificates_and_gives_the_key_that_checks_them() {
    use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
    use domain::ports::DocumentSigner;
    let client = aws_sdk_kms::Client::new(&support::config(REGION).await);
    let key = client
        .create_key()
        .key_spec(aws_sdk_kms::types::KeySpec::EccNistP256)
        .key_usage(aws_sdk_kms::types::KeyUsageType::SignVerify)
        .send()
        .await
        .expect("create key");
    let arn = key.key_metadata().and_then(|m| m.arn()).expect("arn").to_string();
    let signer = aws_adapters::kms::KmsSigner::new(client, arn.clone());
    assert_eq!(signer.key_id(), arn.rsplit('/').next().expect("id"), "the kid is the key's id");
    let message = b"header.payload";
    let signature = signer.sign(message).await.expect("sign");
    assert_eq!(signature.len(), 64);
    let point = signer.public_key().await.expect("public key");
    let key = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point);
    assert!(key.verify(message, &signature).is_ok());
    assert!(key.verify(b"header.other", &signature).is_err());
}
