//! A client for the local stack that mints one token per person and times only the measured requests.

use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a benchmark waits for the stack before it gives up.
const PATIENCE: Duration = Duration::from_secs(120);

pub struct Client {
    pub base: String,
    http: reqwest::Client,
    tokens: Mutex<HashMap<String, String>>,
}

pub struct Timed {
    pub status: u16,
    pub body: Value,
    pub took: Duration,
}

impl Client {
    pub fn new(base: String) -> Client {
        Client { base, http: reqwest::Client::new(), tokens: Mutex::new(HashMap::new()) }
    }

    pub async fn token(&self, iin: &str) -> Result<String, String> {
        if let Some(t) = self.tokens.lock().map_err(|e| e.to_string())?.get(iin) {
            return Ok(t.clone());
        }
        let r = self.local("POST", "/token", Some(json!({ "iin": iin }))).await?;
        let t = r.body["token"].as_str().ok_or(format!("no token: {}", r.body))?.to_string();
        self.tokens.lock().map_err(|e| e.to_string())?.insert(iin.to_string(), t.clone());
        Ok(t)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Timed, String> {
        let started = Instant::now();
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        let took = started.elapsed();
        Ok(Timed { status, body: serde_json::from_str(&text).unwrap_or(Value::String(text)), took })
    }

    pub async fn api(&self, caller: &str, method: &str, path: &str, body: Option<Value>) -> Result<Timed, String> {
        let token = self.token(caller).await?;
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body.unwrap_or(Value::Null)),
        };
        self.send(req.bearer_auth(token)).await
    }

    pub async fn local(&self, method: &str, path: &str, body: Option<Value>) -> Result<Timed, String> {
        let url = format!("{}/_local{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            _ => self.http.post(url).json(&body.unwrap_or(Value::Null)),
        };
        self.send(req).await
    }

    /// The six-digit code in the last SMS to `phone`, once there are more than `seen` (2 minutes at most:
    /// moto slows down as its tables grow).
    pub async fn next_code(&self, phone: &str, seen: usize) -> Result<String, String> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let r = self.local("GET", &format!("/sms/outbox?to={}", phone.replace('+', "%2B")), None).await?;
            let msgs = r.body["messages"].as_array().cloned().unwrap_or_default();
            if msgs.len() > seen {
                let text = msgs.last().and_then(|m| m["text"].as_str()).unwrap_or_default();
                return six_digits(text).ok_or(format!("no code in the SMS to {phone}"));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Err(format!("no SMS reached {phone}"))
    }

    pub async fn outbox_len(&self, phone: &str) -> Result<usize, String> {
        let r = self.local("GET", &format!("/sms/outbox?to={}", phone.replace('+', "%2B")), None).await?;
        Ok(r.body["messages"].as_array().map_or(0, Vec::len))
    }

    /// Polls the application until its status is `status` (2 minutes at most).
    pub async fn wait_for(&self, applicant: &str, id: &str, status: &str) -> Result<(), String> {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let r = self.api(applicant, "GET", &format!("/registrations/{id}"), None).await?;
            if r.body["status"] == status {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Err(format!("application {id} did not reach {status}"))
    }

    /// Asks for a signing code and signs `form` with it; returns the signed form.
    pub async fn sign(&self, applicant: &str, phone: &str, form: &Value) -> Result<Value, String> {
        let seen = self.outbox_len(phone).await?;
        let r = self.api(applicant, "POST", "/signing-codes", Some(form.clone())).await?;
        if r.status != 201 {
            return Err(format!("signing code: {} {}", r.status, r.body));
        }
        let code = self.next_code(phone, seen).await?;
        let mut signed = form.clone();
        signed["signature"] =
            json!({ "method": "SMS_CODE", "signingRequestId": r.body["signingRequestId"], "code": code });
        Ok(signed)
    }
}

fn six_digits(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(5)).find_map(|i| {
        let w: String = chars[i..i + 6].iter().collect();
        let edges = (i == 0 || !chars[i - 1].is_ascii_digit()) && chars.get(i + 6).is_none_or(|c| !c.is_ascii_digit());
        (edges && w.chars().all(|c| c.is_ascii_digit())).then_some(w)
    })
}
