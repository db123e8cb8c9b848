//! The texts of an outcome, sent once after it is committed: claimed by one conditional write, marked sent
//! after; a failed send leaves them pending and fails the step as `SmsUnavailable`, so its retry sends them.
//! Who is told what is `crate::notices`; this file looks the people up and sends.

use super::EndingPorts;
use crate::errors::StepError;
use crate::notices::{self, Notice};
use crate::{Application, NoticeState, Status};
use chrono::Duration;

/// How long one sender holds an outcome's texts: longer than a function runs (10 s), so that a live sender
/// is never doubled, and short enough that a retry of the step takes over from one that died.
const NOTICE_LEASE_SECONDS: i64 = 15;

pub(crate) async fn deliver_notices(deps: &EndingPorts, app: &Application) -> Result<(), StepError> {
    if app.notices != NoticeState::Pending {
        return Ok(());
    }
    let now = deps.clock.now();
    if !deps.applications.claim_notices(&app.id, now, now + Duration::seconds(NOTICE_LEASE_SECONDS)).await? {
        let current = deps.applications.get(&app.id).await?;
        if current.is_some_and(|a| a.notices == NoticeState::Pending) {
            // Another attempt holds them: retried after its lease, in case it died.
            return Err(StepError::StoreUnavailable(crate::errors::StoreError::Unavailable(
                "the outcome's texts are being sent by another attempt".into(),
            )));
        }
        return Ok(());
    }
    let sent = match app.status {
        Status::Registered => notify_registered(deps, app).await,
        _ => notify_ended(deps, app).await,
    };
    match sent {
        Ok(()) => {
            deps.applications.finish_notices(&app.id, true).await?;
            Ok(())
        }
        Err(e) => {
            if let Err(release) = deps.applications.finish_notices(&app.id, false).await {
                tracing::warn!(error = %release, "could not release the texts' claim; it lapses by itself");
            }
            Err(e)
        }
    }
}

/// Two registry round trips: the people and addresses, then the owners (`crate::notices` says who and what).
async fn notify_registered(deps: &EndingPorts, app: &Application) -> Result<(), StepError> {
    let (people, addresses) = notices::registered_lookup(app);
    let first = deps.registries.lookup(&people, &addresses).await?;
    let (new_owners, old_owners) = notices::owners_to_tell(app, &first);
    let all: Vec<_> = new_owners.into_iter().chain(old_owners).collect();
    let owners = if all.is_empty() { Default::default() } else { deps.registries.lookup(&all, &[]).await? };
    send(deps, notices::registered(app, &first, &owners)).await
}

/// One registry round trip: the applicant, the registrant and the owners who were asked.
async fn notify_ended(deps: &EndingPorts, app: &Application) -> Result<(), StepError> {
    let consents = deps.consents.for_application(&app.id).await?;
    let found = deps.registries.lookup(&notices::ended_lookup(app, &consents), &[]).await?;
    send(deps, notices::ended(app, &consents, &found)).await
}

async fn send(deps: &EndingPorts, texts: Vec<Notice>) -> Result<(), StepError> {
    for n in texts {
        deps.sms.send(&n.to, &n.message).await?;
    }
    Ok(())
}
