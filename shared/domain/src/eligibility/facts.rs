//! What the rules look at, gathered once from the registries.

use crate::errors::RegistryError;
use crate::model::{ApplicationDraft, Iin, Person, Property};
use crate::ports::Registries;
use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct RegistryFacts {
    pub today: NaiveDate,
    pub applicant_iin: Iin,
    pub applicant: Option<Person>,
    pub registrant_iin: Iin,
    pub registrant: Option<Person>,
    pub property: Option<Property>,
    /// The owners of `property` as the registries know them.
    pub owners: Vec<Person>,
}

impl RegistryFacts {
    pub async fn gather(
        registries: &dyn Registries,
        applicant: &Iin,
        draft: &ApplicationDraft,
        today: NaiveDate,
    ) -> Result<RegistryFacts, RegistryError> {
        // Two round trips: the people and the address, then the owners the address names.
        let first = registries
            .lookup(&[applicant.clone(), draft.registrant.clone()], std::slice::from_ref(&draft.address))
            .await?;
        let applicant_person = first.person(applicant).cloned();
        let registrant = first.person(&draft.registrant).cloned();
        let property = first.property(&draft.address).cloned();
        let owner_iins: Vec<Iin> = property.iter().flat_map(|p| p.owners.clone()).collect();
        let owners = if owner_iins.is_empty() {
            Vec::new()
        } else {
            let found = registries.lookup(&owner_iins, &[]).await?;
            owner_iins.iter().filter_map(|o| found.person(o).cloned()).collect()
        };
        Ok(RegistryFacts {
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
