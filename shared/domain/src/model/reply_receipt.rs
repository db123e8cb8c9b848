//! An inbound SMS is processed once: what it led to is recorded under the provider's id of the message, in the
//! same write as the decision it made (an owner's answer) or alone (a wrong code, a reply not understood), with
//! the acknowledgement owed to the sender as pending. A redelivery of the message (SNS delivers at least once,
//! Lambda retries an asynchronous invocation that failed) finds the receipt: it answers the first outcome and
//! sends nothing new, only the acknowledgement if it is still pending (claimed once, never sent twice).

use super::{ApplicationId, ConsentId, Language, NoticeState, PhoneNumber, ReplyOutcome};
use chrono::{DateTime, Duration, Utc};

/// The provider's id of an inbound SMS: the SNS notification's `MessageId` (End User Messaging SMS publishes
/// each reply to the topic as one notification), or an id the local stack makes. 1 to 128 characters of
/// letters, digits and `-_.:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InboundMessageId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a message id is 1 to 128 letters, digits, '-', '_', '.' or ':'")]
pub struct InboundMessageIdError;

impl InboundMessageId {
    pub fn parse(s: &str) -> Result<InboundMessageId, InboundMessageIdError> {
        let ok = (1..=128).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
        if ok {
            Ok(InboundMessageId(s.to_string()))
        } else {
            Err(InboundMessageIdError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for InboundMessageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long a receipt is kept (its TTL): beyond every redelivery. Lambda retries an asynchronous event for
/// at most 6 hours; an event in the reply-failures queue (kept 14 days) may be redriven until it expires.
pub const RECEIPT_KEPT_DAYS: i64 = 15;

/// The text owed to the sender of an inbound SMS, and whether it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    pub to: PhoneNumber,
    pub text: String,
    pub language: Language,
    /// PENDING until sent (then SENT).
    pub state: NoticeState,
}

/// What one inbound message led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyReceipt {
    pub message: InboundMessageId,
    pub outcome: ReplyOutcome,
    /// `None`: nothing is answered (not from a phone number).
    pub ack: Option<Acknowledgement>,
    pub received_at: DateTime<Utc>,
    /// The consent the message answered (APPROVED or DECLINED), so that a redelivery can tell the workflow
    /// again when the first delivery could not.
    pub answered: Option<(ApplicationId, ConsentId)>,
}

impl ReplyReceipt {
    /// When the receipt may go (the TTL).
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.received_at + Duration::days(RECEIPT_KEPT_DAYS)
    }

    /// Whether its acknowledgement is still owed.
    pub fn ack_pending(&self) -> bool {
        self.ack.as_ref().is_some_and(|a| a.state == NoticeState::Pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_the_providers_shapes_and_nothing_else() {
        for ok in ["2f6c3b1e-9d4a-5c8e-b1f0-7a6d5e4c3b2a", "local-1", "a:b.c_d"] {
            assert!(InboundMessageId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "with space", "slash/", &"x".repeat(129), "кириллица"] {
            assert!(InboundMessageId::parse(bad).is_err(), "{bad}");
        }
    }
}
