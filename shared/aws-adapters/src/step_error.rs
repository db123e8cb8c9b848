//! How a workflow step's error reaches Step Functions: its `error_type` is the error name the state
//! machine's `Retry` and `Catch` match (`ErrorEquals`), its message the cause.

use domain::errors::StepError;
use lambda_runtime::Diagnostic;

/// For `main.rs`: `handle(deps, event.payload).await.map_err(aws_adapters::step_error)`.
pub fn step_error(e: StepError) -> Diagnostic {
    Diagnostic { error_type: e.error_type().to_string(), error_message: e.chain() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_type_is_the_name_the_state_machine_catches() {
        let d = step_error(StepError::OwnerAskedTooOften);
        assert_eq!(d.error_type, "OwnerAskedTooOften");
        assert!(!d.error_message.is_empty());
        let d = step_error(domain::errors::StoreError::Unavailable("throttled".into()).into());
        assert_eq!(d.error_type, "StoreUnavailable");
        assert_eq!(d.error_message, "storage is unavailable: store unavailable: throttled", "the cause is kept");
    }
}
