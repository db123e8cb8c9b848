//! JSON log lines through `tracing`, one object per line, for CloudWatch Logs Insights.
//!
//! Every field of the spans around an event is lifted to the top level: `requestId` and `xrayTraceId`
//! (the span `lambda_runtime` opens per invocation, and the local stack's stand-in for it), then the
//! function's own span (`function`, `applicationId`, `executionName`). So `filter applicationId = "…"`
//! finds every line of one application across all functions. Personal data never reaches these lines:
//! the domain types that hold it print masked (see `domain`).

use json_subscriber::JsonLayer;
use tracing::level_filters::LevelFilter;
use tracing::Subscriber;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::time::SystemTime;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Registry;

/// The level filter from `RUST_LOG`, else `AWS_LAMBDA_LOG_LEVEL` (what Lambda's advanced logging
/// controls set), else `info`.
pub fn level_from_env() -> String {
    std::env::var("RUST_LOG")
        .or_else(|_| std::env::var("AWS_LAMBDA_LOG_LEVEL"))
        .unwrap_or_else(|_| "info".into())
        .to_lowercase()
}

/// A subscriber writing JSON lines to `writer`, filtered by `filter`: a level (`debug`), or levels by target
/// (`submit=debug,aws_config=warn,info`); `info` if it cannot be read. (`filter::Targets`, not `EnvFilter`,
/// whose regex engine was 200 KB of each function's zip: span-field filters are not needed here.)
pub fn json_subscriber<W>(filter: &str, writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let mut layer = JsonLayer::new(writer);
    layer
        .with_timer("timestamp", SystemTime)
        .with_level("level")
        .with_target("target")
        .with_flattened_event()
        .with_top_level_flattened_span_list();
    let filter = targets(filter).unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    Registry::default().with(filter).with(layer)
}

/// `debug`, or `submit=debug,aws_config=warn,info`: each directive a level, or a target (letters, digits, `_`,
/// `:`, `-`) and a level. `None` for anything else, or for nothing.
fn targets(text: &str) -> Option<Targets> {
    let level = |s: &str| s.trim().parse::<LevelFilter>().ok();
    let target_name = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || "_:-".contains(c));
    let mut filter = Targets::new();
    let mut any = false;
    for directive in text.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        filter = match directive.split_once('=') {
            None => filter.with_default(level(directive)?),
            Some((target, l)) if target_name(target.trim()) => filter.with_target(target.trim(), level(l)?),
            Some(_) => return None,
        };
        any = true;
    }
    any.then_some(filter)
}

/// Bytes written by clones of one handle, kept in memory: where tests send log and metric lines to read them.
#[derive(Clone, Default)]
pub struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl SharedBuffer {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        self.text_from(0)
    }

    /// What was written after the first `offset` bytes.
    pub fn text_from(&self, offset: usize) -> String {
        let bytes = self.0.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(bytes.get(offset..).unwrap_or_default()).into_owned()
    }

    /// How many bytes were written so far.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::io::Write for SharedBuffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// JSON lines on stdout, where Lambda sends them to the function's log group. Call once, first in `main`.
pub fn init_logging() {
    let _ = tracing::subscriber::set_global_default(json_subscriber(&level_from_env(), std::io::stdout));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_one_json_object_with_the_span_fields_at_the_top() {
        let buffer = SharedBuffer::default();
        let sink = buffer.clone();
        let subscriber = json_subscriber("info", move || sink.clone());
        tracing::subscriber::with_default(subscriber, || {
            let outer = tracing::info_span!("Lambda runtime invoke", requestId = "req-1", xrayTraceId = "Root=1-a-b");
            let _o = outer.enter();
            let inner = tracing::info_span!("finalize", applicationId = "app-1");
            let _i = inner.enter();
            tracing::info!(status = "REGISTERED", "application finalized");
            tracing::debug!("below the level");
        });
        let text = buffer.text();
        let lines: Vec<serde_json::Value> =
            text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
        assert_eq!(lines.len(), 1, "{text}");
        let line = &lines[0];
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "application finalized");
        assert_eq!(line["status"], "REGISTERED");
        assert_eq!(line["requestId"], "req-1");
        assert_eq!(line["xrayTraceId"], "Root=1-a-b");
        assert_eq!(line["applicationId"], "app-1");
        assert!(line["timestamp"].as_str().is_some_and(|t| t.starts_with("20")), "{line}");
    }

    #[test]
    fn levels_are_read_as_lambda_sets_them_by_target_and_unreadable_is_info() {
        let lines = |filter: &str| {
            let buffer = SharedBuffer::default();
            let sink = buffer.clone();
            tracing::subscriber::with_default(json_subscriber(filter, move || sink.clone()), || {
                tracing::debug!(target: "submit", "debug line");
                tracing::info!(target: "aws_config", "info line");
                tracing::warn!(target: "aws_config", "warn line");
            });
            buffer.text().lines().count()
        };
        assert_eq!(lines("debug"), 3);
        assert_eq!(lines("warn"), 1);
        assert_eq!(lines("submit=debug,aws_config=warn"), 2);
        assert_eq!(lines("not a filter!!"), 2, "info");
        assert_eq!(lines(""), 2, "info");
        assert_eq!(lines("submit=loud"), 2, "info");
    }
}
