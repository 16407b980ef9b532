//! Push triggers, described once for both targets: for each function, what
//! a source that pushes to it needs (`push`: an HTTP API's integration and
//! routes, a topic's subscription, a schedule's or a bus's EventBridge
//! rule and target), its resource-based invoke permissions
//! (`permissions`, from `grants.permissions`), a bucket's notifications
//! (`buckets`: to functions and to subscribed queues), and a queue's
//! subscription to a topic, a bus or a bucket (`fan_out`). REST
//! API methods (`rest`), WebSocket routes (`websocket`), Scheduler
//! schedules (`states`) and authorizers' permissions (`auth`) are built
//! with what they belong to.
//!
//! Callers invoke a function's alias where it has one
//! ([`Value::ArnAfter`] of a function is the ARN its callers invoke, which
//! the resource holding it waits for); where the two targets read that
//! ARN in different forms (CloudFormation builds it from the function's
//! known ARN, Terraform reads the alias's attribute), a property is set
//! once per target.

mod buckets;
mod fan_out;
mod index;
mod permissions;
mod poll;
mod push;

pub use buckets::{bucket_notifications, in_bucket};
pub use fan_out::queue_subscription;
pub use index::Index;
pub use poll::{consumer_arn, mappings};

use super::resource::{Attr, Id, Ref, Resource, Type, Value};
use super::Scope;
use crate::grants::{Grants, SharedName};
use crate::model::{self, FunctionBody};

const ALIAS: (&str, &str) = ("AWS::Lambda::Alias", "aws_lambda_alias");
const PERMISSION: (&str, &str) = ("AWS::Lambda::Permission", "aws_lambda_permission");

/// What a function's push triggers make and its invoke permissions, in
/// output order: each trigger's resources in the order of its triggers,
/// then the permissions.
pub fn for_function(scope: &Scope, function: &model::Resource, grants: &Grants) -> Vec<Resource> {
    let Some(body) = &function.function else { return Vec::new() };
    let mut out = push::resources(scope, function, body);
    out.extend(permissions::permissions(scope, function, body, grants));
    out
}

/// The ids of what trigger `index` of `function` makes (`what` is
/// `Route`, `Rule`, `Permission`...): CloudFormation's `{source}{what}`
/// (numbered when the function has two triggers from sources of one
/// stem), the trigger's Terraform label.
fn trigger_id(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize, what: &str) -> Id {
    Id::new(cloudformation_id(scope, function, body, index, what), scope.triggers.trigger(function, index))
}

/// The CloudFormation id of what trigger `index` of `function` makes.
pub fn cloudformation_id(
    scope: &Scope,
    function: &model::Resource,
    body: &FunctionBody,
    index: usize,
    what: &str,
) -> SharedName {
    if !scope.cloudformation() {
        return SharedName::empty();
    }
    let tag = |i: usize| scope.ids.stem(scope.model.resource(body.triggers[i].source));
    let stem = tag(index);
    let mut wanted = String::with_capacity(stem.len() + what.len() + 2);
    wanted.push_str(&stem);
    let mut number = itoa::Buffer::new();
    if (0..body.triggers.len()).filter(|i| tag(*i) == stem).count() > 1 {
        wanted.push_str(number.format(index + 1));
    }
    wanted.push_str(what);
    let mut key = String::with_capacity(what.len() + 12);
    for part in ["trigger ", number.format(index), " ", what] {
        key.push_str(part);
    }
    scope.ids.keyed(function, &key, &wanted)
}

/// The permission that lets the source of trigger `index` of `function`
/// invoke it, which a bucket's notification waits for: the one made for
/// the function's first trigger from that bucket.
fn trigger_permission(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize) -> Ref {
    let index = crate::grants::permission_trigger(body, index);
    let id = trigger_id(scope, function, body, index, "Permission");
    Ref { id, ty: Type::both(PERMISSION.0, PERMISSION.1), attr: Attr::reference("id") }
}

/// An attribute of what callers of `function` invoke, in Terraform: its
/// alias where it has one, else the function (`arn`, `invoke_arn`).
fn invoked(scope: &Scope, function: &model::Resource, terraform: &'static str) -> Value {
    Value::reference(match function.alias() {
        Some(_) => alias(scope, function, Attr::reference(terraform)),
        None => super::function::function_ref(scope, function, Attr::reference(terraform)),
    })
}

/// An attribute of `function`'s alias.
fn alias(scope: &Scope, function: &model::Resource, attr: Attr) -> Ref {
    let id = Id::new(super::versions::alias_id(scope.ids, function), scope.label(function));
    Ref { id, ty: Type::both(ALIAS.0, ALIAS.1), attr }
}
