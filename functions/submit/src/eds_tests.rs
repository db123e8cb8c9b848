//! Signing with an EDS (issue #14): the form's signed document, verified by `eds` against the test PKI.

use super::*;
use base64::Engine as _;
use domain::ports::TimelineStore;
use serde_json::{json, Value};
use std::sync::atomic::Ordering::SeqCst;
use test_kit::eds_pki::{sign, Profile, SignOptions};
use test_kit::*;

const EVENT: &str = include_str!("../../../events/submit/daulet-at-aigerims-flat.json");
const NOT_A_CMS: &str = include_str!("../../../events/submit/eds-not-a-cms.json");

fn body(v: &Value) -> Value {
    serde_json::from_str(v["body"].as_str().expect("body")).expect("json")
}

/// The world with an EDS verifier over the test PKI; the responder, to make it unreachable.
fn world() -> (World, std::sync::Arc<test_kit::eds_pki::InProcess>) {
    let mut w = World::new();
    let (verifier, responder) = test_kit::eds_pki::verifier(w.clock.clone());
    w.eds_verifier = verifier;
    (w, responder)
}

/// The event's form for `signer` (as caller and registrant), signed by their `profile` certificate, edited by
/// `edit` after signing.
fn eds_request(w: &World, signer: &str, profile: Profile, edit: impl FnOnce(&mut Value)) -> lambda_http::Request {
    signed_by(w, signer, signer, profile, edit)
}

fn signed_by(
    w: &World,
    caller: &str,
    signer: &str,
    profile: Profile,
    edit: impl FnOnce(&mut Value),
) -> lambda_http::Request {
    let now = w.clock.now();
    api_request(EVENT, |v| {
        as_caller(v, caller);
        let mut b = body(v);
        b["registrantIin"] = json!(caller);
        let unsigned: ApplicationForm = serde_json::from_value(json!({
            "registrantIin": b["registrantIin"], "rka": b["rka"], "kind": b["kind"], "reason": b["reason"],
            "movedInOn": b["movedInOn"]
        }))
        .expect("form");
        let document = unsigned.parse(now.date_naive()).expect("draft").signed_document();
        let cms = sign(signer, profile, &document, SignOptions { signing_time: Some(now), ..SignOptions::default() });
        b["signature"] = json!({"method": "EDS", "cms": base64::engine::general_purpose::STANDARD.encode(cms)});
        edit(&mut b);
        with_body(v, b);
    })
}

async fn nothing_stored(w: &World, who: &str) {
    let page = w.store.list_for_applicant(&iin(who), 10, None).await.expect("list");
    assert!(page.items.is_empty(), "nothing stored for {who}");
}

#[tokio::test]
async fn an_eds_signed_application_is_stored_with_its_certificate_in_the_timeline_and_no_code() {
    let (w, _) = world();
    let resp = handle(&deps(&w), eds_request(&w, DAULET, Profile::Signing, |_| {})).await;
    assert_eq!(resp.status(), 201, "{:?}", response_json(&resp));
    let id = ApplicationId::parse(response_json(&resp)["id"].as_str().expect("id")).expect("id");
    assert_eq!(w.workflow.started.lock().expect("lock").len(), 1);
    let timeline = w.store.list(&id).await.expect("timeline");
    let person = test_kit::eds_pki::pki().person(DAULET, Profile::Signing).expect("person");
    let serial = ::eds_verifier::certificate::serial(&person.cert);
    match &timeline[0].facts {
        Some(TimelineFacts::SignedWithEds { serial: s, issuer }) => {
            assert_eq!(s, &serial);
            assert!(issuer.contains("CN=TEST ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)"), "{issuer}");
        }
        other => panic!("{other:?}"),
    }
    let detail = timeline[0].detail.clone().unwrap_or_default();
    assert!(detail.starts_with("signed with EDS: certificate ") && !detail.contains(DAULET), "{detail}");
}

/// The article asks for a BMG phone for the rest (codes and texts from 1414), not for signing with an EDS:
/// Yerlan has none, signs with his EDS, and the application is accepted; eligibility then refuses it
/// (NO_BMG_PHONE) where the phone is needed.
#[tokio::test]
async fn an_applicant_without_a_bmg_phone_can_sign_with_eds() {
    let (w, _) = world();
    let resp = handle(&deps(&w), eds_request(&w, YERLAN, Profile::Signing, |_| {})).await;
    assert_eq!(resp.status(), 201, "{:?}", response_json(&resp));
}

#[tokio::test]
async fn every_refused_eds_is_a_422_naming_its_rule_and_stores_nothing() {
    let (w, _) = world();
    let cases: Vec<(&str, lambda_http::Request)> = vec![
        ("EDS_KEY_USAGE_SIGNING", eds_request(&w, DAULET, Profile::Authentication, |_| {})),
        ("EDS_CERTIFICATE_VALID", eds_request(&w, DAULET, Profile::Expired, |_| {})),
        ("EDS_CHAIN_TRUSTED", eds_request(&w, DAULET, Profile::Foreign, |_| {})),
        ("EDS_NOT_REVOKED", eds_request(&w, DAULET, Profile::Revoked, |_| {})),
        ("EDS_CONTENT_IS_FORM", eds_request(&w, DAULET, Profile::Signing, |b| b["movedInOn"] = json!("2026-11-21"))),
        ("EDS_SIGNER_IS_APPLICANT", signed_by(&w, DAULET, AIGERIM, Profile::Signing, |_| {})),
    ];
    for (rule, req) in cases {
        let resp = handle(&deps(&w), req).await;
        let problem = response_json(&resp);
        assert_eq!((resp.status().as_u16(), problem["rule"].as_str()), (422, Some(rule)), "{problem}");
        assert_eq!(problem["field"], "signature.cms");
        assert_eq!(resp.headers()["content-type"], "application/problem+json");
    }
    nothing_stored(&w, DAULET).await;
    assert!(w.workflow.started.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn the_fields_of_the_other_method_and_a_cms_that_is_not_one_are_refused_by_name() {
    let (w, _) = world();
    let resp = handle(&deps(&w), api_request(NOT_A_CMS, |_| {})).await;
    let problem = response_json(&resp);
    assert_eq!(
        (resp.status().as_u16(), &problem["field"], &problem["rule"]),
        (422, &json!("signature.cms"), &json!("EDS_CMS_STRUCTURE"))
    );
    let not_base64 = eds_request(&w, DAULET, Profile::Signing, |b| b["signature"]["cms"] = json!("%%%"));
    let problem = response_json(&handle(&deps(&w), not_base64).await);
    assert_eq!((&problem["field"], &problem["rule"]), (&json!("signature.cms"), &json!("EDS_CMS_STRUCTURE")));
    let with_code = eds_request(&w, DAULET, Profile::Signing, |b| b["signature"]["code"] = json!("123456"));
    let problem = response_json(&handle(&deps(&w), with_code).await);
    assert_eq!((&problem["field"], &problem["rule"]), (&json!("signature.code"), &json!("NOT_ALLOWED")));
    let code_without_code = api_request(EVENT, |v| {
        let mut b = body(v);
        b["signature"].as_object_mut().expect("signature").remove("code");
        with_body(v, b)
    });
    let problem = response_json(&handle(&deps(&w), code_without_code).await);
    assert_eq!((&problem["field"], &problem["rule"]), (&json!("signature.code"), &json!("REQUIRED")));
    nothing_stored(&w, DAULET).await;
}

#[tokio::test]
async fn revocation_that_cannot_be_checked_is_503_and_the_crl_stands_in_for_ocsp() {
    let (w, responder) = world();
    responder.ocsp_down.store(true, SeqCst);
    responder.crl_down.store(true, SeqCst);
    let resp = handle(&deps(&w), eds_request(&w, DAULET, Profile::Signing, |_| {})).await;
    let problem = response_json(&resp);
    assert_eq!(resp.status(), 503, "{problem}");
    assert_eq!(
        (&problem["rule"], &problem["dependency"]),
        (&json!("EDS_REVOCATION_UNAVAILABLE"), &json!("revocation"))
    );
    nothing_stored(&w, DAULET).await;
    responder.crl_down.store(false, SeqCst);
    let resp = handle(&deps(&w), eds_request(&w, DAULET, Profile::Signing, |_| {})).await;
    assert_eq!(resp.status(), 201, "OCSP down, the CRL answers: {:?}", response_json(&resp));
}

#[tokio::test]
async fn one_signature_makes_one_application() {
    let (w, _) = world();
    let req = || eds_request(&w, DAULET, Profile::Signing, |_| {});
    let first = handle(&deps(&w), req()).await;
    assert_eq!(first.status(), 201);
    let again = handle(&deps(&w), req()).await;
    assert_eq!(again.status(), 200, "same key: a replay");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    // The application ends; the same signature under another key is not a new application.
    let id = ApplicationId::parse(response_json(&first)["id"].as_str().expect("id")).expect("id");
    let app = ApplicationStore::get(w.store.as_ref(), &id).await.expect("get").expect("stored");
    w.store.set_status(&app, &Status::OPEN, Status::Rejected, &[], w.clock.now(), &[]).await.expect("end");
    let replayed = {
        let signed = req();
        let b = String::from_utf8(signed.body().to_vec()).expect("utf8");
        api_request(EVENT, |v| {
            v["headers"]["idempotency-key"] = json!("another-key");
            with_body(v, serde_json::from_str(&b).expect("json"))
        })
    };
    let resp = handle(&deps(&w), replayed).await;
    let problem = response_json(&resp);
    assert_eq!((resp.status().as_u16(), &problem["rule"]), (422, &json!("EDS_SINGLE_USE")), "{problem}");
    assert_eq!(w.store.list_for_applicant(&iin(DAULET), 10, None).await.expect("list").items.len(), 1);
}

fn deps(w: &World) -> Deps {
    Deps::from_ports(w).expect("the world has every port")
}
