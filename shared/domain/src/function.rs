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
    /// caller's token is checked by API Gateway's JWT authorizer first. API Gateway throttles it at its
    /// [`EdgeLimit`].
    Route(&'static str, EdgeLimit),
    /// An API route anyone may call, with no token (no authorizer): checking a certificate, its keys.
    PublicRoute(&'static str, EdgeLimit),
    /// API Gateway's `$default` route: what no other route takes (throttled at [`EdgeLimit::UNLISTED`]).
    DefaultRoute,
    /// A task of the workflow; the definition names its ARN by this substitution (`${...}`).
    WorkflowStep { arn_substitution: &'static str },
    /// SMS sent to the service's number, delivered by SNS.
    InboundSms,
    /// EventBridge: an execution of the state machine ended (succeeded, failed, timed out or aborted).
    ExecutionEnded,
}

/// API Gateway's throttle on one route (the stage's `RouteSettings`): a token bucket of `burst` requests,
/// refilled at `rate` a second. A request over it is answered 429 at the edge, before any function runs, and
/// the other routes keep their own buckets. Sized from the national load (docs/deploying.md, "Throttling per
/// route"): about four times a route's peak, and never more than its function's reserved concurrency can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeLimit {
    /// Requests a second, on average.
    pub rate: u32,
    /// Requests at once, from a full bucket.
    pub burst: u32,
}

impl EdgeLimit {
    /// What the apps read and poll (applications, their history, properties): 50 a second at the peak, all
    /// reads together.
    pub const READS: EdgeLimit = EdgeLimit { rate: 100, burst: 200 };
    /// A form checked before it is submitted: two per application, 10 a second at the peak.
    pub const FORM_CHECKS: EdgeLimit = EdgeLimit { rate: 40, burst: 80 };
    /// The owners' list of requests to answer (record-reply, whose ten reserved instances also take the
    /// decisions and the SMS replies).
    pub const OWNER_READS: EdgeLimit = EdgeLimit { rate: 20, burst: 40 };
    /// What writes a decision or sends an SMS: signing codes, submissions, answers, withdrawals, and
    /// certificates (a KMS signature each): 5 a second at the peak.
    pub const DECISIONS: EdgeLimit = EdgeLimit { rate: 10, burst: 20 };
    /// Routes anyone may call without a token (a certificate checked, the keys): the lowest.
    pub const PUBLIC: EdgeLimit = EdgeLimit { rate: 5, burst: 10 };
    /// The stage's default, for `$default` and any route without its own: as low as [`Self::PUBLIC`], so a
    /// route added without a limit is not the widest door.
    pub const UNLISTED: EdgeLimit = Self::PUBLIC;
}

impl FunctionSpec {
    /// The route keys of its [`Trigger::Route`]s and [`Trigger::PublicRoute`]s.
    pub fn routes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.edge_limits().map(|(key, _)| key)
    }

    /// Each of its routes with the throttle API Gateway applies to it.
    pub fn edge_limits(&self) -> impl Iterator<Item = (&'static str, EdgeLimit)> + '_ {
        self.triggers.iter().filter_map(|t| match t {
            Trigger::Route(key, limit) | Trigger::PublicRoute(key, limit) => Some((*key, *limit)),
            _ => None,
        })
    }

    /// Whether `route_key` is one of its routes that need no token.
    pub fn is_public(&self, route_key: &str) -> bool {
        self.triggers.iter().any(|t| matches!(t, Trigger::PublicRoute(k, _) if *k == route_key))
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
        self.triggers.iter().any(|t| matches!(t, Trigger::Route(..) | Trigger::PublicRoute(..) | Trigger::DefaultRoute))
    }
}
