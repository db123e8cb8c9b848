//! The registration certificate and its check:
//! - `GET /registrations/{id}/certificate`: for a REGISTERED application, to its registrant or to whoever applied
//!   for them; a PDF with a QR code (the default) or JSON with a JWS signed by the service's key
//!   ([`issue`]). Each one issued is a new number and a timeline entry.
//! - `GET /verify/{number}`: no token; genuine or not, current or closed, with initials and surname, the address
//!   and the dates, never the IIN; limited per caller address ([`verify`]).
//! - `GET /.well-known/jwks.json`: the service's public key, to check a certificate's JWS offline ([`jws`]).
//!
//! PDF, font and QR code are in this function only ([`pdf`]).

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "certificate",
    triggers: &[
        domain::function::Trigger::Route(ISSUE_ROUTE, domain::function::EdgeLimit::DECISIONS),
        domain::function::Trigger::PublicRoute(VERIFY_ROUTE, domain::function::EdgeLimit::PUBLIC),
        domain::function::Trigger::PublicRoute(JWKS_ROUTE, domain::function::EdgeLimit::PUBLIC),
    ],
};

pub const ISSUE_ROUTE: &str = "GET /registrations/{id}/certificate";
pub const VERIFY_ROUTE: &str = "GET /verify/{number}";
pub const JWKS_ROUTE: &str = "GET /.well-known/jwks.json";

mod accept;
pub mod issue;
pub mod jws;
pub mod pdf;
pub mod verify;

use domain::clock::Clock;
use domain::ports::{ApplicationStore, CertificateStore, DocumentSigner, RegistrationStore, Registries};
use http_edge::HttpResponse;
use lambda_http::Request;
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub registrations: Arc<dyn RegistrationStore>,
    pub registries: Arc<dyn Registries>,
    pub certificates: Arc<dyn CertificateStore>,
    pub signer: Arc<dyn DocumentSigner>,
    pub clock: Arc<dyn Clock>,
}

impl Deps {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn domain::wiring::PortSource) -> Result<Deps, domain::wiring::WiringError> {
        Ok(Deps {
            applications: src.applications()?,
            registrations: src.registrations()?,
            registries: src.registries()?,
            certificates: src.certificates()?,
            signer: src.document_signer()?,
            clock: src.clock(),
        })
    }
}

#[tracing::instrument(name = "certificate", skip_all, fields(function = "certificate", applicationId = tracing::field::Empty))]
pub async fn handle(deps: &Deps, req: Request) -> HttpResponse {
    let lang = http_edge::language(&req);
    let answer = match http_edge::route_key(&req) {
        Some(VERIFY_ROUTE) => verify::run(deps, &req, lang).await,
        Some(JWKS_ROUTE) => jws::jwks(deps).await,
        _ => issue::run(deps, &req, lang).await,
    };
    answer.unwrap_or_else(|p| p.respond(lang))
}

#[cfg(test)]
mod tests;
