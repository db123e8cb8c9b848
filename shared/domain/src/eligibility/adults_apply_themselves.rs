//! From 16, a person with full legal capacity applies for themselves: nobody registers them.

use super::{RegistryFacts, AGE_OF_OWN_APPLICATION};
use crate::model::{Capacity, ReasonCode};

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    let registrant = f.registrant.as_ref()?;
    let own_application = f.registrant_age() >= AGE_OF_OWN_APPLICATION && registrant.capacity == Capacity::Full;
    (own_application && !f.applicant_is_registrant()).then_some(ReasonCode::MustApplyInPerson)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn an_adult_cannot_be_registered_by_someone_else() {
        assert_eq!(check(&facts(adult("880702300117"), adult("880702300117"), None, vec![])), None);
        assert_eq!(
            check(&facts(adult("900315400017"), adult("880702300117"), None, vec![])),
            Some(ReasonCode::MustApplyInPerson)
        );
    }
}
