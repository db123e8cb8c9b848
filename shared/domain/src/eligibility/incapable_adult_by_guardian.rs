//! An adult declared incapable or partially incapable is registered by their guardian only.

use super::RegistryFacts;
use crate::model::{Capacity, ReasonCode};

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    let registrant = f.registrant.as_ref()?;
    let needs_guardian = registrant.capacity != Capacity::Full;
    (needs_guardian && !registrant.guardians.contains(&f.applicant_iin)).then_some(ReasonCode::NotGuardian)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::Capacity;

    #[test]
    fn only_the_guardian_registers_an_incapable_adult() {
        for capacity in [Capacity::Incapable, Capacity::PartiallyIncapable] {
            let mut ward = adult("950909300613");
            ward.capacity = capacity;
            ward.guardians = vec![iin("750120300216")];
            assert_eq!(check(&facts(adult("750120300216"), ward.clone(), None, vec![])), None);
            assert_eq!(check(&facts(ward.clone(), ward.clone(), None, vec![])), Some(ReasonCode::NotGuardian));
            assert_eq!(check(&facts(adult("880702300117"), ward, None, vec![])), Some(ReasonCode::NotGuardian));
        }
    }
}
