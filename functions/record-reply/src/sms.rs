//! An SMS reply to 1414 from an owner's phone.

use super::answer::{answer, Answer};
use super::Deps;
use domain::errors::DependencyError;
use domain::texts::sms::Template;
use domain::{
    match_reply, replies_match_requests_since, ConsentChannel, ConsentReply, ConsentStatus, Language, PhoneNumber,
    ReplyMatch, ReplyOutcome,
};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsReplyResult {
    pub outcome: ReplyOutcome,
    /// Whether an answer SMS went back to the sender.
    pub replied: bool,
}

/// `Err`: a service was unavailable and nothing changed: the inbound message should be retried.
#[tracing::instrument(name = "record-reply", skip_all, fields(function = "record-reply", applicationId = tracing::field::Empty))]
pub async fn handle_sms(deps: &Deps, from: &str, text: &str) -> Result<SmsReplyResult, DependencyError> {
    let Ok(phone) = PhoneNumber::parse(from) else {
        return Ok(SmsReplyResult { outcome: ReplyOutcome::Ignored, replied: false });
    };
    let since = replies_match_requests_since(deps.clock.now());
    let consents = deps.consents.for_phone(&phone, since).await?;
    let language = match consents.first() {
        Some(c) => deps.registries.person(&c.owner).await?.map(|p| p.language).unwrap_or_default(),
        None => Language::default(),
    };
    let (outcome, template) = match ConsentReply::parse(text) {
        _ if consents.is_empty() => (ReplyOutcome::NothingPending, Template::ReplyNothingPending),
        Err(_) => (ReplyOutcome::NotUnderstood, Template::ReplyNotUnderstood),
        Ok(reply) => match match_reply(&consents, &deps.code_key, &reply.code) {
            ReplyMatch::NothingRequested => (ReplyOutcome::NothingPending, Template::ReplyNothingPending),
            ReplyMatch::WrongCode => (ReplyOutcome::WrongCode, Template::ReplyWrongCode),
            ReplyMatch::Consent(consent) => match answer(deps, consent, reply.decision, ConsentChannel::Sms).await? {
                Answer::Recorded(ConsentStatus::Approved) => (ReplyOutcome::Approved, Template::ConsentApproved),
                Answer::Recorded(_) => (ReplyOutcome::Declined, Template::ConsentDeclined),
                Answer::AlreadyAnswered => (ReplyOutcome::AlreadyAnswered, Template::ReplyAlreadyAnswered),
                Answer::Expired => (ReplyOutcome::Expired, Template::ReplyExpired),
                Answer::Withdrawn => (ReplyOutcome::Withdrawn, Template::ReplyWithdrawn),
            },
        },
    };
    deps.sms.send(&phone, &template.render(language)).await?;
    Ok(SmsReplyResult { outcome, replied: true })
}
