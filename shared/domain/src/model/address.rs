//! A property's address in words, as the real-estate register gives it: locality, street, house, flat. Texts
//! carry its short form in the reader's language ("Astana, Mangilik El 10, 1-пәтер"); the names themselves
//! are the register's. A register that gives one line only is shown as that line.

use super::Language;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Address {
    Parts(AddressParts),
    /// One line as the register wrote it.
    Line(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddressParts {
    pub locality: String,
    pub street: String,
    pub house: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<String>,
}

/// Longest short form a text carries: a longer one is cut (with "…") so that a consent request stays within
/// two parts.
pub const SHORT_MAX_CHARS: usize = 48;

impl Address {
    /// Locality, street and house, flat: in `lang`'s words for "flat".
    pub fn short(&self, lang: Language) -> String {
        let text = match self {
            Address::Line(line) => line.clone(),
            Address::Parts(p) => {
                let place = format!("{}, {} {}", p.locality, p.street, p.house);
                match (&p.flat, lang) {
                    (None, _) => place,
                    (Some(flat), Language::Kk) => format!("{place}, {flat}-пәтер"),
                    (Some(flat), Language::Ru) => format!("{place}, кв. {flat}"),
                    (Some(flat), Language::En) => format!("{place}, flat {flat}"),
                }
            }
        };
        if text.chars().count() <= SHORT_MAX_CHARS {
            return text;
        }
        let mut cut: String = text.chars().take(SHORT_MAX_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

impl std::fmt::Display for Address {
    /// The English short form (logs never carry it: an address is personal data with a person).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.short(Language::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_form_names_the_flat_in_each_language() {
        let a: Address =
            serde_json::from_str(r#"{"locality":"Astana","street":"Mangilik El","house":"10","flat":"1"}"#)
                .expect("parts");
        assert_eq!(a.short(Language::Kk), "Astana, Mangilik El 10, 1-пәтер");
        assert_eq!(a.short(Language::Ru), "Astana, Mangilik El 10, кв. 1");
        assert_eq!(a.short(Language::En), "Astana, Mangilik El 10, flat 1");
        let house: Address =
            serde_json::from_str(r#"{"locality":"Almaty","street":"Dostyk","house":"9"}"#).expect("house");
        assert_eq!(house.short(Language::Ru), "Almaty, Dostyk 9");
        let line: Address = serde_json::from_str(r#""Astana, somewhere""#).expect("line");
        assert_eq!(line.short(Language::Kk), "Astana, somewhere");
        let long = Address::Line("x".repeat(80));
        assert_eq!(long.short(Language::En).chars().count(), SHORT_MAX_CHARS);
    }
}
