//! SMS from the short number 1414: texts per language, and how many billed parts they take.

pub mod counted;
mod encoding;
mod templates;

pub use encoding::{Encoding, SmsMessage};
pub use templates::Template;

/// The sender id every message goes out under.
pub const SENDER_ID: &str = "1414";
