//! CloudFormation JSON: a `serde_json` tree of the whole template, printed.
//! This file owns the template's layout (resources in source order with
//! each function's resources after the others, then outputs), the context
//! every part reads, tags, and the intrinsic helpers: `Ref`, `Fn::GetAtt`
//! and `Fn::Sub` over the pseudo parameters.
//!
//! Logical ids come from [`LogicalIds`]: `OrdersTable`,
//! `CreateOrderFunction`, `CreateOrderRole`; what a function's trigger
//! makes is named `{function}{source}{what}` (`WorkerJobsMapping`,
//! `CreateOrderPublicRoute`), with the trigger's number after the source
//! when one function has several triggers from sources of that name.
//!
//! The tree is printed as one `template.json` ([`emit`]), or cut into
//! nested stacks by `split` when the app is over a template's limits
//! ([`emit_files`]); for that the emitter records which model resource
//! each logical id was made for.

mod arns;
mod neutral;
pub mod split;
mod versions;

use super::{Files, Options, SplitOptions};
use crate::check::Checked;
use crate::deploy::ids::LogicalIds;
use crate::deploy::inputs::Inputs;
use crate::deploy::resource::{tag_style, TagStyle};
use crate::deploy::{self, Scope};
use crate::model::{InputId, Model, Resource, ResourceId};
use serde_json::{json, Map, Value};
use split::{Provenance, Read};
use std::collections::HashMap;

pub const PARTITION: &str = "${AWS::Partition}";
pub const REGION: &str = "${AWS::Region}";
pub const ACCOUNT: &str = "${AWS::AccountId}";

/// The whole app as one template.
pub fn emit(checked: &Checked, options: &Options) -> String {
    print(&template(checked, options).0)
}

/// `template.json`, or a root `template.json` and its nested
/// `stacks/<name>.json` when the app needs them (see `split`).
pub fn emit_files(checked: &Checked, options: &Options, split: &SplitOptions) -> Files {
    let (template, provenance) = template(checked, options);
    split::files(template, &provenance, split)
}

fn print(template: &Value) -> String {
    let mut text = serde_json::to_string_pretty(template).expect("a serde_json value always prints");
    text.push('\n');
    text
}

/// The template tree, and where each of its logical ids comes from. A
/// parameter whose id a resource took is renamed and the tree made again.
fn template(checked: &Checked, options: &Options) -> (Value, Provenance) {
    let first = template_avoiding(checked, options, &Default::default());
    let resources = first.0.get("Resources").and_then(Value::as_object);
    let taken: std::collections::BTreeSet<String> = Inputs::new(&checked.model)
        .list
        .into_iter()
        .map(|input| input.parameter)
        .filter(|id| resources.is_some_and(|r| r.contains_key(id)))
        .collect();
    if taken.is_empty() {
        first
    } else {
        template_avoiding(checked, options, &taken)
    }
}

fn template_avoiding(
    checked: &Checked,
    options: &Options,
    taken: &std::collections::BTreeSet<String>,
) -> (Value, Provenance) {
    let ctx = Ctx::new(checked, options, taken);
    let mut out = Out::default();
    for resource in &ctx.model.resources {
        if resource.function.is_none() {
            out.owner = Some(resource.id);
            for made in deploy::made_for(&ctx.scope(), resource) {
                neutral::push(&ctx, &made, &mut out);
            }
        }
    }
    for grants in &checked.grants {
        let function = ctx.model.resource(grants.principal);
        out.owner = Some(function.id);
        for made in deploy::function::own(&ctx.scope(), function, grants) {
            neutral::push(&ctx, &made, &mut out);
        }
        for made in deploy::made_for_function(&ctx.scope(), function, grants) {
            neutral::push(&ctx, &made, &mut out);
        }
    }
    for made in deploy::made_for_app(&ctx.scope()) {
        neutral::push(&ctx, &made, &mut out);
    }
    let mut sections =
        vec![("AWSTemplateFormatVersion", "2010-09-09".into()), ("Description", description(&ctx).into())];
    if !ctx.inputs.list.is_empty() {
        sections.push(("Parameters", parameters(&ctx)));
    }
    sections.push(("Resources", Value::Object(out.resources)));
    sections.push(("Outputs", outputs(&ctx)));
    let template = Value::Object(sections.into_iter().map(|(key, value)| (key.to_string(), value)).collect());
    // After the whole template, so that asking for ids allocates none that
    // the template could have used.
    let mut provenance = Provenance { owners: out.owners, readable: Default::default() };
    for resource in ctx.model.resources.iter().filter(|r| r.is_created()) {
        let id = ctx.id(resource);
        if provenance.owners.get(&id) == Some(&resource.id) {
            let kind = ctx.model.kind_of(resource.id);
            let mut readable = vec![Read::reference(&id)];
            for field in kind.fields.iter().filter(|f| f.cloudformation != "Ref" && !f.cloudformation.is_empty()) {
                readable.push(Read::get_att(&id, &field.cloudformation));
            }
            provenance.readable.insert(resource.id, readable);
        }
    }
    (template, provenance)
}

/// What every part of the emitter reads.
pub(crate) struct Ctx<'a> {
    pub checked: &'a Checked,
    pub model: &'a Model,
    pub stage: &'a str,
    pub ids: LogicalIds,
    pub inputs: Inputs<'a>,
    /// What the trigger builders read of the whole app.
    triggers: deploy::triggers::Index,
}

impl<'a> Ctx<'a> {
    fn new(checked: &'a Checked, options: &'a Options, taken: &std::collections::BTreeSet<String>) -> Ctx<'a> {
        let inputs = Inputs::avoiding(&checked.model, taken);
        Ctx {
            checked,
            model: &checked.model,
            stage: &options.stage,
            ids: LogicalIds::new(&checked.model),
            inputs,
            triggers: deploy::triggers::Index::new(&checked.model),
        }
    }

    /// An input's value: `Ref` of its parameter.
    pub fn input(&self, id: InputId) -> Value {
        reference(self.inputs.parameter(id))
    }

    /// What the builders of neutral resources read.
    pub fn scope(&self) -> Scope<'_> {
        Scope {
            model: self.model,
            sources: &self.checked.sources,
            stage: self.stage,
            ids: &self.ids,
            triggers: &self.triggers,
        }
    }

    /// The logical id of a resource's main AWS resource.
    pub fn id(&self, resource: &Resource) -> String {
        self.ids.main(resource)
    }

    /// The app's tags, then the two every resource carries.
    pub fn tags(&self) -> Vec<(String, String)> {
        const APP: &str = "lambdaform:app";
        const STAGE: &str = "lambdaform:stage";
        let mut tags: Vec<(String, String)> =
            self.model.app.tags.iter().filter(|(k, _)| k != APP && k != STAGE).cloned().collect();
        tags.push((APP.into(), self.model.app.name.clone()));
        tags.push((STAGE.into(), self.stage.to_string()));
        tags
    }

    /// Adds `Tags` to `props` in the form the resource type takes, if it
    /// takes tags.
    pub fn tag(&self, cloudformation_type: &str, props: &mut Map<String, Value>) {
        let tags = self.tags();
        let value = match tag_style(cloudformation_type) {
            TagStyle::List => {
                Value::Array(tags.into_iter().map(|(k, v)| object([("Key", k.into()), ("Value", v.into())])).collect())
            }
            TagStyle::Map => Value::Object(tags.into_iter().map(|(k, v)| (k, Value::String(v))).collect()),
            TagStyle::None => return,
        };
        props.insert("Tags".into(), value);
    }
}

/// The resources built so far, in output order, and the model resource
/// each was made for.
#[derive(Default)]
pub(crate) struct Out {
    resources: Map<String, Value>,
    /// The model resource whose AWS resources are being built.
    owner: Option<ResourceId>,
    owners: HashMap<String, ResourceId>,
}

impl Out {
    pub fn push(&mut self, id: String, resource: Res) {
        debug_assert!(!self.resources.contains_key(&id), "logical ids are unique: {id}");
        if let Some(owner) = self.owner {
            self.owners.insert(id.clone(), owner);
        }
        self.resources.insert(id, resource.into_value());
    }
}

/// One resource: its type, properties and resource attributes.
pub(crate) struct Res {
    pub ty: String,
    pub props: Map<String, Value>,
    pub depends_on: Vec<String>,
    /// `DeletionPolicy` and `UpdateReplacePolicy`: `Retain` or `Delete`.
    pub deletion: Option<&'static str>,
    pub metadata: Option<Value>,
}

impl Res {
    pub fn new(ty: impl Into<String>) -> Res {
        Res { ty: ty.into(), props: Map::new(), depends_on: Vec::new(), deletion: None, metadata: None }
    }

    /// Adds the tags, if the type takes them.
    pub fn tag(&mut self, ctx: &Ctx) {
        ctx.tag(&self.ty, &mut self.props);
    }

    fn into_value(self) -> Value {
        let mut out = Map::new();
        out.insert("Type".into(), Value::String(self.ty));
        if let Some(policy) = self.deletion {
            out.insert("DeletionPolicy".into(), policy.into());
            out.insert("UpdateReplacePolicy".into(), policy.into());
        }
        if !self.depends_on.is_empty() {
            out.insert("DependsOn".into(), self.depends_on.into_iter().map(Value::String).collect());
        }
        if let Some(metadata) = self.metadata {
            out.insert("Metadata".into(), metadata);
        }
        if !self.props.is_empty() {
            out.insert("Properties".into(), Value::Object(self.props));
        }
        Value::Object(out)
    }
}

/// An object of `entries`, in their order. Unlike `json!`, which copies
/// every interpolated `Value` through serialization, it moves the values in.
pub fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(entries.into_iter().map(|(key, value)| (key.to_string(), value)).collect())
}

/// `{"Ref": id}`.
pub fn reference(id: &str) -> Value {
    json!({ "Ref": id })
}

/// `{"Fn::GetAtt": [id, attribute]}`.
pub fn get_att(id: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [id, attribute] })
}

/// `{"Fn::Sub": text}`: `text` is already a `Fn::Sub` template.
pub fn sub(text: String) -> Value {
    json!({ "Fn::Sub": text })
}

/// Text that must reach AWS as written, inside a `Fn::Sub` template:
/// `${` becomes `${!`.
pub fn literal(text: &str) -> String {
    text.replace("${", "${!")
}

/// An ARN with the `${partition}`, `${region}` and `${account}`
/// placeholders the resolver leaves in the ARNs of resources given by
/// name: a `Fn::Sub` over the pseudo parameters, or the plain string when
/// it has none.
pub fn placeholders(text: &str) -> Value {
    const PLACES: [(&str, &str); 3] = [("${!partition}", PARTITION), ("${!region}", REGION), ("${!account}", ACCOUNT)];
    let escaped = literal(text);
    if !PLACES.iter().any(|(place, _)| escaped.contains(place)) {
        return Value::String(text.to_string());
    }
    sub(PLACES.iter().fold(escaped, |s, (place, pseudo)| s.replace(place, pseudo)))
}

/// `base` followed by `suffix` (`/index/*`): a `Fn::Sub` unless `base` is
/// a plain string.
pub fn append(base: Value, suffix: &str) -> Value {
    match &base {
        Value::String(s) => Value::String(format!("{s}{suffix}")),
        Value::Object(_) => sub(sub_text(&base) + &literal(suffix)),
        _ => base,
    }
}

/// A value as it reads inside a `Fn::Sub` template: `${Id}` for a `Ref`,
/// `${Id.Attr}` for a `Fn::GetAtt`, a `Fn::Sub`'s own template, a string
/// escaped.
pub fn sub_text(value: &Value) -> String {
    match value {
        Value::String(s) => literal(s),
        Value::Object(o) => match (o.get("Ref"), o.get("Fn::GetAtt"), o.get("Fn::Sub")) {
            (Some(Value::String(id)), _, _) => format!("${{{id}}}"),
            (_, Some(Value::Array(parts)), _) => {
                let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
                format!("${{{}}}", parts.join("."))
            }
            (_, _, Some(Value::String(template))) => template.clone(),
            _ => literal(&value.to_string()),
        },
        _ => literal(&value.to_string()),
    }
}

/// A parameter per input (`deploy::inputs`), given at deploy time with
/// `--parameter-overrides NAME=value`.
fn parameters(ctx: &Ctx) -> Value {
    let mut out = Map::new();
    for input in &ctx.inputs.list {
        let mut parameter = Map::new();
        parameter.insert("Type".into(), input.cloudformation_type.into());
        parameter.insert("Description".into(), input.description.clone().into());
        if let Some(default) = &input.default {
            parameter.insert("Default".into(), default.cloudformation().into());
        }
        if let Some(pattern) = &input.pattern {
            parameter.insert("AllowedPattern".into(), pattern.clone().into());
            parameter
                .insert("ConstraintDescription".into(), format!("{} must match {pattern}", input.input.name).into());
        }
        out.insert(input.parameter.clone(), Value::Object(parameter));
    }
    Value::Object(out)
}

fn description(ctx: &Ctx) -> String {
    let app = if ctx.model.app.name.is_empty() { "app" } else { &ctx.model.app.name };
    format!("Lambdaform app {app}, stage {}", ctx.stage)
}

/// The outputs `deploy` lists: a function's ARN from `Fn::GetAtt`, the
/// others as the resource is read elsewhere.
fn outputs(ctx: &Ctx) -> Value {
    let mut out = Map::new();
    for output in crate::deploy::outputs::outputs(ctx.model).into_iter().filter(|o| !o.terraform_only) {
        let id = ctx.id(output.resource);
        let neutral = crate::deploy::outputs::neutral(&ctx.scope(), &output);
        let value = match (output.resource.kind.as_str(), output.field) {
            _ if neutral.is_some() => neutral.map(|v| neutral::standalone(ctx, &v)).unwrap_or_default(),
            ("function", _) => get_att(&id, "Arn"),
            ("api", field) => arns::field(ctx, output.resource.id, field),
            _ => reference(&id),
        };
        let entry = object([("Description", output.description.into()), ("Value", value)]);
        out.insert(format!("{id}{}", output.suffix), entry);
    }
    for made in crate::deploy::outputs::made(&ctx.scope()).into_iter().filter(|m| !m.terraform_only) {
        let value = neutral::standalone(ctx, &made.value);
        out.insert(made.cloudformation, object([("Description", made.description.into()), ("Value", value)]));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_pseudo_parameters() {
        assert_eq!(placeholders("arn:aws:sqs:eu-west-1:123456789012:q"), json!("arn:aws:sqs:eu-west-1:123456789012:q"));
        assert_eq!(
            placeholders("arn:${partition}:ssm:${region}:${account}:parameter/a${b}"),
            json!({ "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/a${!b}" })
        );
    }

    #[test]
    fn append_keeps_the_base_intrinsic() {
        assert_eq!(append(get_att("T", "Arn"), "/index/*"), json!({ "Fn::Sub": "${T.Arn}/index/*" }));
        assert_eq!(append(reference("T"), "/x"), json!({ "Fn::Sub": "${T}/x" }));
        assert_eq!(append(json!("arn:aws:s3:::b"), "/*"), json!("arn:aws:s3:::b/*"));
        assert_eq!(append(sub("a-${AWS::Region}".into()), "/*"), json!({ "Fn::Sub": "a-${AWS::Region}/*" }));
    }
}
