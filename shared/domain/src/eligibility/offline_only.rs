//! Registration is done offline, at a Public Service Center, when the property is owned fully or
//! partly by a minor, or an owner is declared incapable or partially incapable.

use super::{RegistryFacts, AGE_OF_MAJORITY};
use crate::model::{Capacity, ReasonCode};

pub fn check(f: &RegistryFacts) -> Vec<ReasonCode> {
    let mut reasons = Vec::new();
    if f.owners.iter().any(|o| o.iin.age_on(f.today) < AGE_OF_MAJORITY) {
        reasons.push(ReasonCode::OwnerIsMinor);
    }
    if f.owners.iter().any(|o| o.capacity != Capacity::Full) {
        reasons.push(ReasonCode::OwnerIncapable);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::model::Capacity;

    #[test]
    fn minor_or_incapable_owner_sends_the_case_offline() {
        let a = adult("880702300117");
        let minor = person("110510600516");
        let mut incapable = adult("950909300613");
        incapable.capacity = Capacity::PartiallyIncapable;
        let f = |owners| facts(a.clone(), a.clone(), Some(flat(&[])), owners);
        assert!(check(&f(vec![adult("900315400017")])).is_empty());
        assert_eq!(check(&f(vec![adult("900315400017"), minor.clone()])), vec![ReasonCode::OwnerIsMinor]);
        assert_eq!(check(&f(vec![incapable.clone()])), vec![ReasonCode::OwnerIncapable]);
        assert_eq!(check(&f(vec![minor, incapable])), vec![ReasonCode::OwnerIsMinor, ReasonCode::OwnerIncapable]);
    }
}
