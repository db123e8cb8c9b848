//! Rule 10, revocation: OCSP from the certificate's AIA first (with a nonce, within a timeout, answers reused
//! until their nextUpdate), the CRL from its distribution point as the fallback. Neither usable: 503.

pub mod crl;
pub mod http;
pub mod ocsp;

use chrono::{DateTime, Utc};
use domain::eds::{EdsRefusal, EdsRule};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};
use x509_cert::Certificate;

pub use http::{Fetch, HttpFetch};

/// How long one OCSP or CRL fetch may take: both together stay well inside submit's 10-second timeout.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(2);

/// OCSP answers by certificate (issuer key hash and serial), with the time they may be reused until.
type Answers = HashMap<Vec<u8>, (ocsp::Answer, DateTime<Utc>)>;

pub struct Checker {
    fetch: Arc<dyn Fetch>,
    timeout: Duration,
    /// OCSP answers by certificate (issuer key hash and serial), until their nextUpdate.
    answers: Mutex<Answers>,
    /// CRLs by address, until their nextUpdate.
    crls: Mutex<HashMap<String, Arc<crl::Crl>>>,
}

fn unavailable(detail: String) -> EdsRefusal {
    EdsRefusal::new(
        EdsRule::RevocationUnavailable,
        format!("the certificate's revocation status cannot be checked now ({detail}); try again in a few minutes"),
    )
}

fn revoked(cert: &Certificate, by: &str) -> EdsRefusal {
    EdsRefusal::new(
        EdsRule::NotRevoked,
        format!("the certificate {} is revoked ({by}): get a new EDS from NCA", crate::certificate::serial(cert)),
    )
}

fn uris(names: &[GeneralName]) -> impl Iterator<Item = String> + '_ {
    names.iter().filter_map(|n| match n {
        GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
        _ => None,
    })
}

/// The OCSP responder's address from the certificate's Authority Information Access.
pub fn ocsp_url(cert: &Certificate) -> Option<String> {
    let (_, aia) = cert.tbs_certificate.get::<AuthorityInfoAccessSyntax>().ok().flatten()?;
    aia.0
        .iter()
        .filter(|d| d.access_method == const_oid::db::rfc5280::ID_AD_OCSP)
        .find_map(|d| uris(std::slice::from_ref(&d.access_location)).next())
}

/// The CRL's addresses from the certificate's CRL distribution points.
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, points))) = cert.tbs_certificate.get::<CrlDistributionPoints>() else { return Vec::new() };
    points
        .0
        .iter()
        .filter_map(|p| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(uris(names).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

impl Checker {
    pub fn new(fetch: Arc<dyn Fetch>) -> Checker {
        Checker::with_timeout(fetch, FETCH_TIMEOUT)
    }

    pub fn with_timeout(fetch: Arc<dyn Fetch>, timeout: Duration) -> Checker {
        Checker { fetch, timeout, answers: Mutex::default(), crls: Mutex::default() }
    }

    /// Ok when the certificate is known not to be revoked at `now`.
    pub async fn check(&self, cert: &Certificate, issuer: &Certificate, now: DateTime<Utc>) -> Result<(), EdsRefusal> {
        let ocsp_problem = match self.ask_ocsp(cert, issuer, now).await {
            Ok(ocsp::Answer::Good) => return Ok(()),
            Ok(ocsp::Answer::Revoked) => return Err(revoked(cert, "OCSP")),
            Ok(ocsp::Answer::Unknown) => "OCSP does not know the certificate".to_string(),
            Err(problem) => problem,
        };
        tracing::warn!(problem = %ocsp_problem, "OCSP unusable; asking the CRL");
        match self.crl(cert, issuer, now).await {
            Ok(crl) if crl.lists(cert) => Err(revoked(cert, "CRL")),
            Ok(_) => Ok(()),
            Err(crl_problem) => Err(unavailable(format!("OCSP: {ocsp_problem}; CRL: {crl_problem}"))),
        }
    }

    fn cache_key(id: &x509_ocsp::CertId) -> Vec<u8> {
        [id.issuer_key_hash.as_bytes(), id.serial_number.as_bytes()].concat()
    }

    async fn ask_ocsp(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        now: DateTime<Utc>,
    ) -> Result<ocsp::Answer, String> {
        let id = ocsp::cert_id(cert, issuer)?;
        let key = Self::cache_key(&id);
        if let Some((answer, until)) = self.lock_answers().get(&key).copied() {
            if until > now {
                return Ok(answer);
            }
        }
        let url = ocsp_url(cert).ok_or("the certificate names no OCSP responder")?;
        let mut nonce = [0u8; 16];
        aws_lc_rs::rand::fill(&mut nonce).map_err(|_| "no randomness for the nonce")?;
        let request = ocsp::request(&id, &nonce)?;
        let answer = tokio::time::timeout(self.timeout, self.fetch.ocsp(&url, request))
            .await
            .map_err(|_| format!("no answer from {url} within {} ms", self.timeout.as_millis()))??;
        let (answer, next_update) = ocsp::read(&answer, &id, issuer, &nonce, now)?;
        if let (Some(until), ocsp::Answer::Good | ocsp::Answer::Revoked) = (next_update, answer) {
            self.lock_answers().insert(key, (answer, until));
        }
        Ok(answer)
    }

    async fn crl(&self, cert: &Certificate, issuer: &Certificate, now: DateTime<Utc>) -> Result<Arc<crl::Crl>, String> {
        let urls = crl_urls(cert);
        if urls.is_empty() {
            return Err("the certificate names no CRL".into());
        }
        let mut problems = Vec::new();
        for url in urls {
            let cached = self.lock_crls().get(&url).cloned();
            if let Some(crl) = cached.filter(|c| c.next_update.is_some_and(|n| n > now)) {
                return Ok(crl);
            }
            let fetched = tokio::time::timeout(self.timeout, self.fetch.crl(&url))
                .await
                .map_err(|_| format!("no answer from {url} within {} ms", self.timeout.as_millis()))
                .and_then(|r| r)
                .and_then(|der| crl::read(&der, issuer, now));
            match fetched {
                Ok(crl) => {
                    let crl = Arc::new(crl);
                    self.lock_crls().insert(url, crl.clone());
                    return Ok(crl);
                }
                Err(p) => problems.push(p),
            }
        }
        Err(problems.join("; "))
    }

    fn lock_answers(&self) -> std::sync::MutexGuard<'_, Answers> {
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_crls(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<crl::Crl>>> {
        self.crls.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
