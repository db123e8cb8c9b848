//! Lambda entry point: builds the clients once, then runs [`reconcile::handle`] for each execution status
//! change EventBridge delivers. Its errors are retried by Lambda's asynchronous invocation, then kept in the
//! failure queue.

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
    run(service_fn(move |event: LambdaEvent<_>| async move { reconcile::handle(deps, event.payload).await })).await
}
