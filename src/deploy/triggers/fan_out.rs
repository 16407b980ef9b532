//! A queue subscribed to a topic or a bus (`subscribe = NAME`).
//!
//! - A topic: the subscription, with raw delivery and the queue's `filter`
//!   as its filter policy, and the queue policy that lets SNS send to the
//!   queue for that topic alone. The subscription waits for the policy:
//!   SNS delivers from the moment it is confirmed.
//! - A bus: an EventBridge rule on the bus with the queue's `pattern` (every
//!   event without one) and the queue as its target, and the queue policy
//!   that lets EventBridge send for that rule alone.
//! - A bucket: the queue policy that lets S3 send from that bucket of this
//!   account alone; the notification is the bucket's (`buckets`), which
//!   waits for the policy ([`policy_ref`]). The policy names the bucket by
//!   the ARN built from its known name, so it does not wait for the bucket.

use super::super::facts::{
    delivery_rule_description, Unit, BUCKET_FAN_OUT_CONDITIONS, BUCKET_FAN_OUT_PRINCIPAL, BUCKET_FAN_OUT_SID,
    BUS_FAN_OUT_PRINCIPAL, BUS_FAN_OUT_SID, FAN_OUT_ACTION, FAN_OUT_CONDITION, FAN_OUT_PRINCIPAL, FAN_OUT_SID,
};
use super::super::policy::VERSION;
use super::super::resource::{object, Attr, Id, Key, Ref, Resource, Type, Value};
use super::super::{stores, Scope};
use super::push::{bus_arn, event_pattern};
use crate::model;

/// EventBridge's rule, in both targets.
const RULE: (&str, &str) = ("AWS::Events::Rule", "aws_cloudwatch_event_rule");
/// A queue's policy, in both targets.
const POLICY: (&str, &str) = ("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy");

/// The subscription (or rule) and the policy of a queue that says `subscribe`.
pub fn queue_subscription(scope: &Scope, queue: &model::Resource) -> Vec<Resource> {
    let Some(source) = queue.attrs.reference("subscribe") else { return Vec::new() };
    match scope.model.resource(source).kind.as_str() {
        "bus" => return bus_subscription(scope, queue, source),
        "bucket" => return vec![bucket_policy(scope, queue, source)],
        _ => {}
    }
    let topic = source;
    // The policy's id first: ids are given in the order they are asked for.
    let policy_id = policy_id(scope, queue);
    let policy =
        queue_policy(scope, queue, policy_id, (FAN_OUT_SID, FAN_OUT_PRINCIPAL), from_source(Value::Arn(topic)));
    let mut subscription = Resource::new(
        Id::new(scope.ids.get(queue, "Subscription"), scope.label(queue)),
        Type::both("AWS::SNS::Subscription", "aws_sns_topic_subscription"),
    );
    subscription.owner = Some(queue.id);
    subscription.depends_on.push(policy.reference(Attr::reference("id")));
    subscription.set(Key::new("TopicArn", "topic_arn"), Value::Arn(topic));
    subscription.set(Key::new("Protocol", "protocol"), "sqs");
    subscription.set(Key::new("Endpoint", "endpoint"), Value::Arn(queue.id));
    if queue.attrs.bool("raw_delivery") {
        subscription.set(Key::new("RawMessageDelivery", "raw_message_delivery"), true);
    }
    filter_policy(&mut subscription, &queue.attrs);
    vec![subscription, policy]
}

/// The rule that sends a bus's events (those of the queue's `pattern`) to
/// the queue, with its target, and the policy that lets that rule send.
/// CloudFormation lists the target in the rule, Terraform makes it a
/// resource; the rule has one target, named `queue`.
fn bus_subscription(scope: &Scope, queue: &model::Resource, bus: model::ResourceId) -> Vec<Resource> {
    let bus = scope.model.resource(bus);
    let policy_id = policy_id(scope, queue);
    let rule_id = Id::new(scope.ids.get(queue, "Rule"), scope.label(queue));
    let mut rule = Resource::new(rule_id.clone(), Type::both(RULE.0, RULE.1));
    rule.owner = Some(queue.id);
    rule.set(Key::new("Description", "description"), delivery_rule_description(&bus.name, &queue.name));
    rule.set(Key::cloudformation("EventBusName"), bus_arn(scope, bus));
    rule.set(Key::terraform("event_bus_name"), Value::Field(bus.id, "name".into()));
    rule.set(Key::json("EventPattern", "event_pattern"), event_pattern(queue.attrs.value("pattern")));
    rule.set(Key::cloudformation("State"), "ENABLED");
    let listed =
        object([(Key::cloudformation("Id"), "queue".into()), (Key::cloudformation("Arn"), Value::Arn(queue.id))]);
    rule.set(Key::cloudformation("Targets"), Value::List(vec![listed]));
    let mut target = Resource::new(Id::new("", rule_id.terraform), Type::terraform("aws_cloudwatch_event_target"));
    target.owner = Some(queue.id);
    target.set(Key::terraform("rule"), rule.attr(Attr::reference("name")));
    target.set(Key::terraform("event_bus_name"), Value::Field(bus.id, "name".into()));
    target.set(Key::terraform("target_id"), "queue");
    target.set(Key::terraform("arn"), Value::Arn(queue.id));
    let rule_arn = rule.attr(Attr::get("Arn", "arn"));
    let policy = queue_policy(scope, queue, policy_id, (BUS_FAN_OUT_SID, BUS_FAN_OUT_PRINCIPAL), from_source(rule_arn));
    vec![rule.tagged(), target, policy]
}

/// The policy of a queue subscribed to `bucket`: S3 may send from that
/// bucket (its ARN built from its known name) of this account alone.
fn bucket_policy(scope: &Scope, queue: &model::Resource, bucket: model::ResourceId) -> Resource {
    let [(arn_operator, arn_key), (account_operator, account_key)] = BUCKET_FAN_OUT_CONDITIONS;
    let condition = Value::Map(vec![
        (arn_operator.into(), Value::Map(vec![(arn_key.into(), Value::Arn(bucket))])),
        (account_operator.into(), Value::Map(vec![(account_key.into(), Ref::account().into())])),
    ]);
    queue_policy(scope, queue, policy_id(scope, queue), (BUCKET_FAN_OUT_SID, BUCKET_FAN_OUT_PRINCIPAL), condition)
}

/// The id of the one policy of a queue that says `subscribe`.
fn policy_id(scope: &Scope, queue: &model::Resource) -> Id {
    Id::new(scope.ids.get(queue, "Policy"), scope.label(queue))
}

/// The policy of a queue that says `subscribe`, which what delivers to
/// the queue waits for (a bucket's notification: S3 sends a test message
/// when the configuration is put).
pub fn policy_ref(scope: &Scope, queue: &model::Resource) -> Ref {
    Ref { id: policy_id(scope, queue), ty: Type::both(POLICY.0, POLICY.1), attr: Attr::reference("id") }
}

/// The condition that the sender's source is `source_arn` alone.
fn from_source(source_arn: Value) -> Value {
    let (operator, key) = FAN_OUT_CONDITION;
    Value::Map(vec![(operator.into(), Value::Map(vec![(key.into(), source_arn)]))])
}

/// The queue policy that lets `principal` send to the queue under
/// `condition` alone, as statement `sid`.
fn queue_policy(
    scope: &Scope,
    queue: &model::Resource,
    id: Id,
    (sid, principal): (&str, &str),
    condition: Value,
) -> Resource {
    let mut policy = Resource::new(id, Type::both(POLICY.0, POLICY.1));
    policy.owner = Some(queue.id);
    let queue_ref = Value::reference(Ref {
        id: Id::new(scope.ids.main(queue), scope.label(queue)),
        ty: Type::both("AWS::SQS::Queue", "aws_sqs_queue"),
        attr: Attr::reference("url"),
    });
    policy.set(Key::cloudformation("Queues"), Value::List(vec![queue_ref]));
    policy.set(Key::terraform("queue_url"), Value::Field(queue.id, "url".into()));
    let statement = Value::Map(vec![
        ("Sid".into(), sid.into()),
        ("Effect".into(), "Allow".into()),
        ("Principal".into(), Value::Map(vec![("Service".into(), principal.into())])),
        ("Action".into(), FAN_OUT_ACTION.into()),
        ("Resource".into(), Value::Arn(queue.id)),
        ("Condition".into(), condition),
    ]);
    let document =
        Value::Map(vec![("Version".into(), VERSION.into()), ("Statement".into(), Value::List(vec![statement]))]);
    policy.set(Key::json("PolicyDocument", "policy"), document);
    policy
}

/// An SNS subscription's `filter` as its filter policy, and `filter_scope`
/// as the policy's scope where the app names one (SNS matches attributes
/// when none is given): a queue's attributes, a topic trigger's options.
pub(super) fn filter_policy(subscription: &mut Resource, attrs: &model::Attrs) {
    if let Some(filter) = attrs.value("filter") {
        subscription.set(Key::json("FilterPolicy", "filter_policy"), stores::neutral(filter, Unit::Seconds));
    }
    let scope = match attrs.str("filter_scope") {
        Some("attributes") => "MessageAttributes",
        Some("body") => "MessageBody",
        _ => return,
    };
    subscription.set(Key::new("FilterPolicyScope", "filter_policy_scope"), scope);
}
