//! Reads a CloudFormation `template.json` into a [`Snapshot`]; a split
//! output (a root whose nested stacks are in `stacks/*.json`) is read as
//! one template (`nested.rs`).

use super::nested;
use super::snapshot::{
    as_list, canonical, grants_of, normalized_policy, Access, Budget, Grant, Invoke, Resource, Snapshot, Trace,
};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn read(text: &str) -> Result<Snapshot, String> {
    read_template(&parse(text, "template.json")?, &BTreeMap::new(), &mut Budget::for_input(text.len()))
}

/// Reads a build folder's `template.json` and, if it is a root of nested
/// stacks, each nested template `read` gives by its `TemplateURL`: every
/// nested resource by its logical id, its parameters resolved back to the
/// references the root passes (so a grant reads the same split or not).
pub fn read_folder(root: &str, read: &dyn Fn(&str) -> Option<String>, budget: &mut Budget) -> Result<Snapshot, String> {
    let template = parse(root, "template.json")?;
    let (merged, stacks) = nested::merge(&template, read, budget)?;
    read_template(&merged, &stacks, budget)
}

pub(super) fn parse(text: &str, name: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{name} is not JSON: {e}"))
}

/// `stacks` gives the nested stack of each resource of a split output.
fn read_template(template: &Value, stacks: &BTreeMap<String, String>, budget: &mut Budget) -> Result<Snapshot, String> {
    let Some(Value::Object(resources)) = template.get("Resources") else {
        return Err("template.json has no Resources".into());
    };
    let mut snapshot = Snapshot { inputs: super::inputs::from_parameters(template), ..Snapshot::default() };
    for (id, resource) in resources {
        snapshot.resources.insert(
            id.clone(),
            Resource {
                ty: resource.get("Type").and_then(Value::as_str).unwrap_or("").to_string(),
                properties: normalized(resource, budget)?,
                protection: protection(resource),
                stack: stacks.get(id).cloned(),
            },
        );
    }
    // Each role read once, however many functions name it.
    let mut roles: BTreeMap<String, Vec<Grant>> = BTreeMap::new();
    for (id, resource) in resources {
        let properties = resource.get("Properties").unwrap_or(&Value::Null);
        let ty = resource.get("Type").and_then(Value::as_str).unwrap_or("");
        let Some((name, role)) = principal(ty, properties) else { continue };
        let name = name.map(canonical).unwrap_or_else(|| id.clone());
        let role = canonical(role);
        let role_id = role.trim_start_matches("${").trim_end_matches(".Arn}").to_string();
        if !roles.contains_key(&role_id) {
            let grants = match resources.get(&role_id) {
                Some(role) => role_grants(role, budget)?,
                None => Vec::new(),
            };
            roles.insert(role_id.clone(), grants);
        }
        let grants = roles[&role_id].clone();
        budget.spend(grants.iter().map(Grant::weight).sum())?;
        snapshot.functions.insert(id.clone(), Access { name, grants, permissions: Vec::new() });
    }
    for resource in resources.values() {
        if resource.get("Type").and_then(Value::as_str) != Some("AWS::Lambda::Permission") {
            continue;
        }
        let p = resource.get("Properties").cloned().unwrap_or(Value::Null);
        let function = p.get("FunctionName").map(canonical).unwrap_or_default();
        let function = function.trim_start_matches("${").trim_end_matches('}').trim_end_matches(".Arn").to_string();
        if let Some(access) = snapshot.functions.get_mut(&function) {
            access.permissions.push(Invoke {
                principal: super::snapshot::principal(
                    p.get("Principal").map(canonical).unwrap_or_default(),
                    p.get("PrincipalOrgID").map(canonical),
                ),
                source_arn: p.get("SourceArn").map(canonical),
                source_account: p.get("SourceAccount").map(canonical),
                sources: metadata_sources(resource),
                url: super::snapshot::url_condition(
                    p.get("FunctionUrlAuthType").map(canonical),
                    p.get("InvokedViaFunctionUrl").map(canonical),
                ),
            });
        }
    }
    Ok(snapshot)
}

/// A resource that acts with a role: its name property (if any) and its
/// role's ARN. Functions (`Role`), state machines (`RoleArn`), Scheduler
/// schedules and rules that start state machines (their target's `RoleArn`).
fn principal<'a>(ty: &str, properties: &'a Value) -> Option<(Option<&'a Value>, &'a Value)> {
    match ty {
        "AWS::Lambda::Function" => Some((properties.get("FunctionName"), properties.get("Role")?)),
        "AWS::StepFunctions::StateMachine" => Some((properties.get("StateMachineName"), properties.get("RoleArn")?)),
        "AWS::Scheduler::Schedule" => Some((properties.get("Name"), properties.get("Target")?.get("RoleArn")?)),
        "AWS::Events::Rule" => Some((properties.get("Name"), properties.get("Targets")?.get(0)?.get("RoleArn")?)),
        _ => None,
    }
}

/// `DeletionPolicy` and `UpdateReplacePolicy`, `Delete` when absent.
fn protection(resource: &Value) -> BTreeMap<&'static str, Value> {
    ["DeletionPolicy", "UpdateReplacePolicy"]
        .into_iter()
        .map(|policy| (policy, resource.get(policy).cloned().unwrap_or_else(|| Value::String("Delete".into()))))
        .collect()
}

/// Properties with each inline policy document replaced by the pairs it allows.
fn normalized(resource: &Value, budget: &mut Budget) -> Result<Value, String> {
    let mut properties = resource.get("Properties").cloned().unwrap_or(Value::Null);
    if let Some(Value::Array(policies)) = properties.get_mut("Policies") {
        for policy in policies {
            if let Some(document) = policy.get_mut("PolicyDocument") {
                *document = normalized_policy(document, budget)?;
            }
        }
    }
    Ok(properties)
}

/// The pairs a role allows: its inline policies, and each managed policy
/// as one pseudo-grant `policy:NAME` on `*`.
fn role_grants(role: &Value, budget: &mut Budget) -> Result<Vec<Grant>, String> {
    let traces = sid_traces(role);
    let properties = role.get("Properties").unwrap_or(&Value::Null);
    let mut grants = Vec::new();
    for document in as_list(properties.get("Policies")).into_iter().filter_map(|p| p.get("PolicyDocument")) {
        grants.extend(grants_of(document, &traces, budget)?);
    }
    for arn in as_list(properties.get("ManagedPolicyArns")) {
        let arn = canonical(arn);
        let name = arn.rsplit(":policy/").next().unwrap_or(&arn).to_string();
        let lines = traces.values().flat_map(|t| t.sources.iter()).cloned().collect::<Vec<_>>();
        let lines = managed_sources(role, &name).unwrap_or(lines);
        grants.push(Grant {
            action: format!("policy:{name}"),
            resource: "*".into(),
            condition: None,
            sources: lines,
            why: None,
        });
    }
    Ok(grants)
}

/// `Metadata.Lambdaform.Grants.<Sid>`'s `Sources` and `Why` of a role.
fn sid_traces(role: &Value) -> BTreeMap<String, Trace> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(grants)) = role.pointer("/Metadata/Lambdaform/Grants") {
        for (sid, entry) in grants {
            let sources =
                as_list(entry.get("Sources")).into_iter().filter_map(Value::as_str).map(String::from).collect();
            let why = entry.get("Why").and_then(Value::as_str).map(String::from);
            out.insert(sid.clone(), Trace { sources, why });
        }
    }
    out
}

fn managed_sources(role: &Value, name: &str) -> Option<Vec<String>> {
    let Some(Value::Object(grants)) = role.pointer("/Metadata/Lambdaform/Grants") else { return None };
    grants
        .values()
        .find(|g| g.get("ManagedPolicy").and_then(Value::as_str) == Some(name))
        .map(|g| as_list(g.get("Sources")).into_iter().filter_map(Value::as_str).map(String::from).collect())
}

fn metadata_sources(resource: &Value) -> Vec<String> {
    as_list(resource.pointer("/Metadata/Lambdaform/Sources"))
        .into_iter()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect()
}
