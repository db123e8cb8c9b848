//! An in-process Step Functions engine for the subset of the Amazon States Language the registration
//! workflow uses: Task (Lambda function ARNs and `lambda:invoke[.waitForTaskToken]`), Choice, Map
//! (inline), Pass, Succeed, Fail; InputPath, Parameters/ItemSelector, ResultSelector, ResultPath,
//! OutputPath; Retry, Catch, TimeoutSeconds; task tokens; stopping executions. A definition that
//! uses anything else is refused when loaded, so the local stack never silently differs from AWS.
//!
//! Time comes from a [`domain::clock::Clock`]: advancing it fires timeouts and retry delays. A waiting
//! execution is a parked future: it holds no thread.

mod definition;
mod engine;
mod history;
mod host;
mod interpreter;
mod path;
mod settled;
mod timers;
mod workflow_port;

pub use definition::{DefinitionError, StateMachine};
pub use engine::{EndedListener, Engine, EngineError, ExecutionStatus, ExecutionSummary, ExecutionView};
pub use history::HistoryEvent;
pub use host::{LambdaFn, TaskFailure};
