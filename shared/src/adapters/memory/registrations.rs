use super::MemoryStore;
use crate::domain::{Iin, Registration, RegistrationStatus, Rka};
use crate::errors::StoreError;
use crate::ports::RegistrationStore;
use async_trait::async_trait;
use chrono::NaiveDate;

#[async_trait]
impl RegistrationStore for MemoryStore {
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError> {
        let t = self.tables();
        let ids = t.registrations_by_person.get(registrant.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        Ok(ids.iter().filter_map(|id| t.registrations.get(id).cloned()).collect())
    }

    async fn register(&self, new: &Registration, close: Option<(&str, NaiveDate)>) -> Result<bool, StoreError> {
        let mut t = self.tables();
        if t.registrations.contains_key(&new.id) {
            return Ok(false);
        }
        if let Some((id, last_day)) = close {
            match t.registrations.get_mut(id) {
                Some(old) if old.status == RegistrationStatus::Active => {
                    old.status = RegistrationStatus::Closed;
                    old.valid_to = Some(last_day);
                }
                _ => return Err(StoreError::Unavailable(format!("registration {id} changed meanwhile; retry"))),
            }
        }
        t.registrations.insert(new.id.clone(), new.clone());
        t.registrations_by_person.entry(new.registrant.as_str().to_string()).or_default().push(new.id.clone());
        t.registrations_by_address.entry(new.address.to_string()).or_default().push(new.id.clone());
        Ok(true)
    }

    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError> {
        let t = self.tables();
        let ids = t.registrations_by_address.get(&address.to_string()).map(Vec::as_slice).unwrap_or(&[]);
        Ok(ids
            .iter()
            .rev()
            .filter_map(|id| t.registrations.get(id))
            .take_while(|r| r.valid_from >= since)
            .take(at_most.saturating_add(1))
            .count())
    }
}
