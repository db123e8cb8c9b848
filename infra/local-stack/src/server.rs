//! The HTTP front: API routes through the authorizer to the functions, `/_local` to the controls.

use crate::apigw;
use crate::authorizer::Authorizer;
use crate::aws_backend::AwsBackend;
use crate::control;
use crate::routes;
use crate::shared::Shared;
use crate::wiring;
use domain::clock::AdjustableClock;
use domain::ports::Clock;
use domain::reference_data::ReferenceData;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use lambda_http::RequestExt;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tracing::Instrument;

/// The most the front reads of a body; the functions allow far less and answer 413 themselves.
pub const FRONT_BODY_LIMIT: usize = 1024 * 1024;

pub struct Config {
    pub addr: SocketAddr,
    pub definition: String,
    pub reference_data: ReferenceData,
    pub clock: Arc<AdjustableClock>,
    /// How long owners have to answer; one hour unless a deployment says otherwise.
    pub consent_timeout_seconds: u32,
    /// When an address has collected enough registrations to be flagged for review.
    pub address_review: domain::review::AddressReview,
    /// `None`: embedded storage (the default). `Some(url)`: DynamoDB, SNS and Step Functions at that
    /// endpoint (e.g. moto), in fresh tables loaded with `reference_data`.
    pub aws_endpoint: Option<String>,
    /// How the HTTP front protects itself from slow or idle clients and floods.
    pub limits: Limits,
    /// The rate limits per person and phone (`--limit-*` flags), as the template's parameters.
    pub rate_limits: domain::rate_limits::RateLimits,
    /// NCA roots and intermediates (PEM) trusted for EDS beside the stack's own test PKI (`--eds-trust`).
    pub eds_trust: String,
    /// API Gateway's throttle per route (the stage's `RouteSettings`, [`crate::edge_throttle`]); on unless
    /// a benchmark measures the functions rather than the edge (`--no-route-throttling`).
    pub route_throttling: bool,
}

/// The HTTP front's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// At most this many connections are served at once; more wait in the kernel's backlog.
    pub max_connections: usize,
    /// A client must send a request's headers within this time (slow or half-sent requests are dropped).
    pub header_read_timeout: std::time::Duration,
    /// A kept-alive connection with no request for this long is closed.
    pub idle_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 256,
            header_read_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(30),
        }
    }
}

impl Config {
    /// 127.0.0.1 on a random port, the shipped definition and sample data, real time.
    pub fn for_tests() -> Result<Config, String> {
        Ok(Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            definition: crate::DEFINITION.to_string(),
            reference_data: ReferenceData::from_json(crate::SAMPLE_REFERENCE_DATA).map_err(|e| e.to_string())?,
            clock: Arc::new(AdjustableClock::real()),
            consent_timeout_seconds: domain::steps::DEFAULT_CONSENT_TIMEOUT_SECONDS,
            address_review: domain::review::AddressReview::default(),
            aws_endpoint: None,
            limits: Limits::default(),
            rate_limits: domain::rate_limits::RateLimits::default(),
            eds_trust: String::new(),
            route_throttling: true,
        })
    }
}

pub struct RunningStack {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
    pub task: tokio::task::JoinHandle<()>,
}

pub async fn spawn(config: Config) -> Result<RunningStack, String> {
    let directory = crate::console::Directory::new(&config.reference_data, &config.definition);
    let backend = match &config.aws_endpoint {
        None => wiring::Backend::Embedded(config.reference_data),
        Some(endpoint) => wiring::Backend::Aws(Box::new(
            AwsBackend::prepare(endpoint, &config.reference_data, &config.definition, config.consent_timeout_seconds)
                .await?,
        )),
    };
    let listener =
        TcpListener::bind(config.addr).await.map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The test PKI's certificates name this stack's OCSP responder and CRL, as NCA's name its own.
    let pki = Arc::new(crate::pki::pki_at(addr, domain::clock::Clock::now(config.clock.as_ref()))?);
    let stack = wiring::build(
        &config.definition,
        backend,
        config.clock,
        pki,
        &config.eds_trust,
        domain::wiring::Policy {
            consent_timeout_seconds: config.consent_timeout_seconds,
            address_review: config.address_review,
            rate_limits: config.rate_limits,
        },
    )?;
    let edge_throttle = crate::edge_throttle::EdgeThrottle::new(config.route_throttling);
    let shared = Arc::new(Shared { stack, authorizer: Authorizer::new(), directory, edge_throttle });
    let s = shared.clone();
    let task = tokio::spawn(accept_loop(listener, s, config.limits));
    Ok(RunningStack { addr, shared, task })
}

/// Accepts connections while fewer than `max_connections` are open; an accept error (file descriptors
/// exhausted, say) backs off from 10 ms to 1 s instead of spinning.
async fn accept_loop(listener: TcpListener, s: Arc<Shared>, limits: Limits) {
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let mut backoff = std::time::Duration::from_millis(10);
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = std::time::Duration::from_millis(10);
                stream
            }
            Err(e) => {
                tracing::warn!(error = %e, backoff_ms = backoff.as_millis() as u64, "accept failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(std::time::Duration::from_secs(1));
                continue;
            }
        };
        let s = s.clone();
        tokio::spawn(async move {
            serve_connection(stream, s, limits).await;
            drop(permit);
        });
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, s: Arc<Shared>, limits: Limits) {
    use std::sync::atomic::{AtomicBool, Ordering};
    // Whether a request is being served, and whether one was seen since the last idle check.
    let busy = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(AtomicBool::new(true));
    let (b, n) = (busy.clone(), seen.clone());
    let service = service_fn(move |req| {
        let (s, b, n) = (s.clone(), b.clone(), n.clone());
        async move {
            b.store(true, Ordering::SeqCst);
            n.store(true, Ordering::SeqCst);
            let resp = serve(&s, req).await;
            b.store(false, Ordering::SeqCst);
            Ok::<_, std::convert::Infallible>(resp)
        }
    });
    let mut builder = http1::Builder::new();
    builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_read_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = tokio::time::sleep(limits.idle_timeout) => {
                let idle = !busy.load(Ordering::SeqCst) && !seen.swap(false, Ordering::SeqCst);
                if idle {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

fn to_hyper(resp: http_edge::HttpResponse) -> hyper::Response<Full<Bytes>> {
    apigw::response(resp)
}

fn api_gateway_message(status: u16, message: &str) -> hyper::Response<Full<Bytes>> {
    // What API Gateway itself answers (before any function runs).
    to_hyper(http_edge::json(status, &json!({ "message": message })))
}

async fn serve(s: &Shared, req: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let body = match Limited::new(body, FRONT_BODY_LIMIT).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return crate::apigw::problem(
                http_edge::ProblemKind::BodyTooLarge,
                &format!("bodies are at most {FRONT_BODY_LIMIT} bytes"),
            )
            .into_response()
            .map(to_full)
        }
    };
    let query = parts.uri.query().unwrap_or_default().to_string();
    let resp = if method == "GET" && path == "/openapi.yaml" {
        let mut r = hyper::Response::new(Full::new(Bytes::from_static(crate::OPENAPI.as_bytes())));
        r.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static("application/yaml"));
        r
    } else if let Some(resp) = (method == "GET").then(|| crate::console::file(&path)).flatten() {
        resp
    } else if let Some(resp) = crate::pki_routes::handle(s, &method, &path, &body).await {
        resp
    } else if path.starts_with("/_local/") {
        match control::handle(s, &method, &path, &query, &body).await {
            Some(Ok((status, value))) => to_hyper(http_edge::json(status, &value)),
            Some(Err(p)) => to_hyper(p.into_response()),
            None => to_hyper(
                crate::apigw::problem(http_edge::ProblemKind::NoSuchRoute, "no such local control").into_response(),
            ),
        }
    } else {
        let fallback = || {
            let function = routes::fallback()?;
            Some(routes::Matched { route_key: http_edge::routes::DEFAULT_ROUTE, function, params: vec![] })
        };
        let now = s.stack.clock.now();
        let authorization = parts.headers.get("authorization").and_then(|v| v.to_str().ok());
        // API Gateway answers 404 itself when no route (not even `$default`) takes the request, 429 when the
        // route's throttle is spent, and 401 when a route with the authorizer gets no valid token; a public
        // route has no authorizer.
        match routes::find(&method, &path).or_else(fallback) {
            None => api_gateway_message(404, "Not Found"),
            Some(route) if !s.edge_throttle.admit(route.route_key) => api_gateway_message(429, "Too Many Requests"),
            Some(route) => {
                let public = routes::is_public(route.function, route.route_key);
                let claims =
                    if public { Some(None) } else { s.authorizer.verify(authorization, now.timestamp()).map(Some) };
                match claims {
                    None => api_gateway_message(401, "Unauthorized"),
                    Some(claims) => {
                        let event = apigw::event(&parts, &body, route.route_key, &route.params, claims, now);
                        match lambda_http::request::from_str(&event.to_string()) {
                            Ok(request) => to_hyper(invoke(s, route.function, request).await),
                            Err(_) => api_gateway_message(400, "Bad Request"),
                        }
                    }
                }
            }
        }
    };
    tracing::info!(%method, %path, status = resp.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    resp
}

fn to_full(b: lambda_http::Body) -> Full<Bytes> {
    match b {
        lambda_http::Body::Text(t) => Full::new(Bytes::from(t)),
        lambda_http::Body::Binary(b) => Full::new(Bytes::from(b)),
        _ => Full::new(Bytes::new()),
    }
}

/// Calls the function as Lambda would: with a request id and an X-Ray trace header in its context (the
/// caller's `X-Amzn-Trace-Id` if well formed, else a new trace), inside the span Lambda's runtime opens.
async fn invoke(s: &Shared, function: &'static str, request: lambda_http::Request) -> http_edge::HttpResponse {
    let st = &s.stack;
    let Some(handler) = st.function(function).and_then(|h| h.http.clone()) else {
        return http_edge::json(502, &json!({ "message": "Internal Server Error" }));
    };
    let started = Instant::now();
    let trace_header = request
        .headers()
        .get("x-amzn-trace-id")
        .and_then(|v| v.to_str().ok())
        .filter(|h| domain::xray::trace_root(h).is_some())
        .map(str::to_string)
        .unwrap_or_else(|| domain::xray::new_trace_header(st.clock.now()));
    let (context, span) = crate::invocations::lambda_invocation(trace_header);
    let request = request.with_lambda_context(context);
    let response = handler(request).instrument(span).await;
    st.invocations.record(function, started.elapsed());
    response
}
