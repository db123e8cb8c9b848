//! Least privilege, checked: for every function, the grants its template policy gives are exactly the
//! grants its recorded calls needed over a run of every path. A missing grant would fail in AWS
//! (AccessDenied); an unused one is privilege the code does not need.

use crate::journeys_on_aws::every_path;
use crate::template::{function_grants, functions_with_failure_queue, Grant};
use aws_adapters::calls::Call;
use std::collections::{BTreeMap, BTreeSet};

/// Recorded resources named like the template's: tables and the state machine by logical id.
fn normalise(call: &Call, names: &[(String, &str)]) -> Vec<Grant> {
    call.needs
        .iter()
        .map(|g| {
            let mut resource = g.resource.clone();
            for (actual, logical) in names {
                resource = resource.replace(actual.as_str(), logical);
            }
            if let Some(rest) = resource.strip_prefix("execution/") {
                // One execution of this state machine: the template grants them all (`...:execution:NAME:*`).
                let machine = if rest.contains("RegistrationStateMachine") { "RegistrationStateMachine" } else { rest };
                resource = format!("execution/{machine}/*");
            }
            if resource == aws_adapters::calls::DATA_KEY {
                resource = "arn/DataKey".into();
            }
            if resource == "task-token" {
                // SendTask* carry only the token, of a task of this state machine (the only one there is).
                resource = "stateMachine/RegistrationStateMachine".into();
            }
            (g.action.clone(), resource)
        })
        .collect()
}

#[tokio::test]
async fn every_function_is_granted_exactly_the_calls_it_makes() {
    // Limits out of the way: the path submits for one person more often than a day allows; every submission
    // still counts its limits (the same writes), so their grants are exercised.
    let mut config = tests::out_of_the_way(local_stack::Config::for_tests().expect("config"));
    config.aws_endpoint = Some(crate::moto_endpoint());
    let app = tests::spawn_app_with(config).await;
    every_path(&app).await;

    let aws = app.stack.shared.stack.aws.as_ref().expect("the stack runs on the AWS backend");
    let s = &aws.settings;
    let machine = s.state_machine_arn.clone().expect("state machine");
    let names = vec![
        (format!("table/{}", s.table.clone().expect("table")), "table/MainTable"),
        (format!("table/{}", s.registries_table.clone().expect("registries")), "table/RegistriesTable"),
        (machine.replacen(":stateMachine:", ":execution:", 1), "RegistrationStateMachine"),
        (machine, "RegistrationStateMachine"),
        (format!("secret/{}", s.code_key_secret.clone().expect("code key secret")), "secret/CodeKeySecret"),
        (format!("key/{}", s.certificate_key.clone().expect("certificate key")), "arn/CertificateKey"),
    ];
    let granted = function_grants();
    let failure_queue = functions_with_failure_queue();
    assert_eq!(failure_queue.len(), 2, "record-reply and reconcile: {failure_queue:?}");
    assert_eq!(
        granted.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        aws.calls.keys().copied().collect::<BTreeSet<_>>(),
        "the template has one function per crate in functions/"
    );

    let mut problems = Vec::new();
    let mut summary = BTreeMap::new();
    for (function, log) in &aws.calls {
        let calls = log.calls();
        let mut used: BTreeSet<Grant> = calls.iter().flat_map(|c| normalise(c, &names)).collect();
        if failure_queue.contains(*function) {
            // Not a call of the code: Lambda itself sends a failed asynchronous event to the on-failure queue
            // with the function's role, and the queue is encrypted with DataKey.
            used.insert(("kms:GenerateDataKey".into(), "arn/DataKey".into()));
            used.insert(("kms:Decrypt".into(), "arn/DataKey".into()));
        }
        let policy = &granted[*function];
        for missing in used.difference(policy) {
            problems.push(format!("{function} calls {} on {} but its policy does not allow it", missing.0, missing.1));
        }
        for unused in policy.difference(&used) {
            problems.push(format!("{function} is granted {} on {} but never needed it", unused.0, unused.1));
        }
        summary.insert(*function, (calls.len(), used.len()));
    }
    println!("calls and distinct grants per function over every path: {summary:?}");
    assert!(problems.is_empty(), "policies differ from the calls:\n{}", problems.join("\n"));
    // Every function did something on AWS in this run (else the comparison above proves nothing for it).
    for (function, (calls, _)) in summary {
        assert!(calls > 0, "{function} made no AWS call in the run");
    }
}
