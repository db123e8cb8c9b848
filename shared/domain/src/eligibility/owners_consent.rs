//! Registration at a property one does not own needs its owner's consent; at a co-owned property
//! every co-owner consents. The applicant and the registrant are not asked. State rental housing
//! needs no SMS consent: the rental agreement is the consent.

use super::RegistryFacts;
use crate::model::Iin;

pub fn owners_to_ask(f: &RegistryFacts) -> Vec<Iin> {
    let Some(property) = &f.property else { return vec![] };
    if property.state_rental.is_some() {
        return vec![];
    }
    let mut owners: Vec<Iin> =
        property.owners.iter().filter(|o| **o != f.applicant_iin && **o != f.registrant_iin).cloned().collect();
    owners.sort();
    owners.dedup();
    owners
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn every_other_co_owner_is_asked_once() {
        let daulet = adult("880702300117");
        let f = facts(
            daulet.clone(),
            daulet.clone(),
            Some(flat(&["750120300216", "791205400313", "750120300216"])),
            vec![],
        );
        assert_eq!(owners_to_ask(&f), vec![iin("750120300216"), iin("791205400313")]);
    }

    #[test]
    fn a_co_owner_registering_still_needs_the_others() {
        let bolat = adult("750120300216");
        let f = facts(bolat.clone(), bolat, Some(flat(&["750120300216", "791205400313"])), vec![]);
        assert_eq!(owners_to_ask(&f), vec![iin("791205400313")]);
    }
}
