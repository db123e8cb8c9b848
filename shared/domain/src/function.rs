//! What a Lambda function of this system is: its name and what invokes it. Each crate of `functions/`
//! states its own as `pub const FUNCTION: FunctionSpec`; the local stack serves the functions from the
//! table of those rows (`infra/local-stack/src/functions.rs`), and a test holds that table equal to the
//! template's functions, events and definition substitutions, the OpenAPI document and the policy test.

/// One function: its name and every trigger that invokes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionSpec {
    /// The function's crate in `functions/`, its binary (the template's `BuildProperties.Binary`) and the
    /// last part of its ARN.
    pub name: &'static str,
    pub triggers: &'static [Trigger],
}

/// What invokes a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// An API route, by API Gateway's route key: `"POST /registrations"`, path parameters as `{id}`; the
    /// caller's token is checked by API Gateway's JWT authorizer first.
    Route(&'static str),
    /// An API route anyone may call, with no token (no authorizer): checking a certificate, its keys.
    PublicRoute(&'static str),
    /// API Gateway's `$default` route: what no other route takes.
    DefaultRoute,
    /// A task of the workflow; the definition names its ARN by this substitution (`${...}`).
    WorkflowStep { arn_substitution: &'static str },
    /// SMS sent to the service's number, delivered by SNS.
    InboundSms,
    /// EventBridge: an execution of the state machine ended (succeeded, failed, timed out or aborted).
    ExecutionEnded,
}

impl FunctionSpec {
    /// The route keys of its [`Trigger::Route`]s and [`Trigger::PublicRoute`]s.
    pub fn routes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.triggers.iter().filter_map(|t| match t {
            Trigger::Route(key) | Trigger::PublicRoute(key) => Some(*key),
            _ => None,
        })
    }

    /// Whether `route_key` is one of its routes that need no token.
    pub fn is_public(&self, route_key: &str) -> bool {
        self.triggers.iter().any(|t| matches!(t, Trigger::PublicRoute(k) if *k == route_key))
    }

    /// The definition substitution of its ARN, when it is a workflow step.
    pub fn arn_substitution(&self) -> Option<&'static str> {
        self.triggers.iter().find_map(|t| match t {
            Trigger::WorkflowStep { arn_substitution } => Some(*arn_substitution),
            _ => None,
        })
    }

    pub fn has(&self, trigger: Trigger) -> bool {
        self.triggers.contains(&trigger)
    }

    /// Whether API Gateway invokes it (a route or `$default`): it takes `lambda_http` requests.
    pub fn is_http(&self) -> bool {
        self.triggers.iter().any(|t| matches!(t, Trigger::Route(_) | Trigger::PublicRoute(_) | Trigger::DefaultRoute))
    }
}
