//! Lambda entry point: builds Finalize's ports once, then runs [`reconcile::handle`] for each execution status
//! change EventBridge delivers. Its errors are retried by Lambda's asynchronous invocation, then kept in the
//! failure queue.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda().await?;
    let deps = &reconcile::Deps::from_ports(&aws)?;
    run(service_fn(move |e: LambdaEvent<_>| async move {
        reconcile::handle(deps, e.payload).await.map_err(aws_adapters::step_error)
    }))
    .await
}
