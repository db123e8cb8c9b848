//! `GET /registrations/{id}/certificate`: a certificate of a REGISTERED application, to its registrant or to
//! whoever applied for them (a parent, a guardian). Everything is made first (the document, its signature); the
//! one write is last: the certificate's record with the timeline entry "certificate issued", in one
//! transaction. A failure before it leaves nothing behind.

use super::accept::{negotiate, Form};
use super::{jws, pdf, Deps};
use chrono::{DateTime, FixedOffset, Utc};
use domain::certificate::{CertificateRecord, CertificateState, DocumentNumber};
use domain::errors::StoreError;
use domain::texts::certificate::{label, Label};
use domain::{ApplicationId, Language, Person, RegistrationKind, Status, TimelineEntry, TimelineEvent, TimelineFacts};
use http_edge::{caller_iin, path_param, HttpResponse, Problem, ProblemKind};
use lambda_http::http::HeaderValue;
use lambda_http::Request;
use serde_json::{json, Value};

/// Kazakhstan's time (one zone, UTC+5, since 1 March 2024): the time of issue as people read it.
fn local(t: DateTime<Utc>) -> String {
    FixedOffset::east_opt(5 * 3600)
        .map(|kz| t.with_timezone(&kz).format("%Y-%m-%d %H:%M (UTC+5)").to_string())
        .unwrap_or_else(|| t.to_rfc3339())
}

/// Where the certificate is checked: this API's `/verify/{number}` at the domain API Gateway says the caller
/// reached (`requestContext.domainName`, which API Gateway sets, not the caller's `Host`), over the scheme it
/// names in `X-Forwarded-Proto`, under the stage's path when the stage is a named one.
fn verify_url(req: &Request, number: &DocumentNumber) -> String {
    use lambda_http::request::RequestContext;
    use lambda_http::RequestExt as _;
    let (domain, stage) = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            (ctx.domain_name.clone(), ctx.stage.clone().filter(|s| s != "$default"))
        }
        _ => (None, None),
    };
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let domain = domain.filter(|d| !d.is_empty()).unwrap_or_else(|| "localhost".into());
    let scheme = header("x-forwarded-proto").filter(|s| s == "http").unwrap_or_else(|| "https".into());
    let prefix = stage.map(|s| format!("/{s}")).unwrap_or_default();
    format!("{scheme}://{domain}{prefix}/verify/{number}")
}

pub async fn run(deps: &Deps, req: &Request, lang: Language) -> Result<HttpResponse, Problem> {
    let caller = caller_iin(req)?;
    let accept = req.headers().get("accept").and_then(|v| v.to_str().ok());
    let form = negotiate(accept).ok_or_else(|| {
        Problem::new(ProblemKind::NotAcceptable, "a certificate is given as application/pdf or application/json")
            .at("Accept", "PDF_OR_JSON")
    })?;
    let not_found = || Problem::not_found("application");
    let id = path_param(req, "id").and_then(|id| ApplicationId::parse(&id)).ok_or_else(not_found)?;
    tracing::Span::current().record("applicationId", tracing::field::display(&id));
    let app = deps.applications.get(&id).await?;
    let app = app.filter(|a| a.applicant == caller || a.draft.registrant == caller).ok_or_else(not_found)?;
    if app.status != Status::Registered {
        return Err(Problem::new(
            ProblemKind::NotRegistered,
            format!("a certificate is issued for a REGISTERED application; this one is {}", app.status.as_str()),
        )
        .with("applicationStatus", app.status.as_str()));
    }
    let registrant = &app.draft.registrant;
    let registration =
        deps.registrations.for_registrant(registrant).await?.into_iter().find(|r| r.application_id == id);
    // Written in the same transaction as REGISTERED: missing is a broken store, not the caller's mistake.
    let registration = registration
        .ok_or_else(|| StoreError::Corrupt(format!("{id} is REGISTERED without its registration")))
        .map_err(Problem::from)?;
    let found =
        deps.registries.lookup(std::slice::from_ref(registrant), std::slice::from_ref(&registration.address)).await?;
    let (Some(person), Some(property)) = (found.person(registrant), found.property(&registration.address)) else {
        return Err(Problem::from(domain::errors::RegistryError("the registrant or the address is not found".into())));
    };
    let now = deps.clock.now();
    let record = CertificateRecord::new(&registration, person, property.address.clone(), now);
    let state = CertificateState::of(Some(&registration), now.date_naive(), &record);
    let url = verify_url(req, &record.number);
    let (body, content_type) = match form {
        Form::Json => {
            let claims = claims(&record, person, state, &url, lang);
            let token = jws::sign(deps.signer.as_ref(), &claims).await?;
            let body = json!({ "documentNumber": record.number, "certificate": claims, "jws": token });
            (lambda_http::Body::Text(body.to_string()), "application/json")
        }
        Form::Pdf => {
            let bytes = render(&record, person, state, &url, lang).map_err(|e| {
                tracing::error!(error = %e, "certificate not rendered");
                Problem::new(ProblemKind::Internal, "the certificate could not be made")
            })?;
            (lambda_http::Body::Binary(bytes), "application/pdf")
        }
    };
    let facts = TimelineFacts::Certificate { number: record.number.to_string() };
    let entry = TimelineEntry::of(now, TimelineEvent::CertificateIssued, facts);
    match deps.certificates.issue(&record, entry).await {
        Ok(true) => {}
        // 2^122 numbers: a taken one is not expected; if it is, nothing was written and the caller asks again.
        Ok(false) => return Err(Problem::from(StoreError::Unavailable("certificate number taken; try again".into()))),
        // The write may have been applied with its answer lost (a timeout): then the certificate exists and is
        // given; if it was not, nothing was written and the 503 says so truly.
        Err(e) => match deps.certificates.get(&record.number).await {
            Ok(Some(stored)) if stored == record => tracing::warn!(error = %e, "certificate written; its answer lost"),
            _ => return Err(Problem::from(e)),
        },
    }
    let mut resp = lambda_http::Response::new(body);
    let headers = resp.headers_mut();
    headers.insert("content-type", HeaderValue::from_static(content_type));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    headers.insert("vary", HeaderValue::from_static("Accept, Accept-Language"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"certificate-{}.pdf\"", record.number)) {
        if form == Form::Pdf {
            headers.insert("content-disposition", v);
        }
    }
    // RFC 8288: the check address, as a related resource.
    if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"related\"")) {
        headers.insert("link", v);
    }
    Ok(resp)
}

fn kind_words(kind: RegistrationKind, lang: Language) -> String {
    match kind {
        RegistrationKind::Permanent => label(Label::Permanent, lang).to_string(),
        RegistrationKind::Temporary { months } => format!("{} ({months})", label(Label::Temporary, lang)),
    }
}

fn state_words(state: CertificateState, lang: Language) -> String {
    match state {
        CertificateState::Current => label(Label::Current, lang).to_string(),
        CertificateState::Closed { last_day } => format!("{} {last_day}", label(Label::ClosedOn, lang)),
    }
}

/// The JWS payload: the person's own document, so it carries their full name and IIN.
fn claims(record: &CertificateRecord, person: &Person, state: CertificateState, url: &str, lang: Language) -> Value {
    let mut certificate = json!({
        "iss": "residence-registration",
        "iat": record.issued_at.timestamp(),
        "jti": record.number,
        "documentNumber": record.number,
        "issuedAt": record.issued_at,
        "language": lang.as_str(),
        "surname": person.last_name,
        "name": person.first_name,
        "iin": record.registrant.as_str(),
        "address": record.address.short(lang),
        "rka": record.rka,
        "validFrom": record.valid_from,
        "validTo": record.valid_to,
        "verifyUrl": url,
    });
    if let (Value::Object(c), Ok(Value::Object(kind)), Ok(Value::Object(state))) =
        (&mut certificate, serde_json::to_value(record.kind), serde_json::to_value(state))
    {
        c.extend(kind);
        c.extend(state);
    }
    certificate
}

fn render(
    record: &CertificateRecord,
    person: &Person,
    state: CertificateState,
    url: &str,
    lang: Language,
) -> Result<Vec<u8>, pdf::PdfError> {
    let mut rows = vec![
        (label(Label::Number, lang), record.number.to_string()),
        (label(Label::IssuedAt, lang), local(record.issued_at)),
        (label(Label::FullName, lang), format!("{} {}", person.last_name, person.first_name)),
        (label(Label::Iin, lang), record.registrant.as_str().to_string()),
        (label(Label::Address, lang), record.address.short(lang)),
        (label(Label::Rka, lang), record.rka.to_string()),
        (label(Label::Kind, lang), kind_words(record.kind, lang)),
        (label(Label::ValidFrom, lang), record.valid_from.to_string()),
    ];
    if let Some(to) = record.valid_to {
        rows.push((label(Label::ValidTo, lang), to.to_string()));
    }
    rows.push((label(Label::State, lang), state_words(state, lang)));
    pdf::render(&pdf::Page {
        service: label(Label::Service, lang),
        title: label(Label::Title, lang),
        rows: &rows,
        check_text: label(Label::CheckAt, lang),
        url,
        note: label(Label::Signed, lang),
        document_title: record.number.as_str(),
    })
}
