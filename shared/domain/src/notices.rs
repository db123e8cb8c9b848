//! Who is told what when an application ends (the domain notes: "when someone is registered at (or removed
//! from) a property, both the owner and the person get an SMS"; issue #13: every outcome is texted). Pure: the
//! caller looks the people up (two rounds for a registration: the people and addresses, then the owners) and
//! sends what these return, each in its reader's language, to those with a BMG phone.

use crate::model::{Application, Consent, ConsentStatus, Iin, Person, PhoneNumber, ReasonCode, Rka, Status};
use crate::ports::Found;
use crate::sms::SmsMessage;
use crate::texts::sms::Template;

/// One text: to whom, and what it says in their language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub to: PhoneNumber,
    pub message: SmsMessage,
}

fn notice(person: &Person, template: &Template<'_>) -> Option<Notice> {
    let to = person.bmg_phone.clone()?;
    Some(Notice { to, message: template.render(person.language) })
}

/// The address in words in `person`'s language, or its RKA when the register has no such property.
fn address_for(found: &Found, rka: &Rka, person: &Person) -> String {
    found.property(rka).map(|p| p.address.short(person.language)).unwrap_or_else(|| rka.to_string())
}

/// A registration: the people and the addresses to look up first.
pub fn registered_lookup(app: &Application) -> (Vec<Iin>, Vec<Rka>) {
    let mut addresses = vec![app.draft.address.clone()];
    addresses.extend(app.previous_address.clone());
    (vec![app.draft.registrant.clone(), app.applicant.clone()], addresses)
}

/// The owners to tell, of the new address and of the one left: not the registrant nor the applicant, who get
/// their own texts. Looked up in the second round.
pub fn owners_to_tell(app: &Application, first: &Found) -> (Vec<Iin>, Vec<Iin>) {
    let owners_of = |rka: &Rka| -> Vec<Iin> {
        let others = |o: &&Iin| *o != &app.draft.registrant && *o != &app.applicant;
        first.property(rka).map(|p| p.owners.iter().filter(others).cloned().collect()).unwrap_or_default()
    };
    let new = owners_of(&app.draft.address);
    let old = app.previous_address.as_ref().map(owners_of).unwrap_or_default();
    (new, old)
}

/// The texts of a registration: the registrant (with its last day if temporary, and the registration it
/// closed), the parent or guardian who applied, the owners of the new address and of the one left.
pub fn registered(app: &Application, first: &Found, owners: &Found) -> Vec<Notice> {
    let registrant = &app.draft.registrant;
    let from_day = app.updated_at.date_naive();
    let (from, until) = (from_day.to_string(), app.draft.kind.valid_to(from_day).map(|d| d.to_string()));
    let until = until.as_deref();
    let person = first.person(registrant);
    let name = person.map(Person::short_name).unwrap_or_default();
    let (new_owners, old_owners) = owners_to_tell(app, first);
    let mut out = Vec::new();
    if let Some(p) = person {
        let address = address_for(first, &app.draft.address, p);
        out.extend(notice(p, &Template::Registered { address: &address, from: &from, until }));
        if let Some(old) = &app.previous_address {
            let address = address_for(first, old, p);
            out.extend(notice(p, &Template::RegistrationClosed { address: &address }));
        }
    }
    if &app.applicant != registrant {
        if let Some(a) = first.person(&app.applicant) {
            let address = address_for(first, &app.draft.address, a);
            out.extend(notice(a, &Template::RegisteredOther { person: &name, address: &address, from: &from, until }));
        }
    }
    for o in new_owners.iter().filter_map(|o| owners.person(o)) {
        let address = address_for(first, &app.draft.address, o);
        out.extend(notice(o, &Template::OwnerNoticeRegistered { person: &name, address: &address }));
    }
    if let Some(old) = &app.previous_address {
        for o in old_owners.iter().filter_map(|o| owners.person(o)) {
            let address = address_for(first, old, o);
            out.extend(notice(o, &Template::OwnerNoticeRemoved { person: &name, address: &address }));
        }
    }
    out
}

/// The reason an application ended with (its first), for its texts.
fn reason_of(app: &Application) -> ReasonCode {
    app.reasons.first().copied().unwrap_or(ReasonCode::WorkflowError)
}

/// Owners told that their request needs no answer: every one asked, on a withdrawal; those who did not answer,
/// on an expiry.
fn owners_told(app: &Application, consents: &[Consent]) -> Vec<Iin> {
    let reason = reason_of(app);
    consents
        .iter()
        .filter(|c| c.requested_at.is_some())
        .filter(|c| match reason {
            ReasonCode::Withdrawn => true,
            ReasonCode::ConsentExpired => c.status == ConsentStatus::Expired,
            _ => false,
        })
        .map(|c| c.owner.clone())
        .collect()
}

/// Any other end: the people to look up (one round).
pub fn ended_lookup(app: &Application, consents: &[Consent]) -> Vec<Iin> {
    let mut people = vec![app.applicant.clone(), app.draft.registrant.clone()];
    people.extend(owners_told(app, consents));
    people
}

/// The texts of an end other than REGISTERED: the outcome and its reason to the applicant and to a registrant
/// who is another person (not for a withdrawal: the applicant did it), and "no answer needed" to the owners.
pub fn ended(app: &Application, consents: &[Consent], found: &Found) -> Vec<Notice> {
    debug_assert!(app.status != Status::Registered);
    let reason = reason_of(app);
    let mut out = Vec::new();
    if reason != ReasonCode::Withdrawn {
        let ended = Template::Ended { status: app.status, reason };
        out.extend(found.person(&app.applicant).and_then(|a| notice(a, &ended)));
        if app.draft.registrant != app.applicant {
            out.extend(found.person(&app.draft.registrant).and_then(|r| notice(r, &ended)));
        }
    }
    let name = found.person(&app.draft.registrant).map(Person::short_name).unwrap_or_default();
    for o in owners_told(app, consents).iter().filter_map(|o| found.person(o)) {
        let template = match reason {
            ReasonCode::Withdrawn => Template::OwnerRequestWithdrawn { registrant: &name },
            _ => Template::OwnerRequestExpired { registrant: &name },
        };
        out.extend(notice(o, &template));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eligibility::fixtures::{application, iin, person};

    #[test]
    fn a_withdrawal_tells_the_owners_asked_and_not_the_applicant_and_a_refusal_tells_the_applicant() {
        let (applicant, asked, not_asked) = ("880702300117", "900315400017", "750120300216");
        let mut app = application(applicant, applicant);
        app.status = Status::Cancelled;
        app.reasons = vec![ReasonCode::Withdrawn];
        let mut first = Consent::of_owner(&app, 0, iin(asked));
        first.requested_at = Some(app.submitted_at);
        let second = Consent::of_owner(&app, 1, iin(not_asked));
        let consents = [first, second];
        assert_eq!(ended_lookup(&app, &consents), vec![iin(applicant), iin(applicant), iin(asked)]);
        let found = Found { people: vec![person(applicant), person(asked), person(not_asked)], properties: vec![] };
        let texts: Vec<String> = ended(&app, &consents, &found).into_iter().map(|n| n.message.text).collect();
        assert_eq!(texts, ["Test P. тіркеу сұрауы қайтарылды, жауап керек емес."]);

        app.status = Status::Rejected;
        app.reasons = vec![ReasonCode::NotACitizen];
        let texts: Vec<String> = ended(&app, &consents, &found).into_iter().map(|n| n.message.text).collect();
        assert_eq!(texts, ["Тіркеуден бас тартылды: тек ҚР азаматтары үшін."], "the applicant only, in Kazakh");
    }
}
