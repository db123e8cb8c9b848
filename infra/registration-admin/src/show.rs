//! `show APPLICATION_ID`: one application as an operator needs it to answer a citizen or to act: status,
//! reasons, timeline, consents and the execution to open in the console. IINs are masked; no name or phone.

use domain::ports::{ApplicationStore, ConsentStore, TimelineStore};
use domain::ApplicationId;
use serde_json::{json, Value};

/// `None` when there is no such application.
pub async fn show<S>(store: &S, id: &ApplicationId, state_machine_arn: Option<&str>) -> Result<Option<Value>, String>
where
    S: ApplicationStore + ConsentStore + TimelineStore,
{
    let Some(app) = ApplicationStore::get(store, id).await.map_err(|e| e.to_string())? else { return Ok(None) };
    let timeline = TimelineStore::list(store, id).await.map_err(|e| e.to_string())?;
    let consents = store.for_application(id).await.map_err(|e| e.to_string())?;
    let execution = state_machine_arn.map(|arn| format!("{}:{id}", arn.replacen(":stateMachine:", ":execution:", 1)));
    Ok(Some(json!({
        "id": app.id.to_string(),
        "status": app.status.as_str(),
        "reasons": app.reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "applicant": app.applicant.masked(),
        "registrant": app.draft.registrant.masked(),
        "rka": app.draft.address.as_str(),
        "kind": app.draft.kind,
        "submittedAt": app.submitted_at,
        "updatedAt": app.updated_at,
        "notices": app.notices.as_str(),
        "timeline": timeline.iter().map(|t| json!({ "at": t.at, "event": t.event.as_str(), "detail": t.detail })).collect::<Vec<_>>(),
        "consents": consents.iter().map(|c| json!({
            "id": c.id.to_string(),
            "owner": c.owner.masked(),
            "status": c.status.as_str(),
            "channel": c.channel.as_ref().map(|ch| ch.as_str()),
            "requestedAt": c.requested_at,
            "expiresAt": c.expires_at,
            "answeredAt": c.answered_at,
        })).collect::<Vec<_>>(),
        "execution": execution,
    })))
}
