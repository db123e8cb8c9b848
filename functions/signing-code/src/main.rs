//! Lambda entry point: builds the clients once, then serves API Gateway requests with [`signing_code::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = signing_code::Deps {
        registries: aws.registries()?,
        signing: aws.store()?,
        sms: aws.sms(),
        clock: std::sync::Arc::new(shared::clock::SystemClock),
    };
    let deps = &deps;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(signing_code::handle(deps, req).await) })).await
}
