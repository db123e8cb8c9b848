//! Lambda entry point: builds the clients once, then runs the workflow step [`finalize::handle`]. Its errors
//! reach Step Functions with their `error_type` as the error name.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = finalize::wiring::lambda_deps(&aws)?;
    let deps = &deps;
    run(service_fn(move |event: LambdaEvent<_>| async move { finalize::handle(deps, event.payload).await })).await
}
