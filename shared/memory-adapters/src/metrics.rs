//! The local stack's metrics: counters per metric and dimension, as CloudWatch would aggregate the
//! functions' EMF lines. Served at `GET /_local/metrics`.

use domain::metrics::{Metric, Unit};
use domain::ports::Metrics;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    pub name: &'static str,
    /// `{"ReasonCode": "CHILD_UNDER_14"}`; empty for metrics without a breakdown.
    pub dimensions: BTreeMap<&'static str, String>,
    pub unit: Unit,
    /// How many times it was recorded.
    pub samples: u64,
    pub sum: f64,
    pub max: f64,
}

/// A metric name and its one dimension, if any.
type SeriesKey = (&'static str, Option<(&'static str, String)>);

#[derive(Default)]
pub struct MemoryMetrics {
    series: Mutex<BTreeMap<SeriesKey, Series>>,
}

impl MemoryMetrics {
    /// Every series, by name then dimension.
    pub fn series(&self) -> Vec<Series> {
        self.series.lock().map(|s| s.values().cloned().collect()).unwrap_or_default()
    }

    /// The sum of a metric over all its dimensions (a count, for `Count` metrics).
    pub fn total(&self, name: &str) -> f64 {
        self.series().iter().filter(|s| s.name == name).fold(0.0, |total, s| total + s.sum)
    }
}

impl Metrics for MemoryMetrics {
    fn record(&self, metric: Metric) {
        let dimension = metric.dimension();
        let mut series = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = series.entry((metric.name(), dimension.clone())).or_insert_with(|| Series {
            name: metric.name(),
            dimensions: dimension.into_iter().collect(),
            unit: metric.unit(),
            samples: 0,
            sum: 0.0,
            max: f64::MIN,
        });
        s.samples += 1;
        s.sum += metric.value();
        s.max = s.max.max(metric.value());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Language, ReasonCode};

    #[test]
    fn counts_per_metric_and_dimension() {
        let m = MemoryMetrics::default();
        m.record(Metric::Rejected(ReasonCode::ChildUnder14));
        m.record(Metric::Rejected(ReasonCode::ChildUnder14));
        m.record(Metric::Rejected(ReasonCode::NotACitizen));
        m.record(Metric::SmsPartsSent { language: Language::Kk, parts: 2 });
        assert_eq!(m.total("ApplicationsRejected"), 3.0);
        assert_eq!(m.total("SmsPartsSent"), 2.0);
        assert_eq!(m.total("ApplicationsRegistered"), 0.0);
        let child = m
            .series()
            .into_iter()
            .find(|s| s.dimensions.get("ReasonCode").map(String::as_str) == Some("CHILD_UNDER_14"));
        assert_eq!(child.map(|s| s.samples), Some(2));
    }
}
