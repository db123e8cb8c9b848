//! Children under 14 are not registered separately: by law their residence is the address of their
//! parents or legal guardians.

use super::{RegistryFacts, AGE_OF_SEPARATE_REGISTRATION};
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    (f.registrant_age() < AGE_OF_SEPARATE_REGISTRATION).then_some(ReasonCode::ChildUnder14)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn child_of_ten_is_refused_even_by_a_parent() {
        let mut child = person("160601500418");
        child.parents = vec![iin("900315400017")];
        let f = facts(adult("900315400017"), child, Some(flat(&["900315400017"])), vec![]);
        assert_eq!(check(&f), Some(ReasonCode::ChildUnder14));
    }

    #[test]
    fn fourteenth_birthday_is_the_boundary() {
        // born 2011-05-10
        let mut f = facts(adult("900315400017"), person("110510600516"), None, vec![]);
        f.today = chrono::NaiveDate::from_ymd_opt(2025, 5, 9).expect("date");
        assert_eq!(check(&f), Some(ReasonCode::ChildUnder14));
        f.today = chrono::NaiveDate::from_ymd_opt(2025, 5, 10).expect("date");
        assert_eq!(check(&f), None);
    }
}
