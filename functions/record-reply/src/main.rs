//! Lambda entry point: builds the clients once, then takes both event shapes with
//! [`record_reply::handle_event`]: API Gateway requests from the app, SNS notifications of SMS replies.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let store = aws.store()?;
    let deps = record_reply::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registries: aws.registries()?,
        timeline: store,
        workflow: aws.workflow()?,
        sms: aws.sms(),
        clock: std::sync::Arc::new(shared::clock::SystemClock),
        metrics: aws.metrics(),
        code_key: aws.code_key().await?,
    };
    let deps = &deps;
    run(service_fn(
        move |event: LambdaEvent<Value>| async move { record_reply::handle_event(deps, event.payload).await },
    ))
    .await
}
