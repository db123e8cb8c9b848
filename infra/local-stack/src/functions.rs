//! The functions of the stack, by name: the names the definition's ARNs end in, every function crate of
//! `functions/`, and the definition's substitutions (as the template's DefinitionSubstitutions).

use std::collections::HashMap;

/// Lambda function names: the ARNs substituted into the definition end in these.
pub const CHECK_ELIGIBILITY: &str = "check-eligibility";
pub const REQUEST_CONSENT: &str = "request-consent";
pub const FINALIZE: &str = "finalize";
/// Not in the definition: EventBridge invokes it when an execution ends.
pub const RECONCILE: &str = "reconcile";
/// Every function, by the name of its crate in `functions/`.
pub const FUNCTIONS: [&str; 10] = [
    "precheck",
    "signing-code",
    "submit",
    "service-history",
    "withdraw",
    "record-reply",
    CHECK_ELIGIBILITY,
    REQUEST_CONSENT,
    FINALIZE,
    RECONCILE,
];

/// The ARN a function has here (the definition's substitutions end in its name, as in AWS).
pub fn arn(name: &str) -> String {
    format!("arn:aws:lambda:local:000000000000:function:{name}")
}

/// The `${...}` substitutions of the definition, as the template's DefinitionSubstitutions.
pub fn substitutions() -> HashMap<String, String> {
    [
        ("CheckEligibilityFunctionArn", arn(CHECK_ELIGIBILITY)),
        ("RequestConsentFunctionArn", arn(REQUEST_CONSENT)),
        ("FinalizeFunctionArn", arn(FINALIZE)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
