//! Issue #26: what a deployer types first. `samconfig.toml`'s `dev` and `prod` environments against the
//! template's parameters, and the parameter table of docs/deploying.md against the template.

use crate::template::template;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// samconfig.toml as JSON, read by Python's own TOML reader (3.11's `tomllib`; no TOML crate in the lock).
fn samconfig() -> Value {
    let out = std::process::Command::new("python3")
        .args(["-c", "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))"])
        .arg(root().join("samconfig.toml"))
        .output()
        .expect("python3 (3.11, for tomllib)");
    assert!(out.status.success(), "samconfig.toml is TOML: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// `Key=value` pairs of a `parameter_overrides` string (values may be quoted, `""` for empty).
fn overrides(v: &Value) -> BTreeMap<String, String> {
    v.as_str()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

/// Each template parameter's default as text (`None`: no default).
fn parameters() -> BTreeMap<String, Option<String>> {
    template()["Parameters"]
        .as_mapping()
        .expect("Parameters")
        .iter()
        .map(|(k, v)| {
            let default = v.get("Default").map(|d| match d {
                serde_norway::Value::String(s) => s.clone(),
                serde_norway::Value::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            });
            (k.as_str().expect("name").to_string(), default)
        })
        .collect()
}

#[test]
fn production_names_its_identity_provider_trust_and_spend_and_confirms_its_change_sets() {
    let params = parameters();
    let required: BTreeSet<&str> = params.iter().filter(|(_, d)| d.is_none()).map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        required,
        BTreeSet::from(["JwtIssuer", "JwtAudience", "NcaRootSha256", "SmsMonthlySpendAlarmUsd"]),
        "the parameters every deployment must give (no placeholder default)"
    );
    let config = samconfig();
    let prod = &config["prod"]["deploy"]["parameters"];
    assert_eq!(prod["confirm_changeset"], true, "prod shows every change set and waits for a yes");
    assert_ne!(prod["disable_rollback"], true, "prod rolls a failed deployment back");
    let prod_overrides = overrides(&prod["parameter_overrides"]);
    for name in &required {
        assert!(!prod_overrides.contains_key(*name), "prod gives no value for {name}: the deployer must");
    }
    assert!(!prod_overrides.contains_key("DeploymentType"), "prod deploys gradually (the template's canary)");
    assert_eq!(prod_overrides.get("DeletionProtection").map(String::as_str), Some("true"));

    for env in ["dev", "prod"] {
        for command in ["deploy", "sync"] {
            let given = overrides(&config[env][command]["parameters"]["parameter_overrides"]);
            for name in given.keys() {
                assert!(params.contains_key(name), "{env} {command}: {name} is not a parameter of the template");
            }
            if env == "dev" {
                for name in &required {
                    assert!(given.contains_key(*name), "dev {command} gives {name}");
                }
            }
        }
        assert_eq!(config[env]["build"]["parameters"]["beta_features"], true, "{env}: rust-cargolambda is a beta");
        assert_ne!(config[env]["build"]["parameters"]["cached"], true, "{env}: SAM's cache cannot see shared crates");
    }
    assert!(config["prod"]["sync"].is_null(), "no `sam sync` to production (no versions, no CodeDeploy)");
}

#[test]
fn the_deploying_guide_lists_every_parameter_with_its_default() {
    let doc = std::fs::read_to_string(root().join("docs/deploying.md")).expect("docs/deploying.md");
    let section = doc.split("\n## Parameters\n").nth(1).expect("a Parameters section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let table: BTreeMap<String, String> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| {
            let (name, rest) = l.split_once("` | ")?;
            let default = rest.split(" | ").next()?.trim().trim_matches('`').to_string();
            Some((name.to_string(), default))
        })
        .collect();
    let expected: BTreeMap<String, String> = parameters()
        .into_iter()
        .map(|(k, d)| (k, d.map_or("(none)".to_string(), |d| if d.is_empty() { "\"\"".to_string() } else { d })))
        .collect();
    assert_eq!(table, expected, "docs/deploying.md's parameter table (left) and the template's parameters");
}
