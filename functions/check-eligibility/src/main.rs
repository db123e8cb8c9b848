//! Lambda entry point: builds the clients once, then runs the workflow step [`check_eligibility::handle`]. Its errors
//! reach Step Functions with their `error_type` as the error name.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = {
        let store = aws.store()?;
        check_eligibility::Deps {
            applications: store.clone(),
            consents: store.clone(),
            registries: aws.registries()?,
            clock: std::sync::Arc::new(shared::clock::SystemClock),
            consent_timeout_seconds: aws.settings.consent_timeout_seconds,
        }
    };
    let deps = &deps;
    run(service_fn(move |event: LambdaEvent<_>| async move { check_eligibility::handle(deps, event.payload).await }))
        .await
}
