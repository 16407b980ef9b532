//! A split CloudFormation output read back as one template: the root's
//! `AWS::CloudFormation::Stack` resources name their nested templates
//! (`TemplateURL`, a path in the build folder) and pass each parameter from
//! another stack's output. Every nested resource joins one `Resources`
//! map under its logical id (ids are unique across the app), with each
//! parameter replaced by what it was passed: the owner's output value
//! (`{"Ref": X}`, `{"Fn::GetAtt": [X, A]}`), so that references read as
//! they do in a template that was never split.

use super::cloudformation::parse;
use super::snapshot::Budget;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// How deep parameters may be passed through outputs that read parameters.
const MAX_DEPTH: usize = 16;

struct Nested {
    /// The root's parameters for it: name → value.
    passed: Map<String, Value>,
    template: Value,
}

/// The merged template and the nested stack of each of its resources; the
/// root itself when it has no nested stacks. Every value put in place of a
/// parameter is paid for from `budget`, so passing values around in a
/// cycle or doubling them stack after stack ends in an error, not in
/// memory exhausted.
pub fn merge(
    root: &Value,
    read: &dyn Fn(&str) -> Option<String>,
    budget: &mut Budget,
) -> Result<(Value, BTreeMap<String, String>), String> {
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
    let mut memo = Memo::new();
    for (stack, nested) in &stacks {
        let values = parameters(&stacks, stack, &mut memo, 0, budget)?;
        let Some(Value::Object(resources)) = nested.template.get("Resources") else { continue };
        for (id, resource) in resources {
            let mut resource = resource.clone();
            substitute(&mut resource, &values, budget)?;
            merged.insert(id.clone(), resource);
            membership.insert(id.clone(), stack.clone());
        }
    }
    // Moved in: `json!` would copy the whole app through serialization.
    let template = Map::from_iter([("Resources".to_string(), Value::Object(merged))]);
    Ok((Value::Object(template), membership))
}

/// A parameter's value and about the bytes it holds.
type Values = BTreeMap<String, (Value, usize)>;

/// Each stack's parameter values, worked out once; `None` while they are
/// being worked out, so a stack that reads itself through others sees its
/// parameters unresolved instead of recursing again.
type Memo = BTreeMap<String, Option<Rc<Values>>>;

/// The values of a nested stack's parameters, as far as they resolve.
fn parameters(
    stacks: &BTreeMap<String, Nested>,
    stack: &str,
    memo: &mut Memo,
    depth: usize,
    budget: &mut Budget,
) -> Result<Rc<Values>, String> {
    match memo.get(stack) {
        Some(Some(values)) => return Ok(values.clone()),
        Some(None) => return Ok(Rc::default()),
        None => {}
    }
    memo.insert(stack.to_string(), None);
    let mut out = Values::new();
    if let Some(nested) = stacks.get(stack) {
        for (name, passed) in &nested.passed {
            let value = resolve(stacks, passed, memo, depth, budget)?;
            let weight = weight(&value);
            out.insert(name.clone(), (value, weight));
        }
    }
    let out = Rc::new(out);
    memo.insert(stack.to_string(), Some(out.clone()));
    Ok(out)
}

/// A value the root passes: another stack's output is that output's value,
/// itself resolved in its stack when it reads that stack's parameters.
fn resolve(
    stacks: &BTreeMap<String, Nested>,
    passed: &Value,
    memo: &mut Memo,
    depth: usize,
    budget: &mut Budget,
) -> Result<Value, String> {
    // A list input of the root, passed joined (stack parameters are
    // strings), reads as the list itself.
    if let Some([Value::String(comma), list @ Value::Object(_)]) =
        passed.get("Fn::Join").and_then(Value::as_array).map(Vec::as_slice)
    {
        if comma == "," && list.get("Ref").is_some() {
            return Ok(list.clone());
        }
    }
    let target = match passed.get("Fn::GetAtt") {
        Some(Value::Array(parts)) => match (parts.first(), parts.get(1)) {
            (Some(Value::String(stack)), Some(Value::String(attr))) => Some((stack.clone(), attr.clone())),
            _ => None,
        },
        Some(Value::String(path)) => path.split_once('.').map(|(s, a)| (s.to_string(), a.to_string())),
        _ => None,
    };
    let output = target.as_ref().and_then(|(stack, attr)| Some((stack, attr.strip_prefix("Outputs.")?)));
    let Some((owner, value)) = output.and_then(|(stack, output)| {
        let owner = stacks.get(stack)?;
        Some((stack, owner.template.pointer(&format!("/Outputs/{output}/Value"))?))
    }) else {
        return Ok(passed.clone());
    };
    let mut value = value.clone();
    budget.spend(weight(&value))?;
    if depth < MAX_DEPTH {
        let values = parameters(stacks, owner, memo, depth + 1, budget)?;
        substitute(&mut value, &values, budget)?;
    }
    Ok(value)
}

/// About the bytes a value holds, for [`Budget`]: its text's length.
fn weight(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len() + 2,
        Value::Array(items) => items.iter().map(weight).sum::<usize>() + 2,
        Value::Object(map) => map.iter().map(|(k, v)| k.len() + 3 + weight(v)).sum::<usize>() + 2,
        _ => 8,
    }
}

/// Replaces `{"Ref": P}` and `${P}` of each parameter `P` by its value.
fn substitute(value: &mut Value, values: &Values, budget: &mut Budget) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some((new, weight)) = map.get("Ref").and_then(Value::as_str).and_then(|p| values.get(p)) {
                    budget.spend(*weight)?;
                    *value = new.clone();
                    return Ok(());
                }
                if let Some(sub) = map.get_mut("Fn::Sub") {
                    return substitute_sub(sub, values, budget);
                }
            }
            map.values_mut().try_for_each(|v| substitute(v, values, budget))
        }
        Value::Array(items) => items.iter_mut().try_for_each(|i| substitute(i, values, budget)),
        _ => Ok(()),
    }
}

fn substitute_sub(sub: &mut Value, values: &Values, budget: &mut Budget) -> Result<(), String> {
    let (template, locals) = match sub {
        Value::String(template) => (template, Vec::new()),
        Value::Array(parts) => {
            let mut locals = Vec::new();
            if let Some(Value::Object(l)) = parts.get_mut(1) {
                l.values_mut().try_for_each(|v| substitute(v, values, budget))?;
                locals = l.keys().cloned().collect();
            }
            match parts.first_mut() {
                Some(Value::String(template)) => (template, locals),
                _ => return Ok(()),
            }
        }
        _ => return Ok(()),
    };
    let mut text = String::with_capacity(template.len());
    let mut rest = template.as_str();
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}').map(|e| start + e) else { break };
        let name = &rest[start + 2..end];
        text.push_str(&rest[..start]);
        match values.get(name).filter(|_| !name.starts_with('!') && !locals.iter().any(|l| l == name)) {
            Some((value, _)) => {
                let variable = variable(value);
                budget.spend(variable.len())?;
                text.push_str(&variable);
            }
            None => text.push_str(&rest[start..=end]),
        }
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    *template = text;
    Ok(())
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
        let (merged, membership) = merge(&root, &read, &mut Budget::for_input(0)).expect("merges");
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
