//! The caller is who the API Gateway JWT authorizer says: the IIN claim of the verified token.

use super::Problem;
use crate::problem::ProblemKind;
use domain::Iin;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};

/// The token claim that carries the citizen's IIN.
pub const IIN_CLAIM: &str = "iin";

pub fn caller_iin(req: &Request) -> Result<Iin, Problem> {
    let unauthorized = || Problem::new(ProblemKind::Unauthorized, "a verified token with an IIN claim is required");
    let claim = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => {
            ctx.authorizer.as_ref().and_then(|a| a.jwt.as_ref()).and_then(|jwt| jwt.claims.get(IIN_CLAIM)).cloned()
        }
        _ => None,
    };
    let claim = claim.ok_or_else(unauthorized)?;
    Iin::parse(&claim).map_err(|_| unauthorized())
}

/// The API Gateway route that matched, e.g. `GET /registrations/{id}`: how multi-route functions dispatch.
pub fn route_key(req: &Request) -> Option<&str> {
    match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(ctx)) => ctx.route_key.as_deref(),
        _ => None,
    }
}

/// A path parameter such as `{id}`.
pub fn path_param(req: &Request, name: &str) -> Option<String> {
    req.path_parameters_ref().and_then(|p| p.first(name)).map(str::to_string)
}

/// The language of the answer: `Accept-Language`'s preferred of kk, ru and en, Kazakh by default.
pub fn language(req: &Request) -> domain::Language {
    let header = req.headers().get("accept-language").and_then(|v| v.to_str().ok());
    domain::texts::negotiate(header)
}
