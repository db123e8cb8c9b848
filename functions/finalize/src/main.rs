//! Lambda entry point: builds the clients once, then runs the workflow step [`finalize::handle`]. Its errors
//! reach Step Functions with their `error_type` as the error name.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = {
        let store = aws.store()?;
        finalize::Deps {
            applications: store.clone(),
            consents: store.clone(),
            registrations: store.clone(),
            registries: aws.registries()?,
            sms: aws.sms(),
            clock: std::sync::Arc::new(shared::clock::SystemClock),
            metrics: aws.metrics(),
            address_review: aws.settings.address_review,
        }
    };
    let deps = &deps;
    run(service_fn(move |event: LambdaEvent<_>| async move { finalize::handle(deps, event.payload).await })).await
}
