//! An owner's SMS answer to a consent request: `YES 123456` / `NO 123456`, also ИӘ/ЖОҚ and ДА/НЕТ.

use super::OneTimeCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentDecision {
    Approve,
    Decline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentReply {
    pub decision: ConsentDecision,
    pub code: OneTimeCode,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("start the reply with YES/ИӘ/ДА or NO/ЖОҚ/НЕТ")]
    UnknownWord,
    #[error("add the six-digit code from the request, e.g. YES 123456")]
    MissingCode,
}

impl ConsentReply {
    pub fn parse(text: &str) -> Result<ConsentReply, ReplyError> {
        let mut words = text.split_whitespace();
        let word = words.next().unwrap_or("").to_uppercase();
        let decision = match word.trim_end_matches([',', '.', '!']) {
            "YES" | "ИӘ" | "ИА" | "ДА" => ConsentDecision::Approve,
            "NO" | "ЖОҚ" | "НЕТ" => ConsentDecision::Decline,
            _ => return Err(ReplyError::UnknownWord),
        };
        let code = words.next().and_then(OneTimeCode::parse).ok_or(ReplyError::MissingCode)?;
        if words.next().is_some() {
            return Err(ReplyError::MissingCode);
        }
        Ok(ConsentReply { decision, code })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_languages_in_any_case() {
        for (text, decision) in [
            ("YES 123456", ConsentDecision::Approve),
            ("yes 123456", ConsentDecision::Approve),
            ("  Иә   123456 ", ConsentDecision::Approve),
            ("ДА 123456", ConsentDecision::Approve),
            ("да 123456", ConsentDecision::Approve),
            ("NO 123456", ConsentDecision::Decline),
            ("жоқ 123456", ConsentDecision::Decline),
            ("НЕТ 123456", ConsentDecision::Decline),
        ] {
            let reply = ConsentReply::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(reply.decision, decision, "{text}");
            assert_eq!(reply.code.reveal(), "123456");
        }
    }

    #[test]
    fn refuses_unclear_replies() {
        assert_eq!(ConsentReply::parse("MAYBE 123456"), Err(ReplyError::UnknownWord));
        assert_eq!(ConsentReply::parse(""), Err(ReplyError::UnknownWord));
        assert_eq!(ConsentReply::parse("YES"), Err(ReplyError::MissingCode));
        assert_eq!(ConsentReply::parse("YES 12345"), Err(ReplyError::MissingCode));
        assert_eq!(ConsentReply::parse("YES 123456 NO"), Err(ReplyError::MissingCode));
    }
}

/// What an SMS reply to 1414 came to (record-reply's answer for each inbound message, and its log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReplyOutcome {
    Approved,
    Declined,
    AlreadyAnswered,
    Expired,
    WrongCode,
    NotUnderstood,
    NothingPending,
    /// Not from a phone number (nothing is answered).
    Ignored,
}

super::names::stable_names!(ReplyOutcome {
    Approved => "APPROVED",
    Declined => "DECLINED",
    AlreadyAnswered => "ALREADY_ANSWERED",
    Expired => "EXPIRED",
    WrongCode => "WRONG_CODE",
    NotUnderstood => "NOT_UNDERSTOOD",
    NothingPending => "NOTHING_PENDING",
    Ignored => "IGNORED",
});
