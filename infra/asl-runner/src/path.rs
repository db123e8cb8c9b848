//! Reference paths (`$`, `$.a.b`, `$.a[0]`, `$$.Task.Token`) and payload templates (`"key.$": "path"`).

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Field(String),
    Index(usize),
}

/// A parsed reference path; `context` is true for `$$` paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefPath {
    pub context: bool,
    pub steps: Vec<Step>,
    pub text: String,
}

pub fn parse(text: &str) -> Result<RefPath, String> {
    let (context, rest) = if let Some(r) = text.strip_prefix("$$") {
        (true, r)
    } else if let Some(r) = text.strip_prefix('$') {
        (false, r)
    } else {
        return Err(format!("path {text:?} must start with $"));
    };
    let mut steps = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n == '.' || n == '[' {
                        break;
                    }
                    name.push(n);
                    chars.next();
                }
                if name.is_empty() || name.contains(['*', '?', '@', '(', ')', ',', ':', '\'', '"']) {
                    return Err(format!("path {text:?}: only plain field names are supported"));
                }
                steps.push(Step::Field(name));
            }
            '[' => {
                let mut digits = String::new();
                for n in chars.by_ref() {
                    if n == ']' {
                        break;
                    }
                    digits.push(n);
                }
                let i = digits.parse().map_err(|_| format!("path {text:?}: only numeric indexes are supported"))?;
                steps.push(Step::Index(i));
            }
            _ => return Err(format!("path {text:?}: unexpected {c:?}")),
        }
    }
    Ok(RefPath { context, steps, text: text.to_string() })
}

impl RefPath {
    pub fn get<'a>(&self, input: &'a Value, context: &'a Value) -> Option<&'a Value> {
        let mut v = if self.context { context } else { input };
        for s in &self.steps {
            v = match s {
                Step::Field(f) => v.as_object()?.get(f)?,
                Step::Index(i) => v.as_array()?.get(*i)?,
            };
        }
        Some(v)
    }

    /// ResultPath: `$` replaces, `$.a.b` writes into the input (creating objects on the way).
    pub fn set(&self, mut input: Value, value: Value) -> Result<Value, String> {
        if self.steps.is_empty() {
            return Ok(value);
        }
        let mut cursor = &mut input;
        for (n, s) in self.steps.iter().enumerate() {
            let Step::Field(f) = s else { return Err(format!("ResultPath {:?} cannot index arrays", self.text)) };
            let obj =
                cursor.as_object_mut().ok_or_else(|| format!("ResultPath {:?}: input is not an object", self.text))?;
            if n + 1 == self.steps.len() {
                obj.insert(f.clone(), value);
                return Ok(input);
            }
            cursor = obj.entry(f.clone()).or_insert_with(|| Value::Object(Map::new()));
        }
        Ok(input)
    }
}

/// Checks every `.$` path of a template when the definition is loaded.
pub fn validate_template(template: &Value) -> Result<(), String> {
    match template {
        Value::Object(m) => {
            for (k, v) in m {
                if k.ends_with(".$") {
                    let p = v.as_str().ok_or_else(|| format!("{k} must be a path string"))?;
                    if p.starts_with("States.") {
                        return Err(format!("{k}: intrinsic functions are not supported"));
                    }
                    parse(p)?;
                } else {
                    validate_template(v)?;
                }
            }
            Ok(())
        }
        Value::Array(a) => a.iter().try_for_each(validate_template),
        _ => Ok(()),
    }
}

/// Evaluates a template: `"k.$": "$.x"` becomes `"k": <input.x>`. A missing path is an error.
pub fn apply_template(template: &Value, input: &Value, context: &Value) -> Result<Value, String> {
    match template {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if let Some(key) = k.strip_suffix(".$") {
                    let p = parse(v.as_str().unwrap_or_default())?;
                    let found =
                        p.get(input, context).ok_or_else(|| format!("the path {:?} of {k} matches nothing", p.text))?;
                    out.insert(key.to_string(), found.clone());
                } else {
                    out.insert(k.clone(), apply_template(v, input, context)?);
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(a) => {
            a.iter().map(|v| apply_template(v, input, context)).collect::<Result<_, _>>().map(Value::Array)
        }
        other => Ok(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_set_and_templates() {
        let input = json!({"a": {"b": [10, 20]}, "id": "x"});
        let ctx = json!({"Task": {"Token": "t"}});
        assert_eq!(parse("$.a.b[1]").expect("path").get(&input, &ctx), Some(&json!(20)));
        assert_eq!(parse("$$.Task.Token").expect("path").get(&input, &ctx), Some(&json!("t")));
        assert_eq!(parse("$.nope").expect("path").get(&input, &ctx), None);
        let set = parse("$.r.s").expect("path").set(input.clone(), json!(1)).expect("set");
        assert_eq!(set["r"]["s"], json!(1));
        assert_eq!(parse("$").expect("path").set(input.clone(), json!(2)).expect("set"), json!(2));
        let t = json!({"id.$": "$.id", "token.$": "$$.Task.Token", "fixed": {"n": 1}});
        assert_eq!(
            apply_template(&t, &input, &ctx).expect("apply"),
            json!({"id": "x", "token": "t", "fixed": {"n": 1}})
        );
        assert!(apply_template(&json!({"x.$": "$.missing"}), &input, &ctx).is_err());
    }

    #[test]
    fn refuses_what_it_does_not_support() {
        assert!(parse("$..a").is_err());
        assert!(parse("$.a[*]").is_err());
        assert!(parse("a.b").is_err());
        assert!(validate_template(&json!({"x.$": "States.Format('{}', $.a)"})).is_err());
    }
}
