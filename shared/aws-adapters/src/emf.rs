//! Business metrics as CloudWatch Embedded Metric Format: one JSON line per metric on stdout, which Lambda
//! sends to the function's log group, where CloudWatch extracts the metric without any API call. Format:
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html>.
//!
//! Each metric is published under `Stage` alone and, when it has a breakdown (reason code, language), under
//! `Stage` plus that dimension, so the dashboard shows totals and breakdowns.

use domain::metrics::Metric;
use domain::ports::Metrics;
use serde_json::{json, Map, Value};
use std::io::Write;
use std::sync::Mutex;

pub struct EmfMetrics {
    namespace: String,
    stage: String,
    function: String,
    out: Mutex<Box<dyn Write + Send>>,
}

impl EmfMetrics {
    /// To stdout, as in Lambda.
    pub fn stdout(namespace: &str, stage: &str, function: &str) -> EmfMetrics {
        Self::to_writer(namespace, stage, function, Box::new(std::io::stdout()))
    }

    pub fn to_writer(namespace: &str, stage: &str, function: &str, out: Box<dyn Write + Send>) -> EmfMetrics {
        EmfMetrics { namespace: namespace.into(), stage: stage.into(), function: function.into(), out: Mutex::new(out) }
    }

    /// The EMF document for one metric at `timestamp_ms`.
    pub fn line(&self, metric: &Metric, timestamp_ms: i64) -> Value {
        let mut dimension_sets = vec![vec!["Stage".to_string()]];
        let mut doc = Map::new();
        doc.insert("Stage".into(), Value::String(self.stage.clone()));
        if let Some((name, value)) = metric.dimension() {
            dimension_sets.push(vec!["Stage".to_string(), name.to_string()]);
            doc.insert(name.into(), Value::String(value));
        }
        doc.insert("function".into(), Value::String(self.function.clone()));
        doc.insert(metric.name().into(), json!(metric.value()));
        doc.insert(
            "_aws".into(),
            json!({
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": self.namespace,
                    "Dimensions": dimension_sets,
                    "Metrics": [{ "Name": metric.name(), "Unit": metric.unit() }],
                }],
            }),
        );
        Value::Object(doc)
    }
}

impl Metrics for EmfMetrics {
    fn record(&self, metric: Metric) {
        let line = self.line(&metric, chrono::Utc::now().timestamp_millis());
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        // A metric never fails a step: a closed stdout loses the line, nothing else.
        let _ = writeln!(out, "{line}").and_then(|_| out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logging::SharedBuffer;
    use domain::ReasonCode;

    #[test]
    fn writes_one_emf_document_per_line() {
        let buffer = SharedBuffer::default();
        let emf = EmfMetrics::to_writer("ResidenceRegistration", "prod", "finalize", Box::new(buffer.clone()));
        emf.record(Metric::Rejected(ReasonCode::ChildUnder14));
        emf.record(Metric::Registered);
        let text = buffer.text();
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        assert_eq!(lines.len(), 2);
        let rejected = &lines[0];
        let directive = &rejected["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "ResidenceRegistration");
        assert_eq!(directive["Dimensions"], json!([["Stage"], ["Stage", "ReasonCode"]]));
        assert_eq!(directive["Metrics"], json!([{ "Name": "ApplicationsRejected", "Unit": "Count" }]));
        assert!(rejected["_aws"]["Timestamp"].as_i64().is_some_and(|t| t > 1_700_000_000_000));
        // Every dimension named by the directive is a top-level member, as is the metric's value.
        assert_eq!((&rejected["Stage"], &rejected["ReasonCode"]), (&json!("prod"), &json!("CHILD_UNDER_14")));
        assert_eq!(rejected["ApplicationsRejected"], json!(1.0));
        assert_eq!(lines[1]["_aws"]["CloudWatchMetrics"][0]["Dimensions"], json!([["Stage"]]));
        assert_eq!(lines[1]["ApplicationsRegistered"], json!(1.0));
    }
}
