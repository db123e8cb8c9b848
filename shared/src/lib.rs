//! The residence-registration domain, free of AWS types in its rules.
//!
//! - [`domain`]: values parsed at the edge (`Iin::parse`, `PhoneNumber::parse`, ...).
//! - [`eligibility`]: one file per rule of the seed article.
//! - [`ports`]: one capability per trait; [`adapters::memory`] implements them in process.
//! - [`steps`]: the JSON contract between the state machine and the workflow functions.
//! - [`api`]: HTTP helpers shared by the API functions (problem+json, caller identity, body parsing).

pub mod adapters;
pub mod api;
pub mod clock;
pub mod domain;
pub mod eligibility;
pub mod errors;
pub mod metrics;
pub mod outcome;
pub mod ports;
pub mod rate_limits;
pub mod reference_data;
pub mod review;
pub mod signing;
pub mod sms;
pub mod steps;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod testing_people;
pub mod xray;

/// Re-exported for the end-to-end harness.
pub use chrono;
