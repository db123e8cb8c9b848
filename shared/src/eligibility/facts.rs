//! What the rules look at, gathered once from the registries.

use crate::domain::{ApplicationDraft, Iin, Person, Property};
use crate::errors::RegistryError;
use crate::ports::Registries;
use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct Facts {
    pub today: NaiveDate,
    pub applicant_iin: Iin,
    pub applicant: Option<Person>,
    pub registrant_iin: Iin,
    pub registrant: Option<Person>,
    pub property: Option<Property>,
    /// The owners of `property` as the registries know them.
    pub owners: Vec<Person>,
}

impl Facts {
    pub async fn gather(
        registries: &dyn Registries,
        applicant: &Iin,
        draft: &ApplicationDraft,
        today: NaiveDate,
    ) -> Result<Facts, RegistryError> {
        let applicant_person = registries.person(applicant).await?;
        let registrant = if &draft.registrant == applicant {
            applicant_person.clone()
        } else {
            registries.person(&draft.registrant).await?
        };
        let property = registries.property(&draft.address).await?;
        let mut owners = Vec::new();
        for owner in property.iter().flat_map(|p| &p.owners) {
            if let Some(person) = registries.person(owner).await? {
                owners.push(person);
            }
        }
        Ok(Facts {
            today,
            applicant_iin: applicant.clone(),
            applicant: applicant_person,
            registrant_iin: draft.registrant.clone(),
            registrant,
            property,
            owners,
        })
    }

    pub fn registrant_age(&self) -> u32 {
        self.registrant_iin.age_on(self.today)
    }

    pub fn applicant_is_registrant(&self) -> bool {
        self.applicant_iin == self.registrant_iin
    }
}
