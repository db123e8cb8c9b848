//! `GET /verify/{number}`: anyone holding a certificate's number checks it, without a token. The answer says
//! genuine (with the registration's state now) and shows initials, surname, address and dates only; a number
//! that was never issued is 404 with `genuine: false`. Checks are counted per caller address before anything
//! is read, so trying numbers is limited as much as checking real ones.

use super::Deps;
use domain::certificate::{check_counter, CertificateState, DocumentNumber, Verification};
use http_edge::{path_param, HttpResponse, Problem};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

/// The caller's address as API Gateway saw it (`requestContext.http.sourceIp`).
fn source_ip(req: &Request) -> String {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.http.source_ip.clone(),
        _ => None,
    }
    .unwrap_or_else(|| "unknown".to_string())
}

pub async fn run(deps: &Deps, req: &Request, lang: domain::Language) -> Result<HttpResponse, Problem> {
    let now = deps.clock.now();
    if let Some(hit) = deps.certificates.count_check(&check_counter(&source_ip(req), now)).await? {
        return Err(Problem::limited(&hit, now));
    }
    let not_genuine = || Problem::not_found("certificate").with("genuine", false);
    let number = path_param(req, "number").and_then(|n| DocumentNumber::parse(&n)).ok_or_else(not_genuine)?;
    let record = deps.certificates.get(&number).await?.ok_or_else(not_genuine)?;
    tracing::Span::current().record("applicationId", tracing::field::display(&record.application_id));
    let registration = deps
        .registrations
        .for_registrant(&record.registrant)
        .await?
        .into_iter()
        .find(|r| r.application_id == record.application_id);
    let state = CertificateState::of(registration.as_ref(), now.date_naive(), &record);
    let mut resp = http_edge::json(200, &Verification::of(&record, state, lang));
    resp.headers_mut().insert("cache-control", lambda_http::http::HeaderValue::from_static("no-store"));
    Ok(resp)
}
