//! The references inside a CloudFormation value, read and rewritten: `Ref`,
//! `Fn::GetAtt` (list or dotted form), the `${X}` and `${X.Attr}` variables
//! of `Fn::Sub` (string or list form, whose own variables are not
//! references), and the ids of `DependsOn`. Pseudo parameters (`AWS::…`)
//! and escaped text (`${!…}`) are never references.

use serde_json::{json, Value};

/// What a reference reads: `Ref X` (`attr` is `None`) or `Fn::GetAtt X.Attr`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Read {
    pub id: String,
    pub attr: Option<String>,
}

impl Read {
    pub fn reference(id: &str) -> Read {
        Read { id: id.to_string(), attr: None }
    }

    pub fn get_att(id: &str, attr: &str) -> Read {
        Read { id: id.to_string(), attr: Some(attr.to_string()) }
    }

    /// The intrinsic that reads it: `{"Ref": X}` or `{"Fn::GetAtt": [X, A]}`.
    pub fn value(&self) -> Value {
        match &self.attr {
            None => json!({ "Ref": self.id }),
            Some(attr) => json!({ "Fn::GetAtt": [self.id, attr] }),
        }
    }

    /// The read `value` is, when it is exactly one `Ref` or `Fn::GetAtt`.
    pub fn of(value: &Value) -> Option<Read> {
        let Value::Object(map) = value else { return None };
        if map.len() != 1 {
            return None;
        }
        match (map.get("Ref"), map.get("Fn::GetAtt")) {
            (Some(Value::String(id)), _) if !is_pseudo(id) => Some(Read::reference(id)),
            (_, Some(target)) => get_att_target(target),
            _ => None,
        }
    }
}

fn is_pseudo(id: &str) -> bool {
    id.starts_with("AWS::")
}

fn get_att_target(target: &Value) -> Option<Read> {
    match target {
        Value::Array(parts) => match (parts.first(), parts.get(1)) {
            (Some(Value::String(id)), Some(Value::String(attr))) => Some(Read::get_att(id, attr)),
            _ => None,
        },
        Value::String(path) => path.split_once('.').map(|(id, attr)| Read::get_att(id, attr)),
        _ => None,
    }
}

/// The variable of a `Fn::Sub` template as a read: `X` or `X.Attr`.
fn variable(name: &str) -> Option<Read> {
    if is_pseudo(name) {
        return None;
    }
    Some(match name.split_once('.') {
        Some((id, attr)) => Read::get_att(id, attr),
        None => Read::reference(name),
    })
}

/// The variables of a `Fn::Sub` template, with the byte range of each
/// `${…}`, escaped `${!…}` left out.
fn variables(template: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(start) = template[at..].find("${").map(|i| at + i) {
        let Some(end) = template[start..].find('}').map(|i| start + i) else { break };
        let name = &template[start + 2..end];
        if !name.starts_with('!') {
            out.push((start..end + 1, name));
        }
        at = end + 1;
    }
    out
}

/// Every read in `value`, each once, in the order of its first appearance.
pub fn distinct_reads(value: &Value) -> Vec<Read> {
    let mut all = Vec::new();
    reads(value, &mut all);
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|r| seen.insert(r.clone()));
    all
}

/// Every read in `value`, in document order.
pub fn reads(value: &Value, out: &mut Vec<Read>) {
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(read) = Read::of(value) {
                    out.push(read);
                    return;
                }
                if let Some(sub) = map.get("Fn::Sub") {
                    let (template, locals) = sub_parts(sub);
                    for (_, name) in variables(template) {
                        if !locals.is_some_and(|l| l.contains_key(name)) {
                            out.extend(variable(name));
                        }
                    }
                    if let Some(locals) = locals {
                        locals.values().for_each(|v| reads(v, out));
                    }
                    return;
                }
            }
            map.values().for_each(|v| reads(v, out));
        }
        Value::Array(items) => items.iter().for_each(|i| reads(i, out)),
        _ => {}
    }
}

/// The template and the local variables of a `Fn::Sub` argument.
fn sub_parts(sub: &Value) -> (&str, Option<&serde_json::Map<String, Value>>) {
    match sub {
        Value::String(template) => (template, None),
        Value::Array(parts) => {
            (parts.first().and_then(Value::as_str).unwrap_or(""), parts.get(1).and_then(Value::as_object))
        }
        _ => ("", None),
    }
}

/// Replaces every read that `rename` names with a `Ref` of (or `${…}` of)
/// the name it gives.
pub fn rewrite(value: &mut Value, rename: &mut dyn FnMut(&Read) -> Option<String>) {
    if let Some(read) = Read::of(value) {
        if let Some(name) = rename(&read) {
            *value = json!({ "Ref": name });
        }
        return;
    }
    match value {
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(sub) = map.get_mut("Fn::Sub") {
                    rewrite_sub(sub, rename);
                    return;
                }
            }
            map.values_mut().for_each(|v| rewrite(v, rename));
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(i, rename)),
        _ => {}
    }
}

fn rewrite_sub(sub: &mut Value, rename: &mut dyn FnMut(&Read) -> Option<String>) {
    let locals: Vec<String> = match sub {
        Value::Array(parts) => {
            parts.get(1).and_then(Value::as_object).map(|l| l.keys().cloned().collect()).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let template = match sub {
        Value::String(template) => template,
        Value::Array(parts) => {
            if let Some(Value::Object(l)) = parts.get_mut(1) {
                l.values_mut().for_each(|v| rewrite(v, rename));
            }
            match parts.first_mut() {
                Some(Value::String(template)) => template,
                _ => return,
            }
        }
        _ => return,
    };
    let mut text = String::with_capacity(template.len());
    let mut last = 0;
    for (range, name) in variables(template) {
        if locals.iter().any(|l| l == name) {
            continue;
        }
        if let Some(new) = variable(name).and_then(|read| rename(&read)) {
            text.push_str(&template[last..range.start]);
            text.push_str(&format!("${{{new}}}"));
            last = range.end;
        }
    }
    if last > 0 {
        text.push_str(&template[last..]);
        *template = text;
    }
}

/// The ids a resource's `DependsOn` names (a string or a list).
pub fn depends_on(resource: &Value) -> Vec<&str> {
    match resource.get("DependsOn") {
        Some(Value::String(id)) => vec![id.as_str()],
        Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        reads(value, &mut out);
        out.into_iter().map(|r| format!("{}{}", r.id, r.attr.map(|a| format!(".{a}")).unwrap_or_default())).collect()
    }

    #[test]
    fn reads_every_form() {
        let value = json!({
            "A": { "Ref": "Queue" },
            "B": { "Fn::GetAtt": ["Table", "StreamArn"] },
            "C": { "Fn::GetAtt": "Topic.TopicName" },
            "D": { "Fn::Sub": "arn:${AWS::Partition}:x:${Api}/${!Literal}/${Fn.Arn}" },
            "E": { "Fn::Sub": ["${Local}-${Bucket}", { "Local": { "Ref": "Stream" } }] },
            "F": { "Ref": "AWS::AccountId" },
        });
        assert_eq!(all(&value), ["Queue", "Table.StreamArn", "Topic.TopicName", "Api", "Fn.Arn", "Bucket", "Stream"]);
    }

    #[test]
    fn rewrites_only_what_is_renamed() {
        let mut value = json!({
            "A": { "Ref": "Queue" },
            "B": { "Fn::GetAtt": ["Table", "Arn"] },
            "D": { "Fn::Sub": "https://${Api}.execute-api.${AWS::Region}/${!Api}/${Table.Arn}/${Own}" },
            "E": { "Fn::Sub": ["${Table}-${Queue}", { "Table": { "Ref": "Queue" } }] },
        });
        let mut rename = |r: &Read| match (r.id.as_str(), r.attr.as_deref()) {
            ("Own", _) => None,
            (id, Some(attr)) => Some(format!("{id}{attr}")),
            (id, None) => Some(format!("{id}P")),
        };
        rewrite(&mut value, &mut rename);
        assert_eq!(
            value,
            json!({
                "A": { "Ref": "QueueP" },
                "B": { "Ref": "TableArn" },
                "D": { "Fn::Sub": "https://${ApiP}.execute-api.${AWS::Region}/${!Api}/${TableArn}/${Own}" },
                "E": { "Fn::Sub": ["${Table}-${QueueP}", { "Table": { "Ref": "QueueP" } }] },
            })
        );
    }
}
