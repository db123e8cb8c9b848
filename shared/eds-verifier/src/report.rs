//! Every rule of an EDS, one outcome each: what submit decides by (its first refusal) and what a support
//! tool prints (`registration-admin verify-eds`): the same checks in the same order.

use crate::{certificate, chain, signed, timestamp, Verifier, MAX_AGE_MINUTES, MAX_CMS_BYTES, MAX_SKEW_MINUTES};
use chrono::{DateTime, Duration, Utc};
use domain::eds::{EdsRefusal, EdsRule, EdsSigner};

/// What to check a CMS against.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    /// The signed document (for a detached CMS, the content); None: not compared.
    pub content: Option<&'a [u8]>,
    /// The IIN the signer must be; None: not checked.
    pub applicant: Option<&'a str>,
    /// The time of verification (now, or the time a support tool asks about).
    pub at: DateTime<Utc>,
    /// Ask OCSP and the CRL.
    pub revocation: bool,
    /// Stop at the first refusal (submit); otherwise every rule that can still be checked is, and the signer's
    /// certificate is described.
    pub stop_at_first: bool,
}

/// One rule's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Refused(EdsRefusal),
    NotChecked(String),
}

/// The signer's certificate, as a support tool shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub key_algorithm: String,
    pub signature_algorithm: String,
    pub digest_algorithm: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub certificate: Option<CertificateSummary>,
    /// The verified timestamp token, if the signature carries one.
    pub timestamp: Option<timestamp::Timestamp>,
    pub rules: Vec<(EdsRule, Outcome)>,
    pub signer: Option<EdsSigner>,
}

impl Report {
    fn set(&mut self, rule: EdsRule, outcome: Outcome) {
        self.rules.push((rule, outcome));
    }

    fn rest(&mut self, rules: &[EdsRule], why: &str) {
        for rule in rules {
            self.set(*rule, Outcome::NotChecked(why.to_string()));
        }
    }

    /// The first refusal, in rule order.
    pub fn refusal(&self) -> Option<&EdsRefusal> {
        self.rules.iter().find_map(|(_, o)| match o {
            Outcome::Refused(r) => Some(r),
            _ => None,
        })
    }

    /// Every checked rule held (rules not checked are not failures).
    pub fn holds(&self) -> bool {
        self.refusal().is_none()
    }

    /// For submit (`stop_at_first`): once a rule is refused, the rules after `last` are not checked.
    fn stops(&mut self, c: &Check<'_>, last: EdsRule) -> bool {
        if c.stop_at_first && !self.holds() {
            self.rest(after(last), EARLIER);
            return true;
        }
        false
    }
}

const EARLIER: &str = "an earlier rule was refused";

/// The rules the verifier checks, in their order: the domain's list up to `SingleUse` (that one is the store's,
/// when an application is written; the two after it are the service's own failures).
fn order() -> &'static [EdsRule] {
    let all: &'static [EdsRule] = &EdsRule::ALL;
    let checked = all.iter().position(|r| *r == EdsRule::SingleUse).unwrap_or(all.len());
    &all[..checked]
}

fn after(rule: EdsRule) -> &'static [EdsRule] {
    let order = order();
    let i = order.iter().position(|r| *r == rule).map_or(order.len(), |i| i + 1);
    &order[i..]
}

fn outcome(result: Result<(), EdsRefusal>) -> Outcome {
    match result {
        Ok(()) => Outcome::Ok,
        Err(r) => Outcome::Refused(r),
    }
}

impl Verifier {
    /// Checks `cms` rule after rule (see [`Check`]).
    pub async fn check(&self, cms: &[u8], c: Check<'_>) -> Report {
        let mut report = Report::default();
        if cms.len() > MAX_CMS_BYTES {
            let refusal = EdsRefusal::new(EdsRule::CmsStructure, format!("a CMS is at most {MAX_CMS_BYTES} bytes"));
            report.set(EdsRule::CmsStructure, Outcome::Refused(refusal));
            report.rest(after(EdsRule::CmsStructure), "the CMS is not read");
            return report;
        }
        let signed = match signed::parse(cms) {
            Ok(s) => s,
            Err(r) => {
                report.set(EdsRule::CmsStructure, Outcome::Refused(r));
                report.rest(after(EdsRule::CmsStructure), "the CMS is not readable");
                return report;
            }
        };
        report.set(EdsRule::CmsStructure, Outcome::Ok);
        let cert = match signed.signer_certificate() {
            Ok(c) => c,
            Err(r) => {
                report.set(EdsRule::SignerCertificate, Outcome::Refused(r));
                report.rest(after(EdsRule::SignerCertificate), "no signer certificate");
                return report;
            }
        };
        // A description of the signer is for a person reading every rule (the support tool); submit decides
        // by the first refusal and formats nothing of the signer's name or IIN.
        if !c.stop_at_first {
            report.certificate = Some(summary(&signed, cert));
        }

        // Rules 2b-5: the signing-certificate attribute, the algorithms, the content, the signature.
        let verified = match signed.verify_against(cert, c.content) {
            Ok(v) => {
                report.set(EdsRule::SignerCertificate, Outcome::Ok);
                report.set(EdsRule::AlgorithmUnsupported, Outcome::Ok);
                report.set(
                    EdsRule::ContentIsForm,
                    if v.content_checked {
                        Outcome::Ok
                    } else if signed.content.is_some() {
                        Outcome::NotChecked("no content given (the attached content matches its signed digest)".into())
                    } else {
                        Outcome::NotChecked("no content given".into())
                    },
                );
                report.set(
                    EdsRule::SignatureValid,
                    if v.signature_checked {
                        Outcome::Ok
                    } else {
                        Outcome::NotChecked("a detached CMS without signed attributes needs its content".into())
                    },
                );
                Some(v)
            }
            Err(r) => {
                let group = [
                    EdsRule::SignerCertificate,
                    EdsRule::AlgorithmUnsupported,
                    EdsRule::ContentIsForm,
                    EdsRule::SignatureValid,
                ];
                let at = group.iter().position(|g| *g == r.rule).unwrap_or(0);
                for g in &group[..at] {
                    report.set(*g, Outcome::Ok);
                }
                report.set(group[at], Outcome::Refused(r));
                for g in &group[at + 1..] {
                    report.set(*g, Outcome::NotChecked(EARLIER.into()));
                }
                None
            }
        };
        if report.stops(&c, EdsRule::SignatureValid) {
            return report;
        }
        // Rule 5b: the timestamp token, whose time (when there is one) is the signing time.
        let timestamp = match timestamp::check(&signed.signer, &self.anchors) {
            Ok(Some(t)) => {
                report.set(EdsRule::TimestampValid, Outcome::Ok);
                Some(t)
            }
            Ok(None) => {
                let why = "no timestamp token: the signingTime attribute is the signing time";
                report.set(EdsRule::TimestampValid, Outcome::NotChecked(why.into()));
                None
            }
            Err(r) => {
                report.set(EdsRule::TimestampValid, Outcome::Refused(r));
                None
            }
        };
        report.timestamp = timestamp.clone();
        if report.stops(&c, EdsRule::TimestampValid) {
            return report;
        }

        let path = chain::to_root(cert, &signed.certificates, &self.anchors);
        report.set(EdsRule::ChainTrusted, outcome(path.as_ref().map(|_| ()).map_err(Clone::clone)));
        if report.stops(&c, EdsRule::ChainTrusted) {
            return report;
        }
        let signed_at = timestamp.map(|t| t.time).or_else(|| verified.and_then(|v| v.signing_time)).unwrap_or(c.at);
        let only_signer = [cert];
        let checked_path: &[&x509_cert::Certificate] = match &path {
            Ok(p) => p,
            Err(_) => &only_signer,
        };
        report.set(EdsRule::CertificateValid, outcome(chain::valid_at(checked_path, signed_at)));
        report.set(EdsRule::SignedRecently, outcome(recent(signed_at, c.at)));
        if report.stops(&c, EdsRule::SignedRecently) {
            return report;
        }
        report.set(EdsRule::KeyUsageSigning, outcome(certificate::signing_key(cert)));
        if report.stops(&c, EdsRule::KeyUsageSigning) {
            return report;
        }
        report.set(EdsRule::IndividualKey, outcome(certificate::individual(cert)));
        if report.stops(&c, EdsRule::IndividualKey) {
            return report;
        }
        match c.applicant {
            Some(iin) => report.set(EdsRule::SignerIsApplicant, outcome(certificate::signed_by(cert, iin))),
            None => report.set(EdsRule::SignerIsApplicant, Outcome::NotChecked("no IIN given".into())),
        }
        if report.stops(&c, EdsRule::SignerIsApplicant) {
            return report;
        }
        match (&path, c.revocation) {
            (_, false) => report.set(EdsRule::NotRevoked, Outcome::NotChecked("revocation not asked".into())),
            (Err(_), true) => report.set(EdsRule::NotRevoked, Outcome::NotChecked("no chain to a trusted root".into())),
            (Ok(path), true) => report.set(EdsRule::NotRevoked, outcome(self.revocation.check_path(path, c.at).await)),
        }
        if report.holds() {
            report.signer = Some(EdsSigner {
                serial: certificate::serial(cert),
                issuer: certificate::name(&cert.tbs_certificate.issuer),
                signed_at,
                seal: crate::seal(signed.signer.signature.as_bytes()),
            });
        }
        report
    }
}

/// Rule 7: signed within the last hour, and not more than five minutes ahead.
fn recent(signed_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), EdsRefusal> {
    if signed_at > now + Duration::minutes(MAX_SKEW_MINUTES) || signed_at < now - Duration::minutes(MAX_AGE_MINUTES) {
        return Err(EdsRefusal::new(
            EdsRule::SignedRecently,
            format!(
                "signed at {}: a signature is accepted within {MAX_AGE_MINUTES} minutes of its signing time",
                signed_at.to_rfc3339()
            ),
        ));
    }
    Ok(())
}

fn summary(signed: &signed::Signed, cert: &x509_cert::Certificate) -> CertificateSummary {
    let oid = |o: &const_oid::ObjectIdentifier| crate::algorithms::describe(o);
    CertificateSummary {
        subject: certificate::name(&cert.tbs_certificate.subject),
        issuer: certificate::name(&cert.tbs_certificate.issuer),
        serial: certificate::serial(cert),
        key_algorithm: oid(&cert.tbs_certificate.subject_public_key_info.algorithm.oid),
        signature_algorithm: oid(&signed.signer.signature_algorithm.oid),
        digest_algorithm: oid(&signed.signer.digest_alg.oid),
    }
}
