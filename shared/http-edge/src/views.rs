//! What the apps see of an application: its status, reasons with their messages, and its timeline.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Application, ReasonCode, RegistrationKind, Status, TimelineEntry};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonView {
    pub code: ReasonCode,
    pub message: &'static str,
}

impl From<&ReasonCode> for ReasonView {
    fn from(code: &ReasonCode) -> Self {
        ReasonView { code: *code, message: code.message() }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationView {
    pub id: String,
    pub status: Status,
    /// The primary reason of a terminal status other than REGISTERED.
    pub reason_code: Option<ReasonCode>,
    pub reasons: Vec<ReasonView>,
    pub registrant_iin: String,
    pub rka: String,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u8>,
    pub reason: domain::RegistrationReason,
    pub moved_in_on: NaiveDate,
    /// Submitted more than 10 calendar days after moving in.
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<TimelineEntry>>,
}

impl ApplicationView {
    pub fn new(app: &Application, timeline: Option<Vec<TimelineEntry>>) -> Self {
        let (kind, months) = match app.draft.kind {
            RegistrationKind::Permanent => ("PERMANENT", None),
            RegistrationKind::Temporary { months } => ("TEMPORARY", Some(months)),
        };
        ApplicationView {
            id: app.id.to_string(),
            status: app.status,
            reason_code: app.status.is_terminal().then(|| app.reasons.first().copied()).flatten(),
            reasons: app.reasons.iter().map(ReasonView::from).collect(),
            registrant_iin: app.draft.registrant.as_str().to_string(),
            rka: app.draft.address.to_string(),
            kind,
            months,
            reason: app.draft.reason,
            moved_in_on: app.draft.moved_in_on,
            late: app.is_late(),
            submitted_at: app.submitted_at,
            updated_at: app.updated_at,
            timeline,
        }
    }
}
