//! SMS that are not sent anywhere: kept in order so a person (or a test) can read them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::clock::Clock;
use domain::errors::SmsError;
use domain::ports::SmsSender;
use domain::sms::{Encoding, SmsMessage, SENDER_ID};
use domain::PhoneNumber;
use serde::Serialize;
use std::sync::{Arc, Mutex};

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub from: &'static str,
    pub to: String,
    pub text: String,
    pub encoding: Encoding,
    pub parts: u32,
}

impl std::fmt::Debug for OutboxMessage {
    /// The number and the text are personal data (the text can hold a code).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutboxMessage(#{}, from {}, {} part(s))", self.seq, self.from, self.parts)
    }
}

pub struct SmsOutbox {
    clock: Arc<dyn Clock>,
    messages: Mutex<Vec<OutboxMessage>>,
}

impl SmsOutbox {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        SmsOutbox { clock, messages: Mutex::new(Vec::new()) }
    }

    /// How many messages were sent so far.
    pub fn len(&self) -> usize {
        self.messages.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Messages in the order sent, optionally only those to one number.
    pub fn messages(&self, to: Option<&PhoneNumber>) -> Vec<OutboxMessage> {
        let all = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        all.iter().filter(|m| to.is_none_or(|p| m.to == p.as_str())).cloned().collect()
    }
}

#[async_trait]
impl SmsSender for SmsOutbox {
    async fn send(&self, to: &PhoneNumber, message: &SmsMessage) -> Result<(), SmsError> {
        let mut all = self.messages.lock().unwrap_or_else(|p| p.into_inner());
        let seq = all.len() as u64 + 1;
        all.push(OutboxMessage {
            seq,
            at: self.clock.now(),
            from: SENDER_ID,
            to: to.as_str().to_string(),
            text: message.text.clone(),
            encoding: message.encoding,
            parts: message.parts,
        });
        Ok(())
    }
}
