//! A request as API Gateway (HTTP API, payload format 2.0) hands it to a Lambda function, and the
//! function's response back as HTTP.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::http::request::Parts;
use serde_json::{json, Map, Value};

pub fn event(
    parts: &Parts,
    body: &[u8],
    route_key: &str,
    params: &[(String, String)],
    claims: Option<Map<String, Value>>,
    now: DateTime<Utc>,
) -> Value {
    let mut headers = Map::new();
    for (name, value) in &parts.headers {
        let value = value.to_str().unwrap_or_default().to_string();
        match headers.get_mut(name.as_str()) {
            // API Gateway joins repeated headers with commas
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            _ => {
                headers.insert(name.as_str().to_string(), Value::String(value));
            }
        }
    }
    // API Gateway tells the function the scheme the caller used; here it is plain HTTP.
    headers.entry("x-forwarded-proto").or_insert_with(|| Value::String("http".into()));
    let domain_name = parts.headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1").to_string();
    let raw_query = parts.uri.query().unwrap_or_default().to_string();
    let mut query = Map::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query.insert(k.to_string(), Value::String(v.to_string()));
    }
    let mut ev = json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": parts.uri.path(),
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            // API Gateway's is the domain the caller reached; here, the address of this stack they called.
            "domainName": domain_name,
            "domainPrefix": "local",
            "http": { "method": parts.method.as_str(), "path": parts.uri.path(), "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "" },
            "requestId": domain::new_id("req"),
            "routeKey": route_key,
            "stage": "$default",
            "time": now.format("%d/%b/%Y:%H:%M:%S %z").to_string(),
            "timeEpoch": now.timestamp_millis(),
        },
        "isBase64Encoded": false,
    });
    // A route with an authorizer carries the token's claims; a public one has no authorizer at all.
    if let Some(claims) = claims {
        ev["requestContext"]["authorizer"] = json!({ "jwt": { "claims": claims, "scopes": null } });
    }
    if !params.is_empty() {
        ev["pathParameters"] =
            params.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect::<Map<_, _>>().into();
    }
    if !query.is_empty() {
        ev["queryStringParameters"] = query.into();
    }
    if !body.is_empty() {
        match std::str::from_utf8(body) {
            Ok(text) => ev["body"] = Value::String(text.to_string()),
            Err(_) => {
                ev["body"] = Value::String(STANDARD.encode(body));
                ev["isBase64Encoded"] = Value::Bool(true);
            }
        }
    }
    ev
}

pub fn response(resp: lambda_http::Response<lambda_http::Body>) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = resp.into_parts();
    let bytes = match body {
        lambda_http::Body::Text(t) => Bytes::from(t),
        lambda_http::Body::Binary(b) => Bytes::from(b),
        _ => Bytes::new(),
    };
    hyper::Response::from_parts(parts, Full::new(bytes))
}

/// A problem the stack's front answers itself (no function ran): a body too large, or no such local control.
pub fn problem(kind: http_edge::ProblemKind, detail: &str) -> http_edge::Problem {
    http_edge::Problem::new(kind, detail)
}
