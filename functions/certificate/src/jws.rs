//! The certificate's JSON form as a JWS (compact serialisation, ES256, `typ` JWT: any JWT library checks it)
//! and the service's public key as a JWK Set at `/.well-known/jwks.json`.

use super::Deps;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use domain::errors::SignerError;
use domain::ports::DocumentSigner;
use http_edge::{HttpResponse, Problem};
use serde_json::{json, Value};

/// `header.payload.signature`, the payload `claims` as JSON, signed by the service's key.
pub async fn sign(signer: &dyn DocumentSigner, claims: &Value) -> Result<String, SignerError> {
    let header = json!({ "alg": "ES256", "typ": "JWT", "kid": signer.key_id() });
    let input =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let signature = signer.sign(input.as_bytes()).await?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The key as a JWK: `EC`, `P-256`, x and y from the uncompressed point.
pub fn jwk(key_id: &str, point: &[u8]) -> Result<Value, SignerError> {
    if point.len() != 65 || point[0] != 4 {
        return Err(SignerError("the public key is not an uncompressed P-256 point".into()));
    }
    Ok(json!({
        "kty": "EC",
        "crv": "P-256",
        "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
        "y": URL_SAFE_NO_PAD.encode(&point[33..]),
        "kid": key_id,
        "alg": "ES256",
        "use": "sig",
    }))
}

/// `GET /.well-known/jwks.json`: anyone may fetch it; caches may keep it an hour.
pub async fn jwks(deps: &Deps) -> Result<HttpResponse, Problem> {
    let point = deps.signer.public_key().await?;
    let key = jwk(deps.signer.key_id(), &point)?;
    let mut resp = http_edge::json(200, &json!({ "keys": [key] }));
    resp.headers_mut().insert("cache-control", lambda_http::http::HeaderValue::from_static("public, max-age=3600"));
    Ok(resp)
}
