//! The state machine as loaded: every field checked, anything unsupported refused with its location.

use crate::path::{self, RefPath};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("state machine definition: {at}: {message}")]
pub struct DefinitionError {
    pub at: String,
    pub message: String,
}

fn err<T>(at: &str, message: impl Into<String>) -> Result<T, DefinitionError> {
    Err(DefinitionError { at: at.to_string(), message: message.into() })
}

#[derive(Debug, Clone)]
pub struct StateMachine {
    pub start_at: String,
    pub states: HashMap<String, State>,
}

#[derive(Debug, Clone)]
pub enum Flow {
    Next(String),
    End,
}

/// `InputPath`/`OutputPath`/`ResultPath`: a path, or `null`.
pub type OptPath = Option<RefPath>;

#[derive(Debug, Clone)]
pub struct Io {
    pub input_path: OptPath,
    pub output_path: OptPath,
}

#[derive(Debug, Clone)]
pub enum Resource {
    /// A Lambda function ARN (or name) as the resource: output is the function's result.
    Function(String),
    /// `arn:aws:states:::lambda:invoke`: output is `{Payload, StatusCode, ...}`.
    Invoke,
    /// `arn:aws:states:::lambda:invoke.waitForTaskToken`: output is what `SendTaskSuccess` sends.
    InvokeWaitForToken,
}

#[derive(Debug, Clone)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    pub result_path: OptPath,
}

#[derive(Debug, Clone)]
pub struct TaskState {
    pub resource: Resource,
    pub parameters: Option<Value>,
    pub result_selector: Option<Value>,
    pub result_path: OptPath,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
    pub timeout: Option<Timeout>,
}

/// `TimeoutSeconds`, or `TimeoutSecondsPath` read from the state's effective input.
#[derive(Debug, Clone)]
pub enum Timeout {
    Seconds(u64),
    Path(RefPath),
}

#[derive(Debug, Clone)]
pub struct MapState {
    pub items_path: RefPath,
    pub item_selector: Option<Value>,
    pub processor: Arc<StateMachine>,
    pub max_concurrency: usize,
    pub result_selector: Option<Value>,
    pub result_path: OptPath,
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

#[derive(Debug, Clone)]
pub enum Comparison {
    StringEquals(String),
    NumericEquals(f64),
    NumericLessThan(f64),
    NumericGreaterThan(f64),
    BooleanEquals(bool),
    IsPresent(bool),
    IsNull(bool),
}

#[derive(Debug, Clone)]
pub enum Rule {
    Compare { variable: RefPath, comparison: Comparison },
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
}

#[derive(Debug, Clone)]
pub enum Kind {
    Task(Box<TaskState>),
    Choice { choices: Vec<(Rule, String)>, default: Option<String> },
    Map(Box<MapState>),
    Pass { parameters: Option<Value>, result: Option<Value>, result_path: OptPath },
    Succeed,
    Fail { error: String, cause: String },
}

#[derive(Debug, Clone)]
pub struct State {
    pub kind: Kind,
    pub io: Io,
    pub flow: Flow,
}

impl State {
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Task(_) => "Task",
            Kind::Choice { .. } => "Choice",
            Kind::Map(_) => "Map",
            Kind::Pass { .. } => "Pass",
            Kind::Succeed => "Succeed",
            Kind::Fail { .. } => "Fail",
        }
    }
}

impl StateMachine {
    /// Parses the definition after `${Name}` substitutions.
    pub fn parse(text: &str, substitutions: &HashMap<String, String>) -> Result<StateMachine, DefinitionError> {
        let mut text = text.to_string();
        for (k, v) in substitutions {
            text = text.replace(&format!("${{{k}}}"), v);
        }
        if let Some(start) = text.find("${") {
            let name: String = text[start + 2..].chars().take_while(|c| *c != '}').collect();
            return err("definition", format!("no substitution given for ${{{name}}}"));
        }
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| DefinitionError { at: "definition".into(), message: e.to_string() })?;
        let obj = value.as_object().ok_or(()).or_else(|_| err("definition", "must be a JSON object"))?;
        parse_machine(obj, "", &["Comment", "StartAt", "States", "Version"])
    }

    /// Every Lambda function the definition calls (after substitution), for checking against what is registered.
    pub fn functions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in self.states.values() {
            match &s.kind {
                Kind::Task(t) => match &t.resource {
                    Resource::Function(f) => out.push(f.clone()),
                    _ => {
                        if let Some(f) =
                            t.parameters.as_ref().and_then(|p| p.get("FunctionName")).and_then(Value::as_str)
                        {
                            out.push(f.to_string());
                        }
                    }
                },
                Kind::Map(m) => out.extend(m.processor.functions()),
                _ => {}
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn check_keys(obj: &Map<String, Value>, at: &str, allowed: &[&str]) -> Result<(), DefinitionError> {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            return err(
                at,
                format!("field `{k}` is not supported by the local runner (supported here: {})", allowed.join(", ")),
            );
        }
    }
    Ok(())
}

fn parse_machine(obj: &Map<String, Value>, at: &str, allowed: &[&str]) -> Result<StateMachine, DefinitionError> {
    check_keys(obj, if at.is_empty() { "definition" } else { at }, allowed)?;
    let start_at = str_field(obj, "StartAt", at)?.ok_or(()).or_else(|_| err(at, "StartAt is required"))?;
    let states_obj =
        obj.get("States").and_then(Value::as_object).ok_or(()).or_else(|_| err(at, "States must be an object"))?;
    let mut states = HashMap::new();
    for (name, v) in states_obj {
        let here = format!("{at}States.{name}");
        let s = v.as_object().ok_or(()).or_else(|_| err(&here, "a state is an object"))?;
        states.insert(name.clone(), parse_state(s, &here)?);
    }
    let names: HashSet<&String> = states.keys().collect();
    if !names.contains(&start_at) {
        return err(at, format!("StartAt {start_at:?} is not a state"));
    }
    for (name, s) in &states {
        let here = format!("{at}States.{name}");
        let mut targets: Vec<&String> = Vec::new();
        if let Flow::Next(n) = &s.flow {
            targets.push(n);
        }
        match &s.kind {
            Kind::Task(t) => targets.extend(t.catch.iter().map(|c| &c.next)),
            Kind::Map(m) => targets.extend(m.catch.iter().map(|c| &c.next)),
            Kind::Choice { choices, default } => {
                targets.extend(choices.iter().map(|(_, n)| n));
                targets.extend(default.iter());
            }
            _ => {}
        }
        if let Some(t) = targets.iter().find(|t| !names.contains(**t)) {
            return err(&here, format!("transition to {t:?}, which is not a state in this scope"));
        }
    }
    Ok(StateMachine { start_at, states })
}

fn str_field(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, DefinitionError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => err(at, format!("{key} must be a string")),
    }
}

fn opt_path(obj: &Map<String, Value>, key: &str, at: &str) -> Result<OptPath, DefinitionError> {
    match obj.get(key) {
        None => Ok(Some(path::parse("$").map_err(|m| DefinitionError { at: at.into(), message: m })?)),
        Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => {
            let p = path::parse(s).map_err(|m| DefinitionError { at: format!("{at}.{key}"), message: m })?;
            if p.context {
                return err(at, format!("{key} cannot refer to the context object"));
            }
            Ok(Some(p))
        }
        Some(_) => err(at, format!("{key} must be a path or null")),
    }
}

fn template(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<Value>, DefinitionError> {
    match obj.get(key) {
        None => Ok(None),
        Some(v) => {
            path::validate_template(v).map_err(|m| DefinitionError { at: format!("{at}.{key}"), message: m })?;
            Ok(Some(v.clone()))
        }
    }
}

fn flow(obj: &Map<String, Value>, at: &str) -> Result<Flow, DefinitionError> {
    match (str_field(obj, "Next", at)?, obj.get("End")) {
        (Some(n), None) => Ok(Flow::Next(n)),
        (None, Some(Value::Bool(true))) => Ok(Flow::End),
        _ => err(at, "exactly one of Next or End: true is required"),
    }
}

const TASK_KEYS: &[&str] = &[
    "Type",
    "Comment",
    "InputPath",
    "OutputPath",
    "Next",
    "End",
    "Resource",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
];
const MAP_KEYS: &[&str] = &[
    "Type",
    "Comment",
    "InputPath",
    "OutputPath",
    "Next",
    "End",
    "ItemsPath",
    "ItemSelector",
    "Parameters",
    "ItemProcessor",
    "Iterator",
    "MaxConcurrency",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
];

fn parse_state(s: &Map<String, Value>, at: &str) -> Result<State, DefinitionError> {
    let ty = str_field(s, "Type", at)?.unwrap_or_default();
    let io = Io { input_path: opt_path(s, "InputPath", at)?, output_path: opt_path(s, "OutputPath", at)? };
    let (kind, flow) = match ty.as_str() {
        "Task" => {
            check_keys(s, at, TASK_KEYS)?;
            let resource_text = str_field(s, "Resource", at)?.unwrap_or_default();
            let resource = match resource_text.as_str() {
                "arn:aws:states:::lambda:invoke" => Resource::Invoke,
                "arn:aws:states:::lambda:invoke.waitForTaskToken" => Resource::InvokeWaitForToken,
                r if r.starts_with("arn:aws:states:::") => {
                    return err(at, format!("service integration {r} is not supported"))
                }
                "" => return err(at, "Resource is required"),
                r => Resource::Function(r.to_string()),
            };
            let parameters = template(s, "Parameters", at)?;
            if !matches!(resource, Resource::Function(_)) {
                let p = parameters.as_ref().and_then(Value::as_object);
                if p.and_then(|p| p.get("FunctionName")).and_then(Value::as_str).is_none() {
                    return err(at, "lambda:invoke needs Parameters.FunctionName");
                }
                if let Some(bad) =
                    p.and_then(|p| p.keys().find(|k| !["FunctionName", "Payload", "Payload.$"].contains(&k.as_str())))
                {
                    return err(at, format!("Parameters.{bad} is not supported for lambda:invoke"));
                }
            }
            let timeout = match (s.get("TimeoutSeconds"), s.get("TimeoutSecondsPath")) {
                (None, None) => None,
                (Some(v), None) => Some(Timeout::Seconds(
                    v.as_u64()
                        .filter(|t| *t > 0)
                        .ok_or(())
                        .or_else(|_| err(at, "TimeoutSeconds is a positive integer"))?,
                )),
                (None, Some(Value::String(p))) => Some(Timeout::Path(
                    path::parse(p)
                        .map_err(|m| DefinitionError { at: format!("{at}.TimeoutSecondsPath"), message: m })?,
                )),
                _ => return err(at, "use one of TimeoutSeconds or TimeoutSecondsPath (a path)"),
            };
            let task = TaskState {
                resource,
                parameters,
                result_selector: template(s, "ResultSelector", at)?,
                result_path: opt_path(s, "ResultPath", at)?,
                retry: retriers(s, at)?,
                catch: catchers(s, at)?,
                timeout,
            };
            (Kind::Task(Box::new(task)), flow(s, at)?)
        }
        "Map" => {
            check_keys(s, at, MAP_KEYS)?;
            let processor = match (s.get("ItemProcessor"), s.get("Iterator")) {
                (Some(Value::Object(p)), None) | (None, Some(Value::Object(p))) => {
                    if let Some(cfg) = p.get("ProcessorConfig") {
                        let mode = cfg.get("Mode").and_then(Value::as_str).unwrap_or("INLINE");
                        if mode != "INLINE" || cfg.as_object().is_some_and(|c| c.keys().any(|k| k != "Mode")) {
                            return err(at, "only ProcessorConfig {\"Mode\": \"INLINE\"} is supported");
                        }
                    }
                    Arc::new(parse_machine(
                        p,
                        &format!("{at}.ItemProcessor."),
                        &["Comment", "StartAt", "States", "ProcessorConfig"],
                    )?)
                }
                _ => return err(at, "exactly one of ItemProcessor or Iterator is required"),
            };
            let item_selector = match (template(s, "ItemSelector", at)?, template(s, "Parameters", at)?) {
                (Some(_), Some(_)) => return err(at, "use ItemSelector or Parameters, not both"),
                (a, b) => a.or(b),
            };
            let items_path =
                opt_path(s, "ItemsPath", at)?.ok_or(()).or_else(|_| err(at, "ItemsPath cannot be null"))?;
            let max_concurrency = match s.get("MaxConcurrency") {
                None => 0,
                Some(v) => {
                    v.as_u64().ok_or(()).or_else(|_| err(at, "MaxConcurrency is a non-negative integer"))? as usize
                }
            };
            let map = MapState {
                items_path,
                item_selector,
                processor,
                max_concurrency,
                result_selector: template(s, "ResultSelector", at)?,
                result_path: opt_path(s, "ResultPath", at)?,
                retry: retriers(s, at)?,
                catch: catchers(s, at)?,
            };
            (Kind::Map(Box::new(map)), flow(s, at)?)
        }
        "Choice" => {
            check_keys(s, at, &["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"])?;
            let list = s.get("Choices").and_then(Value::as_array).filter(|c| !c.is_empty());
            let list = list.ok_or(()).or_else(|_| err(at, "Choices must be a non-empty array"))?;
            let mut choices = Vec::new();
            for (i, c) in list.iter().enumerate() {
                let here = format!("{at}.Choices[{i}]");
                let obj = c.as_object().ok_or(()).or_else(|_| err(&here, "a choice rule is an object"))?;
                let next = str_field(obj, "Next", &here)?.ok_or(()).or_else(|_| err(&here, "Next is required"))?;
                let mut inner = obj.clone();
                inner.remove("Next");
                choices.push((rule(&inner, &here)?, next));
            }
            (Kind::Choice { choices, default: str_field(s, "Default", at)? }, Flow::End)
        }
        "Pass" => {
            check_keys(
                s,
                at,
                &["Type", "Comment", "InputPath", "OutputPath", "Next", "End", "Parameters", "Result", "ResultPath"],
            )?;
            let kind = Kind::Pass {
                parameters: template(s, "Parameters", at)?,
                result: s.get("Result").cloned(),
                result_path: opt_path(s, "ResultPath", at)?,
            };
            (kind, flow(s, at)?)
        }
        "Succeed" => {
            check_keys(s, at, &["Type", "Comment", "InputPath", "OutputPath"])?;
            (Kind::Succeed, Flow::End)
        }
        "Fail" => {
            check_keys(s, at, &["Type", "Comment", "Error", "Cause"])?;
            let kind = Kind::Fail {
                error: str_field(s, "Error", at)?.unwrap_or_else(|| "States.Fail".into()),
                cause: str_field(s, "Cause", at)?.unwrap_or_default(),
            };
            (kind, Flow::End)
        }
        other => return err(at, format!("state type {other:?} is not supported by the local runner")),
    };
    Ok(State { kind, io, flow })
}

fn error_list(obj: &Map<String, Value>, at: &str) -> Result<Vec<String>, DefinitionError> {
    let list = obj.get("ErrorEquals").and_then(Value::as_array).filter(|l| !l.is_empty());
    let list = list.ok_or(()).or_else(|_| err(at, "ErrorEquals must be a non-empty array"))?;
    let names: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_string).collect();
    if names.len() != list.len() {
        return err(at, "ErrorEquals holds strings");
    }
    if names.iter().any(|n| n == "States.ALL") && names.len() > 1 {
        return err(at, "States.ALL must stand alone in ErrorEquals");
    }
    Ok(names)
}

fn last_is_all(rules: &[Vec<String>], at: &str) -> Result<(), DefinitionError> {
    let all_at = rules.iter().position(|r| r.iter().any(|n| n == "States.ALL"));
    match all_at {
        Some(i) if i + 1 != rules.len() => err(at, "States.ALL must be in the last retrier or catcher"),
        _ => Ok(()),
    }
}

fn retriers(s: &Map<String, Value>, at: &str) -> Result<Vec<Retrier>, DefinitionError> {
    let Some(list) = s.get("Retry") else { return Ok(vec![]) };
    let list = list.as_array().ok_or(()).or_else(|_| err(at, "Retry is an array"))?;
    let mut out = Vec::new();
    for (i, r) in list.iter().enumerate() {
        let here = format!("{at}.Retry[{i}]");
        let o = r.as_object().ok_or(()).or_else(|_| err(&here, "a retrier is an object"))?;
        check_keys(o, &here, &["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds"])?;
        let num = |k: &str, d: f64| o.get(k).map_or(Some(d), Value::as_f64);
        let retrier = Retrier {
            error_equals: error_list(o, &here)?,
            interval_seconds: num("IntervalSeconds", 1.0)
                .ok_or(())
                .or_else(|_| err(&here, "IntervalSeconds is a number"))?,
            max_attempts: num("MaxAttempts", 3.0).ok_or(()).or_else(|_| err(&here, "MaxAttempts is a number"))? as u32,
            backoff_rate: num("BackoffRate", 2.0)
                .filter(|b| *b >= 1.0)
                .ok_or(())
                .or_else(|_| err(&here, "BackoffRate is >= 1"))?,
            max_delay_seconds: o.get("MaxDelaySeconds").and_then(Value::as_f64),
        };
        out.push(retrier);
    }
    last_is_all(&out.iter().map(|r| r.error_equals.clone()).collect::<Vec<_>>(), at)?;
    Ok(out)
}

fn catchers(s: &Map<String, Value>, at: &str) -> Result<Vec<Catcher>, DefinitionError> {
    let Some(list) = s.get("Catch") else { return Ok(vec![]) };
    let list = list.as_array().ok_or(()).or_else(|_| err(at, "Catch is an array"))?;
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let here = format!("{at}.Catch[{i}]");
        let o = c.as_object().ok_or(()).or_else(|_| err(&here, "a catcher is an object"))?;
        check_keys(o, &here, &["ErrorEquals", "Next", "ResultPath"])?;
        out.push(Catcher {
            error_equals: error_list(o, &here)?,
            next: str_field(o, "Next", &here)?.ok_or(()).or_else(|_| err(&here, "Next is required"))?,
            result_path: opt_path(o, "ResultPath", &here)?,
        });
    }
    last_is_all(&out.iter().map(|c| c.error_equals.clone()).collect::<Vec<_>>(), at)?;
    Ok(out)
}

fn rule(o: &Map<String, Value>, at: &str) -> Result<Rule, DefinitionError> {
    let sub = |v: &Value, at: &str| -> Result<Rule, DefinitionError> {
        let obj = v.as_object().ok_or(()).or_else(|_| err(at, "a rule is an object"))?;
        rule(obj, at)
    };
    if let Some(v) = o.get("And").or_else(|| o.get("Or")) {
        check_keys(o, at, &["And", "Or"])?;
        let list = v.as_array().ok_or(()).or_else(|_| err(at, "And/Or take an array"))?;
        let rules = list.iter().map(|r| sub(r, at)).collect::<Result<Vec<_>, _>>()?;
        return Ok(if o.contains_key("And") { Rule::And(rules) } else { Rule::Or(rules) });
    }
    if let Some(v) = o.get("Not") {
        check_keys(o, at, &["Not"])?;
        return Ok(Rule::Not(Box::new(sub(v, at)?)));
    }
    let variable = str_field(o, "Variable", at)?.ok_or(()).or_else(|_| err(at, "Variable is required"))?;
    let variable = path::parse(&variable).map_err(|m| DefinitionError { at: at.into(), message: m })?;
    let ops: Vec<&String> = o.keys().filter(|k| *k != "Variable").collect();
    let [op] = ops.as_slice() else { return err(at, "exactly one comparison operator is required") };
    let v = &o[op.as_str()];
    let bad = || DefinitionError { at: at.to_string(), message: format!("{op} has a value of the wrong type") };
    let comparison = match op.as_str() {
        "StringEquals" => Comparison::StringEquals(v.as_str().map(str::to_string).ok_or_else(bad)?),
        "NumericEquals" => Comparison::NumericEquals(v.as_f64().ok_or_else(bad)?),
        "NumericLessThan" => Comparison::NumericLessThan(v.as_f64().ok_or_else(bad)?),
        "NumericGreaterThan" => Comparison::NumericGreaterThan(v.as_f64().ok_or_else(bad)?),
        "BooleanEquals" => Comparison::BooleanEquals(v.as_bool().ok_or_else(bad)?),
        "IsPresent" => Comparison::IsPresent(v.as_bool().ok_or_else(bad)?),
        "IsNull" => Comparison::IsNull(v.as_bool().ok_or_else(bad)?),
        other => return err(at, format!("comparison {other} is not supported by the local runner")),
    };
    Ok(Rule::Compare { variable, comparison })
}

impl Rule {
    pub fn matches(&self, input: &Value, context: &Value) -> bool {
        match self {
            Rule::And(rules) => rules.iter().all(|r| r.matches(input, context)),
            Rule::Or(rules) => rules.iter().any(|r| r.matches(input, context)),
            Rule::Not(r) => !r.matches(input, context),
            Rule::Compare { variable, comparison } => {
                let v = variable.get(input, context);
                match comparison {
                    Comparison::IsPresent(b) => v.is_some() == *b,
                    Comparison::IsNull(b) => v.is_some_and(Value::is_null) == *b,
                    Comparison::StringEquals(s) => v.and_then(Value::as_str) == Some(s.as_str()),
                    Comparison::NumericEquals(n) => v.and_then(Value::as_f64) == Some(*n),
                    Comparison::NumericLessThan(n) => v.and_then(Value::as_f64).is_some_and(|x| x < *n),
                    Comparison::NumericGreaterThan(n) => v.and_then(Value::as_f64).is_some_and(|x| x > *n),
                    Comparison::BooleanEquals(b) => v.and_then(Value::as_bool) == Some(*b),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs() -> HashMap<String, String> {
        [
            ("CheckEligibilityFunctionArn", "check"),
            ("RequestConsentFunctionArn", "consent"),
            ("FinalizeFunctionArn", "finalize"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn loads_the_registration_workflow() {
        let text = include_str!("../../statemachine/registration.asl.json");
        let m = StateMachine::parse(text, &subs()).expect("the deployed definition loads");
        assert_eq!(m.start_at, "CheckEligibility");
        assert_eq!(m.functions(), vec!["check", "consent", "finalize"]);
    }

    fn refused(text: &str) -> String {
        StateMachine::parse(text, &HashMap::new()).expect_err("refused").to_string()
    }

    #[test]
    fn refuses_unsupported_features_with_their_location() {
        assert!(refused(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}"#).contains("Wait"));
        assert!(refused(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","HeartbeatSeconds":5,"End":true}}}"#
        )
        .contains("HeartbeatSeconds"));
        assert!(refused(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}"#
        )
        .contains("sqs"));
        assert!(refused(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Next":"Nowhere"}}}"#)
            .contains("Nowhere"));
        assert!(refused(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a.$":"$..x"},"End":true}}}"#)
            .contains("P"));
        assert!(refused(r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"${Missing}","End":true}}}"#)
            .contains("Missing"));
        assert!(refused(
            r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","End":true,"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}}}"#
        )
        .contains("last"));
        assert!(refused(r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","StringMatches":"x*","Next":"C"}]}}}"#)
            .contains("StringMatches"));
    }
}
