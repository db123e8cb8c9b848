use super::*;
use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use domain::ports::{Admission, Registering, TimelineStore, Transition};
use domain::{Application, Registration, Status};
use serde_json::Value;
use std::sync::Arc;
use test_kit::{api_request, as_caller, response_json, World};

const ISSUE: &str = include_str!("../../../events/certificate/issue.json");
const VERIFY: &str = include_str!("../../../events/certificate/verify.json");
const JWKS: &str = include_str!("../../../events/certificate/jwks.json");
const AIGERIM: &str = "900315400017";
const DAULET: &str = "880702300117";
const FLAT: &str = "0201500000000001";

fn deps(w: &World) -> Deps {
    Deps::from_ports(w).expect("deps")
}

/// An application of `applicant` for `registrant` at `rka`, REGISTERED as finalize writes it.
async fn registered(w: &World, applicant: &str, registrant: &str, rka: &str) -> Application {
    let app = test_kit::application(applicant, registrant, rka);
    w.store.create(&app, &[], &Admission::default()).await.expect("create");
    let registration = Registration::from_application(&app, test_kit::now().date_naive());
    let step = Registering { current: &app, at: test_kit::now(), history: &[] };
    match w.store.register(&registration, None, &step).await.expect("register") {
        Transition::Done(app) => app,
        other => panic!("{other:?}"),
    }
}

fn issue_request(id: &str, caller: &str, accept: &str, lang: &str) -> Request {
    api_request(ISSUE, |v| {
        as_caller(v, caller);
        v["pathParameters"]["id"] = id.into();
        v["headers"]["accept"] = accept.into();
        v["headers"]["accept-language"] = lang.into();
    })
}

fn verify_request(number: &str, source_ip: &str) -> Request {
    api_request(VERIFY, |v| {
        v["pathParameters"]["number"] = number.into();
        v["requestContext"]["http"]["sourceIp"] = source_ip.into();
    })
}

fn header(resp: &HttpResponse, name: &str) -> String {
    let value = resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if name != "link" {
        return value;
    }
    // `<url>; rel="related"`: the URL.
    assert!(value.ends_with(">; rel=\"related\""), "a Link header: {value}");
    value.trim_start_matches('<').split('>').next().unwrap_or_default().to_string()
}

/// The JWS checked with the key the JWKS publishes (aws-lc-rs, not the signer's code).
async fn jws_checks(w: &World, token: &str) -> bool {
    let jwks = response_json(&handle(&deps(w), api_request(JWKS, |_| {})).await);
    let key = &jwks["keys"][0];
    let coordinate = |c: &str| URL_SAFE_NO_PAD.decode(key[c].as_str().expect("coordinate")).expect("base64url");
    let mut point = vec![4u8];
    point.extend(coordinate("x"));
    point.extend(coordinate("y"));
    let Some((input, signature)) = token.rsplit_once('.') else { return false };
    let Ok(signature) = URL_SAFE_NO_PAD.decode(signature) else { return false };
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point).verify(input.as_bytes(), &signature).is_ok()
}

#[tokio::test]
async fn the_json_form_is_a_jws_the_published_key_checks_and_a_changed_one_fails() {
    let w = World::new();
    let app = registered(&w, AIGERIM, AIGERIM, FLAT).await;
    let resp = handle(&deps(&w), issue_request(&app.id.to_string(), AIGERIM, "application/json", "ru")).await;
    assert_eq!(resp.status(), 200);
    let body = response_json(&resp);
    let token = body["jws"].as_str().expect("jws");
    assert!(jws_checks(&w, token).await);
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(1).expect("payload")).expect("b64"))
            .expect("json");
    assert_eq!(payload, body["certificate"]);
    assert_eq!((payload["iin"].as_str(), payload["state"].as_str()), (Some(AIGERIM), Some("CURRENT")));
    assert_eq!(payload["surname"], "Seitkali");
    // A changed payload (another IIN) under the same signature is not genuine.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = payload.to_string().replace(AIGERIM, DAULET);
    let forged = format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(forged), parts[2]);
    assert!(!jws_checks(&w, &forged).await);
    // A signature by another key is not genuine either.
    let other = memory_adapters::LocalSigner::generate().expect("key");
    let by_other = jws::sign(&other, &payload).await.expect("sign");
    assert!(!jws_checks(&w, &by_other).await);
}

#[tokio::test]
async fn each_certificate_is_a_timeline_entry_and_verifies_without_the_iin() {
    let w = World::new();
    let app = registered(&w, AIGERIM, AIGERIM, FLAT).await;
    let resp = handle(&deps(&w), issue_request(&app.id.to_string(), AIGERIM, "application/pdf", "kk")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "content-type"), "application/pdf");
    let lambda_http::Body::Binary(pdf) = resp.body() else { panic!("a PDF is binary") };
    assert!(pdf.starts_with(b"%PDF-"));
    let url = header(&resp, "link");
    let number = url.rsplit('/').next().expect("number").to_string();
    assert!(url.starts_with("https://r3g1str4t.execute-api.eu-central-1.amazonaws.com/verify/RC"), "{url}");
    let timeline = w.store.list(&app.id).await.expect("timeline");
    let issued = timeline.iter().find(|e| e.event == domain::TimelineEvent::CertificateIssued).expect("entry");
    assert!(issued.detail.as_deref().is_some_and(|d| d.contains(&number)));

    let check = handle(&deps(&w), verify_request(&number, "198.51.100.7")).await;
    assert_eq!(check.status(), 200);
    let body = response_json(&check);
    assert_eq!((body["genuine"].as_bool(), body["state"].as_str()), (Some(true), Some("CURRENT")));
    assert_eq!(body["holder"], "Seitkali A.");
    let text = body.to_string();
    assert!(!text.contains(AIGERIM) && !text.contains("Aigerim"), "never the IIN or the full name: {text}");
}

#[tokio::test]
async fn a_certificate_of_a_registration_closed_since_verifies_as_closed_on_its_last_day() {
    let w = World::new();
    let first = registered(&w, AIGERIM, AIGERIM, FLAT).await;
    let resp = handle(&deps(&w), issue_request(&first.id.to_string(), AIGERIM, "application/json", "en")).await;
    let number = response_json(&resp)["documentNumber"].as_str().expect("number").to_string();
    // She moves: the next registration closes this one.
    let next = test_kit::application(AIGERIM, AIGERIM, "0201500000000002");
    w.store.create(&next, &[], &Admission::default()).await.expect("create");
    let old = w.store.for_registrant(&test_kit::iin(AIGERIM)).await.expect("registrations").remove(0);
    let last_day = test_kit::now().date_naive();
    let step = Registering { current: &next, at: test_kit::now(), history: &[] };
    let new = Registration::from_application(&next, last_day + chrono::Duration::days(1));
    w.store.register(&new, Some((&old, last_day)), &step).await.expect("moved");
    let body = response_json(&handle(&deps(&w), verify_request(&number, "198.51.100.7")).await);
    assert_eq!(body["genuine"], true);
    assert_eq!((body["state"].as_str(), body["lastDay"].as_str()), (Some("CLOSED"), Some("2026-11-25")));
}

#[tokio::test]
async fn others_get_404_and_an_unfinished_application_409_with_its_status() {
    let w = World::new();
    let app = registered(&w, AIGERIM, AIGERIM, FLAT).await;
    let id = app.id.to_string();
    let other = handle(&deps(&w), issue_request(&id, DAULET, "application/pdf", "kk")).await;
    assert_eq!(other.status(), 404);
    let unknown =
        handle(&deps(&w), issue_request("app-00000000-0000-4000-8000-000000000000", AIGERIM, "*/*", "kk")).await;
    assert_eq!(unknown.status(), 404);
    let pending = test_kit::application(DAULET, DAULET, FLAT);
    w.store.create(&pending, &[], &Admission::default()).await.expect("create");
    let resp = handle(&deps(&w), issue_request(&pending.id.to_string(), DAULET, "application/pdf", "ru")).await;
    assert_eq!(resp.status(), 409);
    let body = response_json(&resp);
    assert_eq!((body["applicationStatus"].as_str(), pending.status), (Some("SUBMITTED"), Status::Submitted));
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("SUBMITTED")), "{body}");
    let html = handle(&deps(&w), issue_request(&id, AIGERIM, "text/html", "en")).await;
    assert_eq!(html.status(), 406);
    assert_eq!(header(&html, "content-type"), "application/problem+json");
    // None of these wrote anything.
    let timeline = w.store.list(&app.id).await.expect("timeline");
    assert!(timeline.iter().all(|e| e.event != domain::TimelineEvent::CertificateIssued));
}

#[tokio::test]
async fn made_up_numbers_are_404_and_past_the_limit_429_with_retry_after() {
    let w = World::new();
    for i in 0..domain::certificate::CHECKS_PER_CALLER_PER_10_MIN {
        let resp = handle(&deps(&w), verify_request(&format!("RC{i:026}"), "203.0.113.9")).await;
        assert_eq!(resp.status(), 404, "{i}");
        assert_eq!(response_json(&resp)["genuine"], false);
    }
    let resp = handle(&deps(&w), verify_request("not-a-number", "203.0.113.9")).await;
    assert_eq!(resp.status(), 429);
    assert!(header(&resp, "retry-after").parse::<u64>().is_ok_and(|s| (1..=600).contains(&s)));
    // Another caller is counted apart.
    assert_eq!(handle(&deps(&w), verify_request("RC00", "203.0.113.10")).await.status(), 404);
}

#[tokio::test]
async fn the_jwks_is_public_and_names_the_key() {
    let w = World::new();
    let resp = handle(&deps(&w), api_request(JWKS, |_| {})).await;
    assert_eq!(resp.status(), 200);
    let key = &response_json(&resp)["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str(), key["alg"].as_str()),
        (Some("EC"), Some("P-256"), Some("ES256"))
    );
    assert_eq!(key["kid"].as_str(), Some(w.signer.key_id()));
}

/// The store under the certificate's one write, failing it: `applied` first writes it (a timeout after the
/// write, its answer lost), else refuses it (nothing written).
struct FailingIssue {
    inner: Arc<memory_adapters::MemoryStore>,
    applied: bool,
}

#[async_trait::async_trait]
impl domain::ports::CertificateStore for FailingIssue {
    async fn issue(
        &self,
        record: &domain::certificate::CertificateRecord,
        entry: domain::TimelineEntry,
    ) -> Result<bool, domain::errors::StoreError> {
        if self.applied {
            self.inner.issue(record, entry).await?;
        }
        Err(domain::errors::StoreError::Unavailable("timed out".into()))
    }
    async fn get(
        &self,
        number: &domain::certificate::DocumentNumber,
    ) -> Result<Option<domain::certificate::CertificateRecord>, domain::errors::StoreError> {
        domain::ports::CertificateStore::get(self.inner.as_ref(), number).await
    }
    async fn count_check(
        &self,
        counter: &domain::rate_limits::Counter,
    ) -> Result<Option<domain::rate_limits::LimitHit>, domain::errors::StoreError> {
        self.inner.count_check(counter).await
    }
}

#[tokio::test]
async fn a_write_whose_answer_was_lost_gives_the_certificate_and_a_refused_one_a_true_503() {
    for applied in [true, false] {
        let w = World::new();
        let app = registered(&w, AIGERIM, AIGERIM, FLAT).await;
        let mut d = deps(&w);
        d.certificates = Arc::new(FailingIssue { inner: w.store.clone(), applied });
        let resp = handle(&d, issue_request(&app.id.to_string(), AIGERIM, "application/json", "ru")).await;
        let issued = w.store.list(&app.id).await.expect("timeline");
        let issued = issued.iter().filter(|e| e.event == domain::TimelineEvent::CertificateIssued).count();
        if applied {
            assert_eq!((resp.status().as_u16(), issued), (200, 1), "written once, and given");
            let number = response_json(&resp)["documentNumber"].as_str().expect("number").to_string();
            assert_eq!(handle(&d, verify_request(&number, "198.51.100.1")).await.status(), 200, "and genuine");
        } else {
            assert_eq!((resp.status().as_u16(), issued), (503, 0), "nothing written, as the 503 says");
            assert!(response_json(&resp)["detail"].as_str().is_some_and(|t| t.contains("ничего не изменено")));
        }
    }
}

#[tokio::test]
async fn the_check_address_is_api_gateways_domain_not_the_callers_host_header() {
    let w = World::new();
    let app = registered(&w, AIGERIM, AIGERIM, FLAT).await;
    let req = api_request(ISSUE, |v| {
        as_caller(v, AIGERIM);
        v["pathParameters"]["id"] = app.id.to_string().into();
        v["headers"]["host"] = "evil.example".into();
        v["headers"]["x-forwarded-proto"] = "javascript".into();
        v["requestContext"]["stage"] = "prod".into();
    });
    let resp = handle(&deps(&w), req).await;
    let link = header(&resp, "link");
    assert!(link.starts_with("https://r3g1str4t.execute-api.eu-central-1.amazonaws.com/prod/verify/RC"), "{link}");
}
