//! Recording an answer once, and telling the workflow.

use super::Deps;
use domain::errors::{DependencyError, WorkflowError};
use domain::metrics::Metric;
use domain::ports::{AnswerRecording, RecordedAnswer};
use domain::steps::{ConsentTaskOutput, CONSENT_DECLINED};
use domain::{Consent, ConsentChannel, ConsentDecision, ConsentStatus, ReplyReceipt, TimelineEntry, TimelineEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Recorded now (with the message's receipt, for an SMS).
    Recorded(ConsentStatus),
    /// The same answer given again while the wait is open: the workflow was told again (its first signal
    /// may have been lost); nothing was recorded.
    ToldAgain(ConsentStatus),
    /// The message was processed before (a redelivery): nothing was written.
    Redelivered,
    /// Recorded now, but the workflow could not be told yet (a dependency failed after the commit): the same
    /// answer again (the app's retry, or the message's redelivery) tells it.
    RecordedNotPassedOn(ConsentStatus),
    AlreadyAnswered,
    /// Past the hour, or the application ended meanwhile.
    Expired,
    /// The applicant withdrew the application.
    Withdrawn,
}

/// Records the owner's answer (one transaction: the decision, its timeline entry and, by SMS, the message's
/// `receipt`) and tells the workflow. `Err`: a dependency is unavailable. When the workflow could not be told, the answer stays recorded: the signal
/// may have arrived (an answer lost on the way back) or not, so the owner's next reply with the same decision
/// sends it again; a signal to a task that already completed is refused harmlessly.
pub async fn answer(
    deps: &Deps,
    consent: &Consent,
    decision: ConsentDecision,
    channel: ConsentChannel,
    receipt: Option<&ReplyReceipt>,
) -> Result<Answer, DependencyError> {
    let now = deps.clock.now();
    let to = ConsentStatus::from(decision);
    let Some(token) = consent.task_token.as_deref() else { return Ok(Answer::Expired) };
    let open = consent.expires_at.is_some_and(|e| now < e);
    match consent.status {
        s if s == to && open => return signal(deps, consent, decision, token, true).await,
        ConsentStatus::Approved | ConsentStatus::Declined => return Ok(Answer::AlreadyAnswered),
        ConsentStatus::Expired => return Ok(Answer::Expired),
        ConsentStatus::Closed => return closed(deps, consent).await,
        ConsentStatus::Pending if !consent.is_answerable(now) => return Ok(Answer::Expired),
        ConsentStatus::Pending => {}
    }
    let event = match decision {
        ConsentDecision::Approve => TimelineEvent::ConsentApproved,
        ConsentDecision::Decline => TimelineEvent::ConsentDeclined,
    };
    let facts = domain::TimelineFacts::OwnerAnswered { owner: consent.owner.masked(), channel };
    let entry = TimelineEntry::of(now, event, facts);
    let recording = RecordedAnswer {
        application: &consent.application_id,
        consent: &consent.id,
        to,
        channel,
        at: now,
        entry: &entry,
        receipt,
    };
    match deps.consents.record_answer(&recording).await? {
        AnswerRecording::Recorded(_) => {}
        AnswerRecording::MessageAlreadyReceived => return Ok(Answer::Redelivered),
        // Someone answered in between (SMS and app at once), or the application ended.
        AnswerRecording::NotPending => return Ok(Answer::AlreadyAnswered),
    }
    tracing::Span::current().record("applicationId", tracing::field::display(&consent.application_id));
    tracing::info!(consent_id = %consent.id, ?decision, "consent answered");
    deps.metrics.record(match decision {
        ConsentDecision::Approve => Metric::ConsentApproved,
        ConsentDecision::Decline => Metric::ConsentDeclined,
    });
    if let Some(asked) = consent.requested_at {
        let seconds = (now - asked).num_milliseconds().max(0) as f64 / 1000.0;
        deps.metrics.record(Metric::ConsentAnswerTime { seconds });
    }
    match signal(deps, consent, decision, token, false).await {
        Ok(answer) => Ok(answer),
        Err(e) => {
            tracing::warn!(error = %e, "the answer is recorded; the workflow is not told yet");
            Ok(Answer::RecordedNotPassedOn(to))
        }
    }
}

/// A closed request: withdrawn by the applicant, or ended with its application (say which).
async fn closed(deps: &Deps, consent: &Consent) -> Result<Answer, DependencyError> {
    let app = deps.applications.get(&consent.application_id).await?;
    let withdrawn = app.is_some_and(|a| a.reasons.contains(&domain::ReasonCode::Withdrawn));
    Ok(if withdrawn { Answer::Withdrawn } else { Answer::Expired })
}

/// Tells the waiting task the decision. `again`: a repeated answer whose first signal may have been lost.
pub(crate) async fn signal(
    deps: &Deps,
    consent: &Consent,
    decision: ConsentDecision,
    token: &str,
    again: bool,
) -> Result<Answer, DependencyError> {
    let sent = match decision {
        ConsentDecision::Approve => {
            let output = serde_json::to_value(ConsentTaskOutput { consent_id: consent.id.clone(), approved: true })
                .unwrap_or_default();
            deps.workflow.send_task_success(token, output).await
        }
        ConsentDecision::Decline => {
            deps.workflow.send_task_failure(token, CONSENT_DECLINED, "the owner declined").await
        }
    };
    match sent {
        Ok(()) if again => Ok(Answer::ToldAgain(ConsentStatus::from(decision))),
        Ok(()) => Ok(Answer::Recorded(ConsentStatus::from(decision))),
        // The task is over: it got the first signal, or it timed out or was stopped meanwhile.
        Err(WorkflowError::TaskTimedOut | WorkflowError::InvalidToken | WorkflowError::ExecutionDoesNotExist) => {
            if again {
                return Ok(Answer::AlreadyAnswered);
            }
            // Answered just as the wait ended: the answer came too late.
            let to = ConsentStatus::from(decision);
            let now = deps.clock.now();
            deps.consents
                .transition(&consent.application_id, &consent.id, to, ConsentStatus::Expired, None, now)
                .await?;
            Ok(Answer::Expired)
        }
        Err(e) => Err(e.into()),
    }
}
