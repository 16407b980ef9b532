//! A bucket's notifications: one entry per function and event type, with
//! the trigger's key `prefix` and `suffix`, put after the permissions S3
//! checks when the configuration is put (AWS-RULES.md §8). The targets
//! write them in different places: CloudFormation inside the bucket
//! (`NotificationConfiguration`, which the printer adds to the bucket it
//! builds: [`in_bucket`]), Terraform as one `aws_s3_bucket_notification`
//! per bucket, created or existing, after every function
//! ([`bucket_notifications`]; several would overwrite each other).

use super::super::resource::{object, Attr, Form, Id, Key, Part, Prop, Ref, Resource, Type, Value};
use super::super::Scope;
use super::trigger_permission;
use crate::model::{self, FunctionBody, ResourceId, Trigger, Val};

/// What a created bucket's triggers add to the bucket in CloudFormation.
pub struct InBucket {
    /// `NotificationConfiguration`, a CloudFormation-only property.
    pub configuration: Prop,
    /// The permissions the bucket waits for.
    pub waits_for: Vec<Ref>,
}

/// The notifications CloudFormation writes inside `bucket`; none when no
/// function is triggered by it.
pub fn in_bucket(scope: &Scope, bucket: &model::Resource) -> Option<InBucket> {
    let mut configurations = Vec::new();
    let mut waits_for = Vec::new();
    for (function, body, index) in fed_by(scope, bucket.id) {
        let trigger = &body.triggers[index];
        // The bucket waits for the permissions, which wait for the alias.
        let target = known_invoke_arn(scope, function);
        let filter = key_filter(trigger);
        for event in events(trigger) {
            let mut configuration =
                vec![prop(Key::cloudformation("Event"), event), prop(Key::cloudformation("Function"), target.clone())];
            if let Some(filter) = &filter {
                configuration.push(prop(Key::cloudformation("Filter"), filter.clone()));
            }
            configurations.push(Value::Object(configuration));
        }
        let permission = trigger_permission(scope, function, body, index);
        if !waits_for.contains(&permission) {
            waits_for.push(permission);
        }
    }
    if configurations.is_empty() {
        return None;
    }
    let lambda = object([(Key::cloudformation("LambdaConfigurations"), Value::List(configurations))]);
    Some(InBucket { configuration: prop(Key::cloudformation("NotificationConfiguration"), lambda), waits_for })
}

/// Terraform's `aws_s3_bucket_notification` of each bucket that triggers
/// a function, in declaration order: a `lambda_function` per trigger.
pub fn bucket_notifications(scope: &Scope) -> Vec<Resource> {
    let mut out = Vec::new();
    for source in scope.triggers.sources() {
        let bucket = scope.model.resource(source);
        if bucket.kind != "bucket" {
            continue;
        }
        let mut n = Resource::new(Id::new("", bucket.name.clone()), Type::terraform("aws_s3_bucket_notification"));
        n.owner = Some(bucket.id);
        let field = if bucket.is_created() { "id" } else { "name" };
        n.set(Key::terraform("bucket"), Value::Field(bucket.id, field.into()));
        let mut wirings = Vec::new();
        for (function, body, index) in fed_by(scope, bucket.id) {
            let trigger = &body.triggers[index];
            let mut wiring = vec![
                prop(Key::terraform("id"), scope.triggers.trigger(function, index).into()),
                prop(Key::terraform("lambda_function_arn"), Value::ArnAfter(function.id)),
            ];
            let events = events(trigger);
            if !events.is_empty() {
                wiring.push(prop(Key::terraform("events"), Value::List(events)));
            }
            for (option, name) in [("prefix", "filter_prefix"), ("suffix", "filter_suffix")] {
                if let Some(value) = trigger.options.str(option) {
                    wiring.push(prop(Key::terraform(name), value.into()));
                }
            }
            wirings.push(Value::Object(wiring));
            let permission = trigger_permission(scope, function, body, index);
            if !n.depends_on.contains(&permission) {
                n.depends_on.push(permission);
            }
        }
        n.set(Key::terraform("lambda_function").in_form(Form::Block), Value::List(wirings));
        out.push(n);
    }
    out
}

/// The functions `bucket` triggers, each with its body and the index of
/// the trigger, in source order.
fn fed_by<'m>(scope: &Scope<'m>, bucket: ResourceId) -> Vec<(&'m model::Resource, &'m FunctionBody, usize)> {
    let model = scope.model;
    scope
        .triggers
        .fed_by(bucket)
        .iter()
        .filter_map(|&(function, index)| {
            let function = model.resource(function);
            Some((function, function.function.as_ref()?, index))
        })
        .collect()
}

/// The ARN callers invoke, built from the function's known ARN without a
/// dependency: the bucket waits for the permissions instead.
fn known_invoke_arn(scope: &Scope, function: &model::Resource) -> Value {
    match function.alias() {
        Some(alias) => Value::Text(vec![Part::Field(function.id, "arn".into()), Part::Lit(format!(":{alias}"))]),
        None => Value::reference(super::super::function::function_ref(scope, function, Attr::get("Arn", "arn"))),
    }
}

/// The trigger's event types: its `events`, which the stdlib's default
/// (`s3:ObjectCreated:*`) fills in when the app names none.
fn events(trigger: &Trigger) -> Vec<Value> {
    let Some(Val::List(items)) = trigger.options.value("events") else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Val::Str(s) => Some(Value::from(s.as_str())),
            _ => None,
        })
        .collect()
}

/// CloudFormation's key `prefix` and `suffix` rules, if any.
fn key_filter(trigger: &Trigger) -> Option<Value> {
    let rules: Vec<Value> = ["prefix", "suffix"]
        .iter()
        .filter_map(|name| {
            let value = trigger.options.str(name)?;
            Some(Value::Map(vec![("Name".into(), (*name).into()), ("Value".into(), value.into())]))
        })
        .collect();
    if rules.is_empty() {
        return None;
    }
    let rules = object([(Key::cloudformation("Rules"), Value::List(rules))]);
    Some(object([(Key::cloudformation("S3Key"), rules)]))
}

fn prop(key: Key, value: Value) -> Prop {
    Prop { key, value }
}
