//! The template's dashboard and alarms watch the metrics the functions emit, under the namespace and
//! dimension they emit them with; functions and state machine are traced.

use crate::template::template;
use domain::metrics::{Metric, DEFAULT_NAMESPACE};
use serde_norway::Value;
use std::collections::BTreeSet;

fn resources() -> serde_norway::Mapping {
    template()["Resources"].as_mapping().cloned().expect("Resources")
}

fn of_type(kind: &str) -> Vec<(String, Value)> {
    resources()
        .into_iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(k, r)| (k.as_str().unwrap_or_default().to_string(), r))
        .collect()
}

fn tagged_text(v: &Value) -> String {
    match v {
        Value::Tagged(t) => t.value.as_str().unwrap_or_default().to_string(),
        other => other.as_str().unwrap_or_default().to_string(),
    }
}

/// The dashboard's JSON, with the `${...}` of its `!Sub` filled in as CloudFormation would.
fn dashboard() -> serde_json::Value {
    let (_, d) = of_type("AWS::CloudWatch::Dashboard").into_iter().next().expect("a dashboard");
    let body = tagged_text(&d["Properties"]["DashboardBody"])
        .replace("${Stage}", "prod")
        .replace("${AWS::Region}", "eu-central-1")
        .replace("${RegistrationStateMachine}", "arn:aws:states:eu-central-1:1:stateMachine:x");
    assert!(!body.contains("${"), "an unknown substitution in the dashboard");
    serde_json::from_str(&body).expect("the dashboard body is JSON")
}

#[test]
fn the_dashboard_shows_every_business_metric_in_the_functions_namespace() {
    let env = &template()["Globals"]["Function"]["Environment"]["Variables"];
    assert_eq!(env["METRICS_NAMESPACE"].as_str(), Some(DEFAULT_NAMESPACE));
    assert_eq!(tagged_text(&env["STAGE"]), "Stage", "the Stage dimension is the stage parameter");
    let text = dashboard().to_string();
    let shown: BTreeSet<&str> = Metric::NAMES.iter().copied().filter(|n| text.contains(&format!("\"{n}"))).collect();
    let missing: Vec<&str> = Metric::NAMES.iter().copied().filter(|n| !shown.contains(n)).collect();
    assert!(missing.is_empty(), "not on the dashboard: {missing:?}");
    assert!(text.contains(&format!("[\"{DEFAULT_NAMESPACE}\",")), "metrics read from {DEFAULT_NAMESPACE}");
}

#[test]
fn alarms_watch_failed_applications_expired_consents_and_sms_errors() {
    let mut watched: Vec<String> = Vec::new();
    for (name, alarm) in of_type("AWS::CloudWatch::Alarm") {
        let p = &alarm["Properties"];
        let mut metrics = vec![(p["Namespace"].clone(), p["MetricName"].clone(), p["Dimensions"].clone())];
        for m in p["Metrics"].as_sequence().into_iter().flatten() {
            let metric = &m["MetricStat"]["Metric"];
            metrics.push((metric["Namespace"].clone(), metric["MetricName"].clone(), metric["Dimensions"].clone()));
        }
        for (namespace, metric, dimensions) in metrics {
            if namespace.as_str() != Some(DEFAULT_NAMESPACE) {
                continue;
            }
            let metric = metric.as_str().unwrap_or_default().to_string();
            assert!(Metric::NAMES.contains(&metric.as_str()), "{name} watches {metric}, which no function emits");
            let dimension = dimensions[0]["Name"].as_str();
            assert_eq!(dimension, Some("Stage"), "{name}: the functions emit every metric under Stage");
            assert!(p["AlarmActions"].as_sequence().is_some_and(|a| !a.is_empty()), "{name} notifies nobody");
            watched.push(metric);
        }
    }
    for needed in ["ApplicationsFailed", "ConsentsExpired", "SmsSendErrors"] {
        assert!(watched.iter().any(|w| w == needed), "no alarm on {needed}");
    }
}

#[test]
fn functions_and_the_state_machine_are_traced_by_x_ray() {
    let t = template();
    assert_eq!(t["Globals"]["Function"]["Tracing"].as_str(), Some("Active"));
    let (_, machine) = of_type("AWS::Serverless::StateMachine").into_iter().next().expect("state machine");
    assert_eq!(machine["Properties"]["Tracing"]["Enabled"].as_bool(), Some(true));
    for (name, f) in of_type("AWS::Serverless::Function") {
        assert!(f["Properties"]["Tracing"].is_null(), "{name} overrides the global tracing");
    }
}
