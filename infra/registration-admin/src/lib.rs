//! Operator commands against DynamoDB (or moto, with `AWS_ENDPOINT_URL`); see `main.rs` for the command line.

pub mod load;
pub mod open;
pub mod restore;
pub mod show;
pub mod stream;
