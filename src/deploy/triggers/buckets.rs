//! A bucket's notifications: one entry per function and event type, with
//! the trigger's key `prefix` and `suffix`, and one per queue subscribed
//! to the bucket and event type, with the queue's (the same settings,
//! read by the same helpers), put after the invoke permissions and queue
//! policies S3 checks when the configuration is put (AWS-RULES.md §8).
//! The targets write them in different places: CloudFormation inside the
//! bucket (`NotificationConfiguration`, which the printer adds to the
//! bucket it builds: [`in_bucket`]), Terraform as one
//! `aws_s3_bucket_notification` per bucket, created or existing, after
//! every function ([`bucket_notifications`]; several would overwrite each
//! other).

use super::super::resource::{object, Attr, Form, Id, Key, Part, Prop, Ref, Resource, Type, Value};
use super::super::Scope;
use super::fan_out::policy_ref;
use super::trigger_permission;
use crate::model::{self, Attrs, FunctionBody, ResourceId, Val};

/// What a created bucket's triggers add to the bucket in CloudFormation.
pub struct InBucket {
    /// `NotificationConfiguration`, a CloudFormation-only property.
    pub configuration: Prop,
    /// The permissions and queue policies the bucket waits for.
    pub waits_for: Vec<Ref>,
}

/// The notifications CloudFormation writes inside `bucket`; none when no
/// function is triggered by it and no queue subscribed to it.
pub fn in_bucket(scope: &Scope, bucket: &model::Resource) -> Option<InBucket> {
    let mut lambdas = Vec::new();
    let mut waits_for = Vec::new();
    for (function, body, index) in fed_by(scope, bucket.id) {
        let trigger = &body.triggers[index];
        // The bucket waits for the permissions, which wait for the alias.
        let target = (Key::cloudformation("Function"), known_invoke_arn(scope, function));
        lambdas.extend(configurations(&trigger.options, &target));
        let permission = trigger_permission(scope, function, body, index);
        if !waits_for.contains(&permission) {
            waits_for.push(permission);
        }
    }
    let mut queues = Vec::new();
    for queue in subscribers(scope, bucket.id) {
        let target = (Key::cloudformation("Queue"), Value::Arn(queue.id));
        queues.extend(configurations(&queue.attrs, &target));
        waits_for.push(policy_ref(scope, queue));
    }
    let listed = [("LambdaConfigurations", lambdas), ("QueueConfigurations", queues)];
    let listed: Vec<(Key, Value)> = listed
        .into_iter()
        .filter(|(_, configurations)| !configurations.is_empty())
        .map(|(key, configurations)| (Key::cloudformation(key), Value::List(configurations)))
        .collect();
    if listed.is_empty() {
        return None;
    }
    Some(InBucket { configuration: prop(Key::cloudformation("NotificationConfiguration"), object(listed)), waits_for })
}

/// CloudFormation's configuration of each event type of one notification
/// (`options`: a trigger's, or a subscribed queue's) to `target`.
fn configurations(options: &Attrs, (key, target): &(Key, Value)) -> Vec<Value> {
    let filter = key_filter(options);
    events(options)
        .into_iter()
        .map(|event| {
            let mut configuration = vec![prop(Key::cloudformation("Event"), event), prop(key.clone(), target.clone())];
            if let Some(filter) = &filter {
                configuration.push(prop(Key::cloudformation("Filter"), filter.clone()));
            }
            Value::Object(configuration)
        })
        .collect()
}

/// Terraform's `aws_s3_bucket_notification` of each bucket that triggers
/// a function or that a queue subscribes to, in declaration order: a
/// `lambda_function` per trigger, a `queue` per subscribed queue.
pub fn bucket_notifications(scope: &Scope) -> Vec<Resource> {
    let mut out = Vec::new();
    for source in scope.triggers.sources() {
        let bucket = scope.model.resource(source);
        if bucket.kind != "bucket" {
            continue;
        }
        let mut n = Resource::new(Id::new("", scope.label(bucket)), Type::terraform("aws_s3_bucket_notification"));
        n.owner = Some(bucket.id);
        let field = if bucket.is_created() { "id" } else { "name" };
        n.set(Key::terraform("bucket"), Value::Field(bucket.id, field.into()));
        let mut wirings = Vec::new();
        for (function, body, index) in fed_by(scope, bucket.id) {
            let id = prop(Key::terraform("id"), scope.triggers.trigger(function, index).as_str().into());
            let arn = prop(Key::terraform("lambda_function_arn"), Value::ArnAfter(function.id));
            wirings.push(wiring(vec![id, arn], &body.triggers[index].options));
            let permission = trigger_permission(scope, function, body, index);
            if !n.depends_on.contains(&permission) {
                n.depends_on.push(permission);
            }
        }
        let mut queues = Vec::new();
        for queue in subscribers(scope, bucket.id) {
            queues.push(wiring(vec![prop(Key::terraform("queue_arn"), Value::Arn(queue.id))], &queue.attrs));
            n.depends_on.push(policy_ref(scope, queue));
        }
        for (block, wirings) in [("lambda_function", wirings), ("queue", queues)] {
            if !wirings.is_empty() {
                n.set(Key::terraform(block).in_form(Form::Block), Value::List(wirings));
            }
        }
        out.push(n);
    }
    out
}

/// One Terraform notification block: `target` (its id and ARN), then the
/// event types and key filter of `options` (a trigger's, or a subscribed
/// queue's).
fn wiring(mut target: Vec<Prop>, options: &Attrs) -> Value {
    let events = events(options);
    if !events.is_empty() {
        target.push(prop(Key::terraform("events"), Value::List(events)));
    }
    for (option, name) in [("prefix", "filter_prefix"), ("suffix", "filter_suffix")] {
        if let Some(value) = options.str(option) {
            target.push(prop(Key::terraform(name), value.into()));
        }
    }
    Value::Object(target)
}

/// The queues subscribed to `bucket`, in source order.
fn subscribers<'m>(scope: &Scope<'m>, bucket: ResourceId) -> impl Iterator<Item = &'m model::Resource> + 'm {
    let model = scope.model;
    scope.triggers.subscribers(bucket).iter().map(move |&queue| model.resource(queue))
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
            Some((function, function.function.as_deref()?, index))
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

/// A notification's event types: its `events` (a trigger's option or a
/// subscribed queue's attribute), which the stdlib's default
/// (`s3:ObjectCreated:*`) fills in when the app names none.
fn events(options: &Attrs) -> Vec<Value> {
    let Some(Val::List(items)) = options.value("events") else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Val::Str(s) => Some(Value::from(s.as_str())),
            _ => None,
        })
        .collect()
}

/// CloudFormation's key `prefix` and `suffix` rules, if any.
fn key_filter(options: &Attrs) -> Option<Value> {
    let rules: Vec<Value> = ["prefix", "suffix"]
        .iter()
        .filter_map(|name| {
            let value = options.str(name)?;
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
