//! The deployment template against the code: each function's IAM policy in `infra/template.yaml` is
//! compared with the AWS calls the function really makes (recorded by the SDK clients) while the
//! local stack runs every path of the workflow over DynamoDB, SNS and Step Functions on moto.
//! Also: the API routes of the template, the local stack and the OpenAPI document agree.

mod cost;
mod journeys_on_aws;
mod observability;
mod policies;
mod races;
mod routes;
mod template;

/// The moto server that `./scripts/test` starts; without it these tests fail, loudly.
pub fn moto_endpoint() -> String {
    std::env::var("MOTO_ENDPOINT").unwrap_or_else(|_| {
        panic!("MOTO_ENDPOINT is not set: these tests need the moto server that ./scripts/test starts (run ./scripts/test)")
    })
}
