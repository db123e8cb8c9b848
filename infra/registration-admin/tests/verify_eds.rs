//! `registration-admin verify-eds`: the same verifier as submit, every rule printed, exit 0 only when every
//! checked rule holds. On NCA's own Kalkan CMS (shared/eds-verifier/tests/nca) and on the test PKI's.

use registration_admin::verify_eds::{run, Args};
use std::path::PathBuf;
use std::process::Command;

/// The package's folder: as cargo sets it when the test runs (a test binary built in another checkout and
/// reused from a shared build cache keeps the compile-time path of that checkout).
fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
}

fn nca(name: &str) -> PathBuf {
    manifest_dir().join("../../shared/eds-verifier/tests/nca").join(name)
}

fn pem_of(ders: &[PathBuf]) -> String {
    use base64::Engine as _;
    ders.iter()
        .map(|p| {
            let b64 = base64::engine::general_purpose::STANDARD.encode(std::fs::read(p).expect("certificate"));
            let lines: Vec<String> =
                b64.as_bytes().chunks(64).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
            format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
        })
        .collect()
}

fn temp(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verify-eds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

fn nca_trust() -> PathBuf {
    let pem = pem_of(&[nca("kalkan-2026-root_test_gost_2022.cer"), nca("kalkan-2026-nca_gost2022_test.cer")]);
    temp("nca-test-trust.pem", pem.as_bytes())
}

fn args(cms: PathBuf) -> Args {
    Args { cms, content: None, at: None, roots: None, iin: None, revocation: false }
}

#[tokio::test]
async fn on_kalkans_cms_every_rule_is_reported_and_the_production_tsa_is_named() {
    let a = Args {
        content: Some(nca("kalkan-2026-individual_document.txt")),
        at: Some("2026-07-20T09:10:00Z".into()),
        roots: Some(nca_trust()),
        iin: Some("123456789011".into()),
        ..args(nca("kalkan-2026-individual_detached.der"))
    };
    let (out, holds) = run(&a).await.expect("ran");
    assert!(!holds, "the timestamp's TSA is NCA's production one: {out}");
    for line in [
        "trust: 1 root(s), 1 intermediate(s)",
        "subject: CN=ТЕСТОВ ТЕСТ, SURNAME=ТЕСТОВ, SERIALNUMBER=IIN123456789011, C=KZ, G=ТЕСТОВИЧ",
        "issuer: CN=ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (GOST) TEST 2022, C=KZ",
        "key: GOST 34.10-2015 512-bit key (1.2.398.3.10.1.1.2.2)",
        "EDS_SIGNATURE_VALID ok",
        "EDS_CONTENT_IS_FORM ok",
        "EDS_TIMESTAMP_VALID refused: the signature timestamp: the certificate does not chain",
        "EDS_CHAIN_TRUSTED ok",
        "EDS_INDIVIDUAL_KEY ok",
        "EDS_SIGNER_IS_APPLICANT ok",
        "EDS_NOT_REVOKED not checked: revocation not asked",
        "EDS_SINGLE_USE not checked",
    ] {
        assert!(out.lines().any(|l| l.starts_with(line)), "{line:?} in:\n{out}");
    }
    // The legal entity's: its own rule. Without content or IIN: those rules are not checked.
    let (out, holds) = run(&Args {
        at: Some("2026-07-20T09:10:00Z".into()),
        roots: Some(nca_trust()),
        ..args(nca("kalkan-2026-legal_entity_attached.der"))
    })
    .await
    .expect("ran");
    assert!(!holds);
    assert!(out.contains("EDS_INDIVIDUAL_KEY refused: this is a legal entity's key"), "{out}");
    assert!(out.contains("EDS_CONTENT_IS_FORM not checked: no content given (the attached content matches"), "{out}");
    assert!(out.contains("EDS_SIGNER_IS_APPLICANT not checked: no IIN given"), "{out}");
}

#[test]
fn the_command_exits_0_only_when_every_checked_rule_holds() {
    let pki = test_pki::Pki::new("http://127.0.0.1:9/ocsp", "http://127.0.0.1:9/crl").expect("pki");
    let person = pki.person_in("880702300117", test_pki::Profile::Signing, test_pki::Family::Gost).expect("person");
    let now = chrono::Utc::now();
    let options = test_pki::SignOptions { timestamp: Some(now), ..test_pki::SignOptions::kalkan(now) };
    let cms = pki.sign(&person, b"the document", &options).expect("sign");
    use base64::Engine as _;
    let b64 = temp("gost.b64", base64::engine::general_purpose::STANDARD.encode(&cms).as_bytes());
    let trust = temp("pki.pem", pki.trust_pem().as_bytes());
    let content = temp("document", b"the document");
    let bin = env!("CARGO_BIN_EXE_registration-admin");
    let verify = |extra: &[&str]| {
        let mut c = Command::new(bin);
        c.args(["verify-eds", &b64.display().to_string(), "--roots", &trust.display().to_string()]).args(extra);
        c.output().expect("runs")
    };
    let ok = verify(&["--content", &content.display().to_string(), "--iin", "880702300117"]);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{stdout}{}", String::from_utf8_lossy(&ok.stderr));
    assert!(stdout.contains("EDS_TIMESTAMP_VALID ok") && stdout.contains("timestamp: "), "{stdout}");
    let other = verify(&["--iin", "900315400017"]);
    assert_eq!(other.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&other.stdout).contains("EDS_SIGNER_IS_APPLICANT refused"));
    let wrong = temp("other", b"another document");
    let changed = verify(&["--content", &wrong.display().to_string()]);
    assert_eq!(changed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&changed.stdout).contains("EDS_CONTENT_IS_FORM refused"));
    let garbage = temp("garbage", b"%%% not a cms %%%");
    let out = Command::new(bin).args(["verify-eds", &garbage.display().to_string()]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither DER nor base64"));
}
