//! The texts of an outcome, sent once after it is committed: claimed by one conditional write, marked sent
//! after; a failed send leaves them pending and fails the step as `SmsUnavailable`, so its retry sends them.
//!
//! - REGISTERED: the registrant (the address in words, to a date if temporary), the parent or guardian who
//!   applied for them, the registrant again when a previous permanent registration was closed, the owners of
//!   the new address and those of the address left.
//! - Any other end: the applicant and the registrant (when another person) with the outcome and its reason in
//!   plain words (not for a withdrawal: the applicant did it); the owners who were asked, when the request was
//!   withdrawn or expired.

use super::Deps;
use chrono::Duration;
use domain::errors::StepError;
use domain::ports::Found;
use domain::sms::Template;
use domain::{Application, ConsentStatus, Iin, NoticeState, Person, ReasonCode, Rka, Status};

/// How long one sender holds an outcome's texts: longer than a function runs (10 s), so that a live sender
/// is never doubled, and short enough that a retry of the step takes over from one that died.
const NOTICE_LEASE_SECONDS: i64 = 15;

pub(crate) async fn deliver_notices(deps: &Deps, app: &Application) -> Result<(), StepError> {
    if app.notices != NoticeState::Pending {
        return Ok(());
    }
    let now = deps.clock.now();
    if !deps.applications.claim_notices(&app.id, now, now + Duration::seconds(NOTICE_LEASE_SECONDS)).await? {
        let current = deps.applications.get(&app.id).await?;
        if current.is_some_and(|a| a.notices == NoticeState::Pending) {
            // Another attempt holds them: retried after its lease, in case it died.
            return Err(StepError::StoreUnavailable(domain::errors::StoreError::Unavailable(
                "the outcome's texts are being sent by another attempt".into(),
            )));
        }
        return Ok(());
    }
    let sent = match app.status {
        Status::Registered => notify_registered(deps, app).await,
        _ => notify_ended(deps, app).await,
    };
    match sent {
        Ok(()) => {
            deps.applications.finish_notices(&app.id, true).await?;
            Ok(())
        }
        Err(e) => {
            if let Err(release) = deps.applications.finish_notices(&app.id, false).await {
                tracing::warn!(error = %release, "could not release the texts' claim; it lapses by itself");
            }
            Err(e)
        }
    }
}

/// The address in words in `person`'s language, or its RKA when the register has no such property.
fn address_for(found: &Found, rka: &Rka, person: &Person) -> String {
    found.property(rka).map(|p| p.address.short(person.language)).unwrap_or_else(|| rka.to_string())
}

/// Two registry round trips: the people and addresses, then the owners.
async fn notify_registered(deps: &Deps, app: &Application) -> Result<(), StepError> {
    let registrant = &app.draft.registrant;
    let from_day = app.updated_at.date_naive();
    let (from, until) = (from_day.to_string(), app.draft.kind.valid_to(from_day).map(|d| d.to_string()));
    let mut addresses = vec![app.draft.address.clone()];
    addresses.extend(app.previous_address.clone());
    let first = deps.registries.lookup(&[registrant.clone(), app.applicant.clone()], &addresses).await?;
    let person = first.person(registrant);
    let name = person.map(Person::short_name).unwrap_or_default();
    // Owners other than the registrant and the applicant (who get their own text).
    let owners_of = |rka: &Rka| -> Vec<Iin> {
        let others = |o: &&Iin| *o != registrant && *o != &app.applicant;
        first.property(rka).map(|p| p.owners.iter().filter(others).cloned().collect()).unwrap_or_default()
    };
    let new_owners = owners_of(&app.draft.address);
    let old_owners = app.previous_address.as_ref().map(owners_of).unwrap_or_default();
    let all: Vec<Iin> = new_owners.iter().chain(&old_owners).cloned().collect();
    let owners = if all.is_empty() { Default::default() } else { deps.registries.lookup(&all, &[]).await? };
    let until = until.as_deref();
    if let Some(p) = person {
        let address = address_for(&first, &app.draft.address, p);
        notify(deps, p, &Template::Registered { address: &address, from: &from, until }).await?;
        if let Some(old) = &app.previous_address {
            let address = address_for(&first, old, p);
            notify(deps, p, &Template::RegistrationClosed { address: &address }).await?;
        }
    }
    if &app.applicant != registrant {
        if let Some(a) = first.person(&app.applicant) {
            let address = address_for(&first, &app.draft.address, a);
            let template = Template::RegisteredOther { person: &name, address: &address, from: &from, until };
            notify(deps, a, &template).await?;
        }
    }
    for o in new_owners.iter().filter_map(|o| owners.person(o)) {
        let address = address_for(&first, &app.draft.address, o);
        notify(deps, o, &Template::OwnerNoticeRegistered { person: &name, address: &address }).await?;
    }
    if let Some(old) = &app.previous_address {
        for o in old_owners.iter().filter_map(|o| owners.person(o)) {
            let address = address_for(&first, old, o);
            notify(deps, o, &Template::OwnerNoticeRemoved { person: &name, address: &address }).await?;
        }
    }
    Ok(())
}

/// One registry round trip: the applicant, the registrant and the owners who were asked.
async fn notify_ended(deps: &Deps, app: &Application) -> Result<(), StepError> {
    let reason = app.reasons.first().copied().unwrap_or(ReasonCode::WorkflowError);
    let consents = deps.consents.for_application(&app.id).await?;
    // Owners told that their request needs no answer: every one asked, on a withdrawal; those who did not
    // answer, on an expiry.
    let told: Vec<Iin> = consents
        .iter()
        .filter(|c| c.requested_at.is_some())
        .filter(|c| match reason {
            ReasonCode::Withdrawn => true,
            ReasonCode::ConsentExpired => c.status == ConsentStatus::Expired,
            _ => false,
        })
        .map(|c| c.owner.clone())
        .collect();
    let mut people = vec![app.applicant.clone(), app.draft.registrant.clone()];
    people.extend(told.iter().cloned());
    let found = deps.registries.lookup(&people, &[]).await?;
    if reason != ReasonCode::Withdrawn {
        let ended = Template::Ended { status: app.status, reason };
        if let Some(a) = found.person(&app.applicant) {
            notify(deps, a, &ended).await?;
        }
        if app.draft.registrant != app.applicant {
            if let Some(r) = found.person(&app.draft.registrant) {
                notify(deps, r, &ended).await?;
            }
        }
    }
    let name = found.person(&app.draft.registrant).map(Person::short_name).unwrap_or_default();
    for o in told.iter().filter_map(|o| found.person(o)) {
        let template = match reason {
            ReasonCode::Withdrawn => Template::OwnerRequestWithdrawn { registrant: &name },
            _ => Template::OwnerRequestExpired { registrant: &name },
        };
        notify(deps, o, &template).await?;
    }
    Ok(())
}

async fn notify(deps: &Deps, person: &Person, template: &Template<'_>) -> Result<(), StepError> {
    if let Some(phone) = &person.bmg_phone {
        deps.sms.send(phone, &template.render(person.language)).await?;
    }
    Ok(())
}
