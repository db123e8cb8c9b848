//! Lambda entry point: builds the ports once, then takes both event shapes with
//! [`record_reply::handle_event`]: API Gateway requests from the app, SNS notifications of SMS replies.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda().await?.with_code_key().await?;
    let deps = &record_reply::Deps::from_ports(&aws)?;
    run(service_fn(move |e: LambdaEvent<_>| async move { record_reply::handle_event(deps, e.payload).await })).await
}
