//! Who may apply for whom, decided from the registries before anything is stored or anyone is blocked: the
//! registrant themselves; for a child under 16, a registered parent or legal representative; for a person
//! without full legal capacity, a guardian. Anyone else is refused at once (403
//! NOT_AUTHORISED_FOR_REGISTRANT), so naming a stranger neither opens an application nor blocks theirs.
//! The rules below it (`child_14_to_16_by_representative`, `incapable_adult_by_guardian`,
//! `adults_apply_themselves`) still run in the workflow on the registries as they are then.

use super::AGE_OF_OWN_APPLICATION;
use crate::model::{Capacity, Iin, Person};
use chrono::NaiveDate;

pub fn may_apply_for(applicant: &Iin, registrant_iin: &Iin, registrant: Option<&Person>, today: NaiveDate) -> bool {
    if applicant == registrant_iin {
        return true;
    }
    let Some(registrant) = registrant.filter(|r| &r.iin == registrant_iin) else { return false };
    let minor = registrant.iin.age_on(today) < AGE_OF_OWN_APPLICATION;
    (minor && registrant.is_represented_by(applicant))
        || (registrant.capacity != Capacity::Full && registrant.guardians.contains(applicant))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn oneself_a_minors_parent_or_representative_or_a_guardian_and_nobody_else() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let (parent, stranger, trustee) = (iin("900315400017"), iin("880702300117"), iin("750120300216"));
        let mut teen = person("110510600516");
        teen.parents = vec![parent.clone()];
        teen.representatives = vec![trustee.clone()];
        assert!(may_apply_for(&teen.iin, &teen.iin, Some(&teen), today), "oneself");
        assert!(may_apply_for(&parent, &teen.iin, Some(&teen), today));
        assert!(may_apply_for(&trustee, &teen.iin, Some(&teen), today));
        assert!(!may_apply_for(&stranger, &teen.iin, Some(&teen), today));

        let mut grown = adult("900315400017");
        grown.parents = vec![stranger.clone()];
        assert!(!may_apply_for(&stranger, &grown.iin, Some(&grown), today), "a capable adult's parent may not");
        grown.capacity = Capacity::Incapable;
        grown.guardians = vec![trustee.clone()];
        assert!(may_apply_for(&trustee, &grown.iin, Some(&grown), today), "the guardian of an incapable adult");
        assert!(!may_apply_for(&stranger, &grown.iin, Some(&grown), today));

        assert!(!may_apply_for(&stranger, &teen.iin, None, today), "unknown to the registries: nobody else");
        assert!(may_apply_for(&stranger, &stranger, None, today), "oneself, even unknown: the workflow says why not");
    }
}
