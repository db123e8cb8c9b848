//! API Gateway's throttle per route, as the stage's `RouteSettings` have it (each route's
//! [`EdgeLimit`](domain::function::EdgeLimit) in the table of functions; `$default` at
//! [`EdgeLimit::UNLISTED`](domain::function::EdgeLimit::UNLISTED)): one token bucket per route key, in real
//! time as API Gateway's. A request over its route's bucket is answered 429 `{"message":"Too Many Requests"}`
//! before the authorizer and before any function runs; the other routes keep their own buckets.

use domain::function::EdgeLimit;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct EdgeThrottle {
    on: bool,
    buckets: Mutex<HashMap<&'static str, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl EdgeThrottle {
    /// `on: false` lets every request through (benchmarks that measure the functions, not the edge).
    pub fn new(on: bool) -> EdgeThrottle {
        EdgeThrottle { on, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token from `route_key`'s bucket; `false` when it is empty (answer 429).
    pub fn admit(&self, route_key: &'static str) -> bool {
        if !self.on {
            return true;
        }
        let limit = limit_of(route_key);
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets.entry(route_key).or_insert(Bucket { tokens: f64::from(limit.burst), at: now });
        let refilled = bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * f64::from(limit.rate);
        bucket.tokens = refilled.min(f64::from(limit.burst));
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The throttle of a route key: its row's, or the stage default's.
pub fn limit_of(route_key: &str) -> EdgeLimit {
    crate::functions::TABLE
        .iter()
        .flat_map(|row| row.spec.edge_limits())
        .find(|(key, _)| *key == route_key)
        .map_or(EdgeLimit::UNLISTED, |(_, limit)| limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_over_the_bucket_is_refused_and_other_routes_keep_theirs() {
        let throttle = EdgeThrottle::new(true);
        let codes = limit_of("POST /signing-codes");
        assert_eq!(codes, EdgeLimit::DECISIONS);
        // Within one burst far faster than the refill: the bucket and at most a token or two refilled.
        let admitted = (0..codes.burst * 3).filter(|_| throttle.admit("POST /signing-codes")).count() as u32;
        assert!((codes.burst..=codes.burst + 2).contains(&admitted), "{admitted} admitted of {}", codes.burst * 3);
        assert!(throttle.admit("GET /registrations"), "another route has its own bucket");
        assert_eq!(limit_of("$default"), EdgeLimit::UNLISTED);
        assert!((0..1000).all(|_| EdgeThrottle::new(false).admit("POST /signing-codes")), "off: all through");
    }
}
