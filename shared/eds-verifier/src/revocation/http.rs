//! Fetching OCSP answers and CRLs. NCA publishes both over plain HTTP (the answers are signed, so TLS adds
//! nothing to their trust); an `https://` address is not fetched.

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;

/// Where revocation answers come from: HTTP in Lambda and in the local stack; a test's responder otherwise.
#[async_trait::async_trait]
pub trait Fetch: Send + Sync {
    /// POSTs an OCSP request (`application/ocsp-request`).
    async fn ocsp(&self, url: &str, request: Vec<u8>) -> Result<Vec<u8>, String>;
    /// GETs a CRL.
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String>;
}

/// HTTP/1.1 over a fresh connection per request; answers up to `max_bytes`.
pub struct HttpFetch {
    pub max_ocsp_bytes: usize,
    pub max_crl_bytes: usize,
}

impl Default for HttpFetch {
    fn default() -> Self {
        HttpFetch { max_ocsp_bytes: 64 * 1024, max_crl_bytes: 64 * 1024 * 1024 }
    }
}

impl HttpFetch {
    async fn exchange(
        &self,
        method: hyper::Method,
        url: &str,
        body: Option<Vec<u8>>,
        max: usize,
    ) -> Result<Vec<u8>, String> {
        let uri: hyper::Uri = url.parse().map_err(|_| format!("not an address: {url}"))?;
        if uri.scheme_str() != Some("http") {
            return Err(format!("only http:// addresses are fetched, not {url}"));
        }
        let host = uri.host().ok_or_else(|| format!("no host in {url}"))?.to_string();
        let port = uri.port_u16().unwrap_or(80);
        let stream = tokio::net::TcpStream::connect((host.as_str(), port)).await.map_err(|e| e.to_string())?;
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let authority = if port == 80 { host.clone() } else { format!("{host}:{port}") };
        let mut req = hyper::Request::builder().method(method).uri(path).header("host", authority);
        if body.is_some() {
            req = req.header("content-type", "application/ocsp-request");
        }
        let req = req.body(Full::new(Bytes::from(body.unwrap_or_default()))).map_err(|e| e.to_string())?;
        let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("{url} answered {}", resp.status()));
        }
        let body = Limited::new(resp.into_body(), max).collect().await.map_err(|e| e.to_string())?;
        Ok(body.to_bytes().to_vec())
    }
}

#[async_trait::async_trait]
impl Fetch for HttpFetch {
    async fn ocsp(&self, url: &str, request: Vec<u8>) -> Result<Vec<u8>, String> {
        self.exchange(hyper::Method::POST, url, Some(request), self.max_ocsp_bytes).await
    }
    async fn crl(&self, url: &str) -> Result<Vec<u8>, String> {
        self.exchange(hyper::Method::GET, url, None, self.max_crl_bytes).await
    }
}
