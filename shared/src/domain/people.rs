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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// A human-readable address, shown to the people involved.
    pub address: String,
    /// Owners from the real-estate register (all co-owners). Empty for state housing.
    #[serde(default)]
    pub owners: Vec<Iin>,
    #[serde(default)]
    pub state_rental: Option<StateRental>,
}
