//! Talking to the moto server (`test_kit::moto`: the one `./scripts/test` starts, or one started for this
//! test process from the project's `.venv`). Without either these tests fail at once, naming the command.

#![allow(dead_code)]

use aws_config::{BehaviorVersion, Region, SdkConfig};
use serde_json::Value;

pub fn endpoint() -> String {
    test_kit::moto::endpoint()
}

pub async fn config(region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint())
        .region(Region::new(region.to_string()))
        .test_credentials()
        .load()
        .await
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

pub async fn moto_api(method: &str, path: &str, body: Option<Value>) -> Value {
    let client = reqwest::Client::new();
    let url = format!("{}/moto-api/{path}", endpoint());
    let req = match method {
        "POST" => client.post(url).json(&body.unwrap_or(Value::Null)),
        _ => client.get(url),
    };
    let resp = req.send().await.unwrap_or_else(|e| panic!("moto api {path}: {e}"));
    resp.json().await.unwrap_or(Value::Null)
}
