//! X-Ray trace headers (`Root=1-<epoch hex>-<24 hex>;Parent=…;Sampled=1`): one application is one trace,
//! from the submitting request through the execution to every function it invokes.

use chrono::{DateTime, Utc};

/// A new sampled trace, as Lambda's active tracing starts one for a request that carries none.
pub fn new_trace_header(now: DateTime<Utc>) -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("Root=1-{:08x}-{};Sampled=1", now.timestamp(), &random[..24])
}

/// The `Root=` of a header, if it has a well-formed one: what identifies the trace.
pub fn trace_root(header: &str) -> Option<&str> {
    let root = header.split(';').find_map(|p| p.trim().strip_prefix("Root="))?;
    let mut parts = root.split('-');
    let well_formed = parts.next() == Some("1")
        && parts.next().is_some_and(|t| t.len() == 8 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        && parts.next().is_some_and(|r| r.len() == 24 && r.bytes().all(|b| b.is_ascii_hexdigit()))
        && parts.next().is_none();
    well_formed.then_some(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_headers_have_a_well_formed_root() {
        let now = DateTime::from_timestamp(1_764_000_000, 0).unwrap_or_default();
        let h = new_trace_header(now);
        let root = trace_root(&h).expect("root");
        assert!(root.starts_with("1-69248100-"), "{h}");
        assert_ne!(trace_root(&new_trace_header(now)), Some(root), "each trace is new");
    }

    #[test]
    fn reads_the_root_of_a_header_and_refuses_others() {
        assert_eq!(
            trace_root("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
            Some("1-5759e988-bd862e3fe1be46a994272793")
        );
        for bad in ["", "Root=2-5759e988-bd862e3fe1be46a994272793", "Root=1-xyz-abc", "Parent=1"] {
            assert_eq!(trace_root(bad), None, "{bad}");
        }
    }
}
