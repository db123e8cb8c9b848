//! The person to register must be in the state database of individuals (GBD FL).

use super::RegistryFacts;
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    f.registrant.is_none().then_some(ReasonCode::UnknownPerson)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn unknown_registrant_is_refused() {
        let mut f = facts(adult("880702300117"), adult("880702300117"), None, vec![]);
        assert_eq!(check(&f), None);
        f.registrant = None;
        assert_eq!(check(&f), Some(ReasonCode::UnknownPerson));
    }
}
