//! End-to-end journeys through HTTP, one file per journey, each against its own local stack.

mod abuse;
mod certificates;
mod co_owners;
mod contract;
mod eds;
mod eligibility_rules;
mod faults;
mod languages;
mod malformed_input;
mod operating;
mod owner_consent;
mod owners_view;
mod privacy;
mod reading_and_withdrawing;
mod registered_without_consent;
mod route_throttling;
mod server_limits;
mod submitting;
