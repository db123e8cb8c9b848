//! Lambda entry point: builds the ports once, then serves API Gateway requests with [`submit::handle`].

use lambda_http::{run, service_fn, Error, Request};
use std::convert::Infallible;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let aws = aws_adapters::Aws::for_lambda()
        .await?
        .with_code_key()
        .await?
        .with_eds_verifier(eds_verifier::Verifier::from_env()?);
    let deps = &submit::Deps::from_ports(&aws)?;
    run(service_fn(move |req: Request| async move { Ok::<_, Infallible>(submit::handle(deps, req).await) })).await
}
