//! `POST /registrations`: the signed application. Idempotent on the `Idempotency-Key` header; one open
//! application per registrant; starts the workflow execution named by the application id.

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "submit",
    triggers: &[domain::function::Trigger::Route("POST /registrations", domain::function::EdgeLimit::DECISIONS)],
};

use domain::clock::Clock;
use domain::eds::{EdsRefusal, EdsRule, EdsVerifier};
use domain::eligibility::may_apply_for;
use domain::metrics::Metric;
use domain::ports::{Admission, ApplicationStore, CreateOutcome, Registries, SigningStore, Workflow};
use domain::rate_limits::RateLimits;
use domain::signing::{parse_method, verify_sms_code, SignatureError};
use domain::{Application, ApplicationId, CodeKey, ReasonCode, Status, TimelineEntry, TimelineFacts};
use http_edge::ProblemKind;
use http_edge::{
    caller_iin, header, json, json_body, ApplicationForm, ApplicationView, HttpResponse, Problem, Signature,
};
use lambda_http::{Request, RequestExt};
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub signing: Arc<dyn SigningStore>,
    /// Who may apply for whom (the registrant's parents, representatives and guardians).
    pub registries: Arc<dyn Registries>,
    pub workflow: Arc<dyn Workflow>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn domain::ports::Metrics>,
    /// What signing codes are hashed with.
    pub code_key: Arc<CodeKey>,
    /// What verifies EDS signatures (the `eds-verifier` crate: certificates, chain, OCSP, CRL).
    pub eds_verifier: Arc<dyn EdsVerifier>,
    pub limits: RateLimits,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            signing: src.signing()?,
            registries: src.registries()?,
            workflow: src.workflow()?,
            clock: src.clock(),
            metrics: src.metrics(),
            code_key: src.code_key()?,
            eds_verifier: src.eds_verifier()?,
            limits: src.policy().rate_limits,
        })
    }
}

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

#[tracing::instrument(name = "submit", skip_all, fields(function = "submit", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    run(deps, req, lang).await.unwrap_or_else(|p| p.respond(lang))
}

fn store_down(e: impl Into<Problem>) -> Problem {
    e.into()
}

/// The application's one write failed: storage may have applied it before its answer was lost (a timeout), so
/// "nothing was changed" would not be known to be true. The same request again (its `Idempotency-Key`) gets
/// the application if it was stored, or stores it once.
fn create_unconfirmed(e: domain::errors::StoreError) -> Problem {
    let mut problem: Problem = e.into();
    problem.detail = "storage did not confirm the application: it may have been stored; send the same request \
                      again with the same Idempotency-Key (it is never stored twice)"
        .into();
    problem.with("stored", "UNKNOWN")
}

fn idempotency_key(req: &Request) -> Result<Option<String>, Problem> {
    match header(req, IDEMPOTENCY_HEADER) {
        None => Ok(None),
        Some(k) if (1..=128).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k.to_string())),
        Some(_) => Err(Problem::invalid_field(
            "Idempotency-Key",
            "IDEMPOTENCY_KEY_FORMAT",
            "Idempotency-Key is 1 to 128 visible ASCII characters",
        )),
    }
}

/// The X-Ray header of this invocation (Lambda's active tracing, or the local stack's stand-in for it).
fn trace_header(req: &Request) -> Option<String> {
    req.lambda_context_ref().and_then(|c| c.xray_trace_id.clone())
}

/// A refused EDS: 422 naming the rule at `signature.cms`, or 503 when the service, not the signature, failed.
fn eds_problem(e: EdsRefusal) -> Problem {
    match e.rule {
        EdsRule::RevocationUnavailable | EdsRule::NotConfigured => {
            let dependency = match e.rule {
                EdsRule::NotConfigured => http_edge::Dependency::Eds,
                _ => http_edge::Dependency::Revocation,
            };
            // The responders' addresses and answers go to the log; the citizen is told what to do.
            tracing::warn!(rule = e.rule.name(), detail = %e.detail, "EDS could not be verified");
            let mut problem = Problem::unavailable(dependency);
            if e.rule == EdsRule::NotConfigured {
                problem.detail = e.detail;
            } else {
                problem.detail = "the certificate's revocation status cannot be checked now; nothing was changed, \
                                  please try again in a few minutes"
                    .into();
            }
            problem.at("signature.cms", e.rule.name())
        }
        rule => Problem::new(ProblemKind::SignatureInvalid, e.detail).at("signature.cms", rule.name()),
    }
}

/// What the application was signed with, once it checked out.
enum Signed {
    Code(domain::signing::Signed),
    Eds(domain::eds::EdsSigner),
}

fn signature_problem(e: SignatureError) -> Problem {
    match e {
        SignatureError::Store(e) => store_down(e),
        SignatureError::UnknownMethod => Problem::invalid_field("signature.method", e.rule(), e.to_string()),
        SignatureError::WrongCode { attempts_left } => Problem::new(ProblemKind::SignatureInvalid, e.to_string())
            .at("signature.code", e.rule())
            .with("attemptsLeft", attempts_left),
        other => Problem::new(ProblemKind::SignatureInvalid, other.to_string()).at("signature", other.rule()),
    }
}

/// Starts the execution, trying three times within the request (50 and 100 ms apart): a blip of the workflow
/// service does not fail a good application. Starting twice is harmless (same name, same input).
async fn start_with_retries(
    deps: &Deps,
    id: &ApplicationId,
    trace: Option<&str>,
) -> Result<(), domain::errors::WorkflowError> {
    let mut delay = std::time::Duration::from_millis(50);
    for _ in 0..2 {
        match deps.workflow.start(id, trace).await {
            Err(domain::errors::WorkflowError::Unavailable(e)) => {
                tracing::warn!(error = %e, "could not start the workflow; trying again");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            other => return other,
        }
    }
    deps.workflow.start(id, trace).await
}

/// A request stored already, answered again (a retry with the same `Idempotency-Key`): 200 with the
/// application as it is now, marked `idempotent-replayed`, or 422 when the key was used for another form. One
/// still SUBMITTED is started now, in case its first request failed before its execution was (the store's
/// answer lost, the workflow service down); starting is idempotent.
async fn replay(deps: &Deps, app: Application, s: &Submission, req: &Request) -> Result<HttpResponse, Problem> {
    if app.digest != s.digest {
        return Err(Problem::new(
            ProblemKind::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different application",
        )
        .at("Idempotency-Key", "IDEMPOTENCY_KEY_SAME_REQUEST"));
    }
    if app.status == Status::Submitted {
        match deps.workflow.start(&app.id, trace_header(req).as_deref()).await {
            Ok(()) | Err(domain::errors::WorkflowError::ExecutionAlreadyExists) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut resp = json(200, &ApplicationView::new(&app, None, http_edge::language(req)));
    resp.headers_mut().insert("idempotent-replayed", lambda_http::http::HeaderValue::from_static("true"));
    Ok(resp)
}

/// The request, parsed: who applies, the form, its digest, its signature, the idempotency key.
struct Submission {
    applicant: domain::Iin,
    key: Option<String>,
    draft: domain::ApplicationDraft,
    digest: String,
    /// The signature as sent: its method is parsed once a retry has been told apart.
    signature: http_edge::SignatureForm,
    now: chrono::DateTime<chrono::Utc>,
}

/// Why the signature does not check out.
enum Unsigned {
    Code(SignatureError),
    Eds(EdsRefusal),
}

/// Where admitting a submission ended: a new application stored, or one this key stored already.
enum Admitted {
    New(Application),
    Stored(Application),
}

impl Submission {
    fn parse(deps: &Deps, req: &Request) -> Result<Submission, Problem> {
        let applicant = caller_iin(req)?;
        let key = idempotency_key(req)?;
        let form: ApplicationForm = json_body(req)?;
        let now = deps.clock.now();
        let draft = form.parse(now.date_naive())?;
        let digest = draft.digest(&applicant);
        let signature = form.signature.clone().ok_or_else(|| {
            Problem::invalid_field("signature", "REQUIRED", "sign the application: signature is required")
        })?;
        Ok(Submission { applicant, key, draft, digest, signature, now })
    }

    /// The application this request's key stored already, if any.
    async fn stored(&self, deps: &Deps) -> Result<Option<Application>, Problem> {
        match &self.key {
            Some(key) => deps.applications.find_by_idempotency_key(&self.applicant, key).await.map_err(store_down),
            None => Ok(None),
        }
    }
}

async fn run(deps: &Deps, req: Request, lang: domain::Language) -> Result<HttpResponse, Problem> {
    let s = Submission::parse(deps, &req)?;
    match admit(deps, &s, &req).await? {
        Admitted::Stored(existing) => replay(deps, existing, &s, &req).await,
        Admitted::New(app) => started(deps, app, &req, lang).await,
    }
}

/// From the parsed request to a stored application (or the one this key stored already): a retry is told
/// first, then who may apply for whom, an open application, the signature, and the transaction that stores.
async fn admit(deps: &Deps, s: &Submission, req: &Request) -> Result<Admitted, Problem> {
    // A retry of a request stored already (with the same key): answered as it was, whatever else has changed.
    if let Some(existing) = s.stored(deps).await? {
        return Ok(Admitted::Stored(existing));
    }
    let method = parse_method(&s.signature.method).map_err(signature_problem)?;
    let signature = s.signature.parse(method)?;
    // Who may apply for whom, before anything is tried, stored or blocked (no read when applying for oneself).
    if s.applicant != s.draft.registrant {
        let registrant = deps.registries.person(&s.draft.registrant).await?;
        if !may_apply_for(&s.applicant, &s.draft.registrant, registrant.as_ref(), s.now.date_naive()) {
            return Err(Problem::not_authorised_for_registrant());
        }
    }
    // An open application is told before the code is tried: nobody spends an attempt on a form that cannot be
    // accepted. (The transaction below decides; this read only spares the attempt.) The open one may be this
    // request's own, stored by a retry with the same key since the lookup above: then it is the answer.
    if let Some(open) = deps.applications.open_for(&s.draft.registrant).await.map_err(store_down)? {
        return match s.stored(deps).await? {
            Some(own) => Ok(Admitted::Stored(own)),
            None => Err(Problem::open_application(&open)),
        };
    }
    let signed = match verify_signature(deps, s, &signature).await {
        Ok(signed) => signed,
        // A retry with the same key whose first request was accepted meanwhile: the code was marked used in
        // the transaction that stored that application, so it is there to answer with.
        Err(Unsigned::Code(SignatureError::UsedByThisKey)) if s.key.is_some() => {
            return match s.stored(deps).await? {
                Some(existing) => Ok(Admitted::Stored(existing)),
                None => Err(signature_problem(SignatureError::Used)),
            };
        }
        Err(Unsigned::Code(e)) => return Err(signature_problem(e)),
        Err(Unsigned::Eds(refusal)) => return Err(eds_problem(refusal)),
    };
    store(deps, s, signed, req).await
}

/// The signature checks out: the EDS (certificate, chain, revocation) or the SMS code (used up here).
async fn verify_signature(deps: &Deps, s: &Submission, signature: &Signature) -> Result<Signed, Unsigned> {
    match signature {
        Signature::Eds { cms } => {
            let document = s.draft.signed_document();
            let signer = deps.eds_verifier.verify(cms, &document, &s.applicant, s.now).await.map_err(Unsigned::Eds)?;
            Ok(Signed::Eds(signer))
        }
        Signature::SmsCode { signing_request_id, code } => verify_sms_code(
            deps.signing.as_ref(),
            &deps.code_key,
            &s.applicant,
            &s.draft,
            signing_request_id,
            code,
            s.key.as_deref(),
            s.now,
        )
        .await
        .map(Signed::Code)
        .map_err(Unsigned::Code),
    }
}

/// The application, its timeline and what admits it (the signature's use, the limits) in one transaction.
async fn store(deps: &Deps, s: &Submission, signed: Signed, req: &Request) -> Result<Admitted, Problem> {
    let app = Application::submitted(s.applicant.clone(), s.draft.clone(), s.digest.clone(), s.key.clone(), s.now);
    tracing::Span::current().record("applicationId", tracing::field::display(&app.id));
    let facts = match &signed {
        Signed::Code(_) => TimelineFacts::SignedWithSmsCode,
        Signed::Eds(signer) => {
            TimelineFacts::SignedWithEds { serial: signer.serial.clone(), issuer: signer.issuer.clone() }
        }
    };
    let mut entries = vec![TimelineEntry::of(s.now, domain::TimelineEvent::Submitted, facts)];
    if app.is_late() {
        entries.push(TimelineEntry::of(
            s.now,
            domain::TimelineEvent::LateRegistration,
            TimelineFacts::LateRegistration,
        ));
    }
    let limits = deps.limits.submission(&app.applicant, &app.draft.registrant, s.now);
    let admission = match &signed {
        Signed::Code(c) => Admission { signed_with: Some((&c.request, &c.code)), eds_seal: None, limits: &limits },
        Signed::Eds(e) => Admission { signed_with: None, eds_seal: Some(&e.seal), limits: &limits },
    };
    let created = match deps.applications.create(&app, &entries, &admission).await {
        Ok(outcome) => outcome,
        Err(e) => {
            // The write may have been applied before the answer was lost (a timeout). Starting the execution
            // anyway means an application that was stored is processed (the client's retry with its key gets
            // it back, and it is in the service history); one that was not stored makes an execution that
            // finds nothing and ends, changing nothing.
            if let Err(start) = deps.workflow.start(&app.id, trace_header(req).as_deref()).await {
                tracing::warn!(error = %start, "could not start the workflow of a possibly stored application");
            }
            return Err(create_unconfirmed(e));
        }
    };
    // Not accepted (below): the code stays unused and took no attempt, so the person can submit it again.
    match created {
        CreateOutcome::Created => Ok(Admitted::New(app)),
        CreateOutcome::IdempotentReplay(existing) => Ok(Admitted::Stored(existing)),
        CreateOutcome::RegistrantHasOpenApplication(open) => Err(Problem::open_application(&open)),
        CreateOutcome::SignatureUsed => Err(match signed {
            Signed::Code(_) => signature_problem(SignatureError::Used),
            Signed::Eds(_) => eds_problem(EdsRefusal::new(
                EdsRule::SingleUse,
                "this signature was used for an application already: sign the form again",
            )),
        }),
        CreateOutcome::Limited(hit) => {
            deps.metrics.record(Metric::Limited(hit.limit));
            Err(Problem::limited(&hit, s.now))
        }
    }
}

/// A new application's execution started: 201. If it cannot be started, nothing accepted is lost: the
/// application ends FAILED (told in this answer and in the service history) instead of staying SUBMITTED.
async fn started(
    deps: &Deps,
    app: Application,
    req: &Request,
    lang: domain::Language,
) -> Result<HttpResponse, Problem> {
    let now = app.submitted_at;
    if let Err(e) = start_with_retries(deps, &app.id, trace_header(req).as_deref()).await {
        tracing::error!(error = %e, "could not start the workflow");
        deps.metrics.record(Metric::Failed);
        let failed = TimelineEntry::of(now, domain::TimelineEvent::Failed, TimelineFacts::WorkflowNotStarted);
        let ended = deps
            .applications
            .set_status(&app, &Status::OPEN, Status::Failed, &[ReasonCode::WorkflowError], now, &[failed])
            .await;
        if matches!(ended, Ok(domain::ports::Transition::Done(_))) {
            // Told in this answer (and shown in the service history): no text. Submit has no SMS client, and
            // at 2.94 MB of its 3 MB it should not get one.
            let _ = deps.applications.finish_notices(&app.id, true).await;
        }
        let mut problem = Problem::unavailable(http_edge::Dependency::Workflow);
        problem.detail = "workflow is unavailable; the application is recorded as FAILED, please apply again".into();
        return Err(problem.with("applicationId", app.id.to_string()));
    }
    tracing::info!("application submitted");
    deps.metrics.record(Metric::Submitted);
    let mut resp = json(201, &ApplicationView::new(&app, None, lang));
    if let Ok(location) = lambda_http::http::HeaderValue::from_str(&format!("/registrations/{}", app.id)) {
        resp.headers_mut().insert("location", location);
    }
    Ok(resp)
}

#[cfg(test)]
mod eds_tests;
#[cfg(test)]
mod tests;
