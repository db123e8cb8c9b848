//! The API's route keys, as API Gateway is configured with them, and what its `$default` route answers for
//! a request no route takes: 405 with `Allow` when the path is one of the API's with another method, 404
//! otherwise (problem+json either way).

use super::{HttpResponse, Problem};
use crate::problem::ProblemKind;

/// Every route key; path parameters are written `{name}`.
pub const ROUTE_KEYS: [&str; 12] = [
    "POST /registrations/precheck",
    "POST /signing-codes",
    "POST /registrations",
    "GET /registrations",
    "GET /registrations/{id}",
    "POST /registrations/{id}/withdraw",
    "GET /consents",
    "POST /consents/{id}/decision",
    "GET /registrations/{id}/certificate",
    "GET /verify/{number}",
    "GET /.well-known/jwks.json",
    "GET /properties",
];

/// The route key API Gateway gives a request that no other route takes.
pub const DEFAULT_ROUTE: &str = "$default";

fn path_matches(pattern: &str, path: &str) -> bool {
    let (p, s): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), path.trim_end_matches('/').split('/').collect());
    p.len() == s.len() && p.iter().zip(&s).all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
}

/// The methods the API takes on `path`, in route order. A path that a route names literally
/// (`/registrations/precheck`) is that route's alone, as the document has it, though `{id}` would match it.
pub fn allowed_methods(path: &str) -> Vec<&'static str> {
    let matching: Vec<(&str, &str)> =
        ROUTE_KEYS.iter().filter_map(|k| k.split_once(' ')).filter(|(_, p)| path_matches(p, path)).collect();
    let literal = |p: &str| !p.contains('{');
    let any_literal = matching.iter().any(|(_, p)| literal(p));
    matching.into_iter().filter(|(_, p)| !any_literal || literal(p)).map(|(method, _)| method).collect()
}

/// The answer of the `$default` route.
pub fn not_routed(method: &str, path: &str) -> HttpResponse {
    let allowed = allowed_methods(path);
    if allowed.is_empty() {
        return Problem::new(ProblemKind::NoSuchRoute, format!("the API has no {path}")).into_response();
    }
    let allow = allowed.join(", ");
    let mut resp =
        Problem::new(ProblemKind::MethodNotAllowed, format!("{path} takes {allow}, not {method}")).into_response();
    if let Ok(v) = lambda_http::http::HeaderValue::from_str(&allow) {
        resp.headers_mut().insert("allow", v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_method_on_a_known_path_is_405_with_allow_and_an_unknown_path_404() {
        let r = not_routed("TRACE", "/registrations");
        assert_eq!((r.status().as_u16(), r.headers()["allow"].to_str().ok()), (405, Some("POST, GET")));
        assert_eq!(not_routed("DELETE", "/registrations/app-1").headers()["allow"], "GET");
        assert_eq!(not_routed("GET", "/nowhere").status(), 404);
        assert_eq!(not_routed("GET", "/registrations/app-1/withdraw").headers()["allow"], "POST");
        assert_eq!(not_routed("OPTIONS", "/registrations/precheck").headers()["allow"], "POST", "a literal path");
    }
}
