//! The residence-registration domain: no HTTP, no AWS types.
//!
//! - [`model`] (re-exported at the root: `domain::Iin`): values parsed at the edge (`Iin::parse`,
//!   `PhoneNumber::parse`, ...) and the records built from them.
//! - [`eligibility`]: one file per rule of the seed article.
//! - [`ports`]: one capability per trait, and [`ports::PortSource`], what every function's deps are built from.
//! - [`steps`]: the JSON contract between the state machine and the workflow functions.
//! - [`function`]: what each function is (name, triggers); every function crate states its own.
//! - [`rate_limits`], [`review`], [`signing`], [`sms`]: the policies around them.
//! - [`notices`]: who is told what when an application ends.
//! - [`certificate`]: the registration certificate a REGISTERED application's holder shows, and its check.
//! - [`texts`]: every text for people (SMS, reasons, timeline, problems) in kk, ru and en.
//!
//! Its neighbours: `http-edge` (problem+json, identity, bodies), `memory-adapters` and `aws-adapters` (the
//! ports), `test-kit` (fixtures and contract suites, for tests only).

pub mod certificate;
pub mod clock;
pub mod eds;
pub mod eligibility;
pub mod ending;
pub mod errors;
pub mod function;
pub mod metrics;
pub mod model;
pub mod notices;
pub mod outcome;
pub mod ports;
pub mod rate_limits;
pub mod reference_data;
pub mod review;
pub mod signing;
pub mod sms;
pub mod steps;
pub mod texts;
pub mod wiring;
pub mod xray;

pub use model::*;

/// Re-exported for the end-to-end harness.
pub use chrono;
