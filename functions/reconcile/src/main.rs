//! Lambda entry point: builds the clients once, then runs [`reconcile::handle`] for each execution status
//! change EventBridge delivers. Its errors are retried by Lambda's asynchronous invocation, then kept in the
//! failure queue.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    aws_adapters::init_logging();
    let aws = aws_adapters::Aws::from_env(aws_adapters::Settings::from_env()?).await;
    let deps = finalize::wiring::lambda_deps(&aws)?;
    let deps = &deps;
    run(service_fn(move |event: LambdaEvent<_>| async move { reconcile::handle(deps, event.payload).await })).await
}
