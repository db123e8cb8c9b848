//! The deployed definition on a second engine (group 2: `./scripts/test` resets moto and turns on its
//! state-machine execution). moto runs `registration.asl.json` with the Lambdas played by queued results
//! and the owners played by our Step Functions adapter answering the task tokens; the in-process engine
//! runs the same file with the same stand-ins. Both must hand `Finalize` the same input.

mod support;

use asl_runner::{Engine, ExecutionStatus, LambdaFn};
use aws_adapters::sfn::StepFunctions;
use domain::clock::AdjustableClock;
use domain::errors::WorkflowError;
use domain::ports::Workflow;
use domain::ApplicationId;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const DEFINITION: &str = include_str!("../../../infra/statemachine/registration.asl.json");
const ACCOUNT: &str = "123456789012";

fn function_arn(region: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}")
}

fn substitutions(region: &str) -> HashMap<String, String> {
    [
        ("CheckEligibilityFunctionArn", "check-eligibility"),
        ("RequestConsentFunctionArn", "request-consent"),
        ("FinalizeFunctionArn", "finalize"),
    ]
    .into_iter()
    .map(|(k, f)| (k.to_string(), function_arn(region, f)))
    .collect()
}

fn substituted(region: &str) -> String {
    substitutions(region).iter().fold(DEFINITION.to_string(), |d, (k, v)| d.replace(&format!("${{{k}}}"), v))
}

struct OnMoto {
    sfn: aws_sdk_sfn::Client,
    workflow: StepFunctions,
}

/// Each scenario runs in its own region: moto's queue of Lambda results is per region.
async fn on_moto(region: &str) -> OnMoto {
    if test_kit::moto::started_here() {
        // This process's own moto: configure it as ./scripts/test configures the shared one for this group.
        let config = json!({"stepfunctions": {"execute_state_machine": true}, "lambda": {"use_docker": false}});
        support::moto_api("POST", "config", Some(config)).await;
    }
    let sfn = aws_sdk_sfn::Client::new(&support::config(region).await);
    let arn = sfn
        .create_state_machine()
        .name("registration")
        .definition(substituted(region))
        .role_arn(format!("arn:aws:iam::{ACCOUNT}:role/registration-workflow"))
        .send()
        .await
        .expect("moto accepts the deployed definition")
        .state_machine_arn;
    OnMoto { sfn: sfn.clone(), workflow: StepFunctions::new(sfn, arn) }
}

async fn queue_lambda_results(region: &str, results: &[Value]) {
    let results: Vec<String> = results.iter().map(Value::to_string).collect();
    support::moto_api(
        "POST",
        "static/lambda-simple/response",
        Some(json!({ "account_id": ACCOUNT, "region": region, "results": results })),
    )
    .await;
}

impl OnMoto {
    async fn history(&self, id: &ApplicationId) -> Vec<aws_sdk_sfn::types::HistoryEvent> {
        let out = self
            .sfn
            .get_execution_history()
            .execution_arn(self.workflow.execution_arn(id.as_str()))
            .send()
            .await
            .expect("history");
        out.events().to_vec()
    }

    /// The task tokens of the consent waits, from `TaskScheduled` events (as an operator would see them).
    async fn tokens(&self, id: &ApplicationId, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let tokens: Vec<String> = self
                .history(id)
                .await
                .iter()
                .filter_map(|e| e.task_scheduled_event_details())
                .filter_map(|d| serde_json::from_str::<Value>(d.parameters()).ok())
                .filter_map(|p| p["Payload"]["taskToken"].as_str().map(str::to_string))
                .collect();
            if tokens.len() >= n {
                return tokens;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no consent wait was scheduled");
    }

    async fn finished(&self, id: &ApplicationId) -> (String, Value) {
        for _ in 0..150 {
            let d = self
                .sfn
                .describe_execution()
                .execution_arn(self.workflow.execution_arn(id.as_str()))
                .send()
                .await
                .expect("describe");
            if d.status().as_str() != "RUNNING" {
                // Finalize's input: what the Lambda was invoked with.
                let input = self
                    .history(id)
                    .await
                    .iter()
                    .filter_map(|e| e.lambda_function_scheduled_event_details())
                    .filter(|d| d.resource().ends_with(":finalize"))
                    .filter_map(|d| d.input().and_then(|i| serde_json::from_str(i).ok()))
                    .next_back()
                    .unwrap_or(Value::Null);
                return (d.status().as_str().to_string(), input);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("execution did not finish on moto");
    }
}

/// The same scenario on the in-process engine: Finalize's input.
async fn on_local_engine(outputs: Vec<Value>, answer: impl FnOnce(&Engine, Vec<String>, &AdjustableClock)) -> Value {
    let finalize_input = Arc::new(Mutex::new(Value::Null));
    let tokens = Arc::new(Mutex::new(Vec::new()));
    let mut functions: HashMap<String, LambdaFn> = HashMap::new();
    let check = outputs[0].clone();
    functions.insert(
        "check-eligibility".into(),
        Arc::new(move |_| {
            let check = check.clone();
            Box::pin(async move { Ok(check) })
        }),
    );
    let t = tokens.clone();
    functions.insert(
        "request-consent".into(),
        Arc::new(move |input: Value| {
            let t = t.clone();
            Box::pin(async move {
                t.lock().expect("lock").push(input["taskToken"].as_str().unwrap_or_default().to_string());
                Ok(json!({}))
            })
        }),
    );
    let f = finalize_input.clone();
    functions.insert(
        "finalize".into(),
        Arc::new(move |input: Value| {
            let f = f.clone();
            Box::pin(async move {
                *f.lock().expect("lock") = input;
                Ok(json!({"status": "DONE"}))
            })
        }),
    );
    let clock = Arc::new(AdjustableClock::real());
    let engine = Engine::new(DEFINITION, &substitutions("local"), functions, clock.clone()).expect("engine");
    let id = outputs[0]["applicationId"].as_str().expect("id").to_string();
    engine.start_execution(&id, json!({"applicationId": id})).expect("start");
    let expected = outputs[0]["consentIds"].as_array().map_or(0, Vec::len);
    for _ in 0..200 {
        if tokens.lock().expect("lock").len() >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let tokens = tokens.lock().expect("lock").clone();
    answer(&engine, tokens, &clock);
    for _ in 0..400 {
        if engine.describe(&id).is_some_and(|v| v.summary.status != ExecutionStatus::Running) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let input = finalize_input.lock().expect("lock").clone();
    input
}

fn eligibility(id: &ApplicationId, consents: &[&str], timeout: u32) -> Value {
    json!({ "applicationId": id.to_string(), "decision": "CONSENT_REQUIRED", "consentIds": consents, "consentTimeoutSeconds": timeout })
}

/// moto's executor adds `Cause` strings of its own; compare what Finalize decides on.
fn decisive(input: &Value) -> Value {
    json!({ "applicationId": input["applicationId"], "decision": input["decision"], "error": input["error"]["Error"] })
}

/// Named `on_moto::...`: the first test group skips them, the second runs them.
mod on_moto {
    use super::*;

    #[tokio::test]
    async fn two_owners_approve() {
        let region = "eu-west-1";
        let id = ApplicationId::new();
        let moto = on_moto(region).await;
        let check = eligibility(&id, &["cns-a", "cns-b"], 60);
        queue_lambda_results(region, &[check.clone(), json!({}), json!({}), json!({"status": "REGISTERED"})]).await;
        moto.workflow.start(&id, None).await.expect("start");
        let tokens = moto.tokens(&id, 2).await;
        for t in &tokens {
            moto.workflow.send_task_success(t, json!({"approved": true})).await.expect("answered");
        }
        let (status, finalize_input) = moto.finished(&id).await;
        assert_eq!(status, "SUCCEEDED");
        assert!(finalize_input.get("error").is_none(), "{finalize_input}");
        let again = moto.workflow.send_task_success(&tokens[0], json!({})).await;
        assert!(
            matches!(again, Err(WorkflowError::TaskTimedOut | WorkflowError::InvalidToken)),
            "a token works once: {again:?}"
        );
        let local = on_local_engine(vec![check], |engine, tokens, _| {
            for t in tokens {
                engine.send_task_success(&t, json!({"approved": true})).expect("answered");
            }
        })
        .await;
        assert_eq!(decisive(&finalize_input), decisive(&local));
    }

    #[tokio::test]
    async fn an_owner_declines() {
        let region = "eu-north-1";
        let id = ApplicationId::new();
        let moto = on_moto(region).await;
        let check = eligibility(&id, &["cns-a"], 60);
        queue_lambda_results(region, &[check.clone(), json!({}), json!({"status": "REJECTED"})]).await;
        moto.workflow.start(&id, None).await.expect("start");
        let tokens = moto.tokens(&id, 1).await;
        moto.workflow.send_task_failure(&tokens[0], "ConsentDeclined", "the owner declined").await.expect("declined");
        let (status, finalize_input) = moto.finished(&id).await;
        assert_eq!(status, "SUCCEEDED");
        assert_eq!(finalize_input["error"]["Error"], "ConsentDeclined");
        let local = on_local_engine(vec![check], |engine, tokens, _| {
            engine.send_task_failure(&tokens[0], "ConsentDeclined", "the owner declined").expect("declined");
        })
        .await;
        assert_eq!(decisive(&finalize_input), decisive(&local));
    }

    #[tokio::test]
    async fn no_answer_times_out() {
        let region = "us-east-2";
        let id = ApplicationId::new();
        let moto = on_moto(region).await;
        // A two-second window: TimeoutSecondsPath reads it from CheckEligibility's output.
        let check = eligibility(&id, &["cns-a"], 2);
        queue_lambda_results(region, &[check.clone(), json!({}), json!({"status": "CANCELLED"})]).await;
        moto.workflow.start(&id, None).await.expect("start");
        let tokens = moto.tokens(&id, 1).await;
        let (status, finalize_input) = moto.finished(&id).await;
        assert_eq!(status, "SUCCEEDED");
        assert_eq!(finalize_input["error"]["Error"], "ConsentExpired");
        let late = moto.workflow.send_task_success(&tokens[0], json!({"approved": true})).await;
        assert!(matches!(late, Err(WorkflowError::TaskTimedOut | WorkflowError::InvalidToken)), "{late:?}");
        let local = on_local_engine(vec![check], |engine, _, clock| {
            clock.advance(chrono::Duration::seconds(3));
            engine.clock_advanced();
        })
        .await;
        assert_eq!(decisive(&finalize_input), decisive(&local));
    }

    #[tokio::test]
    async fn a_refusal_goes_straight_to_finalize() {
        let region = "ap-south-1";
        let id = ApplicationId::new();
        let moto = on_moto(region).await;
        let check = json!({ "applicationId": id.to_string(), "decision": "REJECTED", "consentIds": [], "consentTimeoutSeconds": 3600 });
        queue_lambda_results(region, &[check.clone(), json!({"status": "REJECTED"})]).await;
        moto.workflow.start(&id, None).await.expect("start");
        let (status, finalize_input) = moto.finished(&id).await;
        assert_eq!(status, "SUCCEEDED");
        let local = on_local_engine(vec![check], |_, _, _| {}).await;
        assert_eq!(finalize_input, local, "identical input when nothing was caught");
    }

    #[tokio::test]
    async fn stopping_aborts_the_execution() {
        let region = "ca-central-1";
        let id = ApplicationId::new();
        let moto = on_moto(region).await;
        queue_lambda_results(region, &[eligibility(&id, &["cns-a"], 2), json!({}), json!({})]).await;
        moto.workflow.start(&id, None).await.expect("start");
        moto.tokens(&id, 1).await;
        moto.workflow.stop(&id, "withdrawn by the applicant").await.expect("stopped");
        let (status, finalize_input) = moto.finished(&id).await;
        // AWS and the local engine end it ABORTED at once; moto ends it when the pending wait returns, as
        // FAILED (States.Runtime). Either way the execution ends and Finalize never runs.
        assert!(status == "ABORTED" || status == "FAILED", "{status}");
        assert_eq!(finalize_input, Value::Null, "nothing is finalized after a stop");
    }
}
