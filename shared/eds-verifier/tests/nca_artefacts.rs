//! NCA's own artefacts (tests/nca/README.md says where each comes from): CMS made by Kalkan for an individual
//! and for a legal entity, NCA's GOST 2022 test CAs, CRLs and OCSP answers. Each file's verdict is written
//! here, rule by rule, at a fixed time inside its validity.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use der::Decode;
use domain::eds::EdsRule;
use eds_verifier::report::{Check, Outcome, Report};
use eds_verifier::{Fetch, TrustAnchors, Verifier};
use std::sync::Arc;
use x509_cert::Certificate;

/// The package's folder: as cargo sets it when the test runs (a test binary built in another checkout and
/// reused from a shared build cache keeps the compile-time path of that checkout).
fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()))
}

fn file(name: &str) -> Vec<u8> {
    let path = manifest_dir().join("tests/nca").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn cert(name: &str) -> Certificate {
    let bytes = file(name);
    if bytes.starts_with(b"-----BEGIN") {
        let text = String::from_utf8(bytes).expect("PEM");
        eds_verifier::anchors::certificates(&text).expect("PEM certificate").remove(0)
    } else {
        Certificate::from_der(&bytes).expect("DER certificate")
    }
}

fn pem(cert: &Certificate) -> String {
    use der::EncodePem;
    cert.to_pem(der::pem::LineEnding::LF).expect("PEM")
}

/// NCA's GOST 2022 test root, with its issuing CA configured (Kalkan's CMS carries the signer alone).
fn gost_anchors() -> TrustAnchors {
    let (anchors, skipped) = TrustAnchors::new(vec![cert("kalkan-2026-root_test_gost_2022.cer")])
        .with_intermediates(&pem(&cert("kalkan-2026-nca_gost2022_test.cer")))
        .expect("intermediates");
    assert!(skipped.is_empty(), "the issuing CA chains to the root: {skipped:?}");
    assert_eq!(anchors.intermediates.len(), 1);
    anchors
}

/// Serves the CRLs that come with the artefacts, by the file name the certificates point at; OCSP is offline.
#[derive(Default)]
struct Shipped {
    crls: Vec<(&'static str, Vec<u8>)>,
}

#[async_trait]
impl Fetch for Shipped {
    async fn ocsp(&self, _: &str, _: Vec<u8>) -> Result<Vec<u8>, String> {
        Err("offline (test)".into())
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        self.crls.iter().find(|(name, _)| url.ends_with(name)).map(|(_, b)| b.clone()).ok_or(format!("no {url}"))
    }
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("time").with_timezone(&Utc)
}

fn outcome(report: &Report, rule: EdsRule) -> &Outcome {
    &report.rules.iter().find(|(r, _)| *r == rule).unwrap_or_else(|| panic!("{rule:?} in {report:?}")).1
}

fn assert_ok(report: &Report, rules: &[EdsRule]) {
    for rule in rules {
        assert_eq!(outcome(report, *rule), &Outcome::Ok, "{rule:?}: {report:#?}");
    }
}

fn refused(report: &Report, rule: EdsRule) -> String {
    match outcome(report, rule) {
        Outcome::Refused(r) => r.detail.clone(),
        other => panic!("{rule:?} should be refused, is {other:?}: {report:#?}"),
    }
}

const UP_TO_THE_IIN: [EdsRule; 9] = [
    EdsRule::CmsStructure,
    EdsRule::SignerCertificate,
    EdsRule::AlgorithmUnsupported,
    EdsRule::ContentIsForm,
    EdsRule::SignatureValid,
    EdsRule::ChainTrusted,
    EdsRule::CertificateValid,
    EdsRule::SignedRecently,
    EdsRule::KeyUsageSigning,
];

/// The Kalkan CMS of 2026 were signed on 2026-07-20 at 09:08 UTC; verified two minutes later.
const KALKAN_2026: &str = "2026-07-20T09:10:00Z";

fn check<'a>(content: Option<&'a [u8]>, iin: Option<&'a str>, time: &str) -> Check<'a> {
    Check { content, applicant: iin, at: at(time), revocation: false, stop_at_first: false }
}

#[tokio::test]
async fn kalkan_2026_individual_gost_cms_verifies_attached_and_detached() {
    let v = Verifier::new(gost_anchors(), Arc::new(Shipped::default()));
    let document = file("kalkan-2026-individual_document.txt");
    for name in ["kalkan-2026-individual_attached.der", "kalkan-2026-individual_detached.der"] {
        let report = v.check(&file(name), check(Some(&document), Some("123456789011"), KALKAN_2026)).await;
        assert_ok(&report, &UP_TO_THE_IIN);
        assert_ok(&report, &[EdsRule::IndividualKey, EdsRule::SignerIsApplicant]);
        assert!(matches!(outcome(&report, EdsRule::NotRevoked), Outcome::NotChecked(_)));
        // CAdES-T: Kalkan asked NCA's *production* TSA even for this test key. The token's own signature and
        // its imprint (this signature's hash) verify; its TSA chains to the production «ҰЛТТЫҚ КУӘЛАНДЫРУШЫ
        // ОРТАЛЫҚ (GOST) 2022», which a deployment trusting only the test CAs does not trust: refused.
        let detail = refused(&report, EdsRule::TimestampValid);
        assert!(detail.contains("does not chain") && detail.contains("(GOST) 2022, C=KZ"), "{detail}");
        assert!(!detail.contains("TEST"), "{detail}");
        assert!(report.timestamp.is_none() && report.signer.is_none());
        let c = report.certificate.as_ref().expect("summary");
        assert!(c.key_algorithm.contains("1.2.398.3.10.1.1.2.2"), "{c:?}");
        assert!(c.signature_algorithm.contains("1.2.398.3.10.1.1.2.3.2"), "{c:?}");
        assert!(c.digest_algorithm.contains("1.2.398.3.10.1.3.3"), "{c:?}");
        assert_eq!(c.serial, "6C425659BD2FC6DC587B871AEDE1857727CF8451");
        assert!(c.issuer.contains("(GOST) TEST 2022"), "{}", c.issuer);
        // Another person's IIN: refused by that rule alone.
        let other = v.check(&file(name), check(Some(&document), Some("880702300117"), KALKAN_2026)).await;
        refused(&other, EdsRule::SignerIsApplicant);
        assert_ok(&other, &UP_TO_THE_IIN);
        // Another document: the content rule.
        let form = br#"{"document":"kz.egov.residence-registration/1"}"#;
        let wrong = v.check(&file(name), check(Some(form), Some("123456789011"), KALKAN_2026)).await;
        refused(&wrong, EdsRule::ContentIsForm);
    }
}

#[tokio::test]
async fn kalkan_2026_legal_entity_key_is_refused_by_its_own_rule() {
    let v = Verifier::new(gost_anchors(), Arc::new(Shipped::default()));
    let document = file("kalkan-2026-legal_entity_document.txt");
    for name in ["kalkan-2026-legal_entity_attached.der", "kalkan-2026-legal_entity_detached.der"] {
        let report = v.check(&file(name), check(Some(&document), Some("123456789011"), KALKAN_2026)).await;
        // The signature, the chain, the key usage all hold: it is a real signing key, just a company's.
        assert_ok(&report, &UP_TO_THE_IIN);
        let detail = refused(&report, EdsRule::IndividualKey);
        assert!(detail.contains("1.2.398.3.3.4.1.2"), "{detail}");
        assert_ok(&report, &[EdsRule::SignerIsApplicant]);
    }
}

#[tokio::test]
async fn kalkan_cms_carries_no_intermediate_so_roots_alone_do_not_chain() {
    let roots_only = TrustAnchors::new(vec![cert("kalkan-2026-root_test_gost_2022.cer")]);
    let v = Verifier::new(roots_only, Arc::new(Shipped::default()));
    let document = file("kalkan-2026-individual_document.txt");
    let report = v.check(&file("kalkan-2026-individual_attached.der"), check(Some(&document), None, KALKAN_2026)).await;
    assert_ok(&report, &[EdsRule::SignatureValid]);
    refused(&report, EdsRule::ChainTrusted);
}

#[tokio::test]
async fn the_test_ca_is_signed_by_the_test_root_and_not_by_itself() {
    let root = cert("kalkan-2026-root_test_gost_2022.cer");
    let ca = cert("kalkan-2026-nca_gost2022_test.cer");
    assert!(eds_verifier::chain::issued_by(&root, &root), "the root's self-signature (GOST 2015-512) verifies");
    assert!(eds_verifier::chain::issued_by(&ca, &root), "the issuing CA's signature verifies with the root's key");
    assert!(!eds_verifier::chain::issued_by(&ca, &ca), "...and not with its own");
    // NCANode's copy of the issuing CA is byte for byte the same certificate.
    let (anchors, skipped) =
        TrustAnchors::new(vec![cert("gokalkan-2018-root_rsa_test.pem")]).with_intermediates(&pem(&ca)).expect("read");
    assert!(anchors.intermediates.is_empty(), "a GOST CA does not chain to an RSA root");
    assert_eq!(skipped.len(), 1);
}

#[test]
fn the_gost_crls_verify_with_the_issuing_ca_inside_their_validity() {
    let ca = cert("kalkan-2026-nca_gost2022_test.cer");
    let root = cert("kalkan-2026-root_test_gost_2022.cer");
    let base = eds_verifier::revocation::crl::read(
        &file("kalkan-2026-nca_gost2022_test.crl"),
        &ca,
        at("2025-06-01T00:00:00Z"),
    )
    .expect("a GOST-signed CRL, current in June 2025");
    assert!(!base.revoked.is_empty());
    let listed = [
        0x1B, 0x01, 0x2C, 0xA2, 0x03, 0xB8, 0xD2, 0xB8, 0x52, 0x5F, 0x2D, 0x99, 0x33, 0x99, 0xC6, 0xFC, 0xAA, 0xE4,
        0x2F, 0x78,
    ];
    assert!(base.revoked.iter().any(|s| s.as_slice() == listed), "its first entry");
    let stale = eds_verifier::revocation::crl::read(
        &file("kalkan-2026-nca_gost2022_test.crl"),
        &ca,
        at("2026-07-20T00:00:00Z"),
    );
    assert_eq!(stale.unwrap_err(), "the CRL is not current");
    let foreign = eds_verifier::revocation::crl::read(
        &file("kalkan-2026-nca_gost2022_test.crl"),
        &root,
        at("2025-06-01T00:00:00Z"),
    );
    assert_eq!(foreign.unwrap_err(), "the CRL is another CA's");
    let older = eds_verifier::revocation::crl::read(
        &file("ncanode-2022-nca_gost2022_test.crl"),
        &ca,
        at("2022-09-27T21:18:00Z"),
    )
    .expect("NCANode's copy of 2022, current then");
    assert!(older.next_update.is_some());
}

#[tokio::test]
async fn ncanode_2022_two_signer_cms_is_refused_whole_and_its_gost_signer_verifies() {
    let v = Verifier::new(gost_anchors(), Arc::new(Shipped::default()));
    let cms = file("ncanode-2022-two_signers_gost_rsa.p7s");
    let report = v.check(&cms, check(Some(b"test123"), None, "2022-09-27T21:19:00Z")).await;
    let detail = refused(&report, EdsRule::CmsStructure);
    assert!(detail.contains("exactly one signer"), "{detail}");

    // Each signer on its own, through the same checks.
    let info = cms::content_info::ContentInfo::from_der(&cms).expect("ContentInfo");
    let data: cms::signed_data::SignedData = info.content.decode_as().expect("SignedData");
    let certificates: Vec<Certificate> = data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let one = |i: usize| eds_verifier::signed::Signed {
        content_type: const_oid::db::rfc5911::ID_DATA,
        signer: data.signer_infos.0.get(i).expect("signer").clone(),
        certificates: certificates.clone(),
        content: Some(b"test123".to_vec()),
    };
    let signed_at = at("2022-09-27T21:17:59Z");

    // The GOST 2015-512 signer: signature, chain, and not revoked on the CRL of the day.
    let gost = one(0);
    let signer = gost.signer_certificate().expect("in the CMS");
    assert_eq!(gost.verify_over(signer, b"test123").expect("verifies"), Some(signed_at));
    assert!(gost.verify_over(signer, b"test124").is_err(), "another content");
    let anchors = gost_anchors();
    let path =
        eds_verifier::chain::to_root(signer, &gost.certificates, &anchors).expect("chains to the GOST 2022 root");
    assert_eq!(path.len(), 3);
    eds_verifier::chain::valid_at(&path, signed_at).expect("valid then");
    eds_verifier::certificate::signing_key(signer).expect("a signing key");
    eds_verifier::certificate::individual(signer).expect("an individual's key");
    eds_verifier::certificate::signed_by(signer, "123456789012").expect("the test IIN");
    let crl = Shipped { crls: vec![("nca_gost2022_test.crl", file("ncanode-2022-nca_gost2022_test.crl"))] };
    let checker = eds_verifier::revocation::Checker::new(Arc::new(crl));
    let then = at("2022-09-27T21:19:00Z");
    // Its certificate names a delta CRL too (Freshest CRL), which NCANode did not keep: the base CRL alone
    // does not show the newest revocations, so this is no acceptance.
    let partial = checker.check_path(&path[..2], then).await.expect_err("the delta CRL is not at hand");
    assert_eq!(partial.rule, EdsRule::RevocationUnavailable);
    assert!(
        partial.detail.contains("delta CRL: no http://test.pki.gov.kz/crl/nca_gost2022_d_test.crl"),
        "{}",
        partial.detail
    );

    // NCA's OCSP answers are GOST-signed by the issuing CA: the signature verifies, and then the nonce (that of
    // another request, or none) keeps them from being reused.
    let issuer = cert("kalkan-2026-nca_gost2022_test.cer");
    let id = eds_verifier::revocation::ocsp::cert_id(signer, &issuer).expect("CertID");
    for answer in ["ncanode-2022-ocsp_individual_gost.bin", "ncanode-2022-ocsp_ceo_gost_revoked.bin"] {
        let read = eds_verifier::revocation::ocsp::read(&file(answer), &id, &issuer, b"0123456789abcdef", signed_at);
        assert_eq!(read.unwrap_err(), "the OCSP answer does not echo the request's nonce", "{answer}");
    }

    // The RSA signer (Kalkan writes sha256WithRSAEncryption as the SignerInfo's algorithm): its signature
    // verifies and chains to NCA's RSA test root, but its certificate had expired on 2022-01-18.
    let rsa = one(1);
    let signer = rsa.signer_certificate().expect("in the CMS");
    assert_eq!(rsa.verify_over(signer, b"test123").expect("verifies"), Some(signed_at));
    let (anchors, _) = TrustAnchors::new(vec![cert("gokalkan-2018-root_rsa_test.pem")])
        .with_intermediates(&pem(&cert("ncanode-2019-nca_rsa_test.crt")))
        .expect("intermediates");
    let path = eds_verifier::chain::to_root(signer, &rsa.certificates, &anchors).expect("chains to the RSA test root");
    let expired = eds_verifier::chain::valid_at(&path, signed_at).expect_err("expired");
    assert_eq!(expired.rule, EdsRule::CertificateValid);
}

#[tokio::test]
async fn ncanode_2022_rsa_cms_verifies_up_to_its_expired_certificate() {
    let (anchors, _) = TrustAnchors::new(vec![cert("gokalkan-2018-root_rsa_test.pem")])
        .with_intermediates(&pem(&cert("ncanode-2019-nca_rsa_test.crt")))
        .expect("intermediates");
    let v = Verifier::new(anchors, Arc::new(Shipped::default()));
    let report =
        v.check(&file("ncanode-2022-one_signer_rsa.p7s"), check(Some(b"test123"), None, "2022-09-28T14:41:00Z")).await;
    assert_ok(&report, &UP_TO_THE_IIN[..6]);
    let detail = refused(&report, EdsRule::CertificateValid);
    assert!(detail.contains("2022-01-18"), "{detail}");
    assert_ok(&report, &[EdsRule::SignedRecently, EdsRule::KeyUsageSigning, EdsRule::IndividualKey]);
}

/// The CMS with its SignerInfo's unsigned attributes replaced by `other`'s.
fn with_unsigned_attributes_of(cms: &[u8], other: &[u8]) -> Vec<u8> {
    use der::Encode;
    let read = |der: &[u8]| {
        let info = cms::content_info::ContentInfo::from_der(der).expect("ContentInfo");
        let data: cms::signed_data::SignedData = info.content.decode_as().expect("SignedData");
        data
    };
    let mut data = read(cms);
    let donor = read(other);
    let attrs = donor.signer_infos.0.get(0).expect("signer").unsigned_attrs.clone();
    let mut signers = data.signer_infos.0.clone().into_vec();
    signers[0].unsigned_attrs = attrs;
    data.signer_infos = cms::signed_data::SignerInfos(signers.try_into().expect("set"));
    let info = cms::content_info::ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content: der::Any::from_der(&data.to_der().expect("der")).expect("any"),
    };
    info.to_der().expect("der")
}

#[tokio::test]
async fn a_timestamp_over_another_signature_is_refused() {
    let v = Verifier::new(gost_anchors(), Arc::new(Shipped::default()));
    let document = file("kalkan-2026-individual_document.txt");
    // The legal entity's token (a genuine NCA TSA token, over that other signature) moved into the
    // individual's CMS: unsigned attributes are not covered by the signature, the imprint is what binds them.
    let moved = with_unsigned_attributes_of(
        &file("kalkan-2026-individual_attached.der"),
        &file("kalkan-2026-legal_entity_attached.der"),
    );
    let report = v.check(&moved, check(Some(&document), Some("123456789011"), KALKAN_2026)).await;
    assert_ok(&report, &[EdsRule::SignatureValid]);
    let detail = refused(&report, EdsRule::TimestampValid);
    assert!(detail.contains("over another signature"), "{detail}");
    // Without any token the signingTime attribute is the time, and the rule is not checked.
    let bare = with_unsigned_attributes_of(
        &file("kalkan-2026-individual_attached.der"),
        &file("ncanode-2022-one_signer_rsa.p7s"),
    );
    let report = v.check(&bare, check(Some(&document), Some("123456789011"), KALKAN_2026)).await;
    assert!(matches!(outcome(&report, EdsRule::TimestampValid), Outcome::NotChecked(_)), "{report:#?}");
    assert!(report.holds(), "{report:#?}");
    // A TSA that chains to no trusted root: the token does not count.
    let rsa_only = TrustAnchors::new(vec![cert("gokalkan-2018-root_rsa_test.pem")]);
    let (gost_root_only, _) =
        TrustAnchors::new(vec![cert("kalkan-2026-root_test_gost_2022.cer")]).with_intermediates("").expect("none");
    for anchors in [rsa_only, gost_root_only] {
        let v = Verifier::new(anchors, Arc::new(Shipped::default()));
        let report =
            v.check(&file("kalkan-2026-individual_attached.der"), check(Some(&document), None, KALKAN_2026)).await;
        let detail = refused(&report, EdsRule::TimestampValid);
        assert!(detail.contains("does not chain"), "{detail}");
    }
}

/// The CRLs of 2025 (base and delta) against the 2026 individual's certificate, which names both.
async fn crl_verdict(base: &str, delta: &str) -> Result<(), domain::eds::EdsRefusal> {
    let cms = eds_verifier::signed::parse(&file("kalkan-2026-individual_attached.der")).expect("CMS");
    let signer = cms.signer_certificate().expect("signer").clone();
    let ca = cert("kalkan-2026-nca_gost2022_test.cer");
    let shipped =
        Shipped { crls: vec![("nca_gost2022_test.crl", file(base)), ("nca_gost2022_d_test.crl", file(delta))] };
    let checker = eds_verifier::revocation::Checker::new(Arc::new(shipped));
    checker.check_path(&[&signer, &ca], at("2025-06-01T00:00:00Z")).await
}

#[tokio::test]
async fn a_base_crl_and_its_delta_are_read_together() {
    crl_verdict("kalkan-2026-nca_gost2022_test.crl", "kalkan-2026-nca_gost2022_d_test.crl")
        .await
        .expect("the base (number 14) and the delta completing it (indicator 14) list neither");
    let cases = [
        // The base CRL served where the delta is named.
        ("kalkan-2026-nca_gost2022_test.crl", "kalkan-2026-nca_gost2022_test.crl", "is not a delta CRL"),
        // The delta served where the base is named.
        (
            "kalkan-2026-nca_gost2022_d_test.crl",
            "kalkan-2026-nca_gost2022_d_test.crl",
            "is a delta CRL where a complete one",
        ),
        // A delta from another CA (NCA's RSA test CA's CRL).
        ("kalkan-2026-nca_gost2022_test.crl", "ncanode-2022-nca_rsa_test.crl", "another CA's"),
    ];
    for (base, delta, why) in cases {
        let refusal = crl_verdict(base, delta).await.expect_err(why);
        assert_eq!(refusal.rule, EdsRule::RevocationUnavailable, "{why}");
        assert!(refusal.detail.contains(why), "{why}: {}", refusal.detail);
    }
}
