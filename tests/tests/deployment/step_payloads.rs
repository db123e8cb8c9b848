//! Issue #26: executions survive a deploy. An execution started by release N waits up to an hour for an owner and
//! is then finished by release N+1's functions (the state machine calls each function's `live` alias), with the
//! payloads release N's definition and functions made. `events/step-payloads/deployed/` keeps every payload the
//! deployed release's workflow hands a function, one file each (`<function>/<journey>-<n>.json`, as `cargo
//! lambda invoke --data-file` takes it), recorded from the local stack's executions of the journeys below.
//!
//! - `the_current_functions_read_every_payload_of_the_deployed_release`: each kept payload through the current
//!   function's own reader (the table's handler, as Lambda's runtime parses it): none may be refused as
//!   `InvalidStepInput`. A field renamed, or a new one required, fails here before it fails in production.
//! - `the_deployed_payloads_are_recorded_from_the_journeys`: regenerates them (`UPDATE_STEP_PAYLOADS=1`) when a
//!   release has been deployed (docs/operating.md, "Before a deploy that changes a payload"); otherwise it
//!   checks that the directory covers every workflow step.

use domain::errors::StepError;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use tests::*;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/step-payloads/deployed")
}

/// `(function, file name, payload)` of every kept payload.
fn kept() -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for function in std::fs::read_dir(dir()).expect("events/step-payloads/deployed/").flatten() {
        if !function.path().is_dir() {
            continue;
        }
        let name = function.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(function.path()).expect("a function's payloads").flatten() {
            let text = std::fs::read_to_string(file.path()).expect("readable");
            let payload = serde_json::from_str(&text).expect("a payload is JSON");
            out.push((name.clone(), file.file_name().to_string_lossy().into_owned(), payload));
        }
    }
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

#[tokio::test]
async fn the_current_functions_read_every_payload_of_the_deployed_release() {
    let app = spawn_app().await;
    let kept = kept();
    assert!(kept.len() >= 8, "the deployed release's payloads are kept: {}", kept.len());
    for (function, file, payload) in kept {
        let handler = app.stack.shared.stack.function(&function).and_then(|h| h.json.clone());
        let handler = handler.unwrap_or_else(|| panic!("{function}: no longer a workflow step of this release"));
        // Its ids name nothing in this fresh stack, so the step may well fail: but not on reading the payload.
        if let Err(StepError::InvalidStepInput(why)) = handler(payload.clone()).await {
            panic!(
                "{function}/{file}: the deployed release's payload is refused by the current reader ({why}).\n\
                 Executions waiting for consent when this is deployed would fail. Read both shapes, or drain \
                 first (docs/operating.md).\n{payload:#}"
            );
        }
    }
}

/// Each workflow step's payload in the journeys' executions, by function and journey.
async fn recorded() -> BTreeMap<(String, String), Value> {
    let app = spawn_app().await;
    let mut journeys: Vec<(&str, String)> = Vec::new();
    journeys.push(("registered-as-owner", app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_DAULET)).await));
    let refused = app.apply(AIGERIM, PHONE_AIGERIM, &form(ALIKHAN, FLAT_AIGERIM)).await;
    journeys.push(("refused-child-under-14", refused));
    for (journey, answer) in [("owner-approves", Some("ИӘ")), ("owner-declines", Some("ЖОҚ")), ("no-answer", None)]
    {
        let id = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
        app.wait_for(DAULET, &id, "AWAITING_CONSENT").await;
        match answer {
            Some(word) => {
                let code = app.last_code(PHONE_AIGERIM).await;
                app.sms_reply(PHONE_AIGERIM, &format!("{word} {code}")).await;
            }
            None => {
                app.advance_clock(3600).await;
            }
        }
        app.settle().await;
        journeys.push((journey, id));
    }
    app.settle().await;
    let mut out = BTreeMap::new();
    for (journey, id) in journeys {
        let execution = app.execution(&id).await;
        let mut n = 0;
        for event in execution["history"].as_array().expect("history") {
            if event["type"] != "TaskScheduled" {
                continue;
            }
            let resource = event["details"]["resource"].as_str().expect("resource");
            let function = resource.rsplit(':').next().expect("a function ARN").to_string();
            n += 1;
            out.insert((function, format!("{journey}-{n}.json")), event["details"]["parameters"].clone());
        }
    }
    out
}

#[tokio::test]
async fn the_deployed_payloads_are_recorded_from_the_journeys() {
    let recorded = recorded().await;
    let steps: BTreeSet<String> = local_stack::functions::substitutions()
        .into_values()
        .map(|arn| arn.rsplit(':').next().unwrap_or_default().to_string())
        .collect();
    let covered: BTreeSet<String> = recorded.keys().map(|(f, _)| f.clone()).collect();
    assert_eq!(covered, steps, "the journeys reach every workflow step");
    if std::env::var_os("UPDATE_STEP_PAYLOADS").is_some() {
        let _ = std::fs::remove_dir_all(dir());
        for ((function, file), payload) in &recorded {
            std::fs::create_dir_all(dir().join(function)).expect("mkdir");
            let text = serde_json::to_string_pretty(payload).expect("json") + "\n";
            std::fs::write(dir().join(function).join(file), text).expect("write");
        }
    }
    let kept: BTreeSet<String> = kept().into_iter().map(|(f, _, _)| f).collect();
    assert_eq!(kept, steps, "events/step-payloads/deployed/ has payloads for every workflow step");
    // Personal data never in a payload (ids only), in what is kept as in what is recorded.
    for payload in recorded.values().chain(kept_payloads().iter()) {
        let text = payload.to_string();
        for secret in [DAULET, AIGERIM, ALIKHAN, PHONE_DAULET, PHONE_AIGERIM] {
            assert!(!text.contains(secret), "no personal data in a step payload: {text}");
        }
    }
}

fn kept_payloads() -> Vec<Value> {
    kept().into_iter().map(|(_, _, p)| p).collect()
}
