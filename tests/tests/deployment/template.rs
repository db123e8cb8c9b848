//! Reads `infra/template.yaml`: each function's policy as grants (action, resource), with resources
//! named by the template's logical ids so they can be compared with what a run on moto records.

use serde_norway::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const TEMPLATE: &str = include_str!("../../../infra/template.yaml");

pub fn template() -> Value {
    serde_norway::from_str(TEMPLATE).expect("infra/template.yaml is YAML")
}

/// `(action, resource)`, e.g. `("dynamodb:Query", "table/MainTable/index/gsi1")`.
pub type Grant = (String, String);

/// A resource of a statement, as a name: `table/MainTable`, `table/MainTable/index/gsi1`,
/// `stateMachine/RegistrationStateMachine`, `execution/RegistrationStateMachine/*`, `queue/ReplyFailures`.
fn resource_name(v: &Value) -> String {
    let Value::Tagged(t) = v else { return format!("{v:?}") };
    let text = t.value.as_str().unwrap_or_default();
    match t.tag.to_string().as_str() {
        "!GetAtt" => match text.split_once('.') {
            Some((id, "Arn")) if id.ends_with("Table") => format!("table/{id}"),
            Some((id, "Arn")) => format!("arn/{id}"),
            _ => format!("getatt/{text}"),
        },
        "!Ref" if text.ends_with("StateMachine") => format!("stateMachine/{text}"),
        "!Ref" if text.ends_with("Secret") => format!("secret/{text}"),
        "!Ref" => format!("ref/{text}"),
        "!Sub" => {
            if let Some(rest) = text.strip_prefix("${").and_then(|r| r.split_once(".Arn}")) {
                format!("table/{}{}", rest.0, rest.1)
            } else if let Some((_, sm)) = text.split_once(":execution:${") {
                format!("execution/{}/*", sm.trim_end_matches(".Name}:*"))
            } else {
                format!("sub/{text}")
            }
        }
        other => format!("{other}/{text}"),
    }
}

fn list(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Sequence(s)) => s.clone(),
        Some(other) => vec![other.clone()],
        None => vec![],
    }
}

/// Every function's grants, by the binary it runs (`Metadata.BuildProperties.Binary`).
pub fn function_grants() -> BTreeMap<String, BTreeSet<Grant>> {
    let t = template();
    let mut out = BTreeMap::new();
    for (_, r) in t["Resources"].as_mapping().expect("Resources") {
        if r["Type"].as_str() != Some("AWS::Serverless::Function") {
            continue;
        }
        let binary = r["Metadata"]["BuildProperties"]["Binary"].as_str().expect("every function names its binary");
        let mut grants = BTreeSet::new();
        for policy in list(r["Properties"].get("Policies")) {
            let statements = list(policy.get("Statement"));
            assert!(!statements.is_empty(), "{binary}: only inline statements, no managed or SAM policy templates");
            for st in statements {
                assert_eq!(st["Effect"].as_str(), Some("Allow"), "{binary}: {st:?}");
                let resources: Vec<String> = match st.get("NotResource").and_then(Value::as_str) {
                    // Allow on everything that is not an SNS ARN: SMS straight to phone numbers, nothing else.
                    Some("arn:aws:sns:*:*:*") => vec!["phone-number".to_string()],
                    Some(other) => panic!("{binary}: unexpected NotResource {other}"),
                    None => list(st.get("Resource")).iter().map(resource_name).collect(),
                };
                for action in list(st.get("Action")) {
                    let action = action.as_str().expect("action").to_string();
                    assert!(!action.contains('*'), "{binary}: no wildcard actions ({action})");
                    for res in &resources {
                        grants.insert((action.clone(), res.clone()));
                    }
                }
            }
        }
        out.insert(binary.to_string(), grants);
    }
    out
}

/// The functions whose failed asynchronous events Lambda sends to an SQS queue (EventInvokeConfig OnFailure).
pub fn functions_with_failure_queue() -> BTreeSet<String> {
    let t = template();
    let mut out = BTreeSet::new();
    for (_, r) in t["Resources"].as_mapping().expect("Resources") {
        let Some(binary) = r["Metadata"]["BuildProperties"]["Binary"].as_str() else { continue };
        if r["Properties"]["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Type"].as_str() == Some("SQS") {
            out.insert(binary.to_string());
        }
    }
    out
}

/// `(method, path)` of every HttpApi event, with the binary behind it.
pub fn http_routes() -> BTreeSet<(String, String, String)> {
    let t = template();
    let mut out = BTreeSet::new();
    for (_, r) in t["Resources"].as_mapping().expect("Resources") {
        let Some(binary) = r["Metadata"]["BuildProperties"]["Binary"].as_str() else { continue };
        for (_, e) in r["Properties"]["Events"].as_mapping().into_iter().flatten() {
            if e["Type"].as_str() == Some("HttpApi") {
                let p = &e["Properties"];
                // Neither Method nor Path: SAM makes it the $default route.
                out.insert((
                    p["Method"].as_str().unwrap_or("ANY").to_string(),
                    p["Path"].as_str().unwrap_or("$default").to_string(),
                    binary.to_string(),
                ));
            }
        }
    }
    out
}
