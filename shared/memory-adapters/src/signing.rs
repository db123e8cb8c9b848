use super::MemoryStore;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::errors::StoreError;
use domain::ports::{CodeCheck, SigningRequest, SigningStore};
use domain::rate_limits::{Counter, LimitHit};
use domain::{CodeHash, Iin, SigningRequestId};

#[async_trait]
impl SigningStore for MemoryStore {
    async fn put(&self, request: &SigningRequest, limits: &[Counter]) -> Result<Option<LimitHit>, StoreError> {
        let mut t = self.tables();
        if let Some(hit) = t.count(limits) {
            return Ok(Some(hit));
        }
        t.signing.insert(request.id.clone(), request.clone());
        Ok(None)
    }

    async fn get(&self, id: &SigningRequestId) -> Result<Option<SigningRequest>, StoreError> {
        Ok(self.tables().signing.get(id).cloned())
    }

    async fn withdraw(&self, request: &SigningRequest, limits: &[Counter]) -> Result<bool, StoreError> {
        let mut t = self.tables();
        if t.signing.get(&request.id).is_none_or(|r| r.used) {
            return Ok(false);
        }
        t.signing.remove(&request.id);
        t.uncount(limits);
        Ok(true)
    }

    async fn try_code(
        &self,
        id: &SigningRequestId,
        applicant: &Iin,
        digest: &str,
        candidate: &CodeHash,
        now: DateTime<Utc>,
    ) -> Result<CodeCheck, StoreError> {
        let mut t = self.tables();
        match t.signing.get_mut(id) {
            Some(r) if r.open_to(applicant, digest, now) => {
                if &r.code_hash == candidate {
                    Ok(CodeCheck::Right)
                } else {
                    r.attempts_left -= 1;
                    Ok(CodeCheck::Wrong { attempts_left: r.attempts_left })
                }
            }
            other => Ok(CodeCheck::NotTried(other.cloned())),
        }
    }
}
