//! The web console at `/`: the citizen's app, the phones, the operator's console. Plain HTML, CSS and
//! JavaScript from `infra/local-stack/web/`, built into this binary (no Node at run time). Besides the
//! documented API and `/_local` controls, it reads three routes that exist only for it (read-only):
//!
//! - `GET /_local/people`: the sample registries' people (IIN, name, BMG phone, language), to sign in as one;
//! - `GET /_local/addresses`: their properties (RKA, the address in words in kk/ru/en, owners);
//! - `GET /_local/definition`: the state machine definition the engine runs, substitutions applied.

use domain::reference_data::ReferenceData;
use domain::Language;
use http_body_util::Full;
use hyper::body::Bytes;
use serde_json::{json, Value};

/// Each file the console is made of: its path, content type and contents.
const FILES: [(&str, &str, &str); 10] = [
    ("/", "text/html; charset=utf-8", include_str!("../web/index.html")),
    ("/web/style.css", "text/css; charset=utf-8", include_str!("../web/style.css")),
    ("/web/main.js", "text/javascript; charset=utf-8", include_str!("../web/main.js")),
    ("/web/api.js", "text/javascript; charset=utf-8", include_str!("../web/api.js")),
    ("/web/citizen.js", "text/javascript; charset=utf-8", include_str!("../web/citizen.js")),
    ("/web/phones.js", "text/javascript; charset=utf-8", include_str!("../web/phones.js")),
    ("/web/operator.js", "text/javascript; charset=utf-8", include_str!("../web/operator.js")),
    ("/web/graph.js", "text/javascript; charset=utf-8", include_str!("../web/graph.js")),
    ("/web/verify.js", "text/javascript; charset=utf-8", include_str!("../web/verify.js")),
    ("/web/i18n.json", "application/json; charset=utf-8", include_str!("../web/i18n.json")),
];

/// A file of the console, for a GET of its path.
pub fn file(path: &str) -> Option<hyper::Response<Full<Bytes>>> {
    let (_, content_type, body) = FILES.iter().find(|(p, _, _)| *p == path)?;
    let mut r = hyper::Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    let headers = r.headers_mut();
    headers.insert("content-type", hyper::header::HeaderValue::from_static(content_type));
    headers.insert("cache-control", hyper::header::HeaderValue::from_static("no-store"));
    Some(r)
}

/// What the console lists: the sample people and addresses, and the definition.
pub struct Directory {
    pub people: Value,
    pub addresses: Value,
    pub definition: Value,
}

impl Directory {
    pub fn new(data: &ReferenceData, definition: &str) -> Directory {
        let name = |iin: &domain::Iin| {
            data.people().find(|p| &p.iin == iin).map(|p| format!("{} {}", p.first_name, p.last_name))
        };
        let people: Vec<Value> = data
            .people()
            .map(|p| {
                json!({
                    "iin": p.iin.as_str(),
                    "name": format!("{} {}", p.first_name, p.last_name),
                    "bmgPhone": p.bmg_phone.as_ref().map(|ph| ph.as_str().to_string()),
                    "language": p.language,
                })
            })
            .collect();
        let addresses: Vec<Value> = data
            .properties()
            .map(|p| {
                json!({
                    "rka": p.rka.as_str(),
                    "address": {
                        "kk": p.address.short(Language::Kk),
                        "ru": p.address.short(Language::Ru),
                        "en": p.address.short(Language::En),
                    },
                    "owners": p.owners.iter().filter_map(name).collect::<Vec<_>>(),
                    "stateRental": p.state_rental.is_some(),
                })
            })
            .collect();
        let mut text = definition.to_string();
        for (key, value) in crate::functions::substitutions() {
            text = text.replace(&format!("${{{key}}}"), &value);
        }
        Directory {
            people: json!({ "people": people }),
            addresses: json!({ "addresses": addresses }),
            definition: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FILES;
    use serde_json::Value;
    use std::collections::BTreeSet;

    fn catalogue() -> serde_json::Map<String, Value> {
        let (_, _, json) = FILES.iter().find(|(p, _, _)| *p == "/web/i18n.json").expect("the catalogue is served");
        serde_json::from_str::<Value>(json).expect("i18n.json").as_object().expect("an object").clone()
    }

    /// Every key the console's files name: `t("key"` (the function `t`, not `split("`), `data-i18n="key"`,
    /// `data-i18n-label="key"`.
    fn named() -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for (_, _, text) in FILES {
            for marker in ["t(\"", "data-i18n=\"", "data-i18n-label=\""] {
                let mut rest: &str = text;
                while let Some(at) = rest.find(marker) {
                    let before = rest[..at].chars().next_back();
                    let after = &rest[at + marker.len()..];
                    let is_call =
                        marker != "t(\"" || !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
                    if is_call {
                        keys.insert(after.split('"').next().unwrap_or_default().to_string());
                    }
                    rest = after;
                }
            }
        }
        keys
    }

    #[test]
    fn every_text_of_the_console_is_in_kazakh_russian_and_english() {
        let catalogue = catalogue();
        for (key, text) in &catalogue {
            for lang in ["kk", "ru", "en"] {
                let t = text[lang].as_str().unwrap_or_default();
                assert!(!t.trim().is_empty(), "{key} has no {lang}");
            }
            assert!(text.as_object().is_some_and(|o| o.len() == 3), "{key}: kk, ru and en only");
        }
        let missing: Vec<String> = named().into_iter().filter(|k| !catalogue.contains_key(k)).collect();
        assert!(missing.is_empty(), "named by the console but not in i18n.json: {missing:?}");
        // Keys made from a code (`status.${status}`): every code the console can show.
        let mut made: Vec<String> = domain::Status::ALL.iter().map(|s| format!("status.{}", s.as_str())).collect();
        made.extend(["RUNNING", "SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"].map(|s| format!("status.{s}")));
        made.extend(
            ["ELIGIBLE", "CONSENT_REQUIRED", "REJECTED", "OFFLINE_REQUIRED", "OPEN_APPLICATION"]
                .map(|d| format!("decision.{d}")),
        );
        made.extend(["PERMANENT", "TEMPORARY"].map(|k| format!("kind.{k}")));
        made.extend(
            ["succeeded", "failed", "caught", "running", "waiting", "not-reached"].map(|s| format!("state.{s}")),
        );
        let missing: Vec<&String> = made.iter().filter(|k| !catalogue.contains_key(k.as_str())).collect();
        assert!(missing.is_empty(), "codes without words: {missing:?}");
        // Nothing in the catalogue that nothing uses.
        let used: BTreeSet<String> = named().into_iter().chain(made).collect();
        let unused: Vec<&String> = catalogue.keys().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "in i18n.json but used nowhere: {unused:?}");
    }
}
