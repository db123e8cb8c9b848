use super::MemoryStore;
use async_trait::async_trait;
use chrono::NaiveDate;
use domain::errors::StoreError;
use domain::ports::{Registering, RegistrationStore, Transition};
use domain::{Iin, Registration, RegistrationStatus, Rka, Status};

#[async_trait]
impl RegistrationStore for MemoryStore {
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError> {
        let t = self.tables();
        let ids = t.registrations_by_person.get(registrant.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        Ok(ids.iter().filter_map(|id| t.registrations.get(id).cloned()).collect())
    }

    async fn register(
        &self,
        new: &Registration,
        close: Option<(&Registration, NaiveDate)>,
        change: &Registering<'_>,
    ) -> Result<Transition, StoreError> {
        // One lock: every condition is checked before anything is written, as in DynamoDB's transaction.
        let mut t = self.tables();
        let id = &change.current.id;
        let Some(stored) = t.applications.get(id) else { return Ok(Transition::NotFound) };
        if stored.status == Status::Registered {
            return Ok(Transition::Done(stored.clone()));
        }
        if stored.status != change.current.status || !Status::OPEN.contains(&stored.status) {
            return Ok(Transition::Refused(stored.clone()));
        }
        if t.registrations.contains_key(&new.id) {
            return Err(StoreError::Unavailable(format!("registration {} exists for an open application", new.id)));
        }
        if let Some((old, _)) = close {
            if t.registrations.get(&old.id).is_none_or(|o| o.status != RegistrationStatus::Active) {
                return Err(StoreError::Unavailable(format!("registration {} changed meanwhile; retry", old.id)));
            }
        }
        let previous_address = close.map(|(old, _)| old.address.clone());
        if let Some(old) = close.and_then(|(old, _)| t.registrations.get_mut(&old.id)) {
            old.status = RegistrationStatus::Closed;
            old.valid_to = close.map(|(_, last_day)| last_day);
        }
        t.registrations.insert(new.id.clone(), new.clone());
        t.registrations_by_person.entry(new.registrant.as_str().to_string()).or_default().push(new.id.clone());
        t.registrations_by_address.entry(new.address.to_string()).or_default().push(new.id.clone());
        let app = change.registered(previous_address);
        t.applications.insert(id.clone(), app.clone());
        t.timeline.entry(id.clone()).or_default().extend_from_slice(change.history);
        let registrant = app.draft.registrant.as_str();
        if t.open_by_registrant.get(registrant) == Some(id) {
            t.open_by_registrant.remove(registrant);
        }
        Ok(Transition::Done(app))
    }

    async fn active_at(&self, address: &Rka) -> Result<Vec<Registration>, StoreError> {
        let t = self.tables();
        let ids = t.registrations_by_address.get(&address.to_string()).map(Vec::as_slice).unwrap_or(&[]);
        let mut active: Vec<Registration> = ids
            .iter()
            .filter_map(|id| t.registrations.get(id))
            .filter(|r| r.status == RegistrationStatus::Active)
            .cloned()
            .collect();
        active.sort_by(|a, b| (a.valid_from, &a.id).cmp(&(b.valid_from, &b.id)));
        Ok(active)
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
