//! Registrations: `PERSON#<iin>` / `REG#<id>`, and in gsi4 `ADDR#<rka>` / `<valid from>#<id>`. A new one and the closing of the previous permanent one
//! are one transaction.

use super::transact::{transact, Transacted};
use super::{entity, item, key, s, DynamoStore, GSI4};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, Select, TransactWriteItem, Update};
use chrono::NaiveDate;
use domain::errors::StoreError;
use domain::ports::{Registering, RegistrationStore, Transition};
use domain::{Iin, Registration, RegistrationStatus, Rka, Status};

#[async_trait]
impl RegistrationStore for DynamoStore {
    async fn for_registrant(&self, registrant: &Iin) -> Result<Vec<Registration>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :r)")
            .expression_attribute_values(":pk", s(format!("PERSON#{}", registrant.as_str())))
            .expression_attribute_values(":r", s("REG#"))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        let mut regs: Vec<Registration> =
            out.items.unwrap_or_default().into_iter().map(entity).collect::<Result<_, _>>()?;
        regs.sort_by(|a, b| (a.valid_from, &a.id).cmp(&(b.valid_from, &b.id)));
        Ok(regs)
    }

    /// gsi4 gives the keys of every registration made at the address (keys only); the items are read with
    /// BatchGetItem (100 at a time) and the ACTIVE ones kept.
    async fn active_at(&self, address: &Rka) -> Result<Vec<Registration>, StoreError> {
        let query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(GSI4)
            .key_condition_expression("gsi4pk = :a")
            .expression_attribute_values(":a", s(format!("ADDR#{}", address.as_str())));
        let keys = super::query_all(query)
            .await?
            .into_iter()
            .filter_map(|item| Some(key(item.get("pk")?.as_s().ok()?.clone(), item.get("sk")?.as_s().ok()?)))
            .collect();
        let mut active = Vec::new();
        for item in super::batch_get(&self.client, &self.table, keys).await? {
            let r: Registration = entity(item)?;
            if r.status == RegistrationStatus::Active {
                active.push(r);
            }
        }
        active.sort_by(|a, b| (a.valid_from, &a.id).cmp(&(b.valid_from, &b.id)));
        Ok(active)
    }

    async fn count_at_address_since(
        &self,
        address: &Rka,
        since: NaiveDate,
        at_most: usize,
    ) -> Result<usize, StoreError> {
        // COUNT over gsi4's keys from `since` on; pages only while the threshold is not yet passed.
        let mut counted = 0usize;
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(GSI4)
                .key_condition_expression("gsi4pk = :a AND gsi4sk >= :since")
                .expression_attribute_values(":a", s(format!("ADDR#{}", address.as_str())))
                .expression_attribute_values(":since", s(since.to_string()))
                .select(Select::Count)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(errors::store)?;
            counted += usize::try_from(out.count).unwrap_or_default();
            start = out.last_evaluated_key;
            if start.is_none() || counted > at_most {
                return Ok(counted.min(at_most.saturating_add(1)));
            }
        }
    }

    async fn register(
        &self,
        new: &Registration,
        close: Option<(&Registration, NaiveDate)>,
        change: &Registering<'_>,
    ) -> Result<Transition, StoreError> {
        let pk = format!("PERSON#{}", new.registrant.as_str());
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item(
                new,
                &[
                    ("pk", pk.clone()),
                    ("sk", format!("REG#{}", new.id)),
                    ("gsi4pk", format!("ADDR#{}", new.address.as_str())),
                    ("gsi4sk", format!("{}#{}", new.valid_from, new.id)),
                ],
            )?))
            .condition_expression("attribute_not_exists(pk)")
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![TransactWriteItem::builder().put(put).build()];
        if let Some((old, last_day)) = close {
            let update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(pk, &format!("REG#{}", old.id))))
                .update_expression("SET #status = :closed, validTo = :to")
                .condition_expression("#status = :active")
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":closed", s("CLOSED"))
                .expression_attribute_values(":active", s("ACTIVE"))
                .expression_attribute_values(":to", s(last_day.to_string()))
                .build()
                .map_err(errors::serde)?;
            writes.push(TransactWriteItem::builder().update(update).build());
        }
        // The application's status, its timeline and the registrant's lock, conditioned on the status read.
        let app = change.registered(close.map(|(old, _)| old.address.clone()));
        writes.extend(self.status_writes(&app, change.current.status, change.history)?);
        match transact(&self.client, writes).await? {
            Transacted::Committed => Ok(Transition::Done(app)),
            Transacted::ConditionFailed => {
                use domain::ports::ApplicationStore;
                match self.get(&app.id).await? {
                    None => Ok(Transition::NotFound),
                    Some(stored) if stored.status == Status::Registered => Ok(Transition::Done(stored)),
                    Some(stored) if stored.status != change.current.status || stored.status.is_terminal() => {
                        Ok(Transition::Refused(stored))
                    }
                    Some(_) => {
                        Err(StoreError::Unavailable("the previous registration changed meanwhile; retry".into()))
                    }
                }
            }
        }
    }
}
