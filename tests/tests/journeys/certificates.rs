//! After REGISTERED: the certificate a person shows an employer, read back with tools nobody here wrote:
//! poppler's `pdftotext` (the text, in kk, ru and en), `pdftoppm` and zbar's `zbarimg` (the QR code, followed to
//! `/verify` without a token), and Python's `joserfc` (the JWS checked with the published JWKS). The test script
//! installs them (scripts/setup-tools); a missing one fails the test.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use tests::*;

/// A file of this test's in the temporary directory.
fn scratch(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("certificate-{}-{name}", std::process::id()))
}

fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let out =
        Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e} (scripts/setup-tools)"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The PDF's text as poppler extracts it.
fn pdf_text(pdf: &[u8], name: &str) -> String {
    let file = scratch(&format!("{name}.pdf"));
    std::fs::write(&file, pdf).expect("write pdf");
    let text = run("pdftotext", &["-enc", "UTF-8", file.to_str().expect("path"), "-"]);
    String::from_utf8(text).expect("UTF-8 text")
}

/// What the page's QR code says, rendered by poppler and decoded by zbar.
fn qr_of(pdf: &[u8], name: &str) -> String {
    let file = scratch(&format!("{name}-qr.pdf"));
    std::fs::write(&file, pdf).expect("write pdf");
    let png = scratch(&format!("{name}-qr"));
    run("pdftoppm", &["-r", "150", "-png", "-singlefile", file.to_str().expect("path"), png.to_str().expect("path")]);
    let decoded = run("zbarimg", &["--raw", "-q", &format!("{}.png", png.display())]);
    String::from_utf8(decoded).expect("UTF-8").trim().to_string()
}

struct Raw {
    status: u16,
    content_type: String,
    link: String,
    body: Vec<u8>,
}

async fn certificate(app: &App, caller: &str, id: &str, accept: &str, lang: &str) -> Raw {
    let token = app.token(caller).await;
    let resp = app
        .http
        .get(format!("{}/registrations/{id}/certificate", app.base))
        .bearer_auth(token)
        .header("accept", accept)
        .header("accept-language", lang)
        .send()
        .await
        .expect("certificate");
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // `Link: <url>; rel="related"`: the check address.
    let link = header("link").trim_start_matches('<').split('>').next().unwrap_or_default().to_string();
    let (status, content_type) = (resp.status().as_u16(), header("content-type"));
    Raw { status, content_type, link, body: resp.bytes().await.expect("body").to_vec() }
}

async fn public_get(app: &App, url: &str) -> (u16, Value) {
    let resp = app.http.get(url).send().await.expect("get");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_pdf_reads_back_in_each_language_and_its_qr_code_checks_it() {
    let app = spawn_app().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let titles = [
        ("kk", "Тұрғылықты жері бойынша тіркелгені туралы анықтама", "тұрақты"),
        ("ru", "Справка о регистрации по месту жительства", "постоянная"),
        ("en", "Certificate of registration at the place of residence", "permanent"),
    ];
    for (lang, title, kind) in titles {
        let pdf = certificate(&app, AIGERIM, &id, "application/pdf", lang).await;
        assert_eq!((pdf.status, pdf.content_type.as_str()), (200, "application/pdf"), "{lang}");
        assert!(pdf.body.len() < 100 * 1024, "{lang}: {} bytes", pdf.body.len());
        // Lines joined: a title may wrap.
        let text = pdf_text(&pdf.body, lang).split_whitespace().collect::<Vec<_>>().join(" ");
        let number = pdf.link.rsplit('/').next().expect("number").to_string();
        for expected in [title, kind, "Seitkali Aigerim", AIGERIM, "0201500000000001", number.as_str()] {
            assert!(text.contains(expected), "{lang}: {expected:?} not in the text:\n{text}");
        }
        assert!(!text.contains('\u{FFFD}') && !text.contains('?'), "{lang}: a character was replaced:\n{text}");
        let url = qr_of(&pdf.body, lang);
        assert_eq!(url, pdf.link, "{lang}: the QR code is the check address");
        assert!(url.starts_with(&format!("{}/verify/RC", app.base)), "{url}");
        let (status, check) = public_get(&app, &url).await;
        assert_eq!((status, check["genuine"].as_bool(), check["state"].as_str()), (200, Some(true), Some("CURRENT")));
        assert_eq!(check["holder"], "Seitkali A.");
        assert!(!check.to_string().contains(AIGERIM), "never the IIN: {check}");
    }
    // Each certificate issued is in the service history.
    let history = app.application(AIGERIM, &id).await;
    let issued =
        history["timeline"].as_array().expect("timeline").iter().filter(|e| e["event"] == "CERTIFICATE_ISSUED");
    assert_eq!(issued.count(), 3);
}

/// The whole Kazakh alphabet (42 letters, upper and lower case) on a page, read back as itself: the font has
/// every glyph, the subset keeps them and the ToUnicode map names them.
#[test]
fn every_kazakh_letter_is_rendered_not_replaced() {
    let alphabet = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ";
    let rows = [("Әліпби", alphabet.to_string()), ("әліпби", alphabet.to_lowercase())];
    let page = certificate::pdf::Page {
        service: "Қазақ әліпбиі",
        title: "Барлық әріптер",
        rows: &[(rows[0].0, rows[0].1.clone()), (rows[1].0, rows[1].1.clone())],
        check_text: "Тексеру",
        url: "https://example.kz/verify/RC0",
        note: "Һһ Іі Ұұ Үү Өө Ңң Ққ Ғғ Әә",
        document_title: "alphabet",
    };
    let pdf = certificate::pdf::render(&page).expect("rendered");
    let text = pdf_text(&pdf, "alphabet");
    assert!(text.contains(alphabet), "upper case:\n{text}");
    assert!(text.contains(&alphabet.to_lowercase()), "lower case:\n{text}");
    assert!(!text.contains('\u{FFFD}'), "{text}");
}

#[tokio::test]
async fn the_jws_checks_with_the_published_jwks_in_a_second_implementation() {
    let app = spawn_app().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let json = certificate(&app, AIGERIM, &id, "application/json", "ru").await;
    assert_eq!((json.status, json.content_type.as_str()), (200, "application/json"));
    let body: Value = serde_json::from_slice(&json.body).expect("json");
    let token = body["jws"].as_str().expect("jws").to_string();
    let (status, jwks) = public_get(&app, &format!("{}/.well-known/jwks.json", app.base)).await;
    assert_eq!(status, 200);
    let check = |token: &str| {
        let script = r#"
import json, sys
from joserfc import jws
from joserfc.jwk import KeySet
keys = KeySet.import_key_set(json.loads(sys.argv[1]))
try:
    obj = jws.deserialize_compact(sys.argv[2], keys, algorithms=["ES256"])
    print(json.loads(obj.payload)["documentNumber"])
except Exception as e:
    print("NOT GENUINE", type(e).__name__)
"#;
        let python = format!("{}/../.venv/bin/python", std::env::var("CARGO_MANIFEST_DIR").expect("cargo"));
        String::from_utf8(run(&python, &["-c", script, &jwks.to_string(), token])).expect("UTF-8").trim().to_string()
    };
    assert_eq!(check(&token), body["documentNumber"].as_str().expect("number"));
    // The payload changed under the same signature: not genuine.
    let parts: Vec<&str> = token.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], parts[1].replacen("e", "f", 1), parts[2]);
    assert!(check(&forged).starts_with("NOT GENUINE"), "{}", check(&forged));
}

#[tokio::test]
async fn a_certificate_of_a_registration_closed_by_a_move_verifies_as_closed() {
    let app = spawn_app().await;
    let own = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_DAULET)).await;
    app.wait_for(DAULET, &own, "REGISTERED").await;
    let pdf = certificate(&app, DAULET, &own, "*/*", "en").await;
    assert_eq!(pdf.status, 200);
    // He moves to Aigerim's flat with her consent: his registration at his own flat closes.
    let seen = app.outbox(PHONE_AIGERIM).await.len();
    let moved = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &moved, "AWAITING_CONSENT").await;
    let code = app.next_consent_code(PHONE_AIGERIM, seen).await;
    assert_eq!(app.sms_reply(PHONE_AIGERIM, &format!("YES {code}")).await["outcome"], "APPROVED");
    app.wait_for(DAULET, &moved, "REGISTERED").await;
    let (status, check) = public_get(&app, &pdf.link).await;
    assert_eq!((status, check["genuine"].as_bool(), check["state"].as_str()), (200, Some(true), Some("CLOSED")));
    assert!(check["lastDay"].is_string(), "{check}");
}

#[tokio::test]
async fn bad_requests_get_clear_refusals_and_change_nothing() {
    let app = spawn_app_unthrottled().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let other = certificate(&app, DAULET, &id, "application/pdf", "kk").await;
    assert_eq!(other.status, 404, "another citizen");
    let unknown = certificate(&app, AIGERIM, "app-00000000-0000-4000-8000-000000000000", "application/pdf", "kk").await;
    assert_eq!(unknown.status, 404);
    let html = certificate(&app, AIGERIM, &id, "text/html", "kk").await;
    assert_eq!((html.status, html.content_type.as_str()), (406, "application/problem+json"));
    let xx = certificate(&app, AIGERIM, &id, "application/json", "xx").await;
    assert_eq!(xx.status, 200, "a language it does not have falls back");
    let pending = app.apply(DAULET, PHONE_DAULET, &form(DAULET, FLAT_AIGERIM)).await;
    app.wait_for(DAULET, &pending, "AWAITING_CONSENT").await;
    let open = certificate(&app, DAULET, &pending, "application/pdf", "en").await;
    assert_eq!(open.status, 409);
    let problem: Value = serde_json::from_slice(&open.body).expect("problem");
    assert_eq!(problem["applicationStatus"], "AWAITING_CONSENT", "{problem}");
    // Only the one accepted request was issued.
    let history = app.application(AIGERIM, &id).await;
    let issued =
        history["timeline"].as_array().expect("timeline").iter().filter(|e| e["event"] == "CERTIFICATE_ISSUED");
    assert_eq!(issued.count(), 1);
    // Made-up numbers: 404 with no token needed, then 429 past the limit.
    let mut statuses = Vec::new();
    for i in 0..=domain::certificate::CHECKS_PER_CALLER_PER_10_MIN {
        statuses.push(public_get(&app, &format!("{}/verify/RC{i:026}", app.base)).await.0);
    }
    assert!(statuses[..statuses.len() - 1].iter().all(|s| *s == 404), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
}

/// The certificate under the fault control: each dependency (storage, registries, the signing key) down for a
/// minute under each failure class. Every answer is 503 naming only the class of dependency, nothing is issued
/// (no number, no timeline entry), and the same request a minute later gives the certificate.
#[tokio::test]
async fn under_every_fault_the_certificate_is_refused_truly_and_given_after() {
    let app = spawn_app_unthrottled().await;
    let id = app.apply(AIGERIM, PHONE_AIGERIM, &form(AIGERIM, FLAT_AIGERIM)).await;
    app.wait_for(AIGERIM, &id, "REGISTERED").await;
    let issued = |history: &Value| {
        history["timeline"].as_array().expect("timeline").iter().filter(|e| e["event"] == "CERTIFICATE_ISSUED").count()
    };
    let mut given = 0;
    for dependency in ["storage", "registries", "signing"] {
        for class in ["timeout", "connectionRefused", "coded5xx", "uncoded5xx", "throttling"] {
            let fault = serde_json::json!({ "function": "certificate", "dependency": dependency, "class": class, "seconds": 60 });
            assert_eq!(app.local_post("/faults", &fault).await.status, 201);
            let refused = certificate(&app, AIGERIM, &id, "application/json", "en").await;
            let problem: Value = serde_json::from_slice(&refused.body).expect("problem");
            assert_eq!(refused.status, 503, "{dependency} {class}: {problem}");
            assert_eq!(problem["dependency"].as_str(), Some(dependency), "only the class of dependency: {problem}");
            assert_eq!(issued(&app.application(AIGERIM, &id).await), given, "{dependency} {class}: nothing issued");
            if dependency == "storage" {
                let (status, _) = public_get(&app, &format!("{}/verify/RC{:026}", app.base, 0)).await;
                assert_eq!(status, 503, "a check cannot be counted, so it is not answered: {class}");
            }
            app.advance_clock(61).await;
            let after = certificate(&app, AIGERIM, &id, "application/json", "en").await;
            assert_eq!(after.status, 200, "{dependency} {class}: given once the fault is over");
            given += 1;
            assert_eq!(issued(&app.application(AIGERIM, &id).await), given);
        }
    }
}
