//! The verifier's rules on GOST 2015-512, against the GOST side of the test PKI (shaped like NCA's 2022
//! hierarchy; signing lives in test-pki): a CMS as Kalkan writes it (the signer's certificate alone,
//! signingCertificateV2, a timestamp token) verifies through the configured issuing CA, with GOST-signed OCSP
//! answers and CRLs; each way of getting it wrong is refused by its rule.

use chrono::{Duration, Utc};
use domain::eds::{EdsRule, EdsVerifier};
use domain::Iin;
use eds_verifier::{Fetch, TrustAnchors, Verifier};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use test_pki::{Family, Pki, Profile, Scheme, SignOptions};

const DAULET: &str = "880702300117";
const DOCUMENT: &[u8] = br#"{"document":"kz.egov.residence-registration/1","kind":"PERMANENT","movedInOn":"2026-11-24","reason":"OWN_PROPERTY","registrantIin":"880702300117","rka":"0201500000000001"}"#;

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| Pki::new("http://ocsp.test/", "http://crl.test/nca.crl").expect("pki"))
}

#[derive(Default)]
struct Responder {
    ocsp_down: AtomicBool,
    ocsp_calls: AtomicUsize,
    crl_calls: AtomicUsize,
}

#[async_trait::async_trait]
impl Fetch for Responder {
    async fn ocsp(&self, _url: &str, request: Vec<u8>) -> Result<Vec<u8>, String> {
        self.ocsp_calls.fetch_add(1, SeqCst);
        if self.ocsp_down.load(SeqCst) {
            return Err("connection refused".into());
        }
        pki().ocsp_answer(&request, Utc::now())
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        self.crl_calls.fetch_add(1, SeqCst);
        pki().crl_at(url, Utc::now())
    }
}

/// The GOST root, and its issuing CA configured (Kalkan's CMS does not carry it).
fn anchors() -> TrustAnchors {
    let ca = der::EncodePem::to_pem(&pki().gost_intermediate.x509, der::pem::LineEnding::LF).expect("pem");
    let (anchors, skipped) =
        TrustAnchors::new(vec![pki().gost_root.x509.clone()]).with_intermediates(&ca).expect("intermediates");
    assert!(skipped.is_empty());
    anchors
}

fn verifier() -> (Verifier, Arc<Responder>) {
    let responder = Arc::new(Responder::default());
    (Verifier::new(anchors(), responder.clone()), responder)
}

fn daulet() -> Iin {
    Iin::parse(DAULET).expect("iin")
}

fn kalkan(profile: Profile, change: impl FnOnce(&mut SignOptions)) -> Vec<u8> {
    let person = pki().person_in(DAULET, profile, Family::Gost).expect("person");
    let mut options = SignOptions::kalkan(Utc::now());
    change(&mut options);
    pki().sign(&person, DOCUMENT, &options).expect("sign")
}

async fn rule_of(v: &Verifier, cms: &[u8]) -> Option<EdsRule> {
    v.verify(cms, DOCUMENT, &daulet(), Utc::now()).await.err().map(|e| e.rule)
}

#[tokio::test]
async fn a_kalkan_shaped_gost_cms_verifies_attached_or_detached_with_its_timestamp() {
    let (v, responder) = verifier();
    for detached in [false, true] {
        let stamped = Utc::now() - Duration::minutes(2);
        let cms = kalkan(Profile::Signing, |o| {
            o.detached = detached;
            o.timestamp = Some(stamped);
        });
        let signer = v.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await.unwrap_or_else(|e| panic!("{e:?}"));
        assert!(signer.issuer.contains("(GOST)"), "{}", signer.issuer);
        assert_eq!(signer.signed_at.timestamp(), stamped.timestamp(), "the token's time is the signing time");
    }
    assert_eq!(responder.ocsp_calls.load(SeqCst), 1, "one GOST-signed OCSP answer, reused");
    // Without a token: the signingTime attribute; without signingCertificateV2: accepted as well.
    let plain = kalkan(Profile::Signing, |o| {
        o.timestamp = None;
        o.signing_certificate = false;
    });
    v.verify(&plain, DOCUMENT, &daulet(), Utc::now()).await.expect("no token, no signingCertificateV2");
}

#[tokio::test]
async fn ocsp_down_the_gost_crl_answers() {
    let (v, responder) = verifier();
    responder.ocsp_down.store(true, SeqCst);
    v.verify(&kalkan(Profile::Signing, |_| {}), DOCUMENT, &daulet(), Utc::now()).await.expect("by the GOST CRL");
    assert!(responder.crl_calls.load(SeqCst) >= 1);
}

#[tokio::test]
async fn each_gost_refusal_has_its_rule() {
    let (v, _) = verifier();
    assert_eq!(rule_of(&v, &kalkan(Profile::Authentication, |_| {})).await, Some(EdsRule::KeyUsageSigning));
    assert_eq!(rule_of(&v, &kalkan(Profile::Expired, |_| {})).await, Some(EdsRule::CertificateValid));
    assert_eq!(rule_of(&v, &kalkan(Profile::Foreign, |o| o.timestamp = None)).await, Some(EdsRule::ChainTrusted));
    assert_eq!(rule_of(&v, &kalkan(Profile::Revoked, |_| {})).await, Some(EdsRule::NotRevoked));
    assert_eq!(rule_of(&v, &kalkan(Profile::LegalEntity, |_| {})).await, Some(EdsRule::IndividualKey));
    // A token from two hours ago: its time is the signing time, and that is too old.
    let late = kalkan(Profile::Signing, |o| o.timestamp = Some(Utc::now() - Duration::hours(2)));
    assert_eq!(rule_of(&v, &late).await, Some(EdsRule::SignedRecently));
    // The signingTime attribute says now, but the TSA says two hours ago: the TSA is believed.
    let backdated = kalkan(Profile::Signing, |o| {
        o.signing_time = Some(Utc::now());
        o.timestamp = Some(Utc::now() - Duration::hours(2));
    });
    assert_eq!(rule_of(&v, &backdated).await, Some(EdsRule::SignedRecently));
    // Roots only: the issuing CA is neither in the CMS nor configured.
    let roots_only =
        Verifier::new(TrustAnchors::new(vec![pki().gost_root.x509.clone()]), Arc::new(Responder::default()));
    assert_eq!(
        rule_of(&roots_only, &kalkan(Profile::Signing, |o| o.timestamp = None)).await,
        Some(EdsRule::ChainTrusted)
    );
    // ...unless the CMS carries it (as NCALayer's did).
    let carried = kalkan(Profile::Signing, |o| {
        o.timestamp = None;
        o.include_chain = true;
    });
    assert_eq!(rule_of(&roots_only, &carried).await, None);
}

#[tokio::test]
async fn mixed_algorithms_are_refused_by_name() {
    let (v, _) = verifier();
    // A GOST signature algorithm named over an RSA key.
    let rsa = pki().person(DAULET, Profile::Signing).expect("rsa person");
    let gost_over_rsa = SignOptions {
        claim_algorithms: Some((
            const_oid::ObjectIdentifier::new_unwrap(gost::kz::DIGEST_512),
            const_oid::ObjectIdentifier::new_unwrap(gost::kz::SIGNATURE_512),
        )),
        ..SignOptions::default()
    };
    let cms = pki().sign(&rsa, DOCUMENT, &gost_over_rsa).expect("sign");
    let refusal = v.verify(&cms, DOCUMENT, &daulet(), Utc::now()).await.expect_err("refused");
    assert_eq!(refusal.rule, EdsRule::AlgorithmUnsupported);
    assert!(refusal.detail.contains("over a key of"), "{}", refusal.detail);
    // An RSA signature algorithm named over a GOST key.
    let rsa_over_gost = kalkan(Profile::Signing, |o| {
        o.claim_algorithms =
            Some((const_oid::db::rfc5912::ID_SHA_256, const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION))
    });
    assert_eq!(rule_of(&v, &rsa_over_gost).await, Some(EdsRule::AlgorithmUnsupported));
    // GOST 2015 256-bit: refused by name.
    let short = kalkan(Profile::Signing, |o| {
        o.claim_algorithms = Some((
            const_oid::ObjectIdentifier::new_unwrap(gost::kz::DIGEST_256),
            const_oid::ObjectIdentifier::new_unwrap(gost::kz::SIGNATURE_256),
        ))
    });
    let refusal = v.verify(&short, DOCUMENT, &daulet(), Utc::now()).await.expect_err("256");
    assert_eq!(refusal.rule, EdsRule::AlgorithmUnsupported);
    assert!(refusal.detail.contains("256-bit"), "{}", refusal.detail);
    // An RSA scheme asked of a GOST key cannot even be made.
    let person = pki().person_in(DAULET, Profile::Signing, Family::Gost).expect("gost person");
    assert!(pki().sign(&person, DOCUMENT, &SignOptions::default()).is_err());
    let _ = Scheme::Gost512;
}

/// The signer's key as the GOST person's certificate carries it, changed by `change`.
fn key_with(change: impl FnOnce(&mut Vec<u8>)) -> spki::SubjectPublicKeyInfoOwned {
    use der::{Decode, Encode};
    let person = pki().person_in(DAULET, Profile::Signing, Family::Gost).expect("person");
    let mut spki = person.cert.tbs_certificate.subject_public_key_info.clone();
    let octets = der::asn1::OctetString::from_der(spki.subject_public_key.raw_bytes()).expect("octets");
    let mut bytes = octets.as_bytes().to_vec();
    change(&mut bytes);
    let inner = der::asn1::OctetString::new(bytes).expect("octets").to_der().expect("der");
    spki.subject_public_key = der::asn1::BitString::from_bytes(&inner).expect("bits");
    spki
}

#[test]
fn a_gost_key_off_the_curve_or_of_the_wrong_size_is_refused() {
    eds_verifier::algorithms::gost_key(&key_with(|_| {})).expect("the certificate's own key");
    let off = eds_verifier::algorithms::gost_key(&key_with(|b| b[70] ^= 1)).expect_err("Y changed");
    assert_eq!(off.rule, EdsRule::AlgorithmUnsupported);
    assert!(off.detail.contains("not a point of the curve"), "{}", off.detail);
    // A 256-bit key (64 bytes) under the 512-bit parameter set.
    let short = eds_verifier::algorithms::gost_key(&key_with(|b| b.truncate(64))).expect_err("64 bytes");
    assert!(short.detail.contains("128 bytes"), "{}", short.detail);
    // Coordinates at or above p.
    let big = eds_verifier::algorithms::gost_key(&key_with(|b| b[..64].fill(0xFF))).expect_err("x >= p");
    assert!(big.detail.contains("not below"), "{}", big.detail);
    // An unknown parameter set is refused by name.
    let mut other = key_with(|_| {});
    let params = vec![
        const_oid::ObjectIdentifier::new_unwrap("1.2.398.3.10.1.1.2.2.9"),
        const_oid::ObjectIdentifier::new_unwrap(gost::kz::DIGEST_512),
    ];
    other.algorithm.parameters = Some(der::Any::encode_from(&params).expect("params"));
    let unknown = eds_verifier::algorithms::gost_key(&other).expect_err("unknown set");
    assert!(unknown.detail.contains("1.2.398.3.10.1.1.2.2.9"), "{}", unknown.detail);
}

/// The CMS with its signer's certificate changed by `change` (issuer and serial kept, so the signer info still
/// names it).
fn with_signer_certificate_changed(cms: &[u8], change: impl FnOnce(&mut x509_cert::Certificate)) -> Vec<u8> {
    use der::{Decode, Encode};
    let info = cms::content_info::ContentInfo::from_der(cms).expect("ContentInfo");
    let mut data: cms::signed_data::SignedData = info.content.decode_as().expect("SignedData");
    let mut certs = data.certificates.take().expect("certificates").0.into_vec();
    if let cms::cert::CertificateChoices::Certificate(c) = &mut certs[0] {
        change(c);
    }
    data.certificates = Some(cms::signed_data::CertificateSet(certs.try_into().expect("set")));
    let info = cms::content_info::ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content: der::Any::from_der(&data.to_der().expect("der")).expect("any"),
    };
    info.to_der().expect("der")
}

#[tokio::test]
async fn a_doctored_certificate_in_the_cms_is_refused_by_its_signing_certificate_attribute() {
    let (v, _) = verifier();
    // Another IIN written into the signer's certificate (same key, same issuer and serial): the CA's signature
    // on it no longer holds, but first Kalkan's signed signingCertificateV2 names the real one.
    let other_iin = |c: &mut x509_cert::Certificate| {
        for rdn in c.tbs_certificate.subject.0.iter_mut() {
            let mut atvs = rdn.0.clone().into_vec();
            for atv in atvs.iter_mut().filter(|a| a.oid == const_oid::db::rfc4519::SERIAL_NUMBER) {
                let value = der::asn1::PrintableStringRef::new("IIN900315400017").expect("printable");
                atv.value = der::Any::encode_from(&value).expect("any");
            }
            rdn.0 = atvs.try_into().expect("set");
        }
    };
    let refusal = v
        .verify(
            &with_signer_certificate_changed(&kalkan(Profile::Signing, |_| {}), other_iin),
            DOCUMENT,
            &daulet(),
            Utc::now(),
        )
        .await
        .expect_err("doctored");
    assert_eq!(refusal.rule, EdsRule::SignerCertificate, "{}", refusal.detail);
    assert!(refusal.detail.contains("signingCertificateV2"), "{}", refusal.detail);
    // Without the attribute the chain catches it instead: the CA never signed that certificate.
    let plain = kalkan(Profile::Signing, |o| o.signing_certificate = false);
    let refusal = v
        .verify(&with_signer_certificate_changed(&plain, other_iin), DOCUMENT, &daulet(), Utc::now())
        .await
        .expect_err("doctored");
    assert_eq!(refusal.rule, EdsRule::ChainTrusted, "{}", refusal.detail);
}
