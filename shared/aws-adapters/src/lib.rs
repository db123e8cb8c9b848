//! The ports over AWS, and how a Lambda's `main.rs` gets them from its environment.
//!
//! - [`dynamodb::DynamoStore`]: applications, timelines, consents, registrations, signing requests (one table).
//! - [`dynamodb::DynamoRegistries`]: the registries (people, properties) and their loader.
//! - [`sns::SnsSms`]: SMS from sender id 1414, transactional.
//! - [`sfn::StepFunctions`]: start, answer task tokens, stop.
//! - [`Aws`]: clients built once per process from [`Settings`]; the `PortSource` every function's
//!   `Deps::from_ports` takes in Lambda.
//! - [`step_error`]: a workflow step's error as Step Functions names it.
//! - [`calls::CallLog`]: the API calls the clients made, for the policy test and the cost counts.

pub mod calls;
pub mod dynamodb;
pub mod emf;
mod errors;
pub mod kms;
pub mod logging;
pub mod sfn;
pub mod sns;
mod step_error;
mod wiring;

pub use logging::init_logging;
pub use step_error::step_error;
pub use wiring::{Aws, Settings, SettingsError};
