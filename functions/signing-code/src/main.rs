//! Lambda entry point: builds the ports once, then serves API Gateway requests with [`signing_code::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda().await?.with_code_key().await?;
    let deps = &signing_code::Deps::from_ports(&aws)?;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(signing_code::handle(deps, req).await) })).await
}
