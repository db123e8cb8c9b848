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
