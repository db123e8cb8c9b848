//! SMS from the short number 1414: texts per language, and how many billed parts they take.

pub mod counted;
mod encoding;

/// The templates are in the one catalogue of texts for people, [`crate::texts`].
pub use crate::texts::sms::Template;
pub use encoding::{Encoding, SmsMessage};

/// The sender id every message goes out under.
pub const SENDER_ID: &str = "1414";
