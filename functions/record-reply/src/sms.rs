//! An SMS reply to 1414 from an owner's phone, processed once per message (the provider's message id):
//! what it led to is recorded as a [`ReplyReceipt`] in the same write as the decision it made (an answer) or
//! alone (a wrong code, a reply not understood), with the acknowledgement owed to the sender pending. The
//! acknowledgement is sent after the commit, claimed once. What follows a committed decision is never the
//! decision's failure: a text that cannot be sent stays pending (counted as `SmsSendErrors`, which an alarm
//! watches), a workflow that cannot be told is told by the redelivery of the message, which Lambda makes of an
//! invocation that answers [`SmsReplyResult::unfinished`].

use super::answer::{answer, signal, Answer};
use super::Deps;
use chrono::Duration;
use domain::errors::DependencyError;
use domain::sms::SmsMessage;
use domain::texts::sms::Template;
use domain::{
    match_reply, replies_match_requests_since, Acknowledgement, ConsentChannel, ConsentDecision, ConsentReply,
    ConsentStatus, InboundMessageId, Language, NoticeState, PhoneNumber, ReplyMatch, ReplyOutcome, ReplyReceipt,
};
use serde::Serialize;

/// How long one delivery holds the acknowledgement: longer than a function runs (10 s), so a live sender is
/// never doubled, short enough that a redelivery takes over from one that died.
const ACK_LEASE_SECONDS: i64 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsReplyResult {
    /// What the message led to: the first delivery's outcome, on every delivery of it.
    pub outcome: ReplyOutcome,
    /// Whether the answer SMS has gone back to the sender (by this delivery or an earlier one).
    pub replied: bool,
    /// The reply is recorded but something after it is not done yet (its answer SMS, or telling the workflow):
    /// a redelivery of the message finishes it and decides nothing again.
    pub unfinished: bool,
    /// This delivery found the message processed already: it changed nothing.
    pub redelivery: bool,
}

/// `Err`: a service was unavailable before anything was decided: the message should be delivered again.
#[tracing::instrument(name = "record-reply", skip_all, fields(function = "record-reply", applicationId = tracing::field::Empty))]
pub async fn handle_sms(
    deps: &Deps,
    message: &InboundMessageId,
    from: &str,
    text: &str,
) -> Result<SmsReplyResult, DependencyError> {
    if let Some(first) = deps.consents.receipt(message).await? {
        return redelivered(deps, first).await;
    }
    let Ok(phone) = PhoneNumber::parse(from) else {
        return Ok(SmsReplyResult {
            outcome: ReplyOutcome::Ignored,
            replied: false,
            unfinished: false,
            redelivery: false,
        });
    };
    let now = deps.clock.now();
    let since = replies_match_requests_since(now);
    let consents = deps.consents.for_phone(&phone, since).await?;
    let language = match consents.first() {
        Some(c) => deps.registries.person(&c.owner).await?.map(|p| p.language).unwrap_or_default(),
        None => Language::default(),
    };
    let receipt = |outcome: ReplyOutcome, template: Template| ReplyReceipt {
        message: message.clone(),
        outcome,
        ack: Some(Acknowledgement {
            to: phone.clone(),
            text: template.render(language).text,
            language,
            state: NoticeState::Pending,
        }),
        received_at: now,
        answered: None,
    };
    let decided = match ConsentReply::parse(text) {
        _ if consents.is_empty() => receipt(ReplyOutcome::NothingPending, Template::ReplyNothingPending),
        Err(_) => receipt(ReplyOutcome::NotUnderstood, Template::ReplyNotUnderstood),
        Ok(reply) => match match_reply(&consents, &deps.code_key, &reply.code) {
            ReplyMatch::NothingRequested => receipt(ReplyOutcome::NothingPending, Template::ReplyNothingPending),
            ReplyMatch::WrongCode => receipt(ReplyOutcome::WrongCode, Template::ReplyWrongCode),
            ReplyMatch::Consent(consent) => {
                let (outcome, template) = recorded(reply.decision);
                let intended = ReplyReceipt {
                    answered: Some((consent.application_id.clone(), consent.id.clone())),
                    ..receipt(outcome, template)
                };
                let answered = match answer(deps, consent, reply.decision, ConsentChannel::Sms, Some(&intended)).await {
                    Ok(answered) => answered,
                    Err(e) => return after_a_failure(deps, message, e).await,
                };
                match answered {
                    // The receipt was written with the answer, in its transaction.
                    Answer::Recorded(_) => return acknowledge(deps, &intended, false).await,
                    // Its answer SMS waits until the workflow is told: by the redelivery of this message.
                    Answer::RecordedNotPassedOn(_) => {
                        return Ok(SmsReplyResult {
                            outcome: intended.outcome,
                            replied: false,
                            unfinished: true,
                            redelivery: false,
                        })
                    }
                    Answer::Redelivered => return redelivered_now(deps, message).await,
                    Answer::ToldAgain(_) => {
                        let (outcome, template) = recorded(reply.decision);
                        receipt(outcome, template)
                    }
                    Answer::AlreadyAnswered => receipt(ReplyOutcome::AlreadyAnswered, Template::ReplyAlreadyAnswered),
                    Answer::Withdrawn => receipt(ReplyOutcome::Withdrawn, Template::ReplyWithdrawn),
                    Answer::Expired => {
                        let expired = receipt(ReplyOutcome::Expired, Template::ReplyExpired);
                        // Recorded just as the wait ended, and moved to EXPIRED: its receipt says so before
                        // anything is sent (it was written with the answer, and its text is still pending).
                        if deps.consents.amend_receipt(&expired).await? {
                            return acknowledge(deps, &expired, false).await;
                        }
                        expired
                    }
                }
            }
        },
    };
    if !deps.consents.record_receipt(&decided).await? {
        // Another delivery of this message was recorded first.
        return redelivered_now(deps, message).await;
    }
    acknowledge(deps, &decided, false).await
}

/// A dependency failed while the message was being answered: if the answer was committed anyway (a write
/// applied whose reply was lost: its receipt is there), the reply is recorded and what followed it is
/// unfinished; otherwise nothing changed.
async fn after_a_failure(
    deps: &Deps,
    message: &InboundMessageId,
    failure: DependencyError,
) -> Result<SmsReplyResult, DependencyError> {
    match deps.consents.receipt(message).await {
        Ok(Some(first)) => {
            tracing::warn!(error = %failure, "the reply is recorded; telling the workflow is left to its redelivery");
            Ok(SmsReplyResult { outcome: first.outcome, replied: false, unfinished: true, redelivery: false })
        }
        _ => Err(failure),
    }
}

fn recorded(decision: ConsentDecision) -> (ReplyOutcome, Template<'static>) {
    match decision {
        ConsentDecision::Approve => (ReplyOutcome::Approved, Template::ConsentApproved),
        ConsentDecision::Decline => (ReplyOutcome::Declined, Template::ConsentDeclined),
    }
}

async fn redelivered_now(deps: &Deps, message: &InboundMessageId) -> Result<SmsReplyResult, DependencyError> {
    match deps.consents.receipt(message).await? {
        Some(first) => redelivered(deps, first).await,
        None => Err(DependencyError::Store(domain::errors::StoreError::Unavailable(
            "a message's receipt is neither written nor readable".into(),
        ))),
    }
}

/// A message processed before: its first outcome, nothing decided again. The workflow is told the answer
/// again (the first delivery may have failed before it could), and the acknowledgement sent if still owed.
async fn redelivered(deps: &Deps, first: ReplyReceipt) -> Result<SmsReplyResult, DependencyError> {
    tracing::info!(outcome = %first.outcome, "a message delivered again: its first outcome stands");
    if let (Some((application, consent)), Some(decision)) = (&first.answered, decision_of(first.outcome)) {
        if let Some(consent) = deps.consents.get(application, consent).await? {
            let open = consent.expires_at.is_some_and(|e| deps.clock.now() < e);
            let still = consent.status == ConsentStatus::from(decision) && open;
            if let (Some(token), true) = (consent.task_token.as_deref(), still) {
                signal(deps, &consent, decision, token, true).await?;
            }
        }
    }
    acknowledge(deps, &first, true).await
}

fn decision_of(outcome: ReplyOutcome) -> Option<ConsentDecision> {
    match outcome {
        ReplyOutcome::Approved => Some(ConsentDecision::Approve),
        ReplyOutcome::Declined => Some(ConsentDecision::Decline),
        _ => None,
    }
}

/// Sends the receipt's acknowledgement if it is owed, claimed once (one conditional write) and marked sent
/// after; a failed send leaves it pending for the next delivery.
async fn acknowledge(deps: &Deps, receipt: &ReplyReceipt, redelivery: bool) -> Result<SmsReplyResult, DependencyError> {
    let result =
        |replied: bool, unfinished: bool| SmsReplyResult { outcome: receipt.outcome, replied, unfinished, redelivery };
    let Some(ack) = &receipt.ack else { return Ok(result(false, false)) };
    if ack.state == NoticeState::Sent {
        return Ok(result(true, false));
    }
    let now = deps.clock.now();
    let lease = now + Duration::seconds(ACK_LEASE_SECONDS);
    if !deps.consents.claim_ack(&receipt.message, now, lease).await? {
        // Sent by another delivery meanwhile, or being sent by it now.
        let still_owed = deps.consents.receipt(&receipt.message).await?.is_some_and(|r| r.ack_pending());
        return Ok(result(!still_owed, still_owed));
    }
    let text = SmsMessage::new(ack.text.clone()).in_language(ack.language);
    match deps.sms.send(&ack.to, &text).await {
        Ok(()) => {
            deps.consents.finish_ack(&receipt.message, true).await?;
            Ok(result(true, false))
        }
        Err(e) => {
            tracing::warn!(error = %e, "the answer SMS could not be sent; it stays pending for a redelivery");
            if let Err(release) = deps.consents.finish_ack(&receipt.message, false).await {
                tracing::warn!(error = %release, "could not release the answer's claim; it lapses by itself");
            }
            Ok(result(false, true))
        }
    }
}
