//! Lambda entry point: builds the clients once, then runs the workflow step [`request_consent::handle`]. Its errors
//! reach Step Functions with their `error_type` as the error name.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = {
        let store = aws.store()?;
        request_consent::Deps {
            applications: store.clone(),
            consents: store.clone(),
            registries: aws.registries()?,
            sms: aws.sms(),
            timeline: store,
            clock: std::sync::Arc::new(shared::clock::SystemClock),
            metrics: aws.metrics(),
            code_key: aws.code_key().await?,
            limits: aws.settings.rate_limits,
        }
    };
    let deps = &deps;
    run(service_fn(move |event: LambdaEvent<_>| async move { request_consent::handle(deps, event.payload).await }))
        .await
}
