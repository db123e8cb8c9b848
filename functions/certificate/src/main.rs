//! Lambda entry point: builds the ports once (with the KMS signing key), then serves API Gateway requests with
//! [`certificate::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda().await?.with_document_signer()?;
    let deps = &certificate::Deps::from_ports(&aws)?;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(certificate::handle(deps, req).await) })).await
}
