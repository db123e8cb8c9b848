//! An owner's SMS answer to a consent request: `YES 123456` / `NO 123456`, also ИӘ/ЖОҚ and ДА/НЕТ, as people
//! type them (see the table of variants in the tests).

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
    /// Two words, or two codes: nothing is read into it.
    #[error("one word and one code, e.g. YES 123456")]
    Ambiguous,
}

/// The answers people really type, by decision: the Kazakh letters Ә and Қ typed on a Russian keyboard
/// (ИА, ИЭ, ЖОК) or in Latin letters (IA, IYA, JOQ, ZHOK), the short English forms. Compared after
/// [`canonical`], so that a Latin letter that looks like a Cyrillic one (H for Н, O for О, ...) and the case do
/// not matter.
pub const APPROVE_WORDS: [&str; 11] = ["ИӘ", "ИА", "ИЭ", "IA", "IYA", "ДА", "DA", "YES", "Y", "OK", "ОК"];
pub const DECLINE_WORDS: [&str; 11] = ["ЖОҚ", "ЖОК", "ЖОХ", "JOQ", "JOK", "ZHOQ", "ZHOK", "НЕТ", "NET", "NO", "N"];

/// Upper case, Latin letters that look like Cyrillic ones as those, so that `HET` (Latin) is `НЕТ`.
fn canonical(word: &str) -> String {
    word.chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'A' => 'А',
            'B' => 'В',
            'E' => 'Е',
            'K' => 'К',
            'M' => 'М',
            'H' => 'Н',
            'O' => 'О',
            'P' => 'Р',
            'C' => 'С',
            'T' => 'Т',
            'X' => 'Х',
            other => other,
        })
        .collect()
}

/// Runs of letters and runs of digits; everything else (spaces, punctuation) separates them.
fn tokens(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        };
        match (kind, out.last_mut()) {
            (Some(digit), Some((last, token))) if *last == digit && !token.is_empty() => token.push(c),
            (Some(digit), _) => out.push((digit, c.to_string())),
            (None, Some((_, token))) if !token.is_empty() => out.push((false, String::new())),
            (None, _) => {}
        }
    }
    out.retain(|(_, t)| !t.is_empty());
    out
}

impl ConsentReply {
    /// One word of [`APPROVE_WORDS`] or [`DECLINE_WORDS`] and the six-digit code, in either order, with any
    /// spaces and punctuation around them.
    pub fn parse(text: &str) -> Result<ConsentReply, ReplyError> {
        let tokens = tokens(text);
        let words: Vec<&str> = tokens.iter().filter(|(digit, _)| !digit).map(|(_, t)| t.as_str()).collect();
        let codes: Vec<&str> = tokens.iter().filter(|(digit, _)| *digit).map(|(_, t)| t.as_str()).collect();
        let decision = match words.as_slice() {
            [word] => {
                let word = canonical(word);
                if APPROVE_WORDS.iter().any(|w| canonical(w) == word) {
                    ConsentDecision::Approve
                } else if DECLINE_WORDS.iter().any(|w| canonical(w) == word) {
                    ConsentDecision::Decline
                } else {
                    return Err(ReplyError::UnknownWord);
                }
            }
            [] => return Err(ReplyError::UnknownWord),
            _ => return Err(ReplyError::Ambiguous),
        };
        match codes.as_slice() {
            [code] => {
                OneTimeCode::parse(code).map(|code| ConsentReply { decision, code }).ok_or(ReplyError::MissingCode)
            }
            [] => Err(ReplyError::MissingCode),
            _ => Err(ReplyError::Ambiguous),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsentDecision::{Approve, Decline};

    /// Replies as owners type them, and what they mean.
    const UNDERSTOOD: &[(&str, ConsentDecision)] = &[
        ("YES 123456", Approve),
        ("yes 123456", Approve),
        ("Yes 123456.", Approve),
        ("Yes, 123456!", Approve),
        ("y 123456", Approve),
        ("OK 123456", Approve),
        ("  Иә   123456 ", Approve),
        ("ИӘ 123456", Approve),
        ("ИА 123456", Approve),
        ("иа 123456", Approve),
        ("ИЭ 123456", Approve),
        ("IA 123456", Approve),
        ("iya 123456", Approve),
        ("ДА 123456", Approve),
        ("да 123456", Approve),
        ("Да, 123456", Approve),
        ("DA 123456", Approve),
        ("123456 да", Approve),
        ("123456 YES", Approve),
        ("ИӘ:123456", Approve),
        ("ИӘ\n123456", Approve),
        ("NO 123456", Decline),
        ("n 123456", Decline),
        ("No. 123456", Decline),
        ("жоқ 123456", Decline),
        ("ЖОК 123456", Decline),
        ("жок 123456", Decline),
        ("ЖOK 123456", Decline),
        ("JOQ 123456", Decline),
        ("zhok 123456", Decline),
        ("НЕТ 123456", Decline),
        ("HET 123456", Decline),
        ("нет, 123456", Decline),
        ("NET 123456", Decline),
        ("123456 жоқ", Decline),
    ];

    #[test]
    fn understands_the_replies_people_type() {
        for (text, decision) in UNDERSTOOD {
            let reply = ConsentReply::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(reply.decision, *decision, "{text:?}");
            assert_eq!(reply.code.reveal(), "123456", "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_still_unclear() {
        for (text, error) in [
            ("MAYBE 123456", ReplyError::UnknownWord),
            ("", ReplyError::UnknownWord),
            ("123456", ReplyError::UnknownWord),
            ("YES", ReplyError::MissingCode),
            ("YES 12345", ReplyError::MissingCode),
            ("YES 1234567", ReplyError::MissingCode),
            ("YES 123456 NO", ReplyError::Ambiguous),
            ("YES NO 123456", ReplyError::Ambiguous),
            ("YES 123456 654321", ReplyError::Ambiguous),
            ("yes please 123456", ReplyError::Ambiguous),
        ] {
            assert_eq!(ConsentReply::parse(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn no_spelling_means_both_answers() {
        for a in APPROVE_WORDS {
            assert!(DECLINE_WORDS.iter().all(|d| canonical(d) != canonical(a)), "{a} is also a decline");
        }
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
    /// The request's application was withdrawn.
    Withdrawn,
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
    Withdrawn => "WITHDRAWN",
    WrongCode => "WRONG_CODE",
    NotUnderstood => "NOT_UNDERSTOOD",
    NothingPending => "NOTHING_PENDING",
    Ignored => "IGNORED",
});
