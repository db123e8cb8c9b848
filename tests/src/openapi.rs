//! The OpenAPI document as a contract the tests enforce: every response the end-to-end tests receive from
//! an API route, and every body in `events/`, is validated against its schema (a JSON-schema validator over
//! the document's OpenAPI 3.0 schemas, `nullable` read as a `null` type).

use serde_json::{json, Value};
use std::sync::OnceLock;

/// The document, as JSON.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_norway::from_str(local_stack::OPENAPI).expect("infra/openapi.yaml parses"))
}

/// OpenAPI 3.0's `nullable` as JSON Schema's `null` type, everywhere in `v`.
fn as_json_schema(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out: serde_json::Map<String, Value> =
                m.iter().filter(|(k, _)| *k != "nullable").map(|(k, v)| (k.clone(), as_json_schema(v))).collect();
            if m.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = m.get("type") {
                    out.insert("type".into(), json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(as_json_schema).collect()),
        other => other.clone(),
    }
}

/// The operation serving `method` `path` (a concrete path: `/registrations/app-...`), with its template.
pub fn operation(method: &str, path: &str) -> Option<(&'static str, &'static Value)> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    document()["paths"].as_object()?.iter().find_map(|(template, item)| {
        let t: Vec<&str> = template.split('/').collect();
        let matches = t.len() == segments.len()
            && t.iter().zip(&segments).all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s);
        let op = item.get(method.to_ascii_lowercase())?;
        matches.then_some((template.as_str(), op))
    })
}

fn resolve(v: &'static Value) -> &'static Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.trim_start_matches('#');
            resolve(document().pointer(pointer).unwrap_or_else(|| panic!("no {r} in the document")))
        }
        None => v,
    }
}

/// Validates `instance` against `schema` (which may `$ref` the document's components).
fn validate(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut root = as_json_schema(schema);
    if let Value::Object(m) = &mut root {
        m.insert("components".into(), as_json_schema(&document()["components"]));
    }
    let validator = jsonschema::validator_for(&root).map_err(|e| format!("the schema does not compile: {e}"))?;
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// A response of an API route, held to the document: its status must be documented for the operation, its
/// content type and body must match. Routes the document does not have (`/_local`, unknown) are not checked.
pub fn check_response(method: &str, path: &str, status: u16, content_type: &str, body: &Value) -> Result<(), String> {
    let Some((template, op)) = operation(method, path) else { return Ok(()) };
    let response = op["responses"]
        .get(status.to_string())
        .map(resolve)
        .ok_or_else(|| format!("{method} {template}: {status} is not documented"))?;
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let Some(content) = response.get("content") else { return Ok(()) };
    let schema = content
        .get(media)
        .and_then(|c| c.get("schema"))
        .ok_or_else(|| format!("{method} {template} {status}: content type {media:?} is not documented"))?;
    validate(schema, body).map_err(|e| format!("{method} {template} {status}: {e}\n{body}"))
}

/// A request body, held to the operation's request schema.
pub fn check_request(method: &str, path: &str, body: &Value) -> Result<(), String> {
    let (template, op) = operation(method, path).ok_or_else(|| format!("{method} {path} is not in the document"))?;
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return Ok(());
    }
    validate(schema, body).map_err(|e| format!("{method} {template} request: {e}"))
}
