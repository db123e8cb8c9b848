use super::MemoryStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::errors::StoreError;
use domain::ports::{Admission, ApplicationStore, CreateOutcome, Page, Transition};
use domain::{Application, ApplicationId, Iin, NoticeState, ReasonCode, Status, TimelineEntry};

#[async_trait]
impl ApplicationStore for MemoryStore {
    async fn create(
        &self,
        app: &Application,
        history: &[TimelineEntry],
        admission: &Admission<'_>,
    ) -> Result<CreateOutcome, StoreError> {
        let mut t = self.tables();
        let applicant = app.applicant.as_str().to_string();
        if let Some(key) = &app.idempotency_key {
            if let Some(existing) = t.idempotency.get(&(applicant.clone(), key.clone())) {
                if existing == &app.id {
                    return Ok(CreateOutcome::Created);
                }
                let existing = t.applications.get(existing).cloned();
                return existing
                    .map(CreateOutcome::IdempotentReplay)
                    .ok_or_else(|| StoreError::Corrupt("idempotency key without application".into()));
            }
        }
        if let Some(open) = t.open_by_registrant.get(app.draft.registrant.as_str()) {
            if open == &app.id {
                // An earlier try of this very write was applied.
                return Ok(CreateOutcome::Created);
            }
            return Ok(CreateOutcome::RegistrantHasOpenApplication(open.clone()));
        }
        if let Some((id, code)) = admission.signed_with {
            let usable = t
                .signing
                .get(id)
                .is_some_and(|r| r.open_to(&app.applicant, &app.digest, app.submitted_at) && &r.code_hash == code);
            if !usable {
                return Ok(CreateOutcome::SignatureUsed);
            }
        }
        if admission.eds_seal.is_some_and(|seal| t.eds_seals.contains(seal)) {
            return Ok(CreateOutcome::SignatureUsed);
        }
        if let Some(hit) = t.count(admission.limits) {
            return Ok(CreateOutcome::Limited(hit));
        }
        if let Some(seal) = admission.eds_seal {
            t.eds_seals.insert(seal.to_string());
        }
        if let Some(r) = admission.signed_with.and_then(|(id, _)| t.signing.get_mut(id)) {
            r.used = true;
            r.used_by = Some(app.id.clone());
            r.used_for_key = app.idempotency_key.clone();
        }
        if let Some(key) = &app.idempotency_key {
            t.idempotency.insert((applicant.clone(), key.clone()), app.id.clone());
        }
        t.open_by_registrant.insert(app.draft.registrant.as_str().to_string(), app.id.clone());
        t.by_applicant.entry(applicant).or_default().push(app.id.clone());
        t.applications.insert(app.id.clone(), app.clone());
        t.timeline.entry(app.id.clone()).or_default().extend_from_slice(history);
        Ok(CreateOutcome::Created)
    }

    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError> {
        Ok(self.tables().applications.get(id).cloned())
    }

    async fn open_for(&self, registrant: &Iin) -> Result<Option<ApplicationId>, StoreError> {
        Ok(self.tables().open_by_registrant.get(registrant.as_str()).cloned())
    }

    async fn find_by_idempotency_key(&self, applicant: &Iin, key: &str) -> Result<Option<Application>, StoreError> {
        let t = self.tables();
        let id = t.idempotency.get(&(applicant.as_str().to_string(), key.to_string()));
        Ok(id.and_then(|id| t.applications.get(id)).cloned())
    }

    async fn list_for_applicant(
        &self,
        applicant: &Iin,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Application>, StoreError> {
        let t = self.tables();
        let ids = t.by_applicant.get(applicant.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let newest_first = ids.iter().rev();
        let start = match cursor {
            Some(c) => match ids.iter().rev().position(|id| id.as_str() == c) {
                Some(i) => i + 1,
                None => return Err(StoreError::BadCursor),
            },
            None => 0,
        };
        let items: Vec<Application> =
            newest_first.skip(start).take(limit).filter_map(|id| t.applications.get(id).cloned()).collect();
        let next_cursor = (start + items.len() < ids.len()).then(|| items.last().map(|a| a.id.to_string())).flatten();
        Ok(Page { items, next_cursor })
    }

    async fn set_status(
        &self,
        current: &Application,
        from: &[Status],
        to: Status,
        reasons: &[ReasonCode],
        at: DateTime<Utc>,
        history: &[TimelineEntry],
    ) -> Result<Transition, StoreError> {
        let mut t = self.tables();
        let id = &current.id;
        let Some(app) = t.applications.get_mut(id) else { return Ok(Transition::NotFound) };
        if app.status != current.status {
            // As DynamoDB's condition: the caller's read is stale.
            let app = app.clone();
            return Ok(if app.status == to { Transition::Done(app) } else { Transition::Refused(app) });
        }
        if !from.contains(&app.status) {
            return Ok(Transition::Refused(app.clone()));
        }
        app.status = to;
        app.reasons = reasons.to_vec();
        app.updated_at = at;
        if to.is_terminal() {
            app.notices = NoticeState::Pending;
        }
        let app = app.clone();
        t.timeline.entry(id.clone()).or_default().extend_from_slice(history);
        if to.is_terminal() {
            let registrant = app.draft.registrant.as_str();
            if t.open_by_registrant.get(registrant) == Some(&app.id) {
                t.open_by_registrant.remove(registrant);
            }
        }
        Ok(Transition::Done(app))
    }

    async fn claim_notices(
        &self,
        id: &ApplicationId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut t = self.tables();
        let Some(app) = t.applications.get_mut(id) else { return Ok(false) };
        let free = app.notices_lease_ms.is_none_or(|until| until < now.timestamp_millis());
        if app.notices != NoticeState::Pending || !free {
            return Ok(false);
        }
        app.notices_lease_ms = Some(lease_until.timestamp_millis());
        Ok(true)
    }

    async fn finish_notices(&self, id: &ApplicationId, sent: bool) -> Result<(), StoreError> {
        let mut t = self.tables();
        if let Some(app) = t.applications.get_mut(id).filter(|a| a.notices == NoticeState::Pending) {
            app.notices_lease_ms = None;
            if sent {
                app.notices = NoticeState::Sent;
            }
        }
        Ok(())
    }
}
