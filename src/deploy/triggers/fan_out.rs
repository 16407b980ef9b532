//! A queue subscribed to a topic (`subscribe = topic`): the subscription,
//! with raw delivery and the queue's `filter` as its filter policy, and
//! the queue policy that lets SNS send to the queue for that topic alone.
//! The subscription waits for the policy: SNS delivers from the moment it
//! is confirmed.

use super::super::facts::{Unit, FAN_OUT_ACTION, FAN_OUT_CONDITION, FAN_OUT_PRINCIPAL, FAN_OUT_SID};
use super::super::policy::VERSION;
use super::super::resource::{Attr, Id, Key, Ref, Resource, Type, Value};
use super::super::{stores, Scope};
use crate::model;

/// The subscription and the policy of a queue that says `subscribe`.
pub fn queue_subscription(scope: &Scope, queue: &model::Resource) -> Vec<Resource> {
    let Some(topic) = queue.attrs.reference("subscribe") else { return Vec::new() };
    // The policy's id first: ids are given in the order they are asked for.
    let policy_id = Id::new(scope.ids.get(queue, "Policy"), queue.name.clone());
    let mut policy = Resource::new(policy_id, Type::both("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy"));
    policy.owner = Some(queue.id);
    let queue_ref = Value::reference(Ref {
        id: Id::new(scope.ids.main(queue), queue.name.clone()),
        ty: Type::both("AWS::SQS::Queue", "aws_sqs_queue"),
        attr: Attr::reference("url"),
    });
    policy.set(Key::cloudformation("Queues"), Value::List(vec![queue_ref]));
    policy.set(Key::terraform("queue_url"), Value::Field(queue.id, "url".into()));
    let (operator, key) = FAN_OUT_CONDITION;
    let statement = Value::Map(vec![
        ("Sid".into(), FAN_OUT_SID.into()),
        ("Effect".into(), "Allow".into()),
        ("Principal".into(), Value::Map(vec![("Service".into(), FAN_OUT_PRINCIPAL.into())])),
        ("Action".into(), FAN_OUT_ACTION.into()),
        ("Resource".into(), Value::Arn(queue.id)),
        ("Condition".into(), Value::Map(vec![(operator.into(), Value::Map(vec![(key.into(), Value::Arn(topic))]))])),
    ]);
    let document =
        Value::Map(vec![("Version".into(), VERSION.into()), ("Statement".into(), Value::List(vec![statement]))]);
    policy.set(Key::json("PolicyDocument", "policy"), document);

    let mut subscription = Resource::new(
        Id::new(scope.ids.get(queue, "Subscription"), queue.name.clone()),
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
