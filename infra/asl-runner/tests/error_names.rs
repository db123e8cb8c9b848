//! The names in the definition's `ErrorEquals` are the names the functions really emit.

use domain::errors::StepError;
use domain::steps::{CONSENT_DECLINED, CONSENT_EXPIRED};
use serde_json::Value;

const DEFINITION: &str = include_str!("../../statemachine/registration.asl.json");

fn walk<'a>(v: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if k == key {
                    out.push(child);
                }
                walk(child, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| walk(c, key, out)),
        _ => {}
    }
}

#[test]
fn every_error_name_is_emitted_by_someone() {
    let asl: Value = serde_json::from_str(DEFINITION).expect("json");
    let mut lists = Vec::new();
    walk(&asl, "ErrorEquals", &mut lists);
    assert!(!lists.is_empty());
    for name in lists.iter().flat_map(|l| l.as_array().into_iter().flatten()).filter_map(Value::as_str) {
        let known = name.starts_with("States.")
            || name.starts_with("Lambda.")
            || StepError::ALL.contains(&name)
            || name == CONSENT_DECLINED
            || name == CONSENT_EXPIRED;
        assert!(known, "{name} is matched by the state machine but no function emits it");
    }
    let mut fails = Vec::new();
    walk(&asl, "Error", &mut fails);
    assert!(fails.iter().any(|e| e.as_str() == Some(CONSENT_EXPIRED)), "the Fail state raises ConsentExpired");
}

#[test]
fn every_retry_of_a_function_covers_each_transient_error() {
    let asl: Value = serde_json::from_str(DEFINITION).expect("json");
    let mut retries = Vec::new();
    walk(&asl, "Retry", &mut retries);
    assert!(retries.len() >= 3);
    for retry in retries {
        let names: Vec<&str> = retry
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["ErrorEquals"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        if names.contains(&"States.ALL") {
            continue;
        }
        for transient in StepError::TRANSIENT {
            assert!(names.contains(&transient), "a Retry lacks {transient}: {names:?}");
        }
    }
}

#[test]
fn every_task_outside_the_map_is_caught_so_nothing_stays_unseen() {
    let asl: Value = serde_json::from_str(DEFINITION).expect("json");
    for (name, state) in asl["States"].as_object().expect("states") {
        if matches!(state["Type"].as_str(), Some("Task" | "Map")) && name != "RecordFailure" {
            let catches_all = state["Catch"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["ErrorEquals"] == serde_json::json!(["States.ALL"]));
            assert!(catches_all, "{name} has no Catch of States.ALL");
        }
    }
}
