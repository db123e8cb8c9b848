//! Workflow step `Finalize` (and `RecordFailure`): every application ends here. REGISTERED writes the
//! registration and closes the previous permanent one in one transaction, then texts the person and the
//! owners; every outcome closes open consents, frees the registrant and lands on the timeline.

use shared::clock::Clock;
use shared::domain::{Application, ConsentStatus, Person, Registration, Status, TimelineEntry};
use shared::errors::StepError;
use shared::metrics::Metric;
use shared::outcome::{self, Outcome};
use shared::ports::{ApplicationStore, ConsentStore, RegistrationStore, Registries, SmsSender, Transition};
use shared::review::AddressReview;
use shared::sms::Template;
use shared::steps::{FinalizeInput, FinalizeOutput};
use std::sync::Arc;

pub struct Deps {
    pub applications: Arc<dyn ApplicationStore>,
    pub consents: Arc<dyn ConsentStore>,
    pub registrations: Arc<dyn RegistrationStore>,
    pub registries: Arc<dyn Registries>,
    pub sms: Arc<dyn SmsSender>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<dyn shared::ports::Metrics>,
    /// When an address has collected so many registrations that a person should look at it.
    pub address_review: AddressReview,
}

#[tracing::instrument(name = "finalize", skip_all, fields(function = "finalize", applicationId = %input.application_id, executionName = %input.application_id))]
pub async fn handle(deps: &Deps, input: FinalizeInput) -> Result<FinalizeOutput, StepError> {
    let id = input.application_id.clone();
    let app = deps.applications.get(&id).await?.ok_or_else(|| StepError::ApplicationNotFound(id.to_string()))?;
    if app.status.is_terminal() {
        // Withdrawn meanwhile, or a retried finalize: leave it as it is.
        return Ok(FinalizeOutput { application_id: id, status: app.status, reason: app.reasons.first().copied() });
    }
    let now = deps.clock.now();
    let mut outcome = outcome::decide(&input, &app);
    let consents = deps.consents.for_application(&id).await?;
    let mut history = Vec::new();
    if outcome.status == Status::Registered {
        if consents.iter().any(|c| c.status != ConsentStatus::Approved) {
            // Defence in depth: the workflow said yes but a consent is not approved.
            outcome = Outcome {
                status: Status::Failed,
                reasons: vec![shared::domain::ReasonCode::WorkflowError],
                pending_consents_become: ConsentStatus::Closed,
            };
        } else {
            history = register(deps, &app, now).await?;
        }
    }
    for c in consents.iter().filter(|c| c.status == ConsentStatus::Pending) {
        // One answered meanwhile is left as answered (the transition needs it pending).
        deps.consents
            .transition(&c.application_id, &c.id, ConsentStatus::Pending, outcome.pending_consents_become, None, now)
            .await?;
    }
    if outcome.status != Status::Registered {
        let detail = match (&input.error, outcome.reasons.first()) {
            (Some(e), _) if outcome.status == Status::Failed => Some(format!("error {}", e.error)),
            (_, Some(r)) => serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_string)),
            _ => None,
        };
        history.push(TimelineEntry::new(now, &outcome.status.to_string(), detail));
    }
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
    Ok(FinalizeOutput { application_id: id, status: final_app.status, reason: final_app.reasons.first().copied() })
}

/// Writes the registration (closing the previous permanent one) and texts the people concerned; returns the
/// timeline entries the status change writes. A retry finds the registration written and sends nothing again.
async fn register(
    deps: &Deps,
    app: &Application,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<TimelineEntry>, StepError> {
    let today = now.date_naive();
    let new = Registration::from_application(app, today);
    let existing = deps.registrations.for_registrant(&app.draft.registrant).await?;
    let replaced = Registration::replaced_by(&existing, &new).cloned();
    let last_day = today.pred_opt().unwrap_or(today);
    let written = deps.registrations.register(&new, replaced.as_ref().map(|r| (r.id.as_str(), last_day))).await?;
    let rka = app.draft.address.to_string();
    let from = today.to_string();
    let mut detail = match new.valid_to {
        Some(to) => format!("temporary registration at {rka} from {from} to {to}"),
        None => format!("permanent registration at {rka} from {from}"),
    };
    if let Some(old) = &replaced {
        detail.push_str(&format!("; previous permanent registration at {} closed", old.address));
    }
    if written {
        notify_registered(deps, app, replaced.as_ref(), &rka, &from).await?;
    }
    let mut history = vec![TimelineEntry::new(now, "REGISTERED", Some(detail))];
    history.extend(review_address(deps, app, now).await?);
    Ok(history)
}

/// The registrant, the owners of the new address and those of the address left: two registry round trips.
async fn notify_registered(
    deps: &Deps,
    app: &Application,
    replaced: Option<&Registration>,
    rka: &str,
    from: &str,
) -> Result<(), StepError> {
    let registrant = &app.draft.registrant;
    let mut addresses = vec![app.draft.address.clone()];
    addresses.extend(replaced.map(|r| r.address.clone()));
    let first = deps.registries.lookup(std::slice::from_ref(registrant), &addresses).await?;
    let person = first.person(registrant);
    let name = person.map(Person::short_name).unwrap_or_default();
    let owners_of = |rka: &shared::domain::Rka| -> Vec<shared::domain::Iin> {
        first.property(rka).map(|p| p.owners.iter().filter(|o| *o != registrant).cloned().collect()).unwrap_or_default()
    };
    let new_owners = owners_of(&app.draft.address);
    let old_owners = replaced.map(|r| owners_of(&r.address)).unwrap_or_default();
    let all: Vec<shared::domain::Iin> = new_owners.iter().chain(&old_owners).cloned().collect();
    let owners = if all.is_empty() { Default::default() } else { deps.registries.lookup(&all, &[]).await? };
    if let Some(p) = person {
        notify(deps, p, &Template::Registered { rka, from }).await?;
    }
    for o in new_owners.iter().filter_map(|o| owners.person(o)) {
        notify(deps, o, &Template::OwnerNoticeRegistered { person: &name, rka }).await?;
    }
    if let Some(old) = replaced {
        let old_rka = old.address.to_string();
        for o in old_owners.iter().filter_map(|o| owners.person(o)) {
            notify(deps, o, &Template::OwnerNoticeRemoved { person: &name, rka: &old_rka }).await?;
        }
    }
    Ok(())
}

/// A flag (never a refusal) when the address passed the review threshold with this registration.
async fn review_address(
    deps: &Deps,
    app: &Application,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<TimelineEntry>, StepError> {
    let review = deps.address_review;
    let since = review.window_start(now.date_naive());
    let count = deps.registrations.count_at_address_since(&app.draft.address, since, review.threshold as usize).await?;
    if !review.flags(count) {
        return Ok(None);
    }
    tracing::warn!(threshold = review.threshold, "address flagged for review");
    deps.metrics.record(Metric::AddressFlagged);
    Ok(Some(TimelineEntry::new(now, "FLAGGED_FOR_REVIEW", Some(review.detail()))))
}

async fn notify(deps: &Deps, person: &Person, template: &Template<'_>) -> Result<(), StepError> {
    if let Some(phone) = &person.bmg_phone {
        deps.sms.send(phone, &template.render(person.language)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
