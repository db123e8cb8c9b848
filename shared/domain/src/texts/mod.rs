//! Every text for people, in Kazakh, Russian and English, in one place: the SMS from 1414 ([`sms`],
//! [`outcomes`]), the reasons the apps show ([`reasons`]), the timeline's titles ([`timeline`]) and the
//! problem+json titles and details ([`problems`]). Codes (reason codes, events, problem types, rules) are
//! stable names and never translated. `docs/texts.md` lists the SMS; a test holds it to the templates.

pub mod certificate;
#[cfg(test)]
mod doc;
pub mod outcomes;
pub mod problems;
pub mod reasons;
pub mod sms;
pub mod timeline;

use crate::model::Language;

/// The language of an answer: the first of kk, ru and en that `Accept-Language` prefers (by q-value, then by
/// order; `kk-KZ` counts as `kk`), Kazakh when it names none of them or is absent.
pub fn negotiate(accept_language: Option<&str>) -> Language {
    let Some(header) = accept_language else { return Language::Kk };
    let mut best: Option<(f32, Language)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q =
            parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or_default();
        let lang = match primary {
            "kk" => Language::Kk,
            "ru" => Language::Ru,
            "en" => Language::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or(Language::Kk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_of_the_three_and_defaults_to_kazakh() {
        for (header, lang) in [
            (None, Language::Kk),
            (Some(""), Language::Kk),
            (Some("de-DE, fr;q=0.9"), Language::Kk),
            (Some("*"), Language::Kk),
            (Some("ru"), Language::Ru),
            (Some("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), Language::Ru),
            (Some("en-US,en;q=0.9"), Language::En),
            (Some("kk-KZ"), Language::Kk),
            (Some("de, en;q=0.5, ru;q=0.8"), Language::Ru),
            (Some("ru;q=0, en"), Language::En),
            (Some("EN"), Language::En),
        ] {
            assert_eq!(negotiate(header), lang, "{header:?}");
        }
    }
}
