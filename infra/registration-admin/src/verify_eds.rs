//! `registration-admin verify-eds`: what support runs on a CMS a citizen (or an integrator) sends: the
//! certificate, and one line per rule as submit's verifier sees it (`eds_verifier::Verifier::check`, the same checks
//! in the same order): `RULE ok`, `RULE refused: detail`, or `RULE not checked: why`.

use chrono::{DateTime, Utc};
use domain::eds::EdsRule;
use eds_verifier::report::{Check, Outcome, Report};
use std::path::PathBuf;
use std::sync::Arc;

/// What to check, from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The CMS: DER, or its base64 (as the API's `signature.cms` carries it).
    pub cms: PathBuf,
    /// The signed content, for a detached CMS or to compare with an attached one.
    #[arg(long, value_name = "FILE")]
    pub content: Option<PathBuf>,
    /// Verify as of this time (RFC 3339), e.g. inside a test certificate's validity; default now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Roots (self-signed) and intermediates to trust (PEM); default: the roots and intermediates built into
    /// submit (infra/nca/).
    #[arg(long, value_name = "PEM")]
    pub roots: Option<PathBuf>,
    /// The IIN the signer must be (compared as written: NCA's test certificates carry 123456789011, which
    /// fails the check digit).
    #[arg(long, value_name = "IIN")]
    pub iin: Option<String>,
    /// Ask the certificate's OCSP responder and CRL distribution points over the network.
    #[arg(long)]
    pub revocation: bool,
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// DER as is; anything else is taken as base64 (whitespace ignored).
fn cms_bytes(raw: Vec<u8>) -> Result<Vec<u8>, String> {
    if raw.first() == Some(&0x30) {
        return Ok(raw);
    }
    use base64::Engine as _;
    let text: String = String::from_utf8_lossy(&raw).chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("the CMS file is neither DER nor base64: {e}"))
}

/// The trust: the roots (self-signed certificates of the file) and the intermediates that chain to them.
fn anchors(pem: &str) -> Result<(eds_verifier::TrustAnchors, Vec<String>), String> {
    let all = eds_verifier::anchors::certificates(pem)?;
    let (roots, intermediates): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|c| c.tbs_certificate.subject == c.tbs_certificate.issuer && eds_verifier::chain::issued_by(c, c));
    Ok(eds_verifier::TrustAnchors::new(roots).with_intermediate_certificates(intermediates))
}

fn default_pem() -> String {
    format!("{}{}", eds_verifier::anchors::BUNDLED_PEM, eds_verifier::anchors::BUNDLED_INTERMEDIATES_PEM)
}

/// The lines to print, and whether every checked rule held.
pub async fn run(args: &Args) -> Result<(String, bool), String> {
    let cms = cms_bytes(read(&args.cms)?)?;
    let content = args.content.as_ref().map(read).transpose()?;
    let at: DateTime<Utc> = match &args.at {
        Some(t) => DateTime::parse_from_rfc3339(t).map_err(|e| format!("--at {t}: {e}"))?.with_timezone(&Utc),
        None => Utc::now(),
    };
    let pem = match &args.roots {
        Some(path) => String::from_utf8(read(path)?).map_err(|_| "the roots file is not text (PEM)".to_string())?,
        None => default_pem(),
    };
    let (anchors, skipped) = anchors(&pem)?;
    let verifier = eds_verifier::Verifier::new(anchors.clone(), Arc::new(eds_verifier::HttpFetch::default()));
    let check = Check {
        content: content.as_deref(),
        applicant: args.iin.as_deref(),
        at,
        revocation: args.revocation,
        stop_at_first: false,
    };
    let report = verifier.check(&cms, check).await;
    let mut out = lines(&report, &anchors, at);
    for subject in skipped {
        out.insert(0, format!("trust: {subject} chains to no root given: not trusted"));
    }
    Ok((out.join("\n"), report.holds()))
}

fn lines(report: &Report, anchors: &eds_verifier::TrustAnchors, at: DateTime<Utc>) -> Vec<String> {
    let mut out = vec![format!(
        "trust: {} root(s), {} intermediate(s); as of {}",
        anchors.roots.len(),
        anchors.intermediates.len(),
        at.to_rfc3339()
    )];
    if let Some(c) = &report.certificate {
        out.push(format!("subject: {}", c.subject));
        out.push(format!("issuer: {}", c.issuer));
        out.push(format!("serial: {}", c.serial));
        out.push(format!("key: {}", c.key_algorithm));
        out.push(format!("signature: {}", c.signature_algorithm));
        out.push(format!("digest: {}", c.digest_algorithm));
    }
    if let Some(t) = &report.timestamp {
        out.push(format!("timestamp: {} by {}", t.time.to_rfc3339(), t.tsa));
    }
    for (rule, outcome) in &report.rules {
        out.push(match outcome {
            Outcome::Ok => format!("{} ok", rule.name()),
            Outcome::Refused(r) => format!("{} refused: {}", rule.name(), r.detail),
            Outcome::NotChecked(why) => format!("{} not checked: {why}", rule.name()),
        });
    }
    out.push(format!("{} not checked: the store checks it when an application is written", EdsRule::SingleUse.name()));
    out
}
