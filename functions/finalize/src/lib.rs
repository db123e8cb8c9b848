//! Workflow step `Finalize` (and `RecordFailure`): every application the workflow ends, ends here, by the
//! domain's way of ending one ([`domain::ending`], which `reconcile` uses too).

/// This function: its name and what invokes it (the local stack's table of functions reads it).
pub const FUNCTION: domain::function::FunctionSpec = domain::function::FunctionSpec {
    name: "finalize",
    triggers: &[domain::function::Trigger::WorkflowStep { arn_substitution: "FinalizeFunctionArn" }],
};

use domain::errors::StepError;
use domain::steps::{FinalizeInput, FinalizeOutput};

/// This function's ports: those of ending an application.
pub use domain::ending::EndingPorts as Deps;

#[tracing::instrument(name = "finalize", skip_all, fields(function = "finalize", applicationId = %input.application_id, executionName = %input.application_id))]
pub async fn handle(deps: &Deps, input: FinalizeInput) -> Result<FinalizeOutput, StepError> {
    domain::ending::end(deps, input).await
}

#[cfg(test)]
mod tests;
