//! The address is identified by its registration code (RKA) and must be in the address register.

use super::RegistryFacts;
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    f.property.is_none().then_some(ReasonCode::UnknownAddress)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn unknown_rka_is_refused() {
        let a = adult("880702300117");
        assert_eq!(check(&facts(a.clone(), a.clone(), None, vec![])), Some(ReasonCode::UnknownAddress));
        assert_eq!(check(&facts(a.clone(), a, Some(flat(&["880702300117"])), vec![])), None);
    }
}
