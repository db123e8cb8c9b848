//! Applications: `APP#<id>` / `APP`; listed by applicant on gsi1 (`APPLICANT#<iin>`, newest first).
//! Creation writes the idempotency key and the registrant's open-application lock in the same
//! transaction; a terminal status removes the lock in the same transaction as the status.

use super::limits::hit_of;
use super::timeline::entry_puts;
use super::transact::{transact, transact_naming_failures, Transacted};
use super::{entity, item, key, s, DynamoStore, Item, GSI1};
use crate::errors;
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use domain::errors::StoreError;
use domain::ports::{Admission, ApplicationStore, CreateOutcome, Page, Transition};
use domain::{Application, ApplicationId, Iin, NoticeState, ReasonCode, Status, TimelineEntry};

fn app_pk(id: &ApplicationId) -> String {
    format!("APP#{id}")
}
fn idem_pk(applicant: &Iin, key: &str) -> String {
    format!("IDEM#{}#{key}", applicant.as_str())
}
fn open_pk(registrant: &Iin) -> String {
    format!("OPEN#{}", registrant.as_str())
}
/// Open applications are listed for operators on gsi2, spread over this many partition keys
/// (`OPENAPPS#<shard>`) so that no index partition takes every submission.
pub const OPEN_SHARDS: u8 = 8;
fn open_shard(id: &ApplicationId) -> String {
    let shard =
        id.to_string().bytes().fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32)) % OPEN_SHARDS as u32;
    format!("OPENAPPS#{shard}")
}
fn list_sk(app: &Application) -> String {
    format!("{}#{}", app.submitted_at.to_rfc3339_opts(SecondsFormat::Micros, true), app.id)
}

pub(super) fn app_item(app: &Application) -> Result<Item, StoreError> {
    item(
        app,
        &[
            ("pk", app_pk(&app.id)),
            ("sk", "APP".into()),
            ("gsi1pk", format!("APPLICANT#{}", app.applicant.as_str())),
            ("gsi1sk", list_sk(app)),
        ],
    )
}

impl DynamoStore {
    async fn get_item(&self, pk: String, sk: &str) -> Result<Option<Item>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store)?;
        Ok(out.item)
    }

    /// `app` as it is to be, written only while the stored one is at `before`; a terminal status frees the
    /// registrant's lock; the timeline entries go with it.
    pub(super) fn status_writes(
        &self,
        app: &Application,
        before: Status,
        history: &[TimelineEntry],
    ) -> Result<Vec<TransactWriteItem>, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(app_item(app)?))
            .condition_expression("#status = :before")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":before", s(before.as_str()))
            .build()
            .map_err(errors::serde)?;
        let mut writes = vec![TransactWriteItem::builder().put(put).build()];
        if app.status.is_terminal() {
            let delete = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(open_pk(&app.draft.registrant), "OPEN")))
                .condition_expression("attribute_not_exists(pk) OR applicationId = :id")
                .expression_attribute_values(":id", s(app.id.to_string()))
                .build()
                .map_err(errors::serde)?;
            writes.push(TransactWriteItem::builder().delete(delete).build());
        }
        writes.extend(entry_puts(&self.table, &app.id, history)?);
        Ok(writes)
    }

    /// A condition that the application exists and is open, for a transaction that acts on its behalf.
    pub(super) fn open_application_check(&self, id: &ApplicationId) -> Result<TransactWriteItem, StoreError> {
        let check = aws_sdk_dynamodb::types::ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key(app_pk(id), "APP")))
            .condition_expression("#status IN (:submitted, :awaiting)")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":submitted", s(Status::Submitted.as_str()))
            .expression_attribute_values(":awaiting", s(Status::AwaitingConsent.as_str()))
            .build()
            .map_err(errors::serde)?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    async fn lock_holder(&self, pk: String, sk: &str) -> Result<Option<ApplicationId>, StoreError> {
        let item = self.get_item(pk, sk).await?;
        let id = item.and_then(|i| i.get("applicationId").and_then(|v| v.as_s().ok()).cloned());
        Ok(id.and_then(|id| ApplicationId::parse(&id)))
    }
}

impl DynamoStore {
    /// Applications still open that were submitted before `cutoff`, oldest first, at most `limit`: for
    /// operators (`registration-admin open --older-than 2h`). One Query a shard of gsi2; no Scan.
    pub async fn open_submitted_before(
        &self,
        cutoff: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<(ApplicationId, DateTime<Utc>)>, StoreError> {
        let before = cutoff.to_rfc3339_opts(SecondsFormat::Micros, true);
        let mut found = Vec::new();
        for shard in 0..OPEN_SHARDS {
            // Each shard is in submission order: its oldest `limit` are all that can be among the oldest.
            let from = found.len();
            let mut pages = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(super::GSI2)
                .key_condition_expression("gsi2pk = :p AND gsi2sk < :before")
                .expression_attribute_values(":p", s(format!("OPENAPPS#{shard}")))
                .expression_attribute_values(":before", s(before.clone()))
                .limit(limit.clamp(1, 1000) as i32)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(errors::store)?;
                for item in page.items() {
                    let sk = item.get("gsi2sk").and_then(|v| v.as_s().ok()).map(String::as_str).unwrap_or_default();
                    let parsed = sk.split_once('#').and_then(|(at, id)| {
                        Some((ApplicationId::parse(id)?, DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc)))
                    });
                    found.push(parsed.ok_or_else(|| StoreError::Corrupt(format!("open-application entry {sk:?}")))?);
                }
                if found.len() - from >= limit {
                    break;
                }
            }
        }
        found.sort_by_key(|(_, at)| *at);
        found.truncate(limit);
        Ok(found)
    }
}

#[async_trait]
impl ApplicationStore for DynamoStore {
    async fn create(
        &self,
        app: &Application,
        history: &[TimelineEntry],
        admission: &Admission<'_>,
    ) -> Result<CreateOutcome, StoreError> {
        let build = |item: Item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map(|p| TransactWriteItem::builder().put(p).build())
                .map_err(errors::serde)
        };
        let holder = |pk: String, sk: &str| {
            let mut i = key(pk, sk);
            i.insert("applicationId".into(), s(app.id.to_string()));
            i
        };
        let mut writes = vec![build(app_item(app)?)?];
        let open = open_pk(&app.draft.registrant);
        // The lock is also the operators' list of open applications (gsi2), gone with the lock.
        let mut lock = holder(open.clone(), "OPEN");
        lock.insert("gsi2pk".into(), s(open_shard(&app.id)));
        lock.insert("gsi2sk".into(), s(list_sk(app)));
        writes.push(build(lock)?);
        let idem = app.idempotency_key.as_ref().map(|k| idem_pk(&app.applicant, k));
        if let Some(idem) = &idem {
            writes.push(build(holder(idem.clone(), "IDEM"))?);
        }
        writes.extend(entry_puts(&self.table, &app.id, history)?);
        let signature = match admission.signed_with {
            Some((id, code)) => {
                let key = app.idempotency_key.as_deref();
                let now = app.submitted_at;
                writes.push(self.use_signature(id, code, &app.id, &app.applicant, &app.digest, key, now)?);
                Some(writes.len() - 1)
            }
            None => match admission.eds_seal {
                // One item per accepted EDS signature, kept a day (its signing time is at most an hour old
                // when it is accepted, so an older replay is refused by that rule): written only if absent.
                Some(seal) => {
                    let mut used = holder(format!("EDSSIG#{seal}"), "USED");
                    let expires = app.submitted_at.timestamp() + 24 * 3600;
                    used.insert(super::TTL.into(), AttributeValue::N(expires.to_string()));
                    writes.push(build(used)?);
                    Some(writes.len() - 1)
                }
                None => None,
            },
        };
        let counters_from = writes.len();
        writes.extend(self.counter_updates(admission.limits)?);
        match transact_naming_failures(&self.client, writes).await? {
            None => Ok(CreateOutcome::Created),
            Some(failed) => {
                // Which condition failed: an earlier submit with the same key, or an open application. One
                // held by this very application means an earlier try of this write was applied (a retry
                // after a lost answer): it is created.
                if let Some(idem) = idem {
                    if let Some(existing) = self.lock_holder(idem, "IDEM").await? {
                        if existing == app.id {
                            return Ok(CreateOutcome::Created);
                        }
                        if let Some(app) = self.get(&existing).await? {
                            return Ok(CreateOutcome::IdempotentReplay(app));
                        }
                    }
                }
                match self.lock_holder(open, "OPEN").await? {
                    Some(holder) if holder == app.id => return Ok(CreateOutcome::Created),
                    Some(holder) => return Ok(CreateOutcome::RegistrantHasOpenApplication(holder)),
                    None => {}
                }
                if signature.is_some_and(|i| failed.contains(&i)) {
                    return Ok(CreateOutcome::SignatureUsed);
                }
                if let Some(hit) = hit_of(admission.limits, &failed, counters_from) {
                    return Ok(CreateOutcome::Limited(hit));
                }
                Err(StoreError::Unavailable("the application changed meanwhile; retry".into()))
            }
        }
    }

    async fn get(&self, id: &ApplicationId) -> Result<Option<Application>, StoreError> {
        self.get_item(app_pk(id), "APP").await?.map(entity).transpose()
    }

    async fn open_for(&self, registrant: &Iin) -> Result<Option<ApplicationId>, StoreError> {
        self.lock_holder(open_pk(registrant), "OPEN").await
    }

    async fn find_by_idempotency_key(&self, applicant: &Iin, key: &str) -> Result<Option<Application>, StoreError> {
        match self.lock_holder(idem_pk(applicant, key), "IDEM").await? {
            Some(id) => self.get(&id).await,
            None => Ok(None),
        }
    }

    async fn list_for_applicant(
        &self,
        applicant: &Iin,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Application>, StoreError> {
        let mut q = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(GSI1)
            .scan_index_forward(false)
            .limit(limit as i32)
            .expression_attribute_values(":pk", s(format!("APPLICANT#{}", applicant.as_str())));
        // The cursor is the last item's sort key (`<submitted at>#app-<uuid>`); anything else was not given here.
        let after = cursor.and_then(|c| URL_SAFE_NO_PAD.decode(c).ok()).and_then(|b| String::from_utf8(b).ok());
        let after = after.filter(|a| {
            a.split_once('#')
                .is_some_and(|(at, id)| DateTime::parse_from_rfc3339(at).is_ok() && ApplicationId::parse(id).is_some())
        });
        q = match (cursor, after) {
            (Some(_), None) => return Err(StoreError::BadCursor),
            (_, Some(after)) => q
                .key_condition_expression("gsi1pk = :pk AND gsi1sk < :after")
                .expression_attribute_values(":after", s(after)),
            (None, None) => q.key_condition_expression("gsi1pk = :pk"),
        };
        let out = q.send().await.map_err(errors::store)?;
        let raw = out.items.unwrap_or_default();
        let mut items = Vec::with_capacity(raw.len());
        for i in raw {
            items.push(entity::<Application>(i)?);
        }
        let next_cursor = out
            .last_evaluated_key
            .filter(|_| items.len() == limit)
            .and(items.last())
            .map(|a| URL_SAFE_NO_PAD.encode(list_sk(a)));
        Ok(Page { items, next_cursor })
    }

    async fn set_status(
        &self,
        current: &Application,
        from: &[Status],
        to: Status,
        reasons: &[ReasonCode],
        at: DateTime<Utc>,
        history: &[TimelineEntry],
    ) -> Result<Transition, StoreError> {
        // No read: the condition on the status the caller read catches a stale read.
        let id = &current.id;
        let mut app = current.clone();
        if !from.contains(&app.status) {
            return Ok(Transition::Refused(app));
        }
        let before = app.status;
        app.status = to;
        app.reasons = reasons.to_vec();
        app.updated_at = at;
        if to.is_terminal() {
            app.notices = NoticeState::Pending;
        }
        let writes = self.status_writes(&app, before, history)?;
        match transact(&self.client, writes).await? {
            Transacted::Committed => Ok(Transition::Done(app)),
            Transacted::ConditionFailed => match self.get(id).await? {
                Some(current) if current.status == to => Ok(Transition::Done(current)),
                Some(current) => Ok(Transition::Refused(current)),
                None => Ok(Transition::NotFound),
            },
        }
    }

    async fn claim_notices(
        &self,
        id: &ApplicationId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(app_pk(id), "APP")))
            .update_expression("SET noticesLeaseMs = :until")
            .condition_expression(
                "notices = :pending AND (attribute_not_exists(noticesLeaseMs) OR noticesLeaseMs < :now)",
            )
            .expression_attribute_values(":pending", s(NoticeState::Pending.as_str()))
            .expression_attribute_values(":until", AttributeValue::N(lease_until.timestamp_millis().to_string()))
            .expression_attribute_values(":now", AttributeValue::N(now.timestamp_millis().to_string()))
            .send()
            .await;
        errors::applied(result)
    }

    async fn finish_notices(&self, id: &ApplicationId, sent: bool) -> Result<(), StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(app_pk(id), "APP")))
            .condition_expression("notices = :pending")
            .expression_attribute_values(":pending", s(NoticeState::Pending.as_str()));
        update = if sent {
            update
                .update_expression("SET notices = :sent REMOVE noticesLeaseMs")
                .expression_attribute_values(":sent", s(NoticeState::Sent.as_str()))
        } else {
            update.update_expression("REMOVE noticesLeaseMs")
        };
        // A claim already ended (sent, or its item gone) is not an error.
        errors::applied(update.send().await).map(|_| ())
    }
}
