//! SMS from the short number 1414: how many billed parts a text takes, and the sender id. The texts
//! themselves are in the one catalogue of texts for people, [`crate::texts::sms`].

mod encoding;

pub use encoding::{Encoding, SmsMessage};

/// The sender id every message goes out under.
pub const SENDER_ID: &str = "1414";
