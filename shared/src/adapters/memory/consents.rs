use super::MemoryStore;
use crate::domain::{ApplicationId, Consent, ConsentChannel, ConsentId, ConsentStatus, Iin, PhoneNumber};
use crate::errors::StoreError;
use crate::ports::ConsentStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl ConsentStore for MemoryStore {
    async fn create_all(&self, consents: &[Consent]) -> Result<(), StoreError> {
        let mut t = self.tables();
        for c in consents {
            t.consents.entry(c.id.clone()).or_insert_with(|| c.clone());
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
        let mut v: Vec<Consent> = t.consents.values().filter(|c| &c.application_id == id).cloned().collect();
        v.sort_by(|a, b| a.owner.cmp(&b.owner));
        Ok(v)
    }

    async fn pending_for_owner(&self, owner: &Iin) -> Result<Vec<Consent>, StoreError> {
        let t = self.tables();
        Ok(t.consents.values().filter(|c| &c.owner == owner && c.status == ConsentStatus::Pending).cloned().collect())
    }

    async fn for_phone(&self, phone: &PhoneNumber) -> Result<Vec<Consent>, StoreError> {
        let t = self.tables();
        Ok(t.consents.values().filter(|c| c.owner_phone.as_ref() == Some(phone)).cloned().collect())
    }

    async fn mark_requested(&self, consent: &Consent) -> Result<bool, StoreError> {
        let mut t = self.tables();
        match t.consents.get_mut(&consent.id) {
            Some(stored) if stored.status == ConsentStatus::Pending => {
                *stored = consent.clone();
                Ok(true)
            }
            _ => Ok(false),
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
}
