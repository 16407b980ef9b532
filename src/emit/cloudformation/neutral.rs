//! Prints `deploy`'s neutral resources as CloudFormation: keys under their
//! CloudFormation names, objects nested, references as `Ref` and
//! `Fn::GetAtt`, text with references as `Fn::Sub`. It decides nothing:
//! a property Terraform alone has is left out, one CloudFormation alone
//! has is written.

use super::{arns, get_att, literal, reference, sub, sub_text, Ctx, Out, Res, ACCOUNT, PARTITION, REGION};
use crate::deploy::resource::{Form, Keep, Part, Prop, Ref, Resource, Value};
use serde_json::{Map, Value as Json};

/// Adds `resource` to the template, if CloudFormation has its type.
pub fn push(ctx: &Ctx, resource: &Resource, out: &mut Out) {
    let Some(ty) = &resource.ty.cloudformation else { return };
    let mut r = Res::new(ty.clone());
    r.depends_on.extend(
        resource.depends_on.iter().filter(|d| d.ty.cloudformation.is_some()).map(|d| d.id.cloudformation.clone()),
    );
    r.props = properties(ctx, &resource.props, &mut r);
    if resource.tagged {
        r.tag(ctx);
    }
    r.deletion = match resource.keep {
        Keep::Default => None,
        Keep::Retain => Some("Retain"),
        Keep::Delete => Some("Delete"),
    };
    r.metadata = resource.metadata.as_ref().map(|metadata| standalone(ctx, metadata));
    out.push(resource.id.cloudformation.clone(), r);
}

/// The properties of `owner` (which gets the `DependsOn` an ARN asks for).
fn properties(ctx: &Ctx, props: &[Prop], owner: &mut Res) -> Map<String, Json> {
    let mut out = Map::new();
    for prop in props {
        let Some(key) = &prop.key.cloudformation else { continue };
        let value = match prop.key.form {
            Form::JsonText => Json::String(value(ctx, &prop.value, owner).to_string()),
            Form::Argument | Form::Block | Form::Json | Form::Flat => value(ctx, &prop.value, owner),
        };
        out.insert(key.to_string(), value);
    }
    out
}

/// A value outside any resource (an output, a field read): what it asks
/// of a resource that holds it (a `DependsOn`) goes nowhere.
pub fn standalone(ctx: &Ctx, value: &Value) -> Json {
    self::value(ctx, value, &mut Res::new(String::new()))
}

fn value(ctx: &Ctx, value: &Value, owner: &mut Res) -> Json {
    match value {
        Value::Str(s) => Json::String(s.to_string()),
        Value::Int(n) => Json::from(*n),
        Value::Bool(b) => Json::Bool(*b),
        Value::List(items) => Json::Array(items.iter().map(|item| self::value(ctx, item, owner)).collect()),
        Value::Object(props) => Json::Object(properties(ctx, props, owner)),
        Value::Map(entries) => {
            Json::Object(entries.iter().map(|(k, v)| (k.to_string(), self::value(ctx, v, owner))).collect())
        }
        Value::Text(parts) => text(ctx, parts),
        Value::Ref(r) => intrinsic(r),
        Value::Field(id, field) => arns::field(ctx, *id, field),
        Value::Arn(id) => arns::arn(ctx, *id),
        Value::Input(id) => ctx.input(*id),
        Value::ArnAfter(id) => arns::arn_after(ctx, *id, owner),
        Value::Package(key) | Value::PackageHash(key) => Json::String(key.clone()),
        Value::Shared(shared) => self::value(ctx, shared, owner),
    }
}

fn intrinsic(r: &Ref) -> Json {
    match r.attr.cloudformation {
        None => reference(&r.id.cloudformation),
        Some(attr) => get_att(&r.id.cloudformation, attr),
    }
}

/// A plain string when every part is literal, else a `Fn::Sub`.
fn text(ctx: &Ctx, parts: &[Part]) -> Json {
    if let [Part::Lit(s)] = parts {
        return Json::String(s.clone());
    }
    let mut template = String::new();
    for part in parts {
        match part {
            Part::Lit(s) => template.push_str(&literal(s)),
            Part::Partition => template.push_str(PARTITION),
            Part::Region => template.push_str(REGION),
            Part::Account => template.push_str(ACCOUNT),
            Part::UrlSuffix => template.push_str("${AWS::URLSuffix}"),
            Part::Ref(r) => template.push_str(&sub_text(&intrinsic(r))),
            Part::Field(id, field) => template.push_str(&sub_text(&arns::field(ctx, *id, field))),
            Part::Input(id) => template.push_str(&sub_text(&ctx.input(*id))),
        }
    }
    sub(template)
}
