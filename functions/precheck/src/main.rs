//! Lambda entry point: builds the clients once, then serves API Gateway requests with [`precheck::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = precheck::Deps {
        registries: aws.registries()?,
        applications: aws.store()?,
        clock: std::sync::Arc::new(shared::clock::SystemClock),
    };
    let deps = &deps;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(precheck::handle(deps, req).await) })).await
}
