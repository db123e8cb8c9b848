//! Shared pieces of the benchmarks: synthetic registries and applications (valid IINs, BMG phones,
//! properties), the bulk loaders, a small HTTP client for the local stack, and statistics.

pub mod client;
pub mod synthetic;

/// Median, min and max of samples in milliseconds.
pub fn stats(mut ms: Vec<f64>) -> (f64, f64, f64) {
    if ms.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    ms.sort_by(f64::total_cmp);
    let n = ms.len();
    let median = if n % 2 == 1 { ms[n / 2] } else { (ms[n / 2 - 1] + ms[n / 2]) / 2.0 };
    (median, ms[0], ms[n - 1])
}

/// Peak resident memory of this process (VmHWM), in MiB.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}
