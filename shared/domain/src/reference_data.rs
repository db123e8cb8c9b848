//! The reference-data file: people (GBD FL + BMG phones) and properties (real-estate register).
//! The local stack serves the registries from it; the DynamoDB loader imports the same format.

use crate::errors::RegistryError;
use crate::model::{Iin, Person, Property, Rka};
use crate::ports::Registries;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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
        let mut people = HashMap::new();
        for p in file.people {
            let at = p.iin.masked();
            if people.insert(p.iin.clone(), p).is_some() {
                return Err(ReferenceDataError::Inconsistent(format!("person {at} is listed twice")));
            }
        }
        let known = |iin: &Iin, what: &str| {
            if people.contains_key(iin) {
                Ok(())
            } else {
                Err(ReferenceDataError::Inconsistent(format!("{what} {} is not in people", iin.masked())))
            }
        };
        for p in people.values() {
            for r in p.parents.iter().chain(&p.representatives).chain(&p.guardians) {
                known(r, "a relative or guardian")?;
            }
        }
        let mut properties = HashMap::new();
        for prop in file.properties {
            for o in &prop.owners {
                known(o, "owner")?;
            }
            if prop.owners.is_empty() && prop.state_rental.is_none() {
                return Err(ReferenceDataError::Inconsistent(format!("property {} has no owner", prop.rka)));
            }
            let rka = prop.rka.clone();
            if properties.insert(rka.clone(), prop).is_some() {
                return Err(ReferenceDataError::Inconsistent(format!("property {rka} is listed twice")));
            }
        }
        Ok(ReferenceData { people, properties })
    }

    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people.values()
    }

    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values()
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
    fn refuses_invalid_iins_and_unknown_fields() {
        assert!(
            ReferenceData::from_json(r#"{"people":[{"iin":"900315400018","lastName":"A","firstName":"B"}]}"#).is_err()
        );
        assert!(ReferenceData::from_json(r#"{"persons":[]}"#).is_err());
    }
}
