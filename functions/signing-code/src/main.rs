//! Lambda entry point: builds the clients once, then serves API Gateway requests with [`signing_code::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let store = aws.store()?;
    let deps = signing_code::Deps {
        registries: aws.registries()?,
        applications: store.clone(),
        signing: store,
        sms: aws.sms(),
        clock: std::sync::Arc::new(shared::clock::SystemClock),
        metrics: aws.metrics(),
        code_key: aws.code_key().await?,
        limits: aws.settings.rate_limits,
    };
    let deps = &deps;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(signing_code::handle(deps, req).await) })).await
}
