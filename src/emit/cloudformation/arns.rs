//! How the template refers to a resource: its ARN, a sub-ARN its kind
//! declares, a readable field (`jobs.url`), the grants' abstract [`Arn`]s.
//!
//! Resources whose physical name the compiler sets (functions, buses, and
//! kinds marked `named` such as buckets) are referred to by that name
//! through `Fn::Sub`, never `Ref`/`Fn::GetAtt`: a policy, an environment
//! variable or a permission then adds no dependency, which breaks the
//! S3 ↔ Lambda cycle (AWS-RULES.md §8) and lets functions name each other
//! freely. Where an order matters, [`arn_after`] adds it.
//! Existing resources are referred to by the ARN the app gave.

use super::{get_att, literal, placeholders, reference, sub, Ctx, Res, ACCOUNT, PARTITION, REGION};
use crate::deploy::names;
use crate::model::{Existing, Resource, ResourceId};
use serde_json::Value;

/// The ARN of a resource, without a dependency where the name is known.
pub fn arn(ctx: &Ctx, id: ResourceId) -> Value {
    let resource = ctx.model.resource(id);
    let kind = ctx.model.kind_of(id);
    if let Some(existing) = &resource.existing {
        return match existing.input {
            Some(input) => ctx.input(input),
            None => placeholders(&existing.arn),
        };
    }
    if let Some(name) = known_name(ctx, resource) {
        return from_template(&kind.arn, &name);
    }
    match kind.field("arn") {
        Some(field) if field.cloudformation == "Ref" => reference(&ctx.id(resource)),
        Some(field) => get_att(&ctx.id(resource), &field.cloudformation),
        // `Ref` gives the name (SSM parameters): build the ARN around it.
        None => from_template(&kind.arn, &format!("${{{}}}", ctx.id(resource))),
    }
}

/// The ARN of a resource that `referrer` must be created after (a
/// destination, a dead-letter target): `Fn::GetAtt` for functions; for
/// the other resources known by name, the name-built ARN and an explicit
/// `DependsOn` (a bucket's ARN must not add a dependency elsewhere).
pub fn arn_after(ctx: &Ctx, id: ResourceId, referrer: &mut Res) -> Value {
    let resource = ctx.model.resource(id);
    if resource.is_created() && resource.kind == "function" {
        return ctx.invoke_arn(resource, Some(referrer));
    }
    if resource.is_created() && known_name(ctx, resource).is_some() {
        let target = ctx.id(resource);
        if !referrer.depends_on.contains(&target) {
            referrer.depends_on.push(target);
        }
    }
    arn(ctx, id)
}

/// A readable field of a resource (`orders.name`, `jobs.url`).
pub fn field(ctx: &Ctx, id: ResourceId, name: &str) -> Value {
    let resource = ctx.model.resource(id);
    let kind = ctx.model.kind_of(id);
    if let Some(existing) = &resource.existing {
        // Of an existing resource given by an input, the ARN alone is
        // read (resolve refuses the other fields).
        return match existing.input {
            Some(input) => ctx.input(input),
            None => existing_field(existing, &resource.kind, name),
        };
    }
    if name == "arn" {
        return arn(ctx, id);
    }
    if let (Some(known), "name") = (known_name(ctx, resource), name) {
        return template_value(known);
    }
    if resource.is_rest_api() && name == "url" {
        return super::neutral::standalone(ctx, &crate::deploy::rest::url(&ctx.scope(), resource));
    }
    if let Some(address) = crate::deploy::websocket::field(resource, name) {
        return super::neutral::standalone(ctx, &address);
    }
    if (resource.kind.as_str(), name) == ("api", "url") {
        // What `ApiEndpoint` returns, built from the id: moto models no
        // HTTP API and fails on `Fn::GetAtt` of one.
        return sub(format!("https://${{{}}}.execute-api.{REGION}.${{AWS::URLSuffix}}", ctx.id(resource)));
    }
    match kind.field(name) {
        Some(field) if field.cloudformation != "Ref" => get_att(&ctx.id(resource), &field.cloudformation),
        _ => reference(&ctx.id(resource)),
    }
}

/// A created resource's physical name, when the compiler sets it, as a
/// `Fn::Sub` template: functions, buses (CloudFormation requires a bus
/// name) and kinds marked `named` (buckets).
fn known_name(ctx: &Ctx, resource: &Resource) -> Option<String> {
    let kind = ctx.model.kind_of(resource.id);
    if resource.kind == "function" {
        Some(literal(&names::function_name(ctx.model, ctx.stage, resource)))
    } else if resource.kind == "bus" {
        names::naming(ctx.model, ctx.stage, resource).map(|naming| literal(&naming.name))
    } else if kind.named {
        Some(format!("{}-{ACCOUNT}-{REGION}", literal(&names::bucket_prefix(ctx.model, ctx.stage, resource))))
    } else {
        None
    }
}

/// The kind's ARN template with `${name}` (a `Fn::Sub` template) filled in.
fn from_template(template: &str, name: &str) -> Value {
    template_value(pseudo(&literal(template)).replace("${!name}", name))
}

/// A `Fn::Sub` template as a value: the plain string when it substitutes
/// nothing.
fn template_value(text: String) -> Value {
    if text.replace("${!", "").contains("${") {
        sub(text)
    } else {
        Value::String(text.replace("${!", "${"))
    }
}

/// The escaped placeholders of a kind's ARN template → pseudo parameters.
fn pseudo(escaped: &str) -> String {
    escaped.replace("${!partition}", PARTITION).replace("${!region}", REGION).replace("${!account}", ACCOUNT)
}

/// A field of an existing resource, from its ARN.
fn existing_field(existing: &Existing, kind: &str, name: &str) -> Value {
    match (kind, name) {
        (_, "name" | "id") => Value::String(existing.id.clone()),
        ("table", "stream_arn") => placeholders(existing.stream_arn.as_deref().unwrap_or(&existing.arn)),
        ("queue", "url") => {
            placeholders(&format!("https://sqs.{}.amazonaws.com/{}/{}", existing.region, existing.account, existing.id))
        }
        _ => placeholders(&existing.arn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_fill_in_pseudo_parameters_and_names() {
        assert_eq!(
            from_template("arn:${partition}:s3:::${name}", "b-${AWS::AccountId}"),
            json!({ "Fn::Sub": "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}" })
        );
    }
}
