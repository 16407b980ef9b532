//! Reads a Terraform `main.tf` (parsed with hcl-rs) into a [`Snapshot`].
//! Expressions become text the way they are written (`${aws_sqs_queue.jobs.arn}`),
//! and `jsonencode(...)` arguments become the JSON they encode.

use super::snapshot::{canonical, grants_of, normalized_policy, Access, Budget, Grant, Invoke, Resource, Snapshot};
use hcl::expr::{Expression, ObjectKey, TemplateExpr};
use hcl::structure::{Body, Structure};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub fn read(text: &str) -> Result<Snapshot, String> {
    let body: Body = hcl::from_str(text).map_err(|e| format!("main.tf is not HCL: {e}"))?;
    let mut budget = Budget::for_input(text.len());
    let mut snapshot = Snapshot::default();
    for structure in body.iter() {
        let Structure::Block(block) = structure else { continue };
        if block.identifier.as_str() == "variable" && block.labels.len() == 1 {
            let (body, _) = body_json(&block.body);
            super::inputs::from_variable(block.labels[0].as_str(), &body, &mut snapshot.inputs);
            continue;
        }
        if block.identifier.as_str() != "resource" || block.labels.len() != 2 {
            continue;
        }
        let ty = block.labels[0].as_str().to_string();
        let label = block.labels[1].as_str().to_string();
        let (properties, prevent_destroy) = body_json(&block.body);
        let protection = BTreeMap::from([("prevent_destroy", prevent_destroy)]);
        snapshot.resources.insert(format!("{ty}.{label}"), Resource { ty, properties, protection, stack: None });
    }
    collect_access(&mut snapshot, &mut budget)?;
    for resource in snapshot.resources.values_mut().filter(|r| r.ty == "aws_iam_role_policy") {
        if let Some(policy) = resource.properties.get_mut("policy") {
            *policy = normalized_policy(policy, &mut budget)?;
        }
    }
    Ok(snapshot)
}

/// A block body as JSON: attributes by key, nested blocks as lists under
/// their identifier; apart, `lifecycle { prevent_destroy }` (`false` when
/// absent), which the plan compares as a protection, not a property.
fn body_json(body: &Body) -> (Value, Value) {
    let mut map = Map::new();
    let mut prevent_destroy = Value::Bool(false);
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                map.insert(attribute.key.as_str().to_string(), expression(&attribute.expr));
            }
            Structure::Block(block) => {
                let (mut inner, _) = body_json(&block.body);
                if block.identifier.as_str() == "lifecycle" {
                    if let Some(value) = inner.as_object_mut().and_then(|i| i.remove("prevent_destroy")) {
                        prevent_destroy = value;
                    }
                    if inner.as_object().is_some_and(Map::is_empty) {
                        continue;
                    }
                }
                let entry =
                    map.entry(block.identifier.as_str().to_string()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = entry {
                    items.push(inner);
                }
            }
        }
    }
    (Value::Object(map), prevent_destroy)
}

fn expression(expr: &Expression) -> Value {
    match expr {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => Value::Array(items.iter().map(expression).collect()),
        Expression::Object(object) => {
            Value::Object(object.iter().map(|(k, v)| (object_key(k), expression(v))).collect())
        }
        Expression::TemplateExpr(template) => match template.as_ref() {
            TemplateExpr::QuotedString(s) => Value::String(s.clone()),
            TemplateExpr::Heredoc(h) => Value::String(h.template.clone()),
        },
        Expression::FuncCall(call) if call.name.to_string() == "jsonencode" && call.args.len() == 1 => {
            expression(&call.args[0])
        }
        other => Value::String(format!("${{{other}}}")),
    }
}

fn object_key(key: &ObjectKey) -> String {
    match key {
        ObjectKey::Identifier(id) => id.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.clone(),
        ObjectKey::Expression(other) => match expression(other) {
            Value::String(s) => s,
            v => v.to_string(),
        },
        _ => key.to_string(),
    }
}

/// A resource that acts with a role: its name argument (if any) and its
/// role's ARN. Functions, state machines, Scheduler schedules (`target`)
/// and rule targets that start state machines.
fn principal<'a>(ty: &str, properties: &'a Value) -> Option<(Option<&'a Value>, &'a Value)> {
    let block = |name: &str| {
        let value = properties.get(name)?;
        value.as_array().and_then(|a| a.first()).or(Some(value))
    };
    match ty {
        "aws_lambda_function" => Some((properties.get("function_name"), properties.get("role")?)),
        "aws_sfn_state_machine" => Some((properties.get("name"), properties.get("role_arn")?)),
        "aws_scheduler_schedule" => Some((properties.get("name"), block("target")?.get("role_arn")?)),
        "aws_cloudwatch_event_target" => Some((None, properties.get("role_arn")?)),
        _ => None,
    }
}

/// Grants and permissions per `aws_lambda_function`, following the role
/// references of role policies and attachments (each role's read once).
fn collect_access(snapshot: &mut Snapshot, budget: &mut Budget) -> Result<(), String> {
    let resources = &snapshot.resources;
    let mut roles: BTreeMap<String, Vec<Grant>> = BTreeMap::new();
    for policy in resources.values() {
        let attached_to = policy.properties.get("role").map(canonical).unwrap_or_default();
        let attached_to = attached_to.trim_start_matches("${").trim_end_matches('}');
        let role = attached_to.trim_end_matches(".id").trim_end_matches(".name").to_string();
        match policy.ty.as_str() {
            "aws_iam_role_policy" => {
                if let Some(document) = policy.properties.get("policy") {
                    let grants = grants_of(document, &BTreeMap::new(), budget)?;
                    roles.entry(role).or_default().extend(grants);
                }
            }
            "aws_iam_role_policy_attachment" => {
                let arn = policy.properties.get("policy_arn").map(canonical).unwrap_or_default();
                let name = arn.rsplit(":policy/").next().unwrap_or(&arn).to_string();
                roles.entry(role).or_default().push(Grant {
                    action: format!("policy:{name}"),
                    resource: "*".into(),
                    condition: None,
                    sources: Vec::new(),
                    why: None,
                });
            }
            _ => {}
        }
    }
    let mut functions = BTreeMap::new();
    for (id, function) in resources.iter() {
        let Some((name, role)) = principal(&function.ty, &function.properties) else { continue };
        let name = name.map(canonical).unwrap_or_else(|| id.clone());
        let role = canonical(role);
        let role = role.trim_start_matches("${").trim_end_matches('}').trim_end_matches(".arn");
        let grants = roles.get(role).cloned().unwrap_or_default();
        budget.spend(grants.iter().map(Grant::weight).sum())?;
        functions.insert(id.clone(), Access { name, grants, permissions: Vec::new() });
    }
    for permission in resources.values().filter(|r| r.ty == "aws_lambda_permission") {
        let p = &permission.properties;
        let target = p.get("function_name").map(canonical).unwrap_or_default();
        let target = target.trim_start_matches("${").trim_end_matches('}');
        let id = target.rsplit_once('.').map_or(target, |(id, _)| id);
        if let Some(access) = functions.get_mut(id) {
            access.permissions.push(Invoke {
                principal: super::snapshot::principal(
                    p.get("principal").map(canonical).unwrap_or_default(),
                    p.get("principal_org_id").map(canonical),
                ),
                source_arn: p.get("source_arn").map(canonical),
                source_account: p.get("source_account").map(canonical),
                sources: Vec::new(),
                url: super::snapshot::url_condition(
                    p.get("function_url_auth_type").map(canonical),
                    p.get("invoked_via_function_url").map(canonical),
                ),
            });
        }
    }
    snapshot.functions = functions;
    Ok(())
}
