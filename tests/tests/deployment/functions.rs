//! One table of functions (`local_stack::functions::TABLE`, each row a crate's own `FUNCTION`) against the
//! template: the same functions, each with the same triggers (HttpApi routes and `$default`, the SNS topic
//! of inbound SMS, the EventBridge rule of ended executions, the workflow's definition substitutions). The
//! routes are also held to the OpenAPI document (`routes.rs`) and the functions to their policies
//! (`policies.rs`, over the calls each function of this table makes on moto).

use crate::template::template;
use domain::function::Trigger;
use local_stack::functions::{names, TABLE};
use std::collections::{BTreeMap, BTreeSet};

/// Each function's triggers as the template has them, by binary.
fn template_triggers() -> BTreeMap<String, BTreeSet<String>> {
    let t = template();
    let resources = t["Resources"].as_mapping().expect("Resources");
    let mut by_id = BTreeMap::new();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, r) in resources {
        let Some(binary) = r["Metadata"]["BuildProperties"]["Binary"].as_str() else { continue };
        by_id.insert(id.as_str().expect("logical id").to_string(), binary.to_string());
        let triggers = out.entry(binary.to_string()).or_default();
        for (_, e) in r["Properties"]["Events"].as_mapping().into_iter().flatten() {
            let p = &e["Properties"];
            triggers.insert(match e["Type"].as_str().expect("event type") {
                "HttpApi" => match (p["Method"].as_str(), p["Path"].as_str()) {
                    (Some(m), Some(path)) if p["Auth"]["Authorizer"].as_str() == Some("NONE") => {
                        format!("public route {m} {path}")
                    }
                    (Some(m), Some(path)) => format!("route {m} {path}"),
                    _ => "$default".to_string(),
                },
                "SNS" => match &p["Topic"] {
                    serde_norway::Value::Tagged(t) => format!("sns {}", t.value.as_str().unwrap_or_default()),
                    other => panic!("{binary}: SNS topic {other:?}"),
                },
                "EventBridgeRule" => {
                    let pattern = &p["Pattern"];
                    let statuses: Vec<&str> = pattern["detail"]["status"]
                        .as_sequence()
                        .map(|s| s.iter().filter_map(|v| v.as_str()).collect())
                        .unwrap_or_default();
                    match (pattern["source"][0].as_str(), statuses.as_slice()) {
                        (Some("aws.states"), ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]) => {
                            "execution ended".to_string()
                        }
                        other => panic!("{binary}: an EventBridge rule for something else: {other:?}"),
                    }
                }
                other => panic!("{binary}: an event of type {other} the table has no trigger for"),
            });
        }
    }
    for (_, r) in resources {
        if r["Type"].as_str() != Some("AWS::Serverless::StateMachine") {
            continue;
        }
        for (key, value) in r["Properties"]["DefinitionSubstitutions"].as_mapping().into_iter().flatten() {
            let serde_norway::Value::Tagged(tagged) = value else { continue };
            // `!Ref <Function>.Alias`: each step invokes its function's alias `live`, never $LATEST (issue #26).
            let Some(id) = tagged.value.as_str().and_then(|v| v.strip_suffix(".Alias")) else { continue };
            if let Some(binary) = by_id.get(id) {
                out.entry(binary.clone()).or_default().insert(format!("step {}", key.as_str().expect("key")));
            }
        }
    }
    out
}

/// Each function's triggers as its row states them, written as [`template_triggers`] writes them.
fn table_triggers() -> BTreeMap<String, BTreeSet<String>> {
    TABLE
        .iter()
        .map(|row| {
            let triggers = row.spec.triggers.iter().map(|t| match t {
                Trigger::Route(key, _) => format!("route {key}"),
                Trigger::PublicRoute(key, _) => format!("public route {key}"),
                Trigger::DefaultRoute => "$default".to_string(),
                Trigger::InboundSms => "sns InboundSmsTopic".to_string(),
                Trigger::ExecutionEnded => "execution ended".to_string(),
                Trigger::WorkflowStep { arn_substitution } => format!("step {arn_substitution}"),
            });
            (row.spec.name.to_string(), triggers.collect())
        })
        .collect()
}

#[test]
fn the_table_of_functions_is_the_templates() {
    let (template, table) = (template_triggers(), table_triggers());
    assert_eq!(
        template.keys().collect::<Vec<_>>(),
        table.keys().collect::<Vec<_>>(),
        "the template's functions (left) and the table's"
    );
    for (name, triggers) in &template {
        assert_eq!(triggers, &table[name], "{name}: the template's triggers (left) and its row's");
    }
}

#[test]
fn every_function_crate_has_a_row() {
    let dir = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo")).join("../functions");
    let crates: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("functions/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(crates, names().map(str::to_string).collect(), "functions/ (left) and the table");
}

#[test]
fn the_workflow_definition_names_the_tables_steps_and_nothing_else() {
    let definition = local_stack::DEFINITION;
    let mut named = BTreeSet::new();
    for part in definition.split("${").skip(1) {
        named.insert(part.split('}').next().expect("substitution").to_string());
    }
    let steps: BTreeSet<String> = local_stack::functions::substitutions().into_keys().collect();
    assert_eq!(named, steps, "the definition's ${{...}} (left) and the table's workflow steps");
}

/// `(route key, rate, burst)` as the template's HTTP API stage has them; `$default` for the stage's default.
fn template_edge_limits() -> BTreeMap<String, (u64, u64)> {
    let t = template();
    let api = &t["Resources"]["HttpApi"]["Properties"];
    let limit = |s: &serde_norway::Value| {
        (
            s["ThrottlingRateLimit"].as_u64().expect("ThrottlingRateLimit"),
            s["ThrottlingBurstLimit"].as_u64().expect("ThrottlingBurstLimit"),
        )
    };
    let mut out: BTreeMap<String, (u64, u64)> = api["RouteSettings"]
        .as_mapping()
        .expect("RouteSettings: every route has its own throttle")
        .iter()
        .map(|(k, v)| (k.as_str().expect("route key").to_string(), limit(v)))
        .collect();
    out.insert("$default".to_string(), limit(&api["DefaultRouteSettings"]));
    out
}

#[test]
fn every_route_is_throttled_at_the_edge_as_its_row_says() {
    let mut table: BTreeMap<String, (u64, u64)> = TABLE
        .iter()
        .flat_map(|row| row.spec.edge_limits())
        .map(|(key, l)| (key.to_string(), (u64::from(l.rate), u64::from(l.burst))))
        .collect();
    let unlisted = domain::function::EdgeLimit::UNLISTED;
    table.insert("$default".to_string(), (u64::from(unlisted.rate), u64::from(unlisted.burst)));
    assert_eq!(template_edge_limits(), table, "the template's RouteSettings (left) and the table's EdgeLimits");

    // The load's order: a route without a token is the lowest; signing codes and submissions well below reads.
    let rate = |key: &str| table[key].0;
    let public: Vec<u64> = TABLE
        .iter()
        .flat_map(|row| row.spec.edge_limits().filter(|(k, _)| row.spec.is_public(k)).map(|(k, _)| rate(k)))
        .collect();
    let lowest_with_token = TABLE
        .iter()
        .flat_map(|row| row.spec.edge_limits().filter(|(k, _)| !row.spec.is_public(k)).map(|(k, _)| rate(k)))
        .min()
        .expect("routes with a token");
    assert!(!public.is_empty() && public.iter().all(|r| *r < lowest_with_token), "public routes lowest: {public:?}");
    for costly in ["POST /signing-codes", "POST /registrations"] {
        assert!(rate(costly) * 5 <= rate("GET /registrations"), "{costly} well below the reads");
    }
}
