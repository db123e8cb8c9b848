//! EDS on this stack: a test PKI shaped like NCA's (generated at each start), the verifier submit uses (it
//! trusts only that PKI's root), and its routes:
//!
//! - `POST /_local/eds/sign` `{"iin", "form", "detached"?, "scheme"?, "certificate"?}`: a CMS over the form's
//!   signed document by a test person's key, as NCALayer or eGov Mobile would make it. 201
//!   `{"cms", "signedDocument", "certificate": {"serial", "issuer"}}`.
//! - `POST /_local/eds/ocsp`: the OCSP responder the certificates name (fault control: `ocsp`).
//! - `GET /_local/eds/crl`: the CRL the people's certificates name; `GET /_local/eds/crl/root`: the root's,
//!   which the intermediate names (fault control: `crl`, for both).
//! - `GET /_local/eds/roots.pem`: the root this stack trusts.

use crate::faults::{Dependency, FaultClass};
use crate::server::Shared;
use base64::Engine as _;
use domain::clock::Clock;
use domain::eds::EdsVerifier;
use domain::Iin;
use http_body_util::Full;
use http_edge::{ApplicationForm, Problem};
use hyper::body::Bytes;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;
use test_pki::{Hash, Pki, Profile, Scheme, SignOptions};

type Response = hyper::Response<Full<Bytes>>;

/// A PKI whose certificates point at this stack's responder and CRL, valid around `now`.
pub fn pki_at(addr: SocketAddr, now: chrono::DateTime<chrono::Utc>) -> Result<Pki, String> {
    Pki::at(&format!("http://{addr}/_local/eds/ocsp"), &format!("http://{addr}/_local/eds/crl"), now)
}

/// What submit verifies with here: the PKI's root, OCSP and CRL over HTTP as in Lambda.
pub fn verifier(pki: &Pki) -> Arc<dyn EdsVerifier> {
    Arc::new(eds::Verifier::new(
        eds::TrustAnchors::new(vec![pki.root.x509.clone()]),
        Arc::new(eds::HttpFetch::default()),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignForm {
    iin: String,
    form: ApplicationForm,
    #[serde(default)]
    detached: bool,
    /// `PKCS1_SHA256` (default), `PKCS1_SHA384`, `PKCS1_SHA512`, `PSS_SHA256`, `PSS_SHA384`, `PSS_SHA512`.
    #[serde(default)]
    scheme: Option<String>,
    /// `SIGNING` (default), `AUTHENTICATION`, `EXPIRED`, `REVOKED`, `FOREIGN`.
    #[serde(default)]
    certificate: Option<String>,
}

fn scheme(name: Option<&str>) -> Result<Scheme, Problem> {
    Ok(match name.unwrap_or("PKCS1_SHA256") {
        "PKCS1_SHA256" => Scheme::Pkcs1(Hash::Sha256),
        "PKCS1_SHA384" => Scheme::Pkcs1(Hash::Sha384),
        "PKCS1_SHA512" => Scheme::Pkcs1(Hash::Sha512),
        "PSS_SHA256" => Scheme::Pss(Hash::Sha256),
        "PSS_SHA384" => Scheme::Pss(Hash::Sha384),
        "PSS_SHA512" => Scheme::Pss(Hash::Sha512),
        _ => {
            return Err(Problem::invalid_field(
                "scheme",
                "SCHEME_VALUES",
                "scheme is PKCS1_SHA256, PKCS1_SHA384, PKCS1_SHA512, PSS_SHA256, PSS_SHA384 or PSS_SHA512",
            ))
        }
    })
}

fn profile(name: Option<&str>) -> Result<Profile, Problem> {
    Ok(match name.unwrap_or("SIGNING") {
        "SIGNING" => Profile::Signing,
        "AUTHENTICATION" => Profile::Authentication,
        "EXPIRED" => Profile::Expired,
        "REVOKED" => Profile::Revoked,
        "FOREIGN" => Profile::Foreign,
        _ => {
            return Err(Problem::invalid_field(
                "certificate",
                "CERTIFICATE_VALUES",
                "certificate is SIGNING, AUTHENTICATION, EXPIRED, REVOKED or FOREIGN",
            ))
        }
    })
}

fn sign(s: &Shared, body: &[u8]) -> Result<serde_json::Value, Problem> {
    let form: SignForm = serde_json::from_slice(body)
        .map_err(|e| Problem::new(400, "malformed-json", "The body is not valid", e.to_string()))?;
    let iin = Iin::parse(&form.iin).map_err(|e| Problem::invalid_field("iin", e.rule(), e.to_string()))?;
    form.form.refuse_signature()?;
    let now = s.stack.clock.now();
    let draft = form.form.parse(now.date_naive())?;
    let document = draft.signed_document();
    let internal = |e: String| Problem::new(500, "internal", "Signing failed", e);
    let person = s.stack.pki.person(iin.as_str(), profile(form.certificate.as_deref())?).map_err(internal)?;
    let options = SignOptions {
        scheme: scheme(form.scheme.as_deref())?,
        detached: form.detached,
        signing_time: Some(now),
        ..SignOptions::default()
    };
    let cms = s.stack.pki.sign(&person, &document, &options).map_err(internal)?;
    Ok(json!({
        "cms": base64::engine::general_purpose::STANDARD.encode(cms),
        "signedDocument": String::from_utf8_lossy(&document),
        "certificate": {
            "serial": eds::certificate::serial(&person.cert),
            "issuer": eds::certificate::name(&person.cert.tbs_certificate.issuer),
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
        tokio::time::sleep(eds::revocation::FETCH_TIMEOUT + std::time::Duration::from_secs(1)).await;
        return Some(binary(504, "text/plain", b"timed out (injected)".to_vec()));
    }
    Some(binary(503, "text/plain", class.describe().as_bytes().to_vec()))
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
        ("GET", "/_local/eds/crl" | "/_local/eds/crl/root") => match struck(s, Dependency::Crl).await {
            Some(fault) => fault,
            None => match if path.ends_with("/root") { s.stack.pki.root_crl(now) } else { s.stack.pki.crl(now) } {
                Ok(der) => binary(200, "application/pkix-crl", der),
                Err(e) => binary(500, "text/plain", e.into_bytes()),
            },
        },
        ("GET", "/_local/eds/roots.pem") => binary(200, "application/x-pem-file", s.stack.pki.roots_pem().into_bytes()),
        _ => return None,
    };
    Some(resp)
}
