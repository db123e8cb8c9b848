//! Issue #16: a rehearsal of the stack itself, offline. `infra/rehearsal/rehearse.py` transforms the SAM template
//! with the SAM translator (what CloudFormation runs for the `AWS::Serverless` transform), creates it as a stack on
//! moto, and reads the resources back through each service's API; this test holds what came back to what the
//! code expects. What moto does not create or not apply is checked on what CloudFormation is sent instead, and
//! listed here (`MOTO_DOES_NOT_CREATE`) so that a new moto that does is noticed.

use crate::template::{function_grants, functions_with_failure_queue, http_routes};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Resource types moto 5.2.5's CloudFormation does not create (the stack still completes without them; the
/// references to an alias are sent to moto as references to its function, `for_moto` in rehearse.py).
const MOTO_DOES_NOT_CREATE: [&str; 10] = [
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Stage",
    "AWS::CloudWatch::Alarm",
    "AWS::CodeDeploy::Application",
    "AWS::CodeDeploy::DeploymentGroup",
    "AWS::Lambda::Alias",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
    "AWS::SecretsManager::Secret",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rehearse(endpoint: &str) -> Value {
    let run = format!("{}", std::process::id());
    let out = std::process::Command::new(root().join(".venv/bin/python"))
        .arg(root().join("infra/rehearsal/rehearse.py"))
        .arg(endpoint)
        .env("REHEARSAL_RUN", run)
        .output()
        .expect("run ./scripts/setup-tools (.venv with cfn-lint, aws-sam-translator and boto3), then `sam build`");
    assert!(out.status.success(), "rehearsal failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON report")
}

/// Keys and indexes of a table as the code creates it (`aws_adapters::dynamodb::schema`), read back from moto.
async fn code_table(endpoint: &str, main: bool) -> Value {
    let credentials = aws_credential_types::Credentials::new("test", "test", None, None, "rehearsal");
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("eu-central-1"))
        .credentials_provider(credentials)
        .load()
        .await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let name = format!("code-{}-{}", if main { "main" } else { "registries" }, std::process::id());
    if main {
        aws_adapters::dynamodb::schema::create_main_table(&client, &name).await.expect("create");
    } else {
        aws_adapters::dynamodb::schema::create_registries_table(&client, &name).await.expect("create");
    }
    let t = client.describe_table().table_name(&name).send().await.expect("describe").table.expect("table");
    let keys = |k: &[aws_sdk_dynamodb::types::KeySchemaElement]| -> Value {
        k.iter().map(|e| serde_json::json!([e.attribute_name(), e.key_type().as_str()])).collect()
    };
    let indexes: serde_json::Map<String, Value> = t
        .global_secondary_indexes()
        .iter()
        .map(|i| {
            let projection = i.projection().and_then(|p| p.projection_type()).map(|p| p.as_str().to_string());
            (
                i.index_name().unwrap_or_default().to_string(),
                serde_json::json!({ "keys": keys(i.key_schema()), "projection": projection }),
            )
        })
        .collect();
    serde_json::json!({ "keys": keys(t.key_schema()), "indexes": indexes })
}

fn actions(document: &Value) -> BTreeSet<String> {
    let list = |v: &Value| match v {
        Value::Array(a) => a.iter().filter_map(Value::as_str).map(str::to_string).collect::<Vec<_>>(),
        Value::String(s) => vec![s.clone()],
        _ => vec![],
    };
    document["Statement"].as_array().into_iter().flatten().flat_map(|s| list(&s["Action"])).collect()
}

#[tokio::test]
async fn the_stack_transformed_by_sam_and_created_on_moto_is_what_the_code_expects() {
    let endpoint = crate::moto_endpoint();
    let r = rehearse(&endpoint);
    assert_eq!(r["stackStatus"], "CREATE_COMPLETE", "{}", r["resourceStatus"]);
    let not_created: BTreeSet<&str> =
        r["notCreatedTypes"].as_array().expect("list").iter().filter_map(Value::as_str).collect();
    assert_eq!(not_created, MOTO_DOES_NOT_CREATE.into_iter().collect(), "what moto cannot create (docs/deploying.md)");

    // Tables: keys and indexes as the code creates them; TTL, PITR and the key as CloudFormation is sent them.
    for (logical, main) in [("MainTable", true), ("RegistriesTable", false)] {
        let created = &r["tables"][logical];
        let code = code_table(&endpoint, main).await;
        assert_eq!(created["keys"], code["keys"], "{logical} keys");
        assert_eq!(created["indexes"], code["indexes"], "{logical} indexes");
        assert_eq!(created["billing"], "PAY_PER_REQUEST");
        let sent = &r["asSent"]["tables"][logical];
        assert_eq!(sent["pitr"], true, "{logical}: point-in-time recovery");
        assert_eq!(sent["sse"]["KMSMasterKeyId"]["Ref"], "DataKey", "{logical}: the stack's key");
        let ttl = if main {
            serde_json::json!({ "AttributeName": aws_adapters::dynamodb::TTL, "Enabled": true })
        } else {
            Value::Null
        };
        assert_eq!(sent["ttl"], ttl, "{logical}: the TTL attribute the adapters write");
    }

    // The state machine: the deployed definition, every substitution resolved to a created function's ARN.
    let functions = r["functions"].as_object().expect("functions");
    // Each step through its alias: a task started after a deploy runs the version CodeDeploy moved `live` to.
    let arn = |logical: &str| format!("{}:live", functions[logical]["arn"].as_str().expect("arn"));
    let mut expected = local_stack::DEFINITION.to_string();
    for (key, logical) in [
        ("CheckEligibilityFunctionArn", "CheckEligibilityFunction"),
        ("RequestConsentFunctionArn", "RequestConsentFunction"),
        ("FinalizeFunctionArn", "FinalizeFunction"),
    ] {
        expected = expected.replace(&format!("${{{key}}}"), &arn(logical));
    }
    let expected: Value = serde_json::from_str(&expected).expect("definition");
    assert_eq!(r["stateMachine"]["type"], "STANDARD");
    assert_eq!(r["stateMachine"]["definition"], expected, "the definition with its substitutions resolved");
    assert!(!r["stateMachine"]["definition"].to_string().contains("${"), "nothing left unresolved");
    assert_eq!(r["stateMachine"]["definition"]["States"]["RequestConsents"]["MaxConcurrency"], 40);

    // Functions: one per crate, each role with exactly the actions the policy test proves, reserved concurrency.
    let grants = function_grants();
    let template = crate::template::template();
    let by_binary: BTreeMap<String, String> = template["Resources"]
        .as_mapping()
        .expect("resources")
        .iter()
        .filter_map(|(k, v)| {
            Some((v["Metadata"]["BuildProperties"]["Binary"].as_str()?.to_string(), k.as_str()?.to_string()))
        })
        .collect();
    assert_eq!(functions.len(), grants.len());
    let mut reserved = 0;
    for (binary, logical) in &by_binary {
        let f = &functions[logical.as_str()];
        let expected_actions: BTreeSet<String> = grants[binary].iter().map(|(a, _)| a.clone()).collect();
        let own = &f["inlinePolicies"][format!("{logical}RolePolicy0")];
        assert_eq!(actions(own), expected_actions, "{binary}: the role's inline policy");
        for st in own["Statement"].as_array().expect("statements") {
            let resources = match &st["Resource"] {
                Value::Array(a) => a.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
                v => vec![v.as_str().unwrap_or_default().to_string()],
            };
            // The code-key secret is one of the types moto does not create: its ARN stays unresolved there.
            if st["Sid"] != "CodeKey" && st["Sid"] != "SmsToPhoneNumbersOnly" {
                for resource in resources {
                    assert!(
                        resource.starts_with("arn:aws:"),
                        "{binary} {}: resolved to an ARN ({resource})",
                        st["Sid"]
                    );
                }
            }
        }
        if functions_with_failure_queue().contains(binary) {
            let queue = &f["inlinePolicies"][format!("{logical}EventInvokeConfigOnFailureSQSPolicy")];
            assert_eq!(
                actions(queue),
                BTreeSet::from(["sqs:SendMessage".to_string()]),
                "{binary}: SAM's grant for its queue"
            );
        }
        let wanted = template["Resources"][logical.as_str()]["Properties"]["ReservedConcurrentExecutions"].as_u64();
        assert_eq!(f["reservedConcurrency"].as_u64(), wanted, "{binary}: reserved concurrency");
        reserved += wanted.unwrap_or_default();
        assert_eq!(
            (f["runtime"].as_str(), f["memory"].as_u64(), f["timeout"].as_u64()),
            (Some("provided.al2023"), Some(128), Some(10))
        );
        // sam build's artefact, not a stub: an arm64 binary of megabytes, zipped.
        assert!(f["codeSize"].as_u64().unwrap_or_default() > 1_000_000, "{binary}: sam build's artefact");
        assert!(
            f["versions"].as_array().is_some_and(|v| v.len() >= 2),
            "{binary}: a version published: {}",
            f["versions"]
        );
    }
    assert_eq!(reserved, 120, "the reservation the README's arithmetic adds up to");

    // The HTTP API as SAM writes it for API Gateway (moto does not create HTTP APIs from CloudFormation).
    let routes: BTreeSet<(String, String, String)> = r["asSent"]["routes"]
        .as_object()
        .expect("routes")
        .iter()
        .map(|(key, v)| {
            let logical = v["function"].as_str().expect("function");
            let binary = by_binary.iter().find(|(_, l)| l.as_str() == logical).map(|(b, _)| b.clone()).expect("binary");
            // Behind the JWT authorizer, but for the routes the table of functions says anyone may call.
            let authorizer = if local_stack::routes::is_public(&binary, key) { "NONE" } else { "CitizenJwt" };
            assert_eq!(v["authorizers"], serde_json::json!([authorizer]), "{key}: its authorizer");
            let (method, path) = key.split_once(' ').unwrap_or(("ANY", "$default"));
            (method.to_string(), path.to_string(), binary)
        })
        .collect();
    assert_eq!(routes, http_routes(), "the routes API Gateway is sent are the template's");

    gradual_deploys(&r, &by_binary);

    assert_eq!(r["dataKey"]["rotation"], true, "the data key rotates");
    assert_eq!(
        r["dataKey"]["policySids"],
        serde_json::json!([
            "AccountAdministersThroughIam",
            "CloudWatchLogsForThisAccountsLogGroups",
            "AlarmsPublishToTheAlarmTopic",
            "SnsAndEventBridgeSendToTheFailureQueues"
        ])
    );
    println!(
        "rehearsal: stack CREATE_COMPLETE on moto, {} resources created; not created by moto: {}",
        r["created"].as_array().map_or(0, Vec::len),
        MOTO_DOES_NOT_CREATE.join(", ")
    );
}

/// Issue #26: every function behind its alias `live`, moved by CodeDeploy with the rollback alarms, and everything
/// that invokes a function (API Gateway's permissions and integrations, SNS, EventBridge, the on-failure
/// configurations, the state machine) naming the alias. Checked on what CloudFormation is sent (moto creates
/// neither aliases nor CodeDeploy's resources).
fn gradual_deploys(r: &Value, by_binary: &BTreeMap<String, String>) {
    let sent = &r["asSent"];
    let aliases = sent["aliases"].as_object().expect("aliases");
    let functions: BTreeSet<&str> = by_binary.values().map(String::as_str).collect();
    let aliased: BTreeSet<&str> = aliases.values().filter_map(|a| a["function"].as_str()).collect();
    assert_eq!(aliased, functions, "one alias per function");
    let groups = sent["deploymentGroups"].as_object().expect("deployment groups");
    for (alias, a) in aliases {
        assert_eq!(a["name"], "live", "{alias}");
        assert_eq!(a["version"], "AWS::Lambda::Version", "{alias}: points at a published version");
        let group = a["deploymentGroup"].as_str().unwrap_or_else(|| panic!("{alias}: moved by CodeDeploy"));
        let g = &groups[group];
        assert_eq!(
            g["alarms"],
            serde_json::json!([
                "Api5xxAlarm",
                "ApiLatencyAlarm",
                "HttpFunctionErrorsAlarm",
                "HttpFunctionThrottlesAlarm",
                "WorkflowFunctionErrorsAlarm",
                "WorkflowFunctionThrottlesAlarm"
            ]),
            "{group}: the rollback alarms"
        );
        assert_eq!(g["alarmsEnabled"], true);
        assert!(g["rollbackOn"].as_array().is_some_and(|e| e.contains(&"DEPLOYMENT_STOP_ON_ALARM".into())), "{group}");
        // samconfig.toml's dev environment deploys all at once; the template's default is the canary.
        assert_eq!(g["config"]["Fn::Sub"][1]["ConfigName"], "AllAtOnce", "{group}: dev's DeploymentType");
    }
    let invokers = sent["invokers"].as_object().expect("invokers");
    assert!(invokers.len() >= 20, "every permission, subscription, rule, invoke config and substitution");
    for (invoker, target) in invokers {
        let names_alias = match target {
            Value::String(qualifier) => qualifier == "live",
            other => other["Ref"].as_str().is_some_and(|r| aliases.contains_key(r)),
        };
        assert!(names_alias, "{invoker} invokes {target}, not an alias");
    }
    for (route, v) in sent["routes"].as_object().expect("routes") {
        assert!(v["function"].is_string(), "{route}: its integration invokes an alias");
    }
    let template = crate::template::template();
    assert_eq!(
        template["Parameters"]["DeploymentType"]["Default"].as_str(),
        Some("Canary10Percent5Minutes"),
        "production shifts traffic gradually"
    );
}
