//! How every application ends, whoever ends it: the workflow's `Finalize` step (and `RecordFailure`), and
//! `reconcile` after an execution ended with the application still open. REGISTERED writes the registration,
//! closes the previous permanent one and moves the status in one transaction that holds only while the
//! application is open, then texts the person and the owners (each text claimed by a conditional write, sent
//! once); every outcome closes open consents, frees the registrant and lands on the timeline. Both functions
//! call [`end`] with their own ports, so both decide the same way, by the same conditional writes.

use crate::clock::Clock;
use crate::errors::StepError;
use crate::metrics::Metric;
use crate::outcome::{self, Outcome};
use crate::ports::{ApplicationStore, ConsentStore, Registering, RegistrationStore, Registries, SmsSender, Transition};
use crate::review::AddressReview;
use crate::steps::{FinalizeInput, FinalizeOutput};
use crate::{Application, ConsentStatus, Registration, Status, TimelineEntry, TimelineFacts};
use chrono::{DateTime, Utc};
use notices::deliver_notices;

mod notices;
use std::sync::Arc;

pub struct EndingPorts {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registrations: Arc<dyn RegistrationStore>,
    pub registries: Arc<dyn Registries>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn crate::ports::Metrics>,
    /// When an address has collected so many registrations that a person should look at it.
    pub address_review: AddressReview,
}

impl EndingPorts {
    /// This function's ports, from the AWS clients, the local stack or a test's world.
    pub fn from_ports(src: &dyn crate::wiring::PortSource) -> Result<EndingPorts, crate::wiring::WiringError> {
        Ok(EndingPorts {
            applications: src.applications()?,
            consents: src.consents()?,
            registrations: src.registrations()?,
            registries: src.registries()?,
            sms: src.sms()?,
            clock: src.clock(),
            metrics: src.metrics(),
            address_review: src.policy().address_review,
        })
    }
}

pub async fn end(deps: &EndingPorts, input: FinalizeInput) -> Result<FinalizeOutput, StepError> {
    let id = input.application_id.clone();
    let app = deps.applications.get(&id).await?.ok_or_else(|| StepError::ApplicationNotFound(id.to_string()))?;
    if app.status.is_terminal() {
        // Withdrawn meanwhile, a retried finalize, or the reconciliation of an ended execution: the status
        // stands; texts an earlier attempt could not send go now.
        deliver_notices(deps, &app).await?;
        return Ok(output(&app));
    }
    let now = deps.clock.now();
    let mut outcome = outcome::decide(&input, &app);
    let consents = deps.consents.for_application(&id).await?;
    if outcome.status == Status::Registered {
        if consents.iter().all(|c| c.status == ConsentStatus::Approved) {
            let app = register(deps, &app, now).await?;
            tracing::info!(status = %app.status, "application finalized");
            return Ok(output(&app));
        }
        // Defence in depth: the workflow said yes but a consent is not approved.
        outcome = Outcome {
            status: Status::Failed,
            reasons: vec![crate::ReasonCode::WorkflowError],
            pending_consents_become: ConsentStatus::Closed,
        };
    }
    for c in consents.iter().filter(|c| c.status == ConsentStatus::Pending) {
        // One answered meanwhile is left as answered (the transition needs it pending).
        deps.consents
            .transition(&c.application_id, &c.id, ConsentStatus::Pending, outcome.pending_consents_become, None, now)
            .await?;
    }
    let facts = match (&input.error, outcome.reasons.first()) {
        (Some(e), _) if outcome.status == Status::Failed => Some(TimelineFacts::StepError { error: e.error.clone() }),
        (_, Some(r)) => Some(TimelineFacts::Reasons { codes: vec![*r] }),
        _ => None,
    };
    let ended = crate::TimelineEvent::ended(outcome.status)
        .ok_or_else(|| StepError::InvalidStepInput(format!("an outcome that does not end: {}", outcome.status)))?;
    let history = [match facts {
        Some(facts) => TimelineEntry::of(now, ended, facts),
        None => TimelineEntry::new(now, ended, None),
    }];
    // The status and its timeline entries in one write.
    let final_app =
        match deps.applications.set_status(&app, &Status::OPEN, outcome.status, &outcome.reasons, now, &history).await?
        {
            Transition::Done(a) => {
                if let Some(m) = Metric::of_ended(&a) {
                    deps.metrics.record(m);
                }
                a
            }
            Transition::Refused(a) => a,
            Transition::NotFound => return Err(StepError::ApplicationNotFound(id.to_string())),
        };
    tracing::info!(status = %final_app.status, "application finalized");
    deliver_notices(deps, &final_app).await?;
    Ok(output(&final_app))
}

fn output(app: &Application) -> FinalizeOutput {
    FinalizeOutput { application_id: app.id.clone(), status: app.status, reason: app.reasons.first().copied() }
}

/// Registers the person: the registration, the closing of the previous permanent one, the status with its
/// timeline and the pending texts are one transaction that holds only while the application is still open
/// as read (a withdrawal that got there first leaves nothing registered and nobody texted). Then the texts.
async fn register(deps: &EndingPorts, app: &Application, now: DateTime<Utc>) -> Result<Application, StepError> {
    let today = now.date_naive();
    let new = Registration::from_application(app, today);
    let existing = deps.registrations.for_registrant(&app.draft.registrant).await?;
    let replaced = Registration::replaced_by(&existing, &new).cloned();
    let last_day = today.pred_opt().unwrap_or(today);
    let facts = TimelineFacts::Registration {
        rka: app.draft.address.to_string(),
        from: today,
        until: new.valid_to,
        closed: replaced.as_ref().map(|old| old.address.to_string()),
    };
    let mut history = vec![TimelineEntry::of(now, crate::TimelineEvent::Registered, facts)];
    history.extend(review_address(deps, app, now).await?);
    let step = Registering { current: app, at: now, history: &history };
    match deps.registrations.register(&new, replaced.as_ref().map(|r| (r, last_day)), &step).await? {
        Transition::Done(registered) => {
            if registered.updated_at == now {
                if let Some(m) = Metric::of_ended(&registered) {
                    deps.metrics.record(m);
                }
            }
            deliver_notices(deps, &registered).await?;
            Ok(registered)
        }
        Transition::Refused(ended) => {
            tracing::info!(status = %ended.status, "the application ended meanwhile: nothing registered");
            Ok(ended)
        }
        Transition::NotFound => Err(StepError::ApplicationNotFound(app.id.to_string())),
    }
}

/// A flag (never a refusal) when the address passed the review threshold with this registration.
async fn review_address(
    deps: &EndingPorts,
    app: &Application,
    now: DateTime<Utc>,
) -> Result<Option<TimelineEntry>, StepError> {
    let review = deps.address_review;
    let since = review.window_start(now.date_naive());
    // Counted before the registration is written, so this one is added.
    let before =
        deps.registrations.count_at_address_since(&app.draft.address, since, review.threshold as usize).await?;
    let count = before + 1;
    if !review.flags(count) {
        return Ok(None);
    }
    tracing::warn!(threshold = review.threshold, "address flagged for review");
    deps.metrics.record(Metric::AddressFlagged);
    let facts = TimelineFacts::Review { threshold: review.threshold, window_days: review.window_days };
    Ok(Some(TimelineEntry::of(now, crate::TimelineEvent::FlaggedForReview, facts)))
}
