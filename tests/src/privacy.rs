//! Log capture and the personal-data check every end-to-end test ends with.
//!
//! The first stack a test binary spawns installs one JSON log subscriber (the functions' own format, at
//! `debug`, stricter than production's `info`) that writes into memory. When an [`crate::App`] is dropped at
//! the end of a test that passed, [`leaks`] searches every captured line and every execution (input, output,
//! history) for the sample people's IINs, phone numbers and names and for each one-time code that app sent.

use aws_adapters::logging::SharedBuffer;
use domain::reference_data::ReferenceDataFile;
use serde_json::Value;
use std::sync::OnceLock;

static CAPTURE: OnceLock<SharedBuffer> = OnceLock::new();

/// Installs the capturing subscriber once per test binary.
pub fn capture_logs() {
    CAPTURE.get_or_init(|| {
        let capture = SharedBuffer::default();
        let sink = capture.clone();
        let subscriber = aws_adapters::logging::json_subscriber("debug", move || sink.clone());
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber of the tests");
        capture
    });
}

/// Every line logged so far in this test binary, parsed.
pub fn captured_logs() -> Vec<Value> {
    captured_logs_since(0)
}

/// Where the capture is now: lines logged after this are [`captured_logs_since`] it.
pub fn capture_offset() -> usize {
    CAPTURE.get().map(SharedBuffer::len).unwrap_or_default()
}

/// The lines logged after `offset` (all of a stack's own lines, when taken at its start), parsed.
pub fn captured_logs_since(offset: usize) -> Vec<Value> {
    let text = CAPTURE.get().map(|c| c.text_from(offset)).unwrap_or_default();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|_| Value::String(l.to_string()))).collect()
}

/// What must never be shown: (substrings, whole words). IINs and phone digits as substrings; names and
/// codes as whole words (a six-digit code could otherwise match inside a longer number).
pub struct Secrets {
    pub anywhere: Vec<String>,
    pub words: Vec<String>,
}

impl Secrets {
    /// The sample registries' people, plus `codes`.
    pub fn sample_people_and(codes: impl IntoIterator<Item = String>) -> Secrets {
        let file: ReferenceDataFile =
            serde_json::from_str(local_stack::SAMPLE_REFERENCE_DATA).expect("sample reference data");
        let mut anywhere = Vec::new();
        let mut words: Vec<String> = codes.into_iter().collect();
        for p in file.people {
            anywhere.push(p.iin.as_str().to_string());
            if let Some(phone) = &p.bmg_phone {
                anywhere.push(phone.as_str().trim_start_matches('+').to_string());
            }
            words.push(p.last_name.clone());
            words.push(p.first_name.clone());
        }
        Secrets { anywhere, words }
    }
}

/// Every six-digit word in `text`: the one-time codes of an SMS.
pub fn codes_in(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

fn has_word(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::Object(o) => o.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// `"<secret> in <where>: <text>"` for each string value of `documents` that shows a secret.
pub fn leaks<'a>(secrets: &Secrets, documents: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Vec<String> {
    let mut found = Vec::new();
    for (place, doc) in documents {
        let mut texts = Vec::new();
        strings(doc, &mut texts);
        for text in texts {
            let hit = secrets
                .anywhere
                .iter()
                .find(|s| text.contains(s.as_str()))
                .or_else(|| secrets.words.iter().find(|w| has_word(text, w)));
            if let Some(secret) = hit {
                found.push(format!("{secret} in {place}: {text}"));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_secrets_in_string_values_only_and_codes_as_whole_words() {
        let secrets = Secrets { anywhere: vec!["880702300117".into()], words: vec!["123456".into(), "Daulet".into()] };
        let clean =
            json!({ "message": "ok", "micros": 123456, "id": "app-1234567", "t": "2026-11-25T10:00:00.123456Z" });
        assert!(leaks(&secrets, [("log", &clean)]).is_empty());
        let dirty = json!({ "fields": { "who": "IIN 880702300117" } });
        assert_eq!(leaks(&secrets, [("log", &dirty)]).len(), 1);
        assert_eq!(leaks(&secrets, [("log", &json!(["code: 123456."]))]).len(), 1);
        assert_eq!(leaks(&secrets, [("log", &json!("Daulet S."))]).len(), 1);
        assert!(leaks(&secrets, [("log", &json!("Dauletov"))]).is_empty());
        assert_eq!(codes_in("ИӘ 654321/ЖОҚ 654321, 1 сағ"), vec!["654321", "654321"]);
    }
}
