//! `GET /properties`: the properties the caller owns (by the real-estate register), each with the people
//! registered there now (surname and initials, kind, dates) and the applications waiting for the caller's
//! consent. Someone who owns nothing gets an empty list; nobody sees another owner's property, since the list
//! starts from the caller's own IIN.

use super::Deps;
use domain::{Iin, Language, RegistrationKind};
use http_edge::{caller_iin, json, HttpResponse, Problem};
use lambda_http::Request;
use serde::Serialize;

/// Shown to the owner; no `Debug` (it names people).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OwnedProperty {
    rka: String,
    /// The address in words, short form, in the reader's language.
    address: String,
    /// How many owners the register lists (the caller among them).
    owners: usize,
    registered: Vec<Resident>,
    awaiting_consent: Vec<Awaiting>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Resident {
    /// `Surname F.`
    person: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u8>,
    valid_from: chrono::NaiveDate,
    valid_to: Option<chrono::NaiveDate>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Awaiting {
    consent_id: String,
    application_id: String,
    registrant: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<u8>,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn kind(k: RegistrationKind) -> (&'static str, Option<u8>) {
    match k {
        RegistrationKind::Permanent => ("PERMANENT", None),
        RegistrationKind::Temporary { months } => ("TEMPORARY", Some(months)),
    }
}

pub async fn run(deps: &Deps, req: &Request, lang: Language) -> Result<HttpResponse, Problem> {
    let owner = caller_iin(req)?;
    let owned = deps.registries.owned_by(&owner).await?;
    let now = deps.clock.now();
    let pending = if owned.is_empty() { vec![] } else { deps.consents.pending_for_owner(&owner).await? };
    let mut items = Vec::with_capacity(owned.len());
    let mut people: Vec<Iin> = Vec::new();
    let mut rows = Vec::with_capacity(owned.len());
    for property in owned {
        let registered = deps.registrations.active_at(&property.rka).await?;
        people.extend(registered.iter().map(|r| r.registrant.clone()));
        let waiting: Vec<_> =
            pending.iter().filter(|c| c.rka.as_ref() == Some(&property.rka) && c.is_answerable(now)).cloned().collect();
        people.extend(waiting.iter().filter_map(|c| c.registrant.clone()));
        rows.push((property, registered, waiting));
    }
    people.sort();
    people.dedup();
    // Their names in one registry round trip.
    let found = if people.is_empty() { Default::default() } else { deps.registries.lookup(&people, &[]).await? };
    let name = |iin: &Iin| found.person(iin).map(|p| p.short_name()).unwrap_or_default();
    for (property, registered, waiting) in rows {
        items.push(OwnedProperty {
            rka: property.rka.to_string(),
            address: property.address.short(lang),
            owners: property.owners.len(),
            registered: registered
                .iter()
                .map(|r| {
                    let (kind, months) = kind(r.kind);
                    Resident {
                        person: name(&r.registrant),
                        kind,
                        months,
                        valid_from: r.valid_from,
                        valid_to: r.valid_to,
                    }
                })
                .collect(),
            awaiting_consent: waiting
                .iter()
                .map(|c| {
                    let (kind, months) = kind(c.kind.unwrap_or(RegistrationKind::Permanent));
                    Awaiting {
                        consent_id: c.id.to_string(),
                        application_id: c.application_id.to_string(),
                        registrant: c.registrant.as_ref().map(&name).unwrap_or_default(),
                        kind,
                        months,
                        expires_at: c.expires_at,
                    }
                })
                .collect(),
        });
    }
    Ok(json(200, &serde_json::json!({ "items": items })))
}
