//! HTTP helpers for the API functions: what API Gateway gives them, and how they answer.

mod body;
mod form;
mod identity;
mod problem;
mod refusals;
pub mod routes;
mod views;

pub use body::{header, json_body, MAX_BODY_BYTES};
pub use form::{ApplicationForm, Signature, SignatureForm, MAX_CMS_BASE64};
pub use identity::{caller_iin, language, path_param, route_key, IIN_CLAIM};
pub use problem::{json, Dependency, Problem, ProblemKind};
pub use views::{ApplicationView, ReasonView, TimelineView};

/// What every HTTP function returns.
pub type HttpResponse = lambda_http::Response<lambda_http::Body>;
