//! A split CloudFormation output read back as one template: the root's
//! `AWS::CloudFormation::Stack` resources name their nested templates
//! (`TemplateURL`, a path in the build folder) and pass each parameter from
//! another stack's output. Every nested resource joins one `Resources`
//! map under its logical id (ids are unique across the app), with each
//! parameter replaced by what it was passed: the owner's output value
//! (`{"Ref": X}`, `{"Fn::GetAtt": [X, A]}`), so that references read as
//! they do in a template that was never split.

use super::cloudformation::parse;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// How deep parameters may be passed through outputs that read parameters.
const MAX_DEPTH: usize = 16;

struct Nested {
    /// The root's parameters for it: name → value.
    passed: Map<String, Value>,
    template: Value,
}

/// The merged template and the nested stack of each of its resources; the
/// root itself when it has no nested stacks.
pub fn merge(root: &Value, read: &dyn Fn(&str) -> Option<String>) -> Result<(Value, BTreeMap<String, String>), String> {
    let Some(Value::Object(resources)) = root.get("Resources") else {
        return Err("template.json has no Resources".into());
    };
    let mut stacks: BTreeMap<String, Nested> = BTreeMap::new();
    let mut merged = Map::new();
    for (id, resource) in resources {
        let url = resource.pointer("/Properties/TemplateURL").and_then(Value::as_str);
        match (resource.get("Type").and_then(Value::as_str), url) {
            (Some("AWS::CloudFormation::Stack"), Some(url)) if !url.contains("://") => {
                let text = read(url).ok_or_else(|| format!("{url}, the template of nested stack {id}, is missing"))?;
                let passed = match resource.pointer("/Properties/Parameters") {
                    Some(Value::Object(passed)) => passed.clone(),
                    _ => Map::new(),
                };
                stacks.insert(id.clone(), Nested { passed, template: parse(&text, url)? });
            }
            _ => {
                merged.insert(id.clone(), resource.clone());
            }
        }
    }
    if stacks.is_empty() {
        return Ok((root.clone(), BTreeMap::new()));
    }
    let mut membership = BTreeMap::new();
    let mut memo = BTreeMap::new();
    for (stack, nested) in &stacks {
        let values = parameters(&stacks, stack, &mut memo, 0);
        let Some(Value::Object(resources)) = nested.template.get("Resources") else { continue };
        for (id, resource) in resources {
            let mut resource = resource.clone();
            substitute(&mut resource, &values);
            merged.insert(id.clone(), resource);
            membership.insert(id.clone(), stack.clone());
        }
    }
    // Moved in: `json!` would copy the whole app through serialization.
    let template = Map::from_iter([("Resources".to_string(), Value::Object(merged))]);
    Ok((Value::Object(template), membership))
}

type Values = BTreeMap<String, Value>;

/// The values of a nested stack's parameters, as far as they resolve,
/// each stack's worked out once.
fn parameters(
    stacks: &BTreeMap<String, Nested>,
    stack: &str,
    memo: &mut BTreeMap<String, Values>,
    depth: usize,
) -> Values {
    if let Some(values) = memo.get(stack) {
        return values.clone();
    }
    let mut out = Values::new();
    let Some(nested) = stacks.get(stack) else { return out };
    for (name, passed) in &nested.passed {
        out.insert(name.clone(), resolve(stacks, passed, memo, depth));
    }
    memo.insert(stack.to_string(), out.clone());
    out
}

/// A value the root passes: another stack's output is that output's value,
/// itself resolved in its stack when it reads that stack's parameters.
fn resolve(
    stacks: &BTreeMap<String, Nested>,
    passed: &Value,
    memo: &mut BTreeMap<String, Values>,
    depth: usize,
) -> Value {
    let target = match passed.get("Fn::GetAtt") {
        Some(Value::Array(parts)) => match (parts.first(), parts.get(1)) {
            (Some(Value::String(stack)), Some(Value::String(attr))) => Some((stack.clone(), attr.clone())),
            _ => None,
        },
        Some(Value::String(path)) => path.split_once('.').map(|(s, a)| (s.to_string(), a.to_string())),
        _ => None,
    };
    let Some((stack, attr)) = target else { return passed.clone() };
    let Some(output) = attr.strip_prefix("Outputs.") else { return passed.clone() };
    let Some(owner) = stacks.get(&stack) else { return passed.clone() };
    let Some(value) = owner.template.pointer(&format!("/Outputs/{output}/Value")) else { return passed.clone() };
    let mut value = value.clone();
    let text = value.to_string();
    let reads_parameters =
        owner.passed.keys().any(|p| text.contains(&format!("\"{p}\"")) || text.contains(&format!("${{{p}}}")));
    if reads_parameters && depth < MAX_DEPTH {
        substitute(&mut value, &parameters(stacks, &stack, memo, depth + 1));
    }
    value
}

/// Replaces `{"Ref": P}` and `${P}` of each parameter `P` by its value.
fn substitute(value: &mut Value, values: &BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(new) = map.get("Ref").and_then(Value::as_str).and_then(|p| values.get(p)) {
                    *value = new.clone();
                    return;
                }
                if let Some(sub) = map.get_mut("Fn::Sub") {
                    substitute_sub(sub, values);
                    return;
                }
            }
            map.values_mut().for_each(|v| substitute(v, values));
        }
        Value::Array(items) => items.iter_mut().for_each(|i| substitute(i, values)),
        _ => {}
    }
}

fn substitute_sub(sub: &mut Value, values: &BTreeMap<String, Value>) {
    let (template, locals) = match sub {
        Value::String(template) => (template, Vec::new()),
        Value::Array(parts) => {
            let mut locals = Vec::new();
            if let Some(Value::Object(l)) = parts.get_mut(1) {
                l.values_mut().for_each(|v| substitute(v, values));
                locals = l.keys().cloned().collect();
            }
            match parts.first_mut() {
                Some(Value::String(template)) => (template, locals),
                _ => return,
            }
        }
        _ => return,
    };
    let mut text = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}').map(|e| start + e) else { break };
        let name = &rest[start + 2..end];
        text.push_str(&rest[..start]);
        match values.get(name).filter(|_| !name.starts_with('!') && !locals.iter().any(|l| l == name)) {
            Some(value) => text.push_str(&variable(value)),
            None => text.push_str(&rest[start..=end]),
        }
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    *template = text;
}

/// A value as `Fn::Sub` text: `${X}`, `${X.A}`, a literal escaped.
fn variable(value: &Value) -> String {
    match value {
        Value::String(s) => s.replace("${", "${!"),
        Value::Object(map) if map.len() == 1 => match (map.get("Ref"), map.get("Fn::GetAtt"), map.get("Fn::Sub")) {
            (Some(Value::String(id)), _, _) => format!("${{{id}}}"),
            (_, Some(Value::Array(parts)), _) => {
                let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                format!("${{{}}}", parts.join("."))
            }
            (_, Some(Value::String(path)), _) => format!("${{{path}}}"),
            (_, _, Some(Value::String(template))) => template.clone(),
            _ => value.to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parameters_read_as_the_references_they_pass() {
        let root = json!({ "Resources": {
            "Stack01": { "Type": "AWS::CloudFormation::Stack", "Properties": { "TemplateURL": "stacks/Stack01.json" } },
            "Stack02": { "Type": "AWS::CloudFormation::Stack", "Properties": {
                "TemplateURL": "stacks/Stack02.json",
                "Parameters": {
                    "Jobs": { "Fn::GetAtt": ["Stack01", "Outputs.Jobs"] },
                    "JobsArn": { "Fn::GetAtt": ["Stack01", "Outputs.JobsArn"] },
                },
            } },
        } });
        let one = json!({ "Resources": { "Jobs": { "Type": "AWS::SQS::Queue" } }, "Outputs": {
            "Jobs": { "Value": { "Ref": "Jobs" } },
            "JobsArn": { "Value": { "Fn::GetAtt": ["Jobs", "Arn"] } },
        } });
        let two = json!({ "Parameters": { "Jobs": { "Type": "String" }, "JobsArn": { "Type": "String" } }, "Resources": {
            "Worker": { "Type": "AWS::Lambda::EventSourceMapping", "Properties": {
                "EventSourceArn": { "Ref": "JobsArn" },
                "Url": { "Fn::Sub": "${Jobs}/${JobsArn}/${!Jobs}/${AWS::Region}" },
            } },
        } });
        let read = |url: &str| match url {
            "stacks/Stack01.json" => Some(one.to_string()),
            "stacks/Stack02.json" => Some(two.to_string()),
            _ => None,
        };
        let (merged, membership) = merge(&root, &read).expect("merges");
        assert_eq!(membership["Worker"], "Stack02");
        assert_eq!(membership["Jobs"], "Stack01");
        assert_eq!(
            merged["Resources"]["Worker"]["Properties"],
            json!({
                "EventSourceArn": { "Fn::GetAtt": ["Jobs", "Arn"] },
                "Url": { "Fn::Sub": "${Jobs}/${Jobs.Arn}/${!Jobs}/${AWS::Region}" },
            })
        );
    }
}
