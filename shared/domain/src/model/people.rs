//! What the state registries say about people (GBD FL, BMG) and properties (real-estate register).

use super::{Iin, PhoneNumber, Rka};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Capacity {
    #[default]
    Full,
    PartiallyIncapable,
    Incapable,
}

/// The language a person reads SMS in; Kazakh unless the registry says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Kk,
    Ru,
    En,
}

super::names::stable_names!(Language { Kk => "kk", Ru => "ru", En => "en" });

/// `Debug` prints no name: only the masked IIN and initials' count (see [`masked_name`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Person {
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    #[serde(default = "yes")]
    pub citizen: bool,
    #[serde(default)]
    pub capacity: Capacity,
    /// Parents (IINs) as recorded in GBD FL.
    #[serde(default)]
    pub parents: Vec<Iin>,
    /// Legal representatives other than parents (e.g. adoptive parents, trustees).
    #[serde(default)]
    pub representatives: Vec<Iin>,
    /// Guardians appointed for a person declared (partially) incapable.
    #[serde(default)]
    pub guardians: Vec<Iin>,
    /// The phone linked to this person in the Mobile Citizens Database (BMG), if any.
    #[serde(default)]
    pub bmg_phone: Option<PhoneNumber>,
    #[serde(default)]
    pub language: Language,
}

fn yes() -> bool {
    true
}

/// `D*****`: a name as logs may show it (its first letter; the length is hidden too).
pub fn masked_name(name: &str) -> String {
    let first: String = name.chars().take(1).collect();
    format!("{first}*****")
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person")
            .field("iin", &self.iin)
            .field("last_name", &masked_name(&self.last_name))
            .field("first_name", &masked_name(&self.first_name))
            .field("citizen", &self.citizen)
            .field("capacity", &self.capacity)
            .field("bmg_phone", &self.bmg_phone)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Person {
    /// `Surname F.`, at most 20 characters: what an SMS may say about a person.
    pub fn short_name(&self) -> String {
        let initial: String = self.first_name.chars().take(1).collect();
        let mut surname: String = self.last_name.chars().take(17).collect();
        if self.last_name.chars().count() > 17 {
            surname.pop();
            surname.push('.');
        }
        format!("{surname} {initial}.")
    }

    pub fn is_represented_by(&self, applicant: &Iin) -> bool {
        self.parents.contains(applicant) || self.representatives.contains(applicant)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateRental {
    /// People listed in the state rental agreement: the only ones who can be registered there.
    pub listed: Vec<Iin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Property {
    pub rka: Rka,
    /// The address in words, shown to the people involved (its short form in texts).
    pub address: super::Address,
    /// Owners from the real-estate register (all co-owners). Empty for state housing.
    #[serde(default)]
    pub owners: Vec<Iin>,
    #[serde(default)]
    pub state_rental: Option<StateRental>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_name_iin_or_phone() {
        let person = Person {
            iin: Iin::parse("900315400017").expect("iin"),
            last_name: "Seitkali".into(),
            first_name: "Aigerim".into(),
            citizen: true,
            capacity: Capacity::Full,
            parents: vec![],
            representatives: vec![],
            guardians: vec![],
            bmg_phone: Some(PhoneNumber::parse("+77010000002").expect("phone")),
            language: Language::Kk,
        };
        let shown = format!("{person:?}");
        for secret in ["Seitkali", "Aigerim", "900315400017", "77010000002"] {
            assert!(!shown.contains(secret), "{shown} shows {secret}");
        }
        assert!(shown.contains("S*****") && shown.contains("0017"), "{shown}");
    }
}
