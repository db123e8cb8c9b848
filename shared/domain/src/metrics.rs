//! Business metrics: what operators count on the dashboard and alarm on. Functions record them through the
//! [`crate::ports::Metrics`] port: as CloudWatch Embedded Metric Format lines in Lambda, as counters in the
//! local stack (`GET /_local/metrics`). Values and dimensions are codes, never personal data.

use crate::model::{Application, Language, ReasonCode, Status};
use serde::Serialize;

/// The CloudWatch namespace unless `METRICS_NAMESPACE` says otherwise.
pub const DEFAULT_NAMESPACE: &str = "ResidenceRegistration";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unit {
    Count,
    Seconds,
}

/// One event worth counting.
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// A signed application was accepted and its workflow started.
    Submitted,
    Registered,
    /// Refused by a rule or by an owner, by its primary reason code.
    Rejected(ReasonCode),
    /// Cannot be done online (e.g. an owner is a minor): the person goes to a PSC.
    OfflineRequired(ReasonCode),
    /// An owner was texted a consent request.
    ConsentRequested,
    ConsentApproved,
    ConsentDeclined,
    /// An application cancelled because an owner did not answer within the hour.
    ConsentExpired,
    Withdrawn,
    /// Ended FAILED: a step kept failing. Any one is worth an operator's look.
    Failed,
    /// From the consent request to the owner's answer.
    ConsentAnswerTime {
        seconds: f64,
    },
    /// SMS parts sent (what SNS bills), by the language of the text.
    SmsPartsSent {
        language: Language,
        parts: u32,
    },
    /// An SMS the provider refused or could not take.
    SmsSendError,
    /// An address collected more registrations than the review threshold: flagged for a person to review.
    AddressFlagged,
    /// A request refused because a rate limit was reached (429, or a consent request not sent), by limit.
    Limited(crate::rate_limits::LimitName),
}

impl Metric {
    /// What an application that the workflow just ended counts as; `None` for a withdrawal (counted by the
    /// function that ends it) and for statuses that are not an end.
    pub fn of_ended(app: &Application) -> Option<Metric> {
        let reason = app.reasons.first().copied().unwrap_or(ReasonCode::WorkflowError);
        match app.status {
            Status::Registered => Some(Metric::Registered),
            Status::Rejected => Some(Metric::Rejected(reason)),
            Status::OfflineRequired => Some(Metric::OfflineRequired(reason)),
            Status::Cancelled if reason == ReasonCode::ConsentExpired => Some(Metric::ConsentExpired),
            Status::Cancelled | Status::Submitted | Status::AwaitingConsent => None,
            Status::Failed => Some(Metric::Failed),
        }
    }

    /// Every metric name, as the dashboard and the alarms in `infra/template.yaml` use them.
    pub const NAMES: [&'static str; 15] = [
        "ApplicationsSubmitted",
        "ApplicationsRegistered",
        "ApplicationsRejected",
        "ApplicationsOfflineRequired",
        "ConsentsRequested",
        "ConsentsApproved",
        "ConsentsDeclined",
        "ConsentsExpired",
        "ApplicationsWithdrawn",
        "ApplicationsFailed",
        "ConsentAnswerTime",
        "SmsPartsSent",
        "SmsSendErrors",
        "AddressesFlagged",
        "RequestsLimited",
    ];

    pub fn name(&self) -> &'static str {
        let i = match self {
            Metric::Submitted => 0,
            Metric::Registered => 1,
            Metric::Rejected(_) => 2,
            Metric::OfflineRequired(_) => 3,
            Metric::ConsentRequested => 4,
            Metric::ConsentApproved => 5,
            Metric::ConsentDeclined => 6,
            Metric::ConsentExpired => 7,
            Metric::Withdrawn => 8,
            Metric::Failed => 9,
            Metric::ConsentAnswerTime { .. } => 10,
            Metric::SmsPartsSent { .. } => 11,
            Metric::SmsSendError => 12,
            Metric::AddressFlagged => 13,
            Metric::Limited(_) => 14,
        };
        Self::NAMES[i]
    }

    pub fn unit(&self) -> Unit {
        match self {
            Metric::ConsentAnswerTime { .. } => Unit::Seconds,
            _ => Unit::Count,
        }
    }

    pub fn value(&self) -> f64 {
        match self {
            Metric::ConsentAnswerTime { seconds } => *seconds,
            Metric::SmsPartsSent { parts, .. } => f64::from(*parts),
            _ => 1.0,
        }
    }

    /// The one dimension beyond `Service` that breaks this metric down, if any.
    pub fn dimension(&self) -> Option<(&'static str, String)> {
        match self {
            Metric::Rejected(c) | Metric::OfflineRequired(c) => Some(("ReasonCode", c.as_str().to_string())),
            Metric::SmsPartsSent { language, .. } => Some(("Language", language.as_str().to_string())),
            Metric::Limited(limit) => Some(("Limit", limit.as_str().to_string())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_units_values_and_dimensions() {
        let m = Metric::Rejected(ReasonCode::ChildUnder14);
        assert_eq!((m.name(), m.unit(), m.value()), ("ApplicationsRejected", Unit::Count, 1.0));
        assert_eq!(m.dimension(), Some(("ReasonCode", "CHILD_UNDER_14".to_string())));
        let m = Metric::SmsPartsSent { language: Language::Ru, parts: 2 };
        assert_eq!((m.name(), m.value(), m.dimension()), ("SmsPartsSent", 2.0, Some(("Language", "ru".into()))));
        let m = Metric::ConsentAnswerTime { seconds: 95.5 };
        assert_eq!((m.unit(), m.value(), m.dimension()), (Unit::Seconds, 95.5, None));
        let mut app = crate::eligibility::fixtures::application("880702300117", "880702300117");
        app.status = Status::Cancelled;
        app.reasons = vec![ReasonCode::ConsentExpired];
        assert_eq!(Metric::of_ended(&app), Some(Metric::ConsentExpired));
        app.reasons = vec![ReasonCode::Withdrawn];
        assert_eq!(Metric::of_ended(&app), None, "withdraw counts its own");
        app.status = Status::OfflineRequired;
        app.reasons = vec![ReasonCode::OwnerIsMinor];
        assert_eq!(Metric::of_ended(&app), Some(Metric::OfflineRequired(ReasonCode::OwnerIsMinor)));
        let mut names = Metric::NAMES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Metric::NAMES.len(), "names are distinct");
    }
}
