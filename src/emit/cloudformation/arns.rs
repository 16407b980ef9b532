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

use super::intrinsic::{literal, placeholders, Cf, Piece, ACCOUNT, PARTITION, REGION};
use super::split::Read;
use super::Ctx;
use crate::deploy::names;
use crate::model::{Resource, ResourceId};

/// The ARN of a resource, without a dependency where the name is known
/// (made once per resource, then copied).
pub fn arn(ctx: &Ctx, id: ResourceId) -> Cf {
    match ctx.arns.get(id.0 as usize) {
        Some(cell) => cell.get_or_init(|| made_arn(ctx, id)).clone(),
        None => made_arn(ctx, id),
    }
}

fn made_arn(ctx: &Ctx, id: ResourceId) -> Cf {
    let resource = ctx.model.resource(id);
    let kind = ctx.model.kind_of(id);
    if let Some(existing) = &resource.existing {
        return match existing.input {
            Some(input) => ctx.input(input),
            None => placeholders(&existing.arn),
        };
    }
    if let Some(name) = known_name(ctx, resource) {
        return from_template(&kind.arn, vec![Piece::Text(name)]);
    }
    match kind.field("arn") {
        Some(field) if field.cloudformation == "Ref" => Cf::Ref(ctx.id(resource).to_string()),
        Some(field) => Cf::get_att(&ctx.id(resource), &field.cloudformation),
        // `Ref` gives the name (SSM parameters): build the ARN around it.
        None => from_template(&kind.arn, vec![Piece::Var(Read::reference(&ctx.id(resource)))]),
    }
}

/// The ARN of a resource that the referrer (whose `DependsOn` is
/// `depends_on`) must be created after (a destination, a dead-letter
/// target): `Fn::GetAtt` for functions; for the other resources known by
/// name, the name-built ARN and an explicit `DependsOn` (a bucket's ARN
/// must not add a dependency elsewhere).
pub fn arn_after(ctx: &Ctx, id: ResourceId, depends_on: &mut Vec<String>) -> Cf {
    let resource = ctx.model.resource(id);
    if resource.is_created() && resource.kind == "function" {
        return ctx.invoke_arn(resource, Some(depends_on));
    }
    if resource.is_created() && known_name(ctx, resource).is_some() {
        let target = ctx.id(resource);
        if !depends_on.iter().any(|d| *d == *target) {
            depends_on.push(target.to_string());
        }
    }
    arn(ctx, id)
}

/// A readable field of a resource (`orders.name`, `jobs.url`).
pub fn field(ctx: &Ctx, id: ResourceId, name: &str) -> Cf {
    let resource = ctx.model.resource(id);
    let kind = ctx.model.kind_of(id);
    if let Some(existing) = &resource.existing {
        // Of an existing resource given by an input, the ARN alone is
        // read (resolve refuses the other fields).
        return match existing.input {
            Some(input) => ctx.input(input),
            None => {
                let parts = crate::deploy::existing::field(existing, &resource.kind, name);
                super::neutral::standalone(ctx, &crate::deploy::resource::Value::Text(parts))
            }
        };
    }
    if name == "arn" {
        return arn(ctx, id);
    }
    if let (Some(known), "name") = (known_name(ctx, resource), name) {
        return Cf::template(vec![Piece::Text(known)]);
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
        return Cf::Sub(vec![
            Piece::Text("https://".into()),
            Piece::Var(Read::reference(&ctx.id(resource))),
            Piece::Text(format!(".execute-api.{REGION}.${{AWS::URLSuffix}}")),
        ]);
    }
    match kind.field(name) {
        Some(field) if field.cloudformation != "Ref" => Cf::get_att(&ctx.id(resource), &field.cloudformation),
        _ => Cf::Ref(ctx.id(resource).to_string()),
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

/// The kind's ARN template with `${name}` (pieces of a `Fn::Sub`
/// template) filled in.
fn from_template(template: &str, name: Vec<Piece>) -> Cf {
    let escaped = pseudo(&literal(template));
    let mut pieces = Vec::new();
    for (i, text) in escaped.split("${!name}").enumerate() {
        if i > 0 {
            pieces.extend(name.iter().cloned());
        }
        pieces.push(Piece::Text(text.to_string()));
    }
    Cf::template(pieces)
}

/// The escaped placeholders of a kind's ARN template → pseudo parameters.
fn pseudo(escaped: &str) -> String {
    escaped.replace("${!partition}", PARTITION).replace("${!region}", REGION).replace("${!account}", ACCOUNT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_fill_in_pseudo_parameters_and_names() {
        assert_eq!(
            from_template("arn:${partition}:s3:::${name}", vec![Piece::Text("b-${AWS::AccountId}".into())]).to_json(),
            json!({ "Fn::Sub": "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}" })
        );
        assert_eq!(
            from_template("arn:${partition}:ssm:::parameter/${name}", vec![Piece::Var(Read::reference("P"))]).to_json(),
            json!({ "Fn::Sub": "arn:${AWS::Partition}:ssm:::parameter/${P}" })
        );
        assert_eq!(
            from_template("arn:aws:s3:::${name}", vec![Piece::Text("b".into())]).to_json(),
            json!("arn:aws:s3:::b")
        );
    }
}
