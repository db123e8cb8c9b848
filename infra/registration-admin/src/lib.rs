//! Operator commands against DynamoDB (or moto, with `AWS_ENDPOINT_URL`), and `verify-eds` for support (no AWS);
//! see `main.rs` for the command line.

pub mod load;
pub mod open;
pub mod restore;
pub mod show;
pub mod stream;
pub mod verify_eds;
