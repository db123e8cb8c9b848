//! The API's routes: the route keys the functions state (the same API Gateway is configured with), each to
//! the function behind it.

use crate::functions::TABLE;
use domain::function::Trigger;

/// `(route key, function name)` of every route, from the [table of functions](TABLE). Path parameters are
/// written `{name}`, as in API Gateway.
pub fn routes() -> impl Iterator<Item = (&'static str, &'static str)> {
    TABLE.iter().flat_map(|row| row.spec.routes().map(|key| (key, row.spec.name)))
}

/// Whether `route_key` of `function` needs no token (no authorizer on it).
pub fn is_public(function: &str, route_key: &str) -> bool {
    crate::functions::spec(function).is_some_and(|spec| spec.is_public(route_key))
}

/// The function API Gateway's `$default` route invokes: what no other route takes.
pub fn fallback() -> Option<&'static str> {
    crate::functions::triggered_by(Trigger::DefaultRoute).map(|spec| spec.name).next()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub route_key: &'static str,
    pub function: &'static str,
    pub params: Vec<(String, String)>,
}

/// Finds the route for a method and path; literal segments win over parameters.
pub fn find(method: &str, path: &str) -> Option<Matched> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, Matched)> = None;
    for (key, function) in routes() {
        let Some((m, pattern)) = key.split_once(' ') else { continue };
        if m != method {
            continue;
        }
        let parts: Vec<&str> = pattern.split('/').collect();
        if parts.len() != segments.len() {
            continue;
        }
        let mut params = Vec::new();
        let mut literals = 0;
        let ok =
            parts.iter().zip(&segments).all(|(p, s)| match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                Some(name) if !s.is_empty() => {
                    params.push((name.to_string(), s.to_string()));
                    true
                }
                Some(_) => false,
                None => {
                    literals += 1;
                    p == s
                }
            });
        if ok && best.as_ref().is_none_or(|(l, _)| literals > *l) {
            best = Some((literals, Matched { route_key: key, function, params }));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_literals_before_parameters() {
        assert_eq!(find("POST", "/registrations/precheck").map(|m| m.function), Some("precheck"));
        let m = find("GET", "/registrations/app-1").expect("route");
        assert_eq!((m.route_key, m.params), ("GET /registrations/{id}", vec![("id".to_string(), "app-1".to_string())]));
        assert_eq!(find("POST", "/registrations/app-1/withdraw").map(|m| m.function), Some("withdraw"));
        assert_eq!(find("DELETE", "/registrations"), None);
        assert_eq!(find("GET", "/nowhere"), None);
    }
}
