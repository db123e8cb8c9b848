//! The reference-data file: people (GBD FL + BMG phones) and properties (real-estate register).
//! The local stack serves the registries from it; the DynamoDB loader imports the same format.

use crate::errors::RegistryError;
use crate::model::{Iin, Person, Property, Rka};
use crate::ports::Registries;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceDataFile {
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub properties: Vec<Property>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceDataError {
    #[error("reference data is not valid: {0}")]
    Parse(String),
    #[error("reference data is inconsistent: {0}")]
    Inconsistent(String),
}

/// The registries held in memory, indexed.
#[derive(Debug, Clone, Default)]
pub struct ReferenceData {
    people: HashMap<Iin, Person>,
    properties: HashMap<Rka, Property>,
}

impl ReferenceData {
    pub fn from_json(text: &str) -> Result<Self, ReferenceDataError> {
        let file: ReferenceDataFile =
            serde_json::from_str(text).map_err(|e| ReferenceDataError::Parse(e.to_string()))?;
        Self::from_file(file)
    }

    /// Checks that every IIN named in a relation or as an owner is a known person, and that keys are unique.
    pub fn from_file(file: ReferenceDataFile) -> Result<Self, ReferenceDataError> {
        let mut check = Check::default();
        file.people.iter().try_for_each(|p| check.person(p))?;
        file.properties.iter().try_for_each(|p| check.property(p))?;
        check.finish()?;
        let people = file.people.into_iter().map(|p| (p.iin.clone(), p)).collect();
        let properties = file.properties.into_iter().map(|p| (p.rka.clone(), p)).collect();
        Ok(ReferenceData { people, properties })
    }

    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people.values()
    }

    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values()
    }
}

/// The consistency rules of a reference-data file, record by record, holding only numbers: the same check for
/// the local stack's file and for a national file streamed by `registration-admin load-reference-data`.
#[derive(Debug, Default)]
pub struct Check {
    people: HashSet<u64>,
    properties: HashSet<u64>,
    /// IINs named as a relative, guardian or owner, and as what: each must be a person of the file.
    named: Vec<(u64, &'static str)>,
}

/// An IIN or an RKA (12 and 16 digits) as a number.
fn number(digits: &str) -> u64 {
    digits.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'))
}

impl Check {
    pub fn person(&mut self, p: &Person) -> Result<(), ReferenceDataError> {
        if !self.people.insert(number(p.iin.as_str())) {
            return Err(ReferenceDataError::Inconsistent(format!("person {} is listed twice", p.iin.masked())));
        }
        for r in p.parents.iter().chain(&p.representatives).chain(&p.guardians) {
            self.named.push((number(r.as_str()), "a relative or guardian"));
        }
        Ok(())
    }

    pub fn property(&mut self, p: &Property) -> Result<(), ReferenceDataError> {
        if p.owners.is_empty() && p.state_rental.is_none() {
            return Err(ReferenceDataError::Inconsistent(format!("property {} has no owner", p.rka)));
        }
        if !self.properties.insert(number(p.rka.as_str())) {
            return Err(ReferenceDataError::Inconsistent(format!("property {} is listed twice", p.rka)));
        }
        self.named.extend(p.owners.iter().map(|o| (number(o.as_str()), "owner")));
        Ok(())
    }

    /// After every record: every IIN named is a person; returns how many people and properties.
    pub fn finish(self) -> Result<(usize, usize), ReferenceDataError> {
        match self.named.iter().find(|(n, _)| !self.people.contains(n)) {
            None => Ok((self.people.len(), self.properties.len())),
            Some((n, what)) => {
                let masked = Iin::parse(&format!("{n:012}")).map(|i| i.masked()).unwrap_or_default();
                Err(ReferenceDataError::Inconsistent(format!("{what} {masked} is not in people")))
            }
        }
    }
}

#[async_trait]
impl Registries for ReferenceData {
    async fn person(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        Ok(self.people.get(iin).cloned())
    }

    async fn property(&self, rka: &Rka) -> Result<Option<Property>, RegistryError> {
        Ok(self.properties.get(rka).cloned())
    }

    async fn owned_by(&self, owner: &Iin) -> Result<Vec<Property>, RegistryError> {
        let mut owned: Vec<Property> = self.properties.values().filter(|p| p.owners.contains(owner)).cloned().collect();
        owned.sort_by(|a, b| a.rka.cmp(&b.rka));
        Ok(owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_owners_that_are_not_people() {
        let text = r#"{"people":[],"properties":[{"rka":"0201500000012345","address":"x","owners":["900315400017"]}]}"#;
        assert!(matches!(ReferenceData::from_json(text), Err(ReferenceDataError::Inconsistent(_))));
    }

    #[test]
    fn refuses_duplicates_and_properties_without_owners() {
        let person = r#"{"iin":"900315400017","lastName":"A","firstName":"B"}"#;
        let twice = format!(r#"{{"people":[{person},{person}]}}"#);
        assert!(
            matches!(ReferenceData::from_json(&twice), Err(ReferenceDataError::Inconsistent(m)) if m.contains("twice"))
        );
        let ownerless = r#"{"properties":[{"rka":"0201500000012345","address":"x","owners":[]}]}"#;
        assert!(
            matches!(ReferenceData::from_json(ownerless), Err(ReferenceDataError::Inconsistent(m)) if m.contains("no owner"))
        );
        let sample = ReferenceData::from_json(include_str!("../../../infra/reference-data/sample.json"));
        assert!(sample.is_ok(), "{sample:?}");
    }

    #[test]
    fn refuses_invalid_iins_and_unknown_fields() {
        assert!(
            ReferenceData::from_json(r#"{"people":[{"iin":"900315400018","lastName":"A","firstName":"B"}]}"#).is_err()
        );
        assert!(ReferenceData::from_json(r#"{"persons":[]}"#).is_err());
    }
}
