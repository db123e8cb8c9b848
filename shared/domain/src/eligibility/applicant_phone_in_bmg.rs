//! The applicant's phone must be linked in the Mobile Citizens Database (BMG): one-time codes and
//! notifications from 1414 go there.

use super::RegistryFacts;
use crate::model::ReasonCode;

pub fn check(f: &RegistryFacts) -> Option<ReasonCode> {
    match &f.applicant {
        Some(p) if p.bmg_phone.is_some() => None,
        _ => Some(ReasonCode::NoBmgPhone),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    #[test]
    fn applicant_without_bmg_phone_is_refused() {
        let mut a = adult("880702300117");
        assert_eq!(check(&facts(a.clone(), a.clone(), None, vec![])), None);
        a.bmg_phone = None;
        assert_eq!(check(&facts(a.clone(), a, None, vec![])), Some(ReasonCode::NoBmgPhone));
    }
}
