//! Signing with an EDS through the local stack (issues #14, #22): its test PKI signs (`/_local/eds/sign`:
//! GOST 2015-512 as Kalkan signs, by default; RSA on request), submit verifies, and asks the stack's OCSP
//! responder and CRLs over HTTP, as in AWS it asks NCA's.

use serde_json::{json, Value};
use tests::*;

fn first_detail(app: &Value) -> String {
    app["timeline"][0]["detail"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_owner_signs_with_her_eds_and_her_history_names_the_certificate_not_her() {
    let app = spawn_app().await;
    let (signed, cert) = app.signed_with_eds(AIGERIM, &form(AIGERIM, FLAT_AIGERIM), json!({})).await;
    let r = app.post(AIGERIM, "/registrations", &signed).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().expect("id").to_string();
    let done = app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let (serial, issuer) = (cert["serial"].as_str().expect("serial"), cert["issuer"].as_str().expect("issuer"));
    assert_eq!(first_detail(&done), format!("signed with EDS: certificate {serial}, issued by {issuer}"));
    assert!(issuer.contains("(GOST)"), "GOST 2015-512 by default, as NCA's keys since 2022: {issuer}");
    for personal in [AIGERIM, "TEST PERSON", "ТЕСТОВ"] {
        assert!(!first_detail(&done).contains(personal), "{personal} in {}", first_detail(&done));
    }
    let kk = app.get_in(AIGERIM, &format!("/registrations/{id}"), "kk").await;
    assert!(first_detail(&kk.body).starts_with("ЭЦҚ-мен қол қойылды: сертификат "), "{}", kk.body);
    let texts = app.outbox(PHONE_AIGERIM).await;
    assert_eq!(texts.len(), 1, "no signing code was sent, only the registration: {texts:?}");
    assert!(says_registered(texts[0]["text"].as_str().unwrap_or_default()));
}

#[tokio::test]
async fn detached_and_the_older_rsa_signatures_verify_too() {
    for options in [
        json!({ "detached": true }),
        json!({ "detached": true, "scheme": "PSS_SHA384" }),
        json!({ "scheme": "PKCS1_SHA256" }),
    ] {
        let app = spawn_app().await;
        let (signed, cert) = app.signed_with_eds(DAULET, &form(DAULET, FLAT_DAULET), options.clone()).await;
        let r = app.post(DAULET, "/registrations", &signed).await;
        assert_eq!(r.status, 201, "{options}: {}", r.body);
        let rsa = options["scheme"].is_string();
        assert_eq!(cert["issuer"].as_str().unwrap_or_default().contains("(RSA)"), rsa, "{cert}");
    }
}

/// What a support person points `registration-admin verify-eds --roots` at for this stack's CMS: the roots
/// and the GOST issuing CA (Kalkan's CMS carries no intermediate).
#[tokio::test]
async fn the_stacks_trust_is_published_with_its_issuing_ca() {
    let app = spawn_app().await;
    let trust = reqwest::get(format!("{}/_local/eds/trust.pem", app.base)).await.expect("get");
    assert_eq!(trust.status(), 200);
    let pem = trust.text().await.expect("text");
    assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 3, "two roots and the GOST issuing CA");
    let roots = reqwest::get(format!("{}/_local/eds/roots.pem", app.base)).await.expect("get");
    assert_eq!(roots.text().await.expect("text").matches("-----BEGIN CERTIFICATE-----").count(), 2);
}

/// A company's key (a first head's, carrying his own IIN) does not sign a citizen's application: its own rule,
/// in the reader's language, and nothing stored.
#[tokio::test]
async fn a_legal_entitys_key_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (signed, _) =
        app.signed_with_eds(DAULET, &form(DAULET, FLAT_DAULET), json!({ "certificate": "LEGAL_ENTITY" })).await;
    let r = app.post(DAULET, "/registrations", &signed).await;
    assert_eq!((r.status, r.body["rule"].as_str()), (422, Some("EDS_INDIVIDUAL_KEY")), "{}", r.body);
    assert_eq!(r.body["field"], "signature.cms");
    let history = app.get(DAULET, "/registrations").await;
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(0), "nothing was stored");
}

/// The article asks for a BMG phone for what is sent by SMS, not for signing: Yerlan has no BMG phone, signs
/// with his EDS, and is refused by the eligibility rule that needs the phone (REJECTED, NO_BMG_PHONE).
#[tokio::test]
async fn without_a_bmg_phone_the_eds_signs_and_eligibility_asks_for_the_phone() {
    let app = spawn_app().await;
    let mut f = form(YERLAN, FLAT_AIGERIM);
    f["reason"] = json!("RENTAL");
    let (signed, _) = app.signed_with_eds(YERLAN, &f, json!({})).await;
    let r = app.post(YERLAN, "/registrations", &signed).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let done = app.wait_for(YERLAN, r.body["id"].as_str().expect("id"), "REJECTED").await;
    assert_eq!(done["reasons"][0]["code"], "NO_BMG_PHONE", "{done}");
}

#[tokio::test]
async fn each_refusal_names_its_rule_and_the_revoked_one_is_told_by_the_stacks_ocsp() {
    let app = spawn_app().await;
    let daulets = form(DAULET, FLAT_DAULET);
    for (certificate, rule) in [
        ("AUTHENTICATION", "EDS_KEY_USAGE_SIGNING"),
        ("EXPIRED", "EDS_CERTIFICATE_VALID"),
        ("FOREIGN", "EDS_CHAIN_TRUSTED"),
        ("REVOKED", "EDS_NOT_REVOKED"),
    ] {
        let (signed, _) = app.signed_with_eds(DAULET, &daulets, json!({ "certificate": certificate })).await;
        let r = app.post(DAULET, "/registrations", &signed).await;
        assert_eq!((r.status, r.body["rule"].as_str()), (422, Some(rule)), "{certificate}: {}", r.body);
        assert_eq!(r.body["field"], "signature.cms");
    }
    // Aigerim's signature over Daulet's form, sent with Daulet's token: in Russian, as his app asks.
    let (signed, _) = app.signed_with_eds(AIGERIM, &daulets, json!({})).await;
    let t = app.token(DAULET).await;
    let resp = reqwest::Client::new()
        .post(format!("{}/registrations", app.base))
        .bearer_auth(t)
        .header("accept-language", "ru")
        .json(&signed)
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["rule"], "EDS_SIGNER_IS_APPLICANT");
    assert_eq!(body["detail"], "signature.cms: сертификат другого человека: подпишите своей ЭЦП", "{body}");
    let history = app.get(DAULET, "/registrations").await;
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(0), "nothing was stored");
}

#[tokio::test]
async fn ocsp_down_the_crl_answers_and_both_down_is_503_with_nothing_stored() {
    let app = spawn_app().await;
    let fault = |dependency: &str, class: &str| json!({ "function": "submit", "dependency": dependency, "class": class, "count": 1 });
    for f in [fault("ocsp", "connectionRefused"), fault("crl", "coded5xx")] {
        assert_eq!(app.local_post("/faults", &f).await.status, 201);
    }
    let f = form(AIGERIM, FLAT_AIGERIM);
    let (signed, _) = app.signed_with_eds(AIGERIM, &f, json!({})).await;
    let r = app.post(AIGERIM, "/registrations", &signed).await;
    assert_eq!((r.status, r.body["rule"].as_str()), (503, Some("EDS_REVOCATION_UNAVAILABLE")), "{}", r.body);
    assert_eq!(r.body["dependency"], "revocation");
    let history = app.get(AIGERIM, "/registrations").await;
    assert_eq!(history.body["items"].as_array().map(Vec::len), Some(0), "nothing stored, nothing blocked");

    // OCSP answers too late (after submit's 2-second limit): the CRL decides, and she is registered.
    assert_eq!(app.local_post("/faults", &fault("ocsp", "timeout")).await.status, 201);
    let started = std::time::Instant::now();
    let r = app.post(AIGERIM, "/registrations", &signed).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(started.elapsed() >= std::time::Duration::from_secs(2), "waited for OCSP's timeout");
    let struck: Vec<u64> = app.local("/faults").await["faults"]
        .as_array()
        .expect("faults")
        .iter()
        .filter_map(|f| f["struck"].as_u64())
        .collect();
    assert_eq!(struck, vec![1, 1, 1], "each fault struck once");
    app.wait_for(AIGERIM, r.body["id"].as_str().expect("id"), "REGISTERED").await;
}

/// The signed document is defined in the API documentation as Python writes it; a second implementation (the
/// standard library's `json`) must produce the same bytes from the form as the app sends it.
#[tokio::test]
async fn the_signed_document_is_the_bytes_pythons_json_writes() {
    let app = spawn_app().await;
    let mut temporary = form(MADINA, FLAT_AIGERIM);
    temporary["kind"] = json!("TEMPORARY");
    temporary["months"] = json!(6);
    temporary["reason"] = json!("FAMILY_MEMBER");
    let forms = [form(AIGERIM, FLAT_AIGERIM), temporary, form(DAULET, "0201 5000 0000 0006")];
    let script = r#"
import json, sys
form = json.load(sys.stdin)
doc = {k: v for k, v in form.items() if k != "signature" and v is not None}
doc["rka"] = doc["rka"].replace(" ", "")
doc["document"] = "kz.egov.residence-registration/1"
sys.stdout.write(json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
"#;
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    let python = if venv.exists() { venv.display().to_string() } else { "python3".to_string() };
    for f in forms {
        let signer = f["registrantIin"].as_str().expect("iin");
        let signer = if signer == MADINA { AIGERIM } else { signer };
        let r = app.local_post("/eds/sign", &json!({ "iin": signer, "form": f })).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let ours = r.body["signedDocument"].as_str().expect("document").to_string();
        let mut child = std::process::Command::new(&python)
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python 3 runs");
        use std::io::Write as _;
        child.stdin.take().expect("stdin").write_all(f.to_string().as_bytes()).expect("write");
        let out = child.wait_with_output().expect("python");
        assert!(out.status.success());
        assert_eq!(String::from_utf8(out.stdout).expect("utf8"), ours, "for {f}");
    }
}
