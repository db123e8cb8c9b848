//! The engine as the [`Workflow`] port the functions use: what Step Functions is in AWS.

use crate::engine::{Engine, EngineError};
use async_trait::async_trait;
use domain::errors::WorkflowError;
use domain::ports::Workflow;
use domain::steps::ExecutionInput;
use domain::ApplicationId;
use serde_json::Value;

impl From<EngineError> for WorkflowError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::ExecutionAlreadyExists(_) => WorkflowError::ExecutionAlreadyExists,
            EngineError::ExecutionDoesNotExist(_) => WorkflowError::ExecutionDoesNotExist,
            EngineError::InvalidToken => WorkflowError::InvalidToken,
            EngineError::TaskTimedOut => WorkflowError::TaskTimedOut,
            EngineError::InvalidName(n) => WorkflowError::Unavailable(format!("invalid execution name {n}")),
        }
    }
}

#[async_trait]
impl Workflow for Engine {
    async fn start(&self, application: &ApplicationId, trace_header: Option<&str>) -> Result<(), WorkflowError> {
        let input = serde_json::to_value(ExecutionInput { application_id: application.clone() })
            .map_err(|e| WorkflowError::Unavailable(e.to_string()))?;
        self.start_traced_execution(application.as_str(), input, trace_header).map(|_| ()).map_err(Into::into)
    }

    async fn send_task_success(&self, token: &str, output: Value) -> Result<(), WorkflowError> {
        Engine::send_task_success(self, token, output).map_err(Into::into)
    }

    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> Result<(), WorkflowError> {
        Engine::send_task_failure(self, token, error, cause).map_err(Into::into)
    }

    async fn stop(&self, application: &ApplicationId, cause: &str) -> Result<(), WorkflowError> {
        self.stop_execution(application.as_str(), "Withdrawn", cause).map_err(Into::into)
    }
}
