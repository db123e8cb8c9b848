use super::MemoryStore;
use async_trait::async_trait;
use domain::errors::StoreError;
use domain::ports::TimelineStore;
use domain::{ApplicationId, TimelineEntry};

#[async_trait]
impl TimelineStore for MemoryStore {
    async fn append(&self, id: &ApplicationId, entry: TimelineEntry) -> Result<(), StoreError> {
        self.tables().timeline.entry(id.clone()).or_default().push(entry);
        Ok(())
    }

    async fn list(&self, id: &ApplicationId) -> Result<Vec<TimelineEntry>, StoreError> {
        Ok(self.tables().timeline.get(id).cloned().unwrap_or_default())
    }
}
