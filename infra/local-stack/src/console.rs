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
const FILES: [(&str, &str, &str); 9] = [
    ("/", "text/html; charset=utf-8", include_str!("../web/index.html")),
    ("/web/style.css", "text/css; charset=utf-8", include_str!("../web/style.css")),
    ("/web/main.js", "text/javascript; charset=utf-8", include_str!("../web/main.js")),
    ("/web/api.js", "text/javascript; charset=utf-8", include_str!("../web/api.js")),
    ("/web/citizen.js", "text/javascript; charset=utf-8", include_str!("../web/citizen.js")),
    ("/web/phones.js", "text/javascript; charset=utf-8", include_str!("../web/phones.js")),
    ("/web/operator.js", "text/javascript; charset=utf-8", include_str!("../web/operator.js")),
    ("/web/graph.js", "text/javascript; charset=utf-8", include_str!("../web/graph.js")),
    ("/web/verify.js", "text/javascript; charset=utf-8", include_str!("../web/verify.js")),
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
