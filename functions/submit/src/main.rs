//! Lambda entry point: builds the clients once, then serves API Gateway requests with [`submit::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = {
        let store = aws.store()?;
        submit::Deps {
            applications: store.clone(),
            signing: store,
            registries: aws.registries()?,
            workflow: aws.workflow()?,
            clock: std::sync::Arc::new(shared::clock::SystemClock),
            metrics: aws.metrics(),
            code_key: aws.code_key().await?,
            limits: aws.settings.rate_limits,
        }
    };
    let deps = &deps;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(submit::handle(deps, req).await) })).await
}
