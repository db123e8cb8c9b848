use super::MemoryStore;
use crate::domain::{ApplicationId, TimelineEntry};
use crate::errors::StoreError;
use crate::ports::TimelineStore;
use async_trait::async_trait;

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
