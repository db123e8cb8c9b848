//! Implementations of the ports. `memory`: in process, for the local stack and the tests.

pub mod memory;
