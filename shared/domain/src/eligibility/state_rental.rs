//! In state rental housing only the people listed in the rental agreement can be registered; anyone
//! else is refused automatically (they are pointed to the local housing authority).

use super::RegistryFacts;
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    let rental = f.property.as_ref()?.state_rental.as_ref()?;
    (!rental.listed.contains(&f.registrant_iin)).then_some(ReasonCode::NotInRentalAgreement)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::StateRental;

    #[test]
    fn only_listed_people_are_registered() {
        let mut home = flat(&[]);
        home.state_rental = Some(StateRental { listed: vec![iin("880702300117")] });
        let listed = adult("880702300117");
        let other = adult("900315400017");
        assert_eq!(check(&facts(listed.clone(), listed, Some(home.clone()), vec![])), None);
        assert_eq!(check(&facts(other.clone(), other, Some(home), vec![])), Some(ReasonCode::NotInRentalAgreement));
    }
}
