//! GSM-7 or UCS-2, and the number of parts: 160/153 characters in GSM-7, 70/67 in UCS-2.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// A rendered text with what it costs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsMessage {
    pub text: String,
    pub encoding: Encoding,
    pub parts: u32,
    /// The language it is written in: SMS parts are counted per language.
    #[serde(default)]
    pub language: crate::model::Language,
}

impl std::fmt::Debug for SmsMessage {
    // The text can hold a one-time code: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmsMessage({:?}, {:?}, {} part(s))", self.language, self.encoding, self.parts)
    }
}

const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{c}";

impl SmsMessage {
    pub fn new(text: String) -> Self {
        let gsm_len: Option<u32> = text.chars().try_fold(0u32, |n, c| {
            if GSM7_BASIC.contains(c) {
                Some(n + 1)
            } else if GSM7_EXTENDED.contains(c) {
                Some(n + 2)
            } else {
                None
            }
        });
        let (encoding, units, single, multi) = match gsm_len {
            Some(n) => (Encoding::Gsm7, n, 160, 153),
            None => (Encoding::Ucs2, text.encode_utf16().count() as u32, 70, 67),
        };
        let parts = if units <= single { 1 } else { units.div_ceil(multi) };
        SmsMessage { text, encoding, parts, language: crate::model::Language::default() }
    }

    pub fn in_language(self, language: crate::model::Language) -> Self {
        SmsMessage { language, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_parts_per_encoding() {
        assert_eq!(SmsMessage::new("a".repeat(160)).parts, 1);
        assert_eq!(SmsMessage::new("a".repeat(161)).parts, 2);
        assert_eq!(SmsMessage::new("[".repeat(80)).parts, 1, "extended characters count twice");
        assert_eq!(SmsMessage::new("[".repeat(81)).parts, 2);
        let kazakh = SmsMessage::new("ә".repeat(70));
        assert_eq!((kazakh.encoding, kazakh.parts), (Encoding::Ucs2, 1));
        assert_eq!(SmsMessage::new("ә".repeat(71)).parts, 2);
        assert_eq!(SmsMessage::new("ә".repeat(135)).parts, 3, "67 per part when split");
    }
}
