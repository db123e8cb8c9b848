use super::MemoryStore;
use async_trait::async_trait;
use domain::certificate::{CertificateRecord, DocumentNumber};
use domain::errors::StoreError;
use domain::ports::CertificateStore;
use domain::rate_limits::{Counter, LimitHit};
use domain::TimelineEntry;

#[async_trait]
impl CertificateStore for MemoryStore {
    async fn issue(&self, record: &CertificateRecord, entry: TimelineEntry) -> Result<bool, StoreError> {
        let mut t = self.tables();
        if t.certificates.contains_key(&record.number) {
            return Ok(false);
        }
        t.certificates.insert(record.number.clone(), record.clone());
        t.timeline.entry(record.application_id.clone()).or_default().push(entry);
        Ok(true)
    }

    async fn get(&self, number: &DocumentNumber) -> Result<Option<CertificateRecord>, StoreError> {
        Ok(self.tables().certificates.get(number).cloned())
    }

    async fn count_check(&self, counter: &Counter) -> Result<Option<LimitHit>, StoreError> {
        Ok(self.tables().count(std::slice::from_ref(counter)))
    }
}
