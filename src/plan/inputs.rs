//! The deploy-time inputs of an output (CloudFormation `Parameters`,
//! Terraform `variable` blocks) and what changed between two: an input
//! added or removed, its type, default or allowed pattern changed, each
//! said in words (whoever deploys must now give, or may stop giving, it).

use super::diff::Change;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One input as an output declares it: each part as canonical text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declared {
    pub ty: String,
    pub default: Option<String>,
    /// `AllowedPattern`, or the variable's `validation` condition.
    pub pattern: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct InputChange {
    pub name: String,
    pub change: Change,
    pub message: String,
}

/// The parameters of a template, by logical id.
pub fn from_parameters(template: &Value) -> BTreeMap<String, Declared> {
    let Some(Value::Object(parameters)) = template.get("Parameters") else { return BTreeMap::new() };
    let text = |v: Option<&Value>| {
        v.map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    parameters
        .iter()
        .map(|(id, p)| {
            let declared = Declared {
                ty: text(p.get("Type")).unwrap_or_default(),
                default: text(p.get("Default")),
                pattern: text(p.get("AllowedPattern")),
            };
            (id.clone(), declared)
        })
        .collect()
}

/// A `variable` block read as JSON (`type`, `default`, `validation`),
/// by name. `region` is the compiler's own variable for an app without a
/// region, not an input.
pub fn from_variable(name: &str, body: &Value, out: &mut BTreeMap<String, Declared>) {
    if name == "region" {
        return;
    }
    let text = |v: Option<&Value>| {
        v.map(|v| match v {
            Value::String(s) => s.trim_start_matches("${").trim_end_matches('}').to_string(),
            other => other.to_string(),
        })
    };
    let declared = Declared {
        ty: text(body.get("type")).unwrap_or_default(),
        default: body.get("default").map(Value::to_string),
        pattern: body.get("validation").map(Value::to_string),
    };
    out.insert(name.to_string(), declared);
}

/// What changed between the inputs of two outputs, in name order.
pub fn changes(old: &BTreeMap<String, Declared>, new: &BTreeMap<String, Declared>) -> Vec<InputChange> {
    let mut out = Vec::new();
    for (name, before) in old {
        match new.get(name) {
            None => out.push(InputChange {
                name: name.clone(),
                change: Change::Removed,
                message: format!("input {name} removed: deployments no longer give it"),
            }),
            Some(after) if after != before => {
                let mut parts = Vec::new();
                if before.ty != after.ty {
                    parts.push(format!("type {} → {}", before.ty, after.ty));
                }
                if before.default != after.default {
                    parts.push(format!("default {} → {}", shown(&before.default), shown(&after.default)));
                }
                if before.pattern != after.pattern {
                    parts.push(format!("pattern {} → {}", shown(&before.pattern), shown(&after.pattern)));
                }
                out.push(InputChange {
                    name: name.clone(),
                    change: Change::Changed,
                    message: format!("input {name} changed: {}", parts.join("; ")),
                });
            }
            Some(_) => {}
        }
    }
    for (name, after) in new.iter().filter(|(name, _)| !old.contains_key(*name)) {
        let given = match &after.default {
            Some(default) => format!("default {default}"),
            None => "no default: every deployment must give it".into(),
        };
        out.push(InputChange {
            name: name.clone(),
            change: Change::Added,
            message: format!("input {name} added ({}, {given})", after.ty),
        });
    }
    out
}

fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "(none)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(default: Option<&str>) -> Declared {
        Declared { ty: "String".into(), default: default.map(String::from), pattern: None }
    }

    #[test]
    fn added_removed_and_changed_defaults_are_said_in_words() {
        let old = BTreeMap::from([("A".to_string(), declared(Some("x"))), ("B".to_string(), declared(None))]);
        let new = BTreeMap::from([("A".to_string(), declared(Some("y"))), ("C".to_string(), declared(None))]);
        let messages: Vec<String> = changes(&old, &new).into_iter().map(|c| c.message).collect();
        assert_eq!(
            messages,
            [
                "input A changed: default x → y",
                "input B removed: deployments no longer give it",
                "input C added (String, no default: every deployment must give it)",
            ]
        );
    }
}
