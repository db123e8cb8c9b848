//! Who can be registered where, online. One file per rule of the seed article (and of Kazakh law
//! where the article is silent); [`evaluate`] applies them in order.
//!
//! | file | rule | outcome |
//! |---|---|---|
//! | `applicant_authority` | oneself, a minor's parent or representative, a guardian (before submitting) | 403 NOT_AUTHORISED_FOR_REGISTRANT |
//! | `applicant_phone_in_bmg` | the applicant's phone is in BMG | REJECTED NO_BMG_PHONE |
//! | `registrant_known` | the registrant is in GBD FL | REJECTED UNKNOWN_PERSON |
//! | `citizens_only` | online registration is for citizens | REJECTED NOT_A_CITIZEN |
//! | `child_under_14` | children under 14 are not registered separately | REJECTED CHILD_UNDER_14 |
//! | `child_14_to_16_by_representative` | a parent or legal representative applies | REJECTED NOT_REPRESENTATIVE |
//! | `incapable_adult_by_guardian` | the guardian applies | REJECTED NOT_GUARDIAN |
//! | `adults_apply_themselves` | otherwise people register themselves | REJECTED MUST_APPLY_IN_PERSON |
//! | `address_known` | the RKA is in the address register | REJECTED UNKNOWN_ADDRESS |
//! | `state_rental` | only people listed in the rental agreement | REJECTED NOT_IN_RENTAL_AGREEMENT |
//! | `offline_only` | a minor or (partially) incapable owner | OFFLINE_REQUIRED |
//! | `owners_consent` | every owner who is neither applicant nor registrant consents | CONSENT_REQUIRED |

mod address_known;
mod adults_apply_themselves;
mod applicant_authority;
mod applicant_phone_in_bmg;
mod child_14_to_16_by_representative;
mod child_under_14;
mod citizens_only;
mod facts;
mod incapable_adult_by_guardian;
mod offline_only;
mod owners_consent;
mod registrant_known;
mod state_rental;

pub use applicant_authority::may_apply_for;
pub use facts::RegistryFacts;

use crate::model::{Iin, ReasonCode};

/// The age from which a person registers with a parent's help, and below which not separately.
pub const AGE_OF_SEPARATE_REGISTRATION: u32 = 14;
/// The age from which a capable person applies for themselves.
pub const AGE_OF_OWN_APPLICATION: u32 = 16;
/// The age of majority: a younger owner sends the case offline.
pub const AGE_OF_MAJORITY: u32 = 18;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Can be registered now, nobody else needs to agree.
    Eligible,
    /// Can be registered once each of these owners consents.
    ConsentRequired {
        owners: Vec<Iin>,
    },
    Rejected {
        reasons: Vec<ReasonCode>,
    },
    /// Not processed online: the people must go to a Public Service Center.
    OfflineRequired {
        reasons: Vec<ReasonCode>,
    },
}

/// A rule that can refuse an application.
type Refusal = fn(&RegistryFacts) -> Option<ReasonCode>;

/// In the order an applicant should hear about them.
const REFUSALS: [Refusal; 9] = [
    applicant_phone_in_bmg::check,
    registrant_known::check,
    citizens_only::check,
    child_under_14::check,
    child_14_to_16_by_representative::check,
    incapable_adult_by_guardian::check,
    adults_apply_themselves::check,
    address_known::check,
    state_rental::check,
];

pub fn evaluate(facts: &RegistryFacts) -> Decision {
    let reasons: Vec<ReasonCode> = REFUSALS.iter().filter_map(|rule| rule(facts)).collect();
    if !reasons.is_empty() {
        return Decision::Rejected { reasons };
    }
    let offline = offline_only::check(facts);
    if !offline.is_empty() {
        return Decision::OfflineRequired { reasons: offline };
    }
    match owners_consent::owners_to_ask(facts) {
        owners if owners.is_empty() => Decision::Eligible,
        owners => Decision::ConsentRequired { owners },
    }
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn owner_registering_at_own_flat_is_eligible() {
        let f = facts(adult("900315400017"), adult("900315400017"), Some(flat(&["900315400017"])), vec![]);
        assert_eq!(evaluate(&f), Decision::Eligible);
    }

    #[test]
    fn all_refusals_are_reported_in_order() {
        let mut applicant = adult("880702300117");
        applicant.bmg_phone = None;
        let mut registrant = adult("900315400017");
        registrant.citizen = false;
        let f = facts(applicant, registrant, None, vec![]);
        assert_eq!(
            evaluate(&f),
            Decision::Rejected {
                reasons: vec![
                    ReasonCode::NoBmgPhone,
                    ReasonCode::NotACitizen,
                    ReasonCode::MustApplyInPerson,
                    ReasonCode::UnknownAddress
                ]
            }
        );
    }

    #[test]
    fn refusal_comes_before_offline_and_offline_before_consent() {
        let owner_minor = person("110510600516");
        let f = facts(
            adult("880702300117"),
            adult("880702300117"),
            Some(flat(&["900315400017", "110510600516"])),
            vec![adult("900315400017"), owner_minor],
        );
        assert_eq!(evaluate(&f), Decision::OfflineRequired { reasons: vec![ReasonCode::OwnerIsMinor] });
    }
}
