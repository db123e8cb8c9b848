//! What the apps see of an application: its status, reasons with their messages, and its timeline.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Application, Language, ReasonCode, RegistrationKind, Status, TimelineEntry, TimelineEvent};
use serde::Serialize;

/// A reason: its stable code and its message in the reader's language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonView {
    pub code: ReasonCode,
    pub message: &'static str,
}

impl ReasonView {
    pub fn new(code: ReasonCode, lang: Language) -> Self {
        ReasonView { code, message: domain::texts::reasons::message(code, lang) }
    }
}

/// A timeline entry: its stable event, its title in the reader's language, and the record written then.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineView {
    pub at: DateTime<Utc>,
    pub event: TimelineEvent,
    pub title: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl TimelineView {
    pub fn new(entry: TimelineEntry, lang: Language) -> Self {
        let title = domain::texts::timeline::title(entry.event, lang);
        // A typed record is told in the reader's language; an older one, as it was written.
        let detail = entry.facts.as_ref().map(|f| domain::texts::timeline::detail(f, lang)).or(entry.detail);
        TimelineView { at: entry.at, event: entry.event, title, detail }
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
    /// A temporary registration's last day, once REGISTERED.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
    pub reason: domain::RegistrationReason,
    pub moved_in_on: NaiveDate,
    /// Submitted more than 10 calendar days after moving in.
    pub late: bool,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<TimelineView>>,
}

impl ApplicationView {
    /// The application as its owner reads it, texts in `lang`.
    pub fn new(app: &Application, timeline: Option<Vec<TimelineEntry>>, lang: Language) -> Self {
        let (kind, months) = match app.draft.kind {
            RegistrationKind::Permanent => ("PERMANENT", None),
            RegistrationKind::Temporary { months } => ("TEMPORARY", Some(months)),
        };
        ApplicationView {
            id: app.id.to_string(),
            status: app.status,
            reason_code: app.status.is_terminal().then(|| app.reasons.first().copied()).flatten(),
            reasons: app.reasons.iter().map(|r| ReasonView::new(*r, lang)).collect(),
            registrant_iin: app.draft.registrant.as_str().to_string(),
            rka: app.draft.address.to_string(),
            kind,
            months,
            ends_on: (app.status == Status::Registered)
                .then(|| app.draft.kind.valid_to(app.updated_at.date_naive()))
                .flatten(),
            reason: app.draft.reason,
            moved_in_on: app.draft.moved_in_on,
            late: app.is_late(),
            submitted_at: app.submitted_at,
            updated_at: app.updated_at,
            timeline: timeline.map(|t| t.into_iter().map(|e| TimelineView::new(e, lang)).collect()),
        }
    }
}
