//! Both targets are the same model: for every example, per function, the
//! CloudFormation template and the Terraform configuration have the same
//! number of roles, allowed (action, resource) pairs, invoke permissions,
//! event source mappings and destinations.

mod common;

use lambdaform::check::{check, Input};
use lambdaform::emit::{emit, Options};
use lambdaform::plan::{self, Snapshot, Target};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    roles: usize,
    grants: usize,
    permissions: usize,
    mappings: usize,
    destinations: usize,
}

fn outputs(app: &Path) -> (Snapshot, Snapshot) {
    let mut inputs = Vec::new();
    for entry in std::fs::read_dir(app).expect("example folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|x| x == "lf") {
            inputs.push(Input { name: path.display().to_string(), bytes: std::fs::read(&path).expect("source") });
        }
    }
    let checked = check(inputs, common::today());
    assert!(!checked.has_errors());
    let files = emit(&checked, &Options { stage: "dev".into() }, true, true);
    let text = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone()).expect("emitted");
    (
        plan::snapshot(Target::Cloudformation, &text("template.json")).expect("template parses"),
        plan::snapshot(Target::Terraform, &text("main.tf")).expect("main.tf parses"),
    )
}

/// Whether a property refers to the function `id` (`${Id}`, `${Id.Arn}`,
/// `${aws_lambda_function.x.arn}` ...).
fn refers_to(value: Option<&Value>, id: &str) -> bool {
    match value {
        Some(Value::String(text)) => text.contains(&format!("{id}.")) || text == &format!("${{{id}}}"),
        Some(Value::Object(intrinsic)) => match (intrinsic.get("Ref"), intrinsic.get("Fn::GetAtt")) {
            (Some(Value::String(target)), _) => target == id,
            (_, Some(Value::Array(parts))) => parts.first().and_then(Value::as_str) == Some(id),
            _ => false,
        },
        _ => false,
    }
}

fn destinations(value: &Value) -> usize {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let here = matches!(k.as_str(), "Destination" | "destination" | "destination_arn") && !v.is_null();
                usize::from(here) + destinations(v)
            })
            .sum(),
        Value::Array(items) => items.iter().map(destinations).sum(),
        _ => 0,
    }
}

/// Counts per function name, read from one target's snapshot.
fn counts(snapshot: &Snapshot, target: Target) -> BTreeMap<String, Counts> {
    let (mapping_type, invoke_config_type, function_key) = match target {
        Target::Cloudformation => ("AWS::Lambda::EventSourceMapping", "AWS::Lambda::EventInvokeConfig", "FunctionName"),
        Target::Terraform => {
            ("aws_lambda_event_source_mapping", "aws_lambda_function_event_invoke_config", "function_name")
        }
    };
    let mut out = BTreeMap::new();
    for (id, access) in &snapshot.functions {
        let mine = |ty: &'static str| -> Vec<&Value> {
            snapshot
                .resources
                .values()
                .filter(|r| r.ty == ty && refers_to(r.properties.get(function_key), id))
                .map(|r| &r.properties)
                .collect()
        };
        let mappings = mine(mapping_type);
        let configs = mine(invoke_config_type);
        let function = &snapshot.resources[id].properties;
        let dead_letter =
            usize::from(function.get("DeadLetterConfig").is_some() || function.get("dead_letter_config").is_some());
        out.insert(
            access.name.clone(),
            Counts {
                roles: usize::from(function.get("Role").or(function.get("role")).is_some()),
                grants: access.grants.len(),
                permissions: access.permissions.len(),
                mappings: mappings.len(),
                destinations: mappings.iter().chain(&configs).map(|p| destinations(p)).sum::<usize>() + dead_letter,
            },
        );
    }
    out
}

#[test]
fn both_targets_grant_and_wire_the_same() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut apps: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("main.lf").is_file())
        .collect();
    apps.sort();
    assert!(apps.len() >= 4);
    for app in apps {
        let (cloudformation, terraform) = outputs(&app);
        let a = counts(&cloudformation, Target::Cloudformation);
        let b = counts(&terraform, Target::Terraform);
        assert!(!a.is_empty(), "{} has functions", app.display());
        assert_eq!(a, b, "{}: CloudFormation (left) and Terraform (right) differ", app.display());
        let wired: usize = a.values().map(|c| c.mappings + c.permissions + c.destinations).sum();
        assert!(wired > 0, "{}: the counts see the wiring", app.display());
    }
}
