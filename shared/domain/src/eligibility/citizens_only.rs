//! Online registration is available to citizens of Kazakhstan.

use super::RegistryFacts;
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    f.registrant.as_ref().filter(|r| !r.citizen).map(|_| ReasonCode::NotACitizen)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn non_citizen_is_refused() {
        let mut r = adult("850228300715");
        assert_eq!(check(&facts(r.clone(), r.clone(), None, vec![])), None);
        r.citizen = false;
        assert_eq!(check(&facts(r.clone(), r, None, vec![])), Some(ReasonCode::NotACitizen));
    }
}
