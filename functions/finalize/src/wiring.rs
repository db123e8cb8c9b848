//! What Finalize's Lambda (and reconcile's, which runs Finalize's code for ended executions) is given in AWS:
//! one place for both `main.rs`.

use std::sync::Arc;

/// The ports over DynamoDB and SNS, from the environment the template sets.
pub fn lambda_deps(aws: &aws_adapters::Aws) -> Result<crate::Deps, aws_adapters::SettingsError> {
    let store = aws.store()?;
    Ok(crate::Deps {
        applications: store.clone(),
        consents: store.clone(),
        registrations: store,
        registries: aws.registries()?,
        sms: aws.sms(),
        clock: Arc::new(shared::clock::SystemClock),
        metrics: aws.metrics(),
        address_review: aws.settings.address_review,
    })
}
