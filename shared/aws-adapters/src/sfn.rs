//! The workflow as Step Functions: executions named by application id, task tokens answered, stops.

use crate::errors;
use async_trait::async_trait;
use aws_sdk_sfn::Client;
use domain::errors::WorkflowError;
use domain::ports::Workflow;
use domain::steps::ExecutionInput;
use domain::ApplicationId;
use serde_json::Value;

pub struct StepFunctions {
    client: Client,
    state_machine_arn: String,
}

impl StepFunctions {
    pub fn new(client: Client, state_machine_arn: String) -> Self {
        StepFunctions { client, state_machine_arn }
    }

    /// `arn:aws:states:R:A:stateMachine:M` + name -> `arn:aws:states:R:A:execution:M:name`.
    pub fn execution_arn(&self, name: &str) -> String {
        format!("{}:{name}", self.state_machine_arn.replacen(":stateMachine:", ":execution:", 1))
    }
}

fn map<E: aws_sdk_sfn::error::ProvideErrorMetadata + std::fmt::Debug, R>(
    e: aws_sdk_sfn::error::SdkError<E, R>,
) -> WorkflowError {
    match errors::code(&e).as_deref() {
        Some("ExecutionAlreadyExists") => WorkflowError::ExecutionAlreadyExists,
        Some("ExecutionDoesNotExist") => WorkflowError::ExecutionDoesNotExist,
        Some("InvalidToken") => WorkflowError::InvalidToken,
        Some("TaskTimedOut" | "TaskDoesNotExist") => WorkflowError::TaskTimedOut,
        _ => WorkflowError::Unavailable(errors::describe(&e)),
    }
}

#[async_trait]
impl Workflow for StepFunctions {
    async fn start(&self, application: &ApplicationId, trace_header: Option<&str>) -> Result<(), WorkflowError> {
        let input = serde_json::to_string(&ExecutionInput { application_id: application.clone() })
            .map_err(|e| WorkflowError::Unavailable(e.to_string()))?;
        self.client
            .start_execution()
            .state_machine_arn(&self.state_machine_arn)
            .name(application.as_str())
            .input(input)
            .set_trace_header(trace_header.map(str::to_string))
            .send()
            .await
            .map_err(map)?;
        Ok(())
    }

    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError> {
        self.client.send_task_success().task_token(token).output(output.to_string()).send().await.map_err(map)?;
        Ok(())
    }

    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), WorkflowError> {
        self.client.send_task_failure().task_token(token).error(error).cause(cause).send().await.map_err(map)?;
        Ok(())
    }

    async fn stop(&self, application: &ApplicationId, cause: &str) -> Result<(), WorkflowError> {
        self.client
            .stop_execution()
            .execution_arn(self.execution_arn(application.as_str()))
            .error("Withdrawn")
            .cause(cause)
            .send()
            .await
            .map_err(map)?;
        Ok(())
    }
}
