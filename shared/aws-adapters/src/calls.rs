//! What the SDK clients were asked to do: every AWS API call, with the IAM actions and the resource it
//! needs. An interceptor on the clients records them (the real requests, as sent), so that tests can
//! compare a function's calls with its policy in `infra/template.yaml`, and benchmarks can count the
//! requests behind one registration. Off unless a [`CallLog`] is given to [`crate::Aws::with_call_log`].

use aws_sdk_dynamodb::operation::{
    batch_get_item::BatchGetItemInput, batch_write_item::BatchWriteItemInput, get_item::GetItemInput,
    put_item::PutItemInput, query::QueryInput, transact_write_items::TransactWriteItemsInput,
    update_item::UpdateItemInput,
};
use aws_sdk_dynamodb::types::TransactWriteItem;
use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueInput;
use aws_sdk_sfn::operation::{start_execution::StartExecutionInput, stop_execution::StopExecutionInput};
use aws_sdk_sns::operation::publish::PublishInput;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{BeforeSerializationInterceptorContextRef, Input};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::sync::{Arc, Mutex};

/// One IAM action on one resource, e.g. `dynamodb:Query` on `table/T/index/gsi1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    pub action: String,
    /// `table/NAME`, `table/NAME/index/INDEX`, `phone-number`, `topic/ARN`, `stateMachine/ARN`,
    /// `execution/ARN`, or `task-token` (SendTask* carry only the token, which names the state machine).
    pub resource: String,
}

/// One API call: `DynamoDB.GetItem`, `SNS.Publish`, `SFN.StartExecution`, ... and what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub operation: String,
    pub needs: Vec<Grant>,
    /// Items written: 1 for PutItem, UpdateItem and DeleteItem, each item of a batch or transaction.
    pub items_written: usize,
    /// SMS parts of an `SNS.Publish` to a phone number (GSM-7 or UCS-2 counting), else 0.
    pub sms_parts: usize,
}

/// A shared, append-only log of calls. Cloning shares the log.
#[derive(Debug, Clone, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<Call>>>,
}

impl CallLog {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Empties the log and returns what it held.
    pub fn take(&self) -> Vec<Call> {
        self.calls.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default()
    }

    fn push(&self, call: Call) {
        if let Ok(mut c) = self.calls.lock() {
            c.push(call);
        }
    }
}

fn grant(action: &str, resource: String) -> Grant {
    Grant { action: action.to_string(), resource }
}

fn table(name: Option<&str>, index: Option<&str>) -> String {
    match index {
        Some(i) => format!("table/{}/index/{i}", name.unwrap_or_default()),
        None => format!("table/{}", name.unwrap_or_default()),
    }
}

/// DynamoDB authorises each item of a transaction by the item-level action (PutItem, UpdateItem,
/// DeleteItem, ConditionCheckItem); `TransactWriteItems` itself is not an IAM action.
fn transact_item(item: &TransactWriteItem) -> Option<Grant> {
    if let Some(p) = item.put() {
        return Some(grant("dynamodb:PutItem", table(Some(p.table_name()), None)));
    }
    if let Some(u) = item.update() {
        return Some(grant("dynamodb:UpdateItem", table(Some(u.table_name()), None)));
    }
    if let Some(d) = item.delete() {
        return Some(grant("dynamodb:DeleteItem", table(Some(d.table_name()), None)));
    }
    item.condition_check().map(|c| grant("dynamodb:ConditionCheckItem", table(Some(c.table_name()), None)))
}

/// What a call on data encrypted with the stack's key (`DataKey`: both tables, the code-key secret) needs of it:
/// DynamoDB and Secrets Manager decrypt with the caller's permissions (`kms:Decrypt`, through their service).
pub const DATA_KEY: &str = "data-key";

fn needs(service: &str, operation: &str, input: &Input) -> Vec<Grant> {
    let mut grants = service_needs(service, operation, input);
    if matches!(service, "DynamoDB" | "Secrets Manager") {
        grants.push(grant("kms:Decrypt", DATA_KEY.into()));
    }
    grants
}

fn service_needs(service: &str, operation: &str, input: &Input) -> Vec<Grant> {
    let action = |prefix: &str| format!("{prefix}:{operation}");
    match service {
        "DynamoDB" => {
            let a = action("dynamodb");
            if let Some(i) = input.downcast_ref::<GetItemInput>() {
                vec![grant(&a, table(i.table_name(), None))]
            } else if let Some(i) = input.downcast_ref::<PutItemInput>() {
                vec![grant(&a, table(i.table_name(), None))]
            } else if let Some(i) = input.downcast_ref::<UpdateItemInput>() {
                vec![grant(&a, table(i.table_name(), None))]
            } else if let Some(i) = input.downcast_ref::<QueryInput>() {
                vec![grant(&a, table(i.table_name(), i.index_name()))]
            } else if let Some(i) = input.downcast_ref::<BatchWriteItemInput>() {
                i.request_items().into_iter().flat_map(|m| m.keys()).map(|t| grant(&a, table(Some(t), None))).collect()
            } else if let Some(i) = input.downcast_ref::<BatchGetItemInput>() {
                i.request_items().into_iter().flat_map(|m| m.keys()).map(|t| grant(&a, table(Some(t), None))).collect()
            } else if let Some(i) = input.downcast_ref::<TransactWriteItemsInput>() {
                i.transact_items().iter().filter_map(transact_item).collect()
            } else {
                vec![grant(&a, "table/?".into())]
            }
        }
        "SNS" => {
            let a = action("sns");
            match input.downcast_ref::<PublishInput>() {
                Some(p) if p.phone_number().is_some() => vec![grant(&a, "phone-number".into())],
                Some(p) => vec![grant(&a, format!("topic/{}", p.topic_arn().or(p.target_arn()).unwrap_or_default()))],
                None => vec![grant(&a, "?".into())],
            }
        }
        "SFN" => {
            let a = action("states");
            if let Some(i) = input.downcast_ref::<StartExecutionInput>() {
                vec![grant(&a, format!("stateMachine/{}", i.state_machine_arn().unwrap_or_default()))]
            } else if let Some(i) = input.downcast_ref::<StopExecutionInput>() {
                vec![grant(&a, format!("execution/{}", i.execution_arn().unwrap_or_default()))]
            } else if operation.starts_with("SendTask") {
                vec![grant(&a, "task-token".into())]
            } else {
                vec![grant(&a, "?".into())]
            }
        }
        "Secrets Manager" => match input.downcast_ref::<GetSecretValueInput>() {
            Some(i) => vec![grant(
                &format!("secretsmanager:{operation}"),
                format!("secret/{}", i.secret_id().unwrap_or_default()),
            )],
            None => vec![grant(&format!("secretsmanager:{operation}"), "?".into())],
        },
        "KMS" => {
            let key = if let Some(i) = input.downcast_ref::<aws_sdk_kms::operation::sign::SignInput>() {
                i.key_id()
            } else if let Some(i) = input.downcast_ref::<aws_sdk_kms::operation::get_public_key::GetPublicKeyInput>() {
                i.key_id()
            } else {
                None
            };
            vec![grant(&action("kms"), format!("key/{}", key.unwrap_or("?")))]
        }
        other => vec![grant(&format!("{}:{operation}", other.to_lowercase()), "?".into())],
    }
}

fn items_written(input: &Input) -> usize {
    if input.downcast_ref::<PutItemInput>().is_some() || input.downcast_ref::<UpdateItemInput>().is_some() {
        1
    } else if let Some(i) = input.downcast_ref::<BatchWriteItemInput>() {
        i.request_items().into_iter().flat_map(|m| m.values()).map(Vec::len).sum()
    } else if let Some(i) = input.downcast_ref::<TransactWriteItemsInput>() {
        i.transact_items().len()
    } else {
        0
    }
}

fn sms_parts(input: &Input) -> usize {
    match input.downcast_ref::<PublishInput>() {
        Some(p) if p.phone_number().is_some() => {
            domain::sms::SmsMessage::new(p.message().unwrap_or_default().to_string()).parts as usize
        }
        _ => 0,
    }
}

/// The interceptor that writes into a [`CallLog`].
#[derive(Debug, Clone)]
pub struct Recorder {
    log: CallLog,
}

impl Recorder {
    pub fn new(log: CallLog) -> Self {
        Recorder { log }
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "CallRecorder"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Once per call (not per retry), after the operation's configuration (with its Metadata) is in place.
        if let Some(meta) = cfg.load::<Metadata>() {
            let input = context.input();
            self.log.push(Call {
                operation: format!("{}.{}", meta.service(), meta.name()),
                needs: needs(meta.service(), meta.name(), input),
                items_written: items_written(input),
                sms_parts: sms_parts(input),
            });
        }
        Ok(())
    }
}
