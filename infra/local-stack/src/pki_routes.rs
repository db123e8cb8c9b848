//! The routes of the stack's test PKI ([`crate::pki`]), as NCA's services and NCALayer would answer:
//!
//! - `POST /_local/eds/sign` `{"iin", "form", "detached"?, "scheme"?, "certificate"?}`: a CMS over the form's
//!   signed document by a test person's key: GOST 2015-512 as Kalkan (NCALayer, eGov Mobile) makes it by
//!   default, RSA on request. 201
//!   `{"cms", "signedDocument", "certificate": {"serial", "issuer"}}`.
//! - `POST /_local/eds/ocsp`: the OCSP responder the certificates name (fault control: `ocsp`).
//! - `GET /_local/eds/crl`: the CRL the RSA people's certificates name; `GET /_local/eds/crl/root`: the RSA
//!   root's, which the intermediate names; `GET /_local/eds/crl/gost` and `/_local/eds/crl/gost/root`: the
//!   same for GOST (fault control: `crl`, for all).
//! - `GET /_local/eds/roots.pem`: the roots this stack trusts (RSA and GOST); `GET /_local/eds/trust.pem`: the
//!   roots and the GOST issuing CA, what `registration-admin verify-eds --roots` needs for this stack's CMS.

use crate::faults::{Dependency, FaultClass};
use crate::shared::Shared;
use base64::Engine as _;
use domain::clock::Clock;
use domain::Iin;
use http_body_util::Full;
use http_edge::ProblemKind;
use http_edge::{ApplicationForm, Problem};
use hyper::body::Bytes;
use serde::Deserialize;
use serde_json::json;
use test_pki::{Family, Hash, Pki, Profile, Scheme, SignOptions};

type Response = hyper::Response<Full<Bytes>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignForm {
    iin: String,
    form: ApplicationForm,
    #[serde(default)]
    detached: bool,
    /// `GOST2015_512` (default: NCA's keys since 2022, signed as Kalkan signs, with a timestamp token),
    /// `PKCS1_SHA256`, `PKCS1_SHA384`, `PKCS1_SHA512`, `PSS_SHA256`, `PSS_SHA384`, `PSS_SHA512`.
    #[serde(default)]
    scheme: Option<String>,
    /// `SIGNING` (default), `AUTHENTICATION`, `EXPIRED`, `REVOKED`, `FOREIGN`, `LEGAL_ENTITY`.
    #[serde(default)]
    certificate: Option<String>,
}

fn scheme(name: Option<&str>) -> Result<Scheme, Problem> {
    Ok(match name.unwrap_or("GOST2015_512") {
        "GOST2015_512" => Scheme::Gost512,
        "PKCS1_SHA256" => Scheme::Pkcs1(Hash::Sha256),
        "PKCS1_SHA384" => Scheme::Pkcs1(Hash::Sha384),
        "PKCS1_SHA512" => Scheme::Pkcs1(Hash::Sha512),
        "PSS_SHA256" => Scheme::Pss(Hash::Sha256),
        "PSS_SHA384" => Scheme::Pss(Hash::Sha384),
        "PSS_SHA512" => Scheme::Pss(Hash::Sha512),
        _ => return Err(Problem::invalid_field(
            "scheme",
            "SCHEME_VALUES",
            "scheme is GOST2015_512, PKCS1_SHA256, PKCS1_SHA384, PKCS1_SHA512, PSS_SHA256, PSS_SHA384 or PSS_SHA512",
        )),
    })
}

fn profile(name: Option<&str>) -> Result<Profile, Problem> {
    Ok(match name.unwrap_or("SIGNING") {
        "SIGNING" => Profile::Signing,
        "AUTHENTICATION" => Profile::Authentication,
        "EXPIRED" => Profile::Expired,
        "REVOKED" => Profile::Revoked,
        "FOREIGN" => Profile::Foreign,
        "LEGAL_ENTITY" => Profile::LegalEntity,
        _ => {
            return Err(Problem::invalid_field(
                "certificate",
                "CERTIFICATE_VALUES",
                "certificate is SIGNING, AUTHENTICATION, EXPIRED, REVOKED, FOREIGN or LEGAL_ENTITY",
            ))
        }
    })
}

fn sign(s: &Shared, body: &[u8]) -> Result<serde_json::Value, Problem> {
    let form: SignForm =
        serde_json::from_slice(body).map_err(|e| Problem::new(ProblemKind::MalformedJson, e.to_string()))?;
    let iin = Iin::parse(&form.iin).map_err(|e| Problem::invalid_field("iin", e.rule(), e.to_string()))?;
    form.form.refuse_signature()?;
    let now = s.stack.clock.now();
    let draft = form.form.parse(now.date_naive())?;
    let document = draft.signed_document();
    let internal = |e: String| Problem::new(ProblemKind::Internal, e);
    let scheme = scheme(form.scheme.as_deref())?;
    let family = if scheme == Scheme::Gost512 { Family::Gost } else { Family::Rsa };
    let person =
        s.stack.pki.person_in(iin.as_str(), profile(form.certificate.as_deref())?, family).map_err(internal)?;
    let options = match scheme {
        Scheme::Gost512 => SignOptions { detached: form.detached, ..SignOptions::kalkan(now) },
        _ => SignOptions { scheme, detached: form.detached, signing_time: Some(now), ..SignOptions::default() },
    };
    let cms = s.stack.pki.sign(&person, &document, &options).map_err(internal)?;
    Ok(json!({
        "cms": base64::engine::general_purpose::STANDARD.encode(cms),
        "signedDocument": String::from_utf8_lossy(&document),
        "certificate": {
            "serial": eds_verifier::certificate::serial(&person.cert),
            "issuer": eds_verifier::certificate::name(&person.cert.tbs_certificate.issuer),
        },
    }))
}

fn binary(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut r = hyper::Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert("content-type", hyper::header::HeaderValue::from_static(content_type));
    r
}

/// A responder fault: a timeout answers only after submit stopped waiting; the others answer 503.
async fn struck(s: &Shared, dependency: Dependency) -> Option<Response> {
    let class = s.stack.faults.strike("submit", dependency)?;
    if class == FaultClass::Timeout {
        tokio::time::sleep(eds_verifier::revocation::FETCH_TIMEOUT + std::time::Duration::from_secs(1)).await;
        return Some(binary(504, "text/plain", b"timed out (injected)".to_vec()));
    }
    Some(binary(503, "text/plain", class.describe().as_bytes().to_vec()))
}

/// The URL the PKI published the CRL at `path` under (its certificates name the full address).
fn crl_url(pki: &Pki, path: &str) -> String {
    let tail = path.trim_start_matches("/_local/eds/crl");
    format!("{}{tail}", pki.crl_url)
}

/// `None`: not an EDS route.
pub async fn handle(s: &Shared, method: &str, path: &str, body: &[u8]) -> Option<Response> {
    let now = s.stack.clock.now();
    let resp = match (method, path) {
        ("POST", "/_local/eds/sign") => {
            let answer = match sign(s, body) {
                Ok(v) => http_edge::json(201, &v),
                Err(p) => p.into_response(),
            };
            crate::apigw::response(answer)
        }
        ("POST", "/_local/eds/ocsp") => match struck(s, Dependency::Ocsp).await {
            Some(fault) => fault,
            None => match s.stack.pki.ocsp_answer(body, now) {
                Ok(der) => binary(200, "application/ocsp-response", der),
                Err(e) => binary(400, "text/plain", e.into_bytes()),
            },
        },
        ("GET", "/_local/eds/crl" | "/_local/eds/crl/root" | "/_local/eds/crl/gost" | "/_local/eds/crl/gost/root") => {
            match struck(s, Dependency::Crl).await {
                Some(fault) => fault,
                None => match s.stack.pki.crl_at(&crl_url(&s.stack.pki, path), now) {
                    Ok(der) => binary(200, "application/pkix-crl", der),
                    Err(e) => binary(500, "text/plain", e.into_bytes()),
                },
            }
        }
        ("GET", "/_local/eds/roots.pem") => binary(200, "application/x-pem-file", s.stack.pki.roots_pem().into_bytes()),
        ("GET", "/_local/eds/trust.pem") => binary(200, "application/x-pem-file", s.stack.pki.trust_pem().into_bytes()),
        _ => return None,
    };
    Some(resp)
}
