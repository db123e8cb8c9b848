//! Test people and places for the rule tests.

use super::RegistryFacts;
use crate::model::{Capacity, Iin, Language, Person, PhoneNumber, Property, Rka};
use chrono::NaiveDate;

pub fn iin(s: &str) -> Iin {
    Iin::parse(s).expect("test IIN")
}

pub fn person(s: &str) -> Person {
    Person {
        iin: iin(s),
        last_name: "Test".into(),
        first_name: "Person".into(),
        citizen: true,
        capacity: Capacity::Full,
        parents: vec![],
        representatives: vec![],
        guardians: vec![],
        bmg_phone: Some(PhoneNumber::parse("+77010000000").expect("phone")),
        language: Language::Kk,
    }
}

pub fn adult(s: &str) -> Person {
    person(s)
}

pub fn flat(owners: &[&str]) -> Property {
    Property {
        rka: Rka::parse("0201500000012345").expect("rka"),
        address: crate::model::Address::Line("Astana, Mangilik El 1, flat 1".into()),
        owners: owners.iter().map(|o| iin(o)).collect(),
        state_rental: None,
    }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")
}

pub fn facts(applicant: Person, registrant: Person, property: Option<Property>, owners: Vec<Person>) -> RegistryFacts {
    RegistryFacts {
        today: today(),
        applicant_iin: applicant.iin.clone(),
        applicant: Some(applicant),
        registrant_iin: registrant.iin.clone(),
        registrant: Some(registrant),
        property,
        owners,
    }
}

/// An application as submit stores it: permanent, SUBMITTED, for the flat above.
pub fn application(applicant: &str, registrant: &str) -> crate::model::Application {
    use crate::model::{ApplicationDraft, RegistrationKind, RegistrationReason};
    let draft = ApplicationDraft {
        registrant: iin(registrant),
        address: flat(&[]).rka,
        kind: RegistrationKind::Permanent,
        reason: RegistrationReason::FamilyMember,
        moved_in_on: today(),
    };
    let now = today().and_hms_opt(9, 0, 0).expect("time").and_utc();
    crate::model::Application::submitted(iin(applicant), draft, "digest".into(), None, now)
}
