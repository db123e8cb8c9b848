//! Reading a JSON body: size limit, media type, and errors that name the field.

use super::Problem;
use crate::problem::ProblemKind;
use lambda_http::{Body, Request};
use serde::de::DeserializeOwned;

/// The largest body any route accepts. Forms are a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

pub fn json_body<T: DeserializeOwned>(req: &Request) -> Result<T, Problem> {
    let bytes: &[u8] = match req.body() {
        Body::Empty => b"",
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => b"",
    };
    if bytes.len() > MAX_BODY_BYTES {
        return Err(Problem::new(ProblemKind::BodyTooLarge, format!("at most {MAX_BODY_BYTES} bytes"))
            .with("limit", MAX_BODY_BYTES));
    }
    let media = header(req, "content-type").unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" {
        return Err(Problem::new(ProblemKind::UnsupportedMediaType, "send Content-Type: application/json"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        field_problem(&path, &inner)
    })?;
    de.end().map_err(|e| Problem::new(ProblemKind::MalformedJson, e.to_string()).at("", "JSON_SYNTAX"))?;
    Ok(value)
}

fn field_problem(path: &str, e: &serde_json::Error) -> Problem {
    let msg = e.to_string();
    let quoted = msg.split('`').nth(1).unwrap_or("").to_string();
    let join = |name: &str| if path == "." || path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
    if e.is_syntax() || e.is_eof() {
        return Problem::new(ProblemKind::MalformedJson, msg).at("", "JSON_SYNTAX");
    }
    if msg.starts_with("unknown field") {
        // the path already ends at the unknown field
        return Problem::invalid_field(path, "UNKNOWN_FIELD", format!("`{quoted}` is not a field of this request"));
    }
    if msg.starts_with("missing field") {
        return Problem::invalid_field(&join(&quoted), "REQUIRED", format!("`{quoted}` is required"));
    }
    Problem::invalid_field(path, "TYPE", msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Form {
        name: String,
        months: Option<i64>,
    }

    fn req(body: &str) -> Request {
        let mut r = Request::new(Body::Text(body.to_string()));
        r.headers_mut().insert("content-type", "application/json; charset=utf-8".parse().expect("header"));
        r
    }

    #[test]
    fn names_the_field_and_rule() {
        let p = json_body::<Form>(&req(r#"{"name":"a","extra":1}"#)).expect_err("unknown");
        assert_eq!((p.field.as_deref(), p.rule.as_deref()), (Some("extra"), Some("UNKNOWN_FIELD")));
        let p = json_body::<Form>(&req(r#"{}"#)).expect_err("missing");
        assert_eq!((p.field.as_deref(), p.rule.as_deref()), (Some("name"), Some("REQUIRED")));
        let p = json_body::<Form>(&req(r#"{"name":"a","months":"x"}"#)).expect_err("type");
        assert_eq!((p.field.as_deref(), p.rule.as_deref()), (Some("months"), Some("TYPE")));
        let p = json_body::<Form>(&req(r#"{"name":"#)).expect_err("syntax");
        assert_eq!((p.status, p.rule.as_deref()), (400, Some("JSON_SYNTAX")));
        let p = json_body::<Form>(&req(&format!(r#"{{"name":"{}"}}"#, "a".repeat(MAX_BODY_BYTES)))).expect_err("size");
        assert_eq!(p.status, 413);
        let mut r = req(r#"{"name":"a"}"#);
        r.headers_mut().insert("content-type", "text/plain".parse().expect("header"));
        assert_eq!(json_body::<Form>(&r).expect_err("media").status, 415);
    }
}
