//! Implementations of the ports. `memory`: in process, for the local stack and the tests;
//! `counted_sms`: any SMS sender with its sends counted as metrics.

pub mod counted_sms;
pub mod memory;
