//! IAM documents: a function's grants as one policy document, the trust
//! policy of its role, and the role's metadata that traces every statement
//! back to the source that caused it.

use super::{arns, object, Ctx};
use crate::deploy::facts::provenance;
use crate::grants::Statement;
use crate::source::Span;
use serde_json::{json, Map, Value};

/// The execution role's trust policy: Lambda may assume it.
pub fn trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "lambda.amazonaws.com" },
            "Action": "sts:AssumeRole",
        }],
    })
}

/// The grants as one policy document, a statement each.
pub fn document(ctx: &Ctx, statements: &[Statement]) -> Value {
    let statements: Vec<Value> = statements.iter().map(|s| statement(ctx, s)).collect();
    object([("Version", "2012-10-17".into()), ("Statement", Value::Array(statements))])
}

fn statement(ctx: &Ctx, s: &Statement) -> Value {
    let mut out = Map::new();
    out.insert("Sid".into(), Value::String(s.sid.clone()));
    out.insert("Effect".into(), "Allow".into());
    out.insert("Action".into(), one_or_many(s.actions.iter().map(|a| Value::String(a.clone())).collect()));
    out.insert("Resource".into(), one_or_many(s.resources.iter().map(|a| arns::render(ctx, a)).collect()));
    if let Some(c) = &s.condition {
        let test = object([(c.key, arns::render(ctx, &c.value))]);
        out.insert("Condition".into(), object([(c.operator, test)]));
    }
    Value::Object(out)
}

/// A lone value stands alone; several make a list.
fn one_or_many(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.remove(0)
    } else {
        Value::Array(values)
    }
}

/// `Metadata` of a role: per statement, the `file:line`s behind it, for a
/// `*` resource why nothing narrower exists, and the AWS managed policy
/// attached in its place, if one is.
pub fn sources(ctx: &Ctx, statements: &[Statement]) -> Value {
    let mut grants = Map::new();
    for s in statements {
        let mut entry = Map::new();
        let lines: Vec<Value> = s.sources.iter().map(|span| Value::String(location(ctx, *span))).collect();
        entry.insert("Sources".into(), Value::Array(lines));
        if let Some(why) = &s.why {
            entry.insert("Why".into(), Value::String(why.clone()));
        }
        if let Some(managed) = &s.managed {
            entry.insert("ManagedPolicy".into(), Value::String(managed.clone()));
        }
        grants.insert(s.sid.clone(), Value::Object(entry));
    }
    object([("Lambdaform", object([("Grants", Value::Object(grants))]))])
}

/// `Metadata` of an invoke permission: the `file:line` behind it.
pub fn permission_sources(ctx: &Ctx, span: Span) -> Value {
    json!({ "Lambdaform": { "Sources": [location(ctx, span)] } })
}

/// `main.lf: read orders`: see [`provenance`].
fn location(ctx: &Ctx, span: Span) -> String {
    provenance(ctx.checked, span)
}
