//! A child aged 14 to 16 is registered online by a parent or legal representative.

use super::{RegistryFacts, AGE_OF_OWN_APPLICATION, AGE_OF_SEPARATE_REGISTRATION};
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    let age = f.registrant_age();
    let registrant = f.registrant.as_ref()?;
    let teen = (AGE_OF_SEPARATE_REGISTRATION..AGE_OF_OWN_APPLICATION).contains(&age);
    (teen && !registrant.is_represented_by(&f.applicant_iin)).then_some(ReasonCode::NotRepresentative)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn parent_or_representative_may_apply_nobody_else() {
        let mut teen = person("110510600516"); // 15 on 2026-11-25
        teen.parents = vec![iin("900315400017")];
        teen.representatives = vec![iin("750120300216")];
        assert_eq!(check(&facts(adult("900315400017"), teen.clone(), None, vec![])), None);
        assert_eq!(check(&facts(adult("750120300216"), teen.clone(), None, vec![])), None);
        assert_eq!(
            check(&facts(adult("880702300117"), teen.clone(), None, vec![])),
            Some(ReasonCode::NotRepresentative)
        );
        assert_eq!(check(&facts(teen.clone(), teen, None, vec![])), Some(ReasonCode::NotRepresentative), "not alone");
    }
}
