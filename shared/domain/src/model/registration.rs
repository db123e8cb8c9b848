//! A registration at an address: the result of a REGISTERED application.

use super::{ApplicationId, Iin, RegistrationKind, Rka};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegistrationStatus {
    Active,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Registration {
    /// `reg-` + the application id: a retried finalize writes the same record.
    pub id: String,
    pub application_id: ApplicationId,
    pub registrant: Iin,
    pub address: Rka,
    #[serde(flatten)]
    pub kind: RegistrationKind,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub status: RegistrationStatus,
}

impl Registration {
    /// The registration an application produces when it is REGISTERED on `today`.
    pub fn from_application(app: &super::Application, today: NaiveDate) -> Registration {
        Registration {
            id: format!("reg-{}", app.id),
            application_id: app.id.clone(),
            registrant: app.draft.registrant.clone(),
            address: app.draft.address.clone(),
            kind: app.draft.kind,
            valid_from: today,
            valid_to: app.draft.kind.valid_to(today),
            status: RegistrationStatus::Active,
        }
    }

    /// A new permanent registration replaces the person's open permanent one (no deregistration needed
    /// first); temporary registrations live beside it.
    pub fn replaced_by<'a>(existing: &'a [Registration], new: &Registration) -> Option<&'a Registration> {
        if !new.kind.is_permanent() {
            return None;
        }
        existing.iter().find(|r| r.status == RegistrationStatus::Active && r.kind.is_permanent() && r.id != new.id)
    }
}
