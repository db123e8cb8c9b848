//! Rule 10, revocation: OCSP from the certificate's AIA first (with a nonce, within a timeout, answers reused
//! until their nextUpdate), the CRL from its distribution point as the fallback, with the delta CRL from its
//! Freshest CRL point when it names one. Neither usable: 503.
//!
//! The signer's certificate is always checked; so is each intermediate CA's that names where its status is
//! published (NCA lists its CAs on the root's CRL), at the same time as the signer's. A CA certificate
//! that names no OCSP responder and no CRL is taken as it is: there is nothing to ask.

pub mod crl;
pub mod http;
pub mod ocsp;

use chrono::{DateTime, Utc};
use domain::eds::{EdsRefusal, EdsRule};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints, FreshestCrl};
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

/// Whose certificate is being checked: the refusal says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Signer,
    IssuingCa,
}

fn revoked(cert: &Certificate, by: &str, whose: Whose) -> EdsRefusal {
    let serial = crate::certificate::serial(cert);
    EdsRefusal::new(
        EdsRule::NotRevoked,
        match whose {
            Whose::Signer => format!("the certificate {serial} is revoked ({by}): get a new EDS from NCA"),
            Whose::IssuingCa => format!(
                "the issuing CA's certificate {serial} ({}) is revoked ({by}): no signature under it is accepted",
                crate::certificate::name(&cert.tbs_certificate.subject)
            ),
        },
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

/// Whether the certificate names where its revocation status is published (OCSP or a CRL).
pub fn publishes_status(cert: &Certificate) -> bool {
    ocsp_url(cert).is_some() || !crl_urls(cert).is_empty()
}

/// The CRL's addresses from the certificate's CRL distribution points.
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, points))) = cert.tbs_certificate.get::<CrlDistributionPoints>() else { return Vec::new() };
    point_urls(&points.0)
}

/// The delta CRL's addresses from the certificate's Freshest CRL extension.
pub fn freshest_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, points))) = cert.tbs_certificate.get::<FreshestCrl>() else { return Vec::new() };
    point_urls(&points.0)
}

fn point_urls(points: &[x509_cert::ext::pkix::crl::dp::DistributionPoint]) -> Vec<String> {
    points
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

    /// Ok when no certificate of `path` (signer, intermediates, root: what [`crate::chain::to_root`] gives)
    /// is known to be revoked at `now`: the signer's, and each intermediate's that publishes its status. Both
    /// are asked at once; a refusal of the signer's certificate is the one reported.
    pub async fn check_path(&self, path: &[&Certificate], now: DateTime<Utc>) -> Result<(), EdsRefusal> {
        let (Some(signer), Some(issuer)) = (path.first(), path.get(1)) else { return Ok(()) };
        let cas = async {
            for pair in path[1..].windows(2) {
                if publishes_status(pair[0]) {
                    self.check(pair[0], pair[1], now, Whose::IssuingCa).await?;
                }
            }
            Ok(())
        };
        let (signer, cas) = tokio::join!(self.check(signer, issuer, now, Whose::Signer), cas);
        signer.and(cas)
    }

    /// Ok when the certificate is known not to be revoked at `now`.
    async fn check(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        now: DateTime<Utc>,
        whose: Whose,
    ) -> Result<(), EdsRefusal> {
        let ocsp_problem = if ocsp_url(cert).is_some() {
            let problem = match self.ask_ocsp(cert, issuer, now).await {
                Ok(ocsp::Answer::Good) => return Ok(()),
                Ok(ocsp::Answer::Revoked) => return Err(revoked(cert, "OCSP", whose)),
                Ok(ocsp::Answer::Unknown) => "OCSP does not know the certificate".to_string(),
                Err(problem) => problem,
            };
            tracing::warn!(problem = %problem, ?whose, "OCSP unusable; asking the CRL");
            problem
        } else {
            "the certificate names no OCSP responder".to_string()
        };
        match self.base_and_delta(cert, issuer, now).await {
            Ok((base, delta)) if base.revokes(delta.as_deref(), cert) => Err(revoked(cert, "CRL", whose)),
            Ok(_) => Ok(()),
            Err(crl_problem) => {
                let of = if whose == Whose::IssuingCa { "the issuing CA's certificate: " } else { "" };
                Err(unavailable(format!("{of}OCSP: {ocsp_problem}; CRL: {crl_problem}")))
            }
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

    /// The base CRL from the distribution points, and the delta CRL from the Freshest CRL points when the
    /// certificate names any (then it must be read too: the newest revocations are only on it).
    async fn base_and_delta(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        now: DateTime<Utc>,
    ) -> Result<(Arc<crl::Crl>, Option<Arc<crl::Crl>>), String> {
        let base = self.crl(&crl_urls(cert), issuer, now, false).await?;
        let freshest = freshest_urls(cert);
        if freshest.is_empty() {
            return Ok((base, None));
        }
        let delta = self.crl(&freshest, issuer, now, true).await.map_err(|p| format!("delta CRL: {p}"))?;
        base.completed_by(&delta).map_err(|p| format!("delta CRL: {p}"))?;
        Ok((base, Some(delta)))
    }

    async fn crl(
        &self,
        urls: &[String],
        issuer: &Certificate,
        now: DateTime<Utc>,
        delta: bool,
    ) -> Result<Arc<crl::Crl>, String> {
        if urls.is_empty() {
            return Err("the certificate names no CRL".into());
        }
        let mut problems = Vec::new();
        for url in urls {
            let cached = self.lock_crls().get(url).cloned();
            if let Some(crl) = cached.filter(|c| c.next_update.is_some_and(|n| n > now)) {
                return Ok(crl);
            }
            let fetched = tokio::time::timeout(self.timeout, self.fetch.crl(url))
                .await
                .map_err(|_| format!("no answer from {url} within {} ms", self.timeout.as_millis()))
                .and_then(|r| r)
                .and_then(|der| crl::read(&der, issuer, now))
                .and_then(|crl| match (delta, crl.delta_of.is_some()) {
                    (false, true) => Err(format!("{url} is a delta CRL where a complete one is named")),
                    (true, false) => Err(format!("{url} is not a delta CRL")),
                    _ => Ok(crl),
                });
            match fetched {
                Ok(crl) => {
                    let crl = Arc::new(crl);
                    self.lock_crls().insert(url.clone(), crl.clone());
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
