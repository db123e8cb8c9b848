use super::{MemoryStore, Tables};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::errors::StoreError;
use domain::ports::{AnswerRecording, ConsentStore, MarkRequested, RecordedAnswer};
use domain::rate_limits::Counter;
use domain::{
    ApplicationId, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, InboundMessageId, NoticeState, PhoneNumber,
    ReplyReceipt,
};

/// The consents an index names, as stored now.
fn consents_at(t: &Tables, ids: Option<&Vec<ConsentId>>) -> Vec<Consent> {
    ids.into_iter().flatten().filter_map(|id| t.consents.get(id)).cloned().collect()
}

/// As the ConditionCheck on the application item in DynamoDB's transaction.
fn application_open(t: &Tables, id: &ApplicationId) -> bool {
    t.applications.get(id).is_some_and(|a| !a.status.is_terminal())
}

#[async_trait]
impl ConsentStore for MemoryStore {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError> {
        let mut t = self.tables();
        for c in consents {
            if t.consents.contains_key(&c.id) {
                continue;
            }
            t.consents.insert(c.id.clone(), c.clone());
            t.consents_by_application.entry(c.application_id.clone()).or_default().push(c.id.clone());
            t.consents_by_owner.entry(c.owner.as_str().to_string()).or_default().push(c.id.clone());
            if let Some(phone) = &c.owner_phone {
                t.consents_by_phone.entry(phone.as_str().to_string()).or_default().push(c.id.clone());
            }
        }
        Ok(())
    }

    async fn get(&self, application: &ApplicationId, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        Ok(self.tables().consents.get(id).filter(|c| &c.application_id == application).cloned())
    }

    async fn find(&self, id: &ConsentId) -> Result<Option<Consent>, StoreError> {
        Ok(self.tables().consents.get(id).cloned())
    }

    async fn for_application(&self, id: &ApplicationId) -> Result<Vec<Consent>, StoreError> {
        let t = self.tables();
        let mut v = consents_at(&t, t.consents_by_application.get(id));
        v.sort_by(|a, b| a.owner.cmp(&b.owner));
        Ok(v)
    }

    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError> {
        let t = self.tables();
        let mut v = consents_at(&t, t.consents_by_owner.get(owner.as_str()));
        v.retain(|c| c.status == ConsentStatus::Pending);
        Ok(v)
    }

    async fn for_phone(&self, phone: &PhoneNumber, since: DateTime<Utc>) -> Result<Vec<Consent>, StoreError> {
        let t = self.tables();
        // Ids are appended as requests go out: walk back from the newest until one is older than `since`.
        let ids = t.consents_by_phone.get(phone.as_str()).map(Vec::as_slice).unwrap_or_default();
        let mut recent: Vec<Consent> = ids
            .iter()
            .rev()
            .filter_map(|id| t.consents.get(id))
            .take_while(|c| c.requested_at.is_none_or(|at| at >= since))
            .filter(|c| c.owner_phone.as_ref() == Some(phone))
            .cloned()
            .collect();
        recent.reverse();
        Ok(recent)
    }

    async fn mark_requested(&self, consent: &Consent, limits: &[Counter]) -> Result<MarkRequested, StoreError> {
        let mut t = self.tables();
        if !application_open(&t, &consent.application_id) {
            return Ok(MarkRequested::Closed);
        }
        let pending = t.consents.get(&consent.id).is_some_and(|c| c.status == ConsentStatus::Pending);
        if !pending {
            return Ok(MarkRequested::Closed);
        }
        if let Some(hit) = t.count(limits) {
            return Ok(MarkRequested::Limited(hit));
        }
        match t.consents.get_mut(&consent.id) {
            Some(stored) => {
                let new_phone = consent.owner_phone.as_ref().filter(|p| stored.owner_phone.as_ref() != Some(*p));
                let new_phone = new_phone.map(|p| p.as_str().to_string());
                *stored = consent.clone();
                if let Some(phone) = new_phone {
                    t.consents_by_phone.entry(phone).or_default().push(consent.id.clone());
                }
                Ok(MarkRequested::Marked)
            }
            None => Ok(MarkRequested::Closed),
        }
    }
    async fn transition(
        &self,
        application: &ApplicationId,
        id: &ConsentId,
        from: ConsentStatus,
        to: ConsentStatus,
        channel: Option<ConsentChannel>,
        at: DateTime<Utc>,
    ) -> Result<Option<Consent>, StoreError> {
        let mut t = self.tables();
        let answer = matches!(to, ConsentStatus::Approved | ConsentStatus::Declined);
        if answer && !application_open(&t, application) {
            return Ok(None);
        }
        match t.consents.get_mut(id) {
            Some(c) if c.status == from && &c.application_id == application => {
                c.status = to;
                c.channel = channel;
                c.answered_at = (to != ConsentStatus::Pending).then_some(at);
                Ok(Some(c.clone()))
            }
            _ => Ok(None),
        }
    }

    async fn record_answer(&self, a: &RecordedAnswer<'_>) -> Result<AnswerRecording, StoreError> {
        let mut t = self.tables();
        // The transaction's conditions, checked before anything is written.
        if a.receipt.is_some_and(|r| t.receipts.contains_key(r.message.as_str())) {
            return Ok(AnswerRecording::MessageAlreadyReceived);
        }
        if !application_open(&t, a.application) {
            return Ok(AnswerRecording::NotPending);
        }
        let answered = match t.consents.get_mut(a.consent) {
            Some(c) if c.status == ConsentStatus::Pending && &c.application_id == a.application => {
                c.status = a.to;
                c.channel = Some(a.channel);
                c.answered_at = Some(a.at);
                c.clone()
            }
            _ => return Ok(AnswerRecording::NotPending),
        };
        t.timeline.entry(a.application.clone()).or_default().push(a.entry.clone());
        if let Some(r) = a.receipt {
            t.receipts.insert(r.message.as_str().to_string(), (r.clone(), None));
        }
        Ok(AnswerRecording::Recorded(Box::new(answered)))
    }

    async fn record_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        let mut t = self.tables();
        if t.receipts.contains_key(receipt.message.as_str()) {
            return Ok(false);
        }
        t.receipts.insert(receipt.message.as_str().to_string(), (receipt.clone(), None));
        Ok(true)
    }

    async fn amend_receipt(&self, receipt: &ReplyReceipt) -> Result<bool, StoreError> {
        let mut t = self.tables();
        match t.receipts.get_mut(receipt.message.as_str()) {
            Some((stored, _)) if stored.ack_pending() => {
                *stored = receipt.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn receipt(&self, message: &InboundMessageId) -> Result<Option<ReplyReceipt>, StoreError> {
        Ok(self.tables().receipts.get(message.as_str()).map(|(r, _)| r.clone()))
    }

    async fn claim_ack(
        &self,
        message: &InboundMessageId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut t = self.tables();
        match t.receipts.get_mut(message.as_str()) {
            Some((r, lease)) if r.ack_pending() && lease.is_none_or(|until| until <= now) => {
                *lease = Some(lease_until);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn finish_ack(&self, message: &InboundMessageId, sent: bool) -> Result<(), StoreError> {
        let mut t = self.tables();
        if let Some((r, lease)) = t.receipts.get_mut(message.as_str()) {
            *lease = None;
            if let (true, Some(ack)) = (sent, r.ack.as_mut()) {
                ack.state = NoticeState::Sent;
            }
        }
        Ok(())
    }
}
