//! The embedded default: everything the deployment has, in one process.
//!
//! - [`server`]: the HTTP API on 127.0.0.1, same routes and JSON as API Gateway, plus `/_local/...`.
//! - [`authorizer`]: plays API Gateway's JWT authorizer; mints local tokens for an IIN.
//! - [`apigw`]: turns a request into the API Gateway (HTTP API 2.0) event the functions get in AWS.
//! - [`wiring`]: the ports (embedded storage, outbox, clock) and the engine running the deployed ASL.
//! - [`console`]: the web console at `/` (citizen's app, phones, operator's console).
//! - [`pki`]: a test PKI shaped like NCA's (RSA and GOST) and the EDS verifier that trusts it;
//!   [`pki_routes`]: `/_local/eds/sign`, its OCSP responder and CRLs.
//! - [`functions`]: the table of functions (each crate's own `FUNCTION` and how it is built), which the
//!   routes, the workflow's tasks, inbound SMS, reconciliation and the fault control read; [`shared`]: what
//!   every route reaches.
//! - [`aws_backend`]: the same functions over DynamoDB, SNS and Step Functions at an endpoint (moto).

pub mod apigw;
pub mod authorizer;
pub mod aws_backend;
pub mod console;
pub mod control;
pub mod edge_throttle;
pub mod faults;
pub mod functions;
pub mod invocations;
pub mod pki;
pub mod pki_routes;
pub mod reconciling;
pub mod routes;
pub mod server;
pub mod shared;
pub mod source;
pub mod wiring;

pub use server::{spawn, Config, RunningStack};

/// The one workflow definition, the same file the deployment uses.
pub const DEFINITION: &str = include_str!("../../statemachine/registration.asl.json");
/// The API as an OpenAPI document, served at `/openapi.yaml`; a test holds it to the template's routes.
pub const OPENAPI: &str = include_str!("../../openapi.yaml");
/// The sample registries shipped with the repository.
pub const SAMPLE_REFERENCE_DATA: &str = include_str!("../../reference-data/sample.json");
