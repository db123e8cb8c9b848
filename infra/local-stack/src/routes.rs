//! The API's routes: the same route keys API Gateway is configured with, each to the function behind it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Precheck,
    SigningCode,
    Submit,
    ServiceHistory,
    Withdraw,
    RecordReply,
}

impl Function {
    /// The function's name: its crate in `functions/`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Precheck => "precheck",
            Function::SigningCode => "signing-code",
            Function::Submit => "submit",
            Function::ServiceHistory => "service-history",
            Function::Withdraw => "withdraw",
            Function::RecordReply => "record-reply",
        }
    }
}

/// `(route key, function)`. Path parameters are written `{name}`, as in API Gateway.
pub const ROUTES: &[(&str, Function)] = &[
    ("POST /registrations/precheck", Function::Precheck),
    ("POST /signing-codes", Function::SigningCode),
    ("POST /registrations", Function::Submit),
    ("GET /registrations", Function::ServiceHistory),
    ("GET /registrations/{id}", Function::ServiceHistory),
    ("POST /registrations/{id}/withdraw", Function::Withdraw),
    ("GET /consents", Function::RecordReply),
    ("POST /consents/{id}/decision", Function::RecordReply),
];

/// API Gateway's `$default` route: what no other route takes.
pub const FALLBACK: (&str, Function) = ("ANY $default", Function::ServiceHistory);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub route_key: &'static str,
    pub function: Function,
    pub params: Vec<(String, String)>,
}

/// Finds the route for a method and path; literal segments win over parameters.
pub fn find(method: &str, path: &str) -> Option<Matched> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let mut best: Option<(usize, Matched)> = None;
    for (key, function) in ROUTES {
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
            best = Some((literals, Matched { route_key: key, function: *function, params }));
        }
    }
    best.map(|(_, m)| m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_literals_before_parameters() {
        assert_eq!(find("POST", "/registrations/precheck").map(|m| m.function), Some(Function::Precheck));
        let m = find("GET", "/registrations/app-1").expect("route");
        assert_eq!((m.route_key, m.params), ("GET /registrations/{id}", vec![("id".to_string(), "app-1".to_string())]));
        assert_eq!(find("POST", "/registrations/app-1/withdraw").map(|m| m.function), Some(Function::Withdraw));
        assert_eq!(find("DELETE", "/registrations"), None);
        assert_eq!(find("GET", "/nowhere"), None);
    }
}
