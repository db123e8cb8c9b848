use super::MemoryStore;
use crate::domain::SigningRequestId;
use crate::errors::StoreError;
use crate::ports::{SigningRequest, SigningStore};
use async_trait::async_trait;

#[async_trait]
impl SigningStore for MemoryStore {
    async fn put(&self, request: &SigningRequest) -> Result<(), StoreError> {
        self.tables().signing.insert(request.id.clone(), request.clone());
        Ok(())
    }

    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        Ok(self.tables().signing.get(id).cloned())
    }

    async fn spend_attempt(&self, id: &SigningRequestId) -> Result<Option<u8>, StoreError> {
        let mut t = self.tables();
        match t.signing.get_mut(id) {
            Some(r) if !r.used && r.attempts_left > 0 => {
                r.attempts_left -= 1;
                Ok(Some(r.attempts_left))
            }
            _ => Ok(None),
        }
    }

    async fn consume(&self, id: &SigningRequestId, key: Option<&str>) -> Result<bool, StoreError> {
        let mut t = self.tables();
        match t.signing.get_mut(id) {
            Some(r) if !r.used => {
                r.used = true;
                r.used_for_key = key.map(str::to_string);
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
