//! Issue #10, item 9: the OpenAPI document is a contract a client can satisfy. Every `events/` body of an
//! API route is valid under it; what the server refuses with 400 breaks it; responses are checked in every
//! journey (`App` validates each reply).

use serde_json::{json, Value};
use tests::openapi::{check_request, document};
use tests::*;

fn events() -> Vec<(String, Value)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("events/") {
        for file in std::fs::read_dir(dir.expect("dir").path()).expect("dir") {
            let path = file.expect("file").path();
            if !path.is_file() {
                continue; // events/step-payloads/deployed/: workflow payloads (deployment/step_payloads.rs)
            }
            let text = std::fs::read_to_string(&path).expect("read");
            out.push((path.display().to_string(), serde_json::from_str(&text).expect("json")));
        }
    }
    out
}

#[test]
fn every_api_event_body_is_valid_under_the_document() {
    let mut checked = 0;
    for (file, event) in events() {
        let Some(route) = event["routeKey"].as_str() else { continue };
        let Some((method, _)) = route.split_once(' ') else { continue };
        let path = event["rawPath"].as_str().expect("rawPath");
        if let Some(body) = event["body"].as_str() {
            let body: Value = serde_json::from_str(body).expect("JSON body");
            check_request(method, path, &body).unwrap_or_else(|e| panic!("{file}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 4, "precheck, signing-code, submit, decision: {checked}");
}

#[test]
fn a_signed_form_that_the_server_accepts_is_valid_and_refusals_are_invalid() {
    let signed = json!({
        "registrantIin": "880702300117", "rka": "0201500000000001", "kind": "PERMANENT", "reason": "FAMILY_MEMBER",
        "movedInOn": "2026-11-24",
        "signature": { "method": "SMS_CODE", "signingRequestId": "sig-00000000-0000-0000-0000-000000000000", "code": "123456" }
    });
    check_request("POST", "/registrations", &signed).expect("a signed form satisfies SignedForm");
    for (field, value) in [
        ("registrantIin", json!("881302300117")),
        ("registrantIin", json!("880732300117")),
        ("registrantIin", json!("880702700117")),
        ("movedInOn", json!("-0001-01-01")),
        ("extra", json!(1)),
    ] {
        let mut bad = signed.clone();
        bad[field] = value;
        assert!(check_request("POST", "/registrations", &bad).is_err(), "{field} {}", bad[field]);
    }
    let mut unsigned = signed.clone();
    unsigned.as_object_mut().expect("object").remove("signature");
    assert!(check_request("POST", "/registrations", &unsigned).is_err(), "submit needs the signature");
    assert!(check_request("POST", "/registrations/precheck", &unsigned).is_ok(), "precheck takes the form alone");
}

#[test]
fn every_body_taking_route_documents_413_and_415_and_every_route_503() {
    for (path, item) in document()["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let responses = op["responses"].as_object().expect("responses");
            assert!(responses.contains_key("503"), "{method} {path}: 503");
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("413") && responses.contains_key("415"), "{method} {path}");
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_this_api_did_not_give_is_400() {
    let app = spawn_app().await;
    for cursor in ["bm90LWEtY3Vyc29y", "app-00000000-0000-0000-0000-000000000000", "x"] {
        let r = app.get(DAULET, &format!("/registrations?cursor={cursor}")).await;
        assert_eq!((r.status, r.body["rule"].as_str()), (400, Some("CURSOR_FROM_PREVIOUS_PAGE")), "{cursor}");
    }
}
