//! The deployment template against the code: each function's IAM policy in `infra/template.yaml` is
//! compared with the AWS calls the function really makes (recorded by the SDK clients) while the
//! local stack runs every path of the workflow over DynamoDB, SNS and Step Functions on moto.
//! Also: the API routes of the template, the local stack and the OpenAPI document agree; and the stack itself,
//! transformed by the SAM translator and created on moto, read back (`rehearsal`).

mod cost;
mod docs;
mod functions;
mod journeys_on_aws;
mod observability;
mod policies;
mod races;
mod rehearsal;
mod routes;
mod samconfig;
mod step_payloads;
mod template;

/// The moto server (`test_kit::moto`: the one `./scripts/test` starts, or one started for this process).
pub fn moto_endpoint() -> String {
    test_kit::moto::endpoint()
}
