//! Lambda entry point: builds the ports once, then runs the workflow step [`request_consent::handle`]. Its errors
//! reach Step Functions with their `error_type` as the error name.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda().await?.with_code_key().await?;
    let deps = &request_consent::Deps::from_ports(&aws)?;
    run(service_fn(move |e: LambdaEvent<_>| async move {
        request_consent::handle(deps, e.payload).await.map_err(aws_adapters::step_error)
    }))
    .await
}
