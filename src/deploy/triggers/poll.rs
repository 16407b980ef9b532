//! Poll triggers: an event source mapping per trigger from a queue, a
//! stream or a table's stream. The stdlib options with names map directly
//! ([`stores::declared`]); the others are shaped here: the record age,
//! partial batch responses, maximum concurrency, the failure destination
//! and the filters (each a JSON pattern as text). Terraform writes the
//! nested blocks after the arguments, in the options' order.
//!
//! A Kinesis trigger with `consumer = dedicated` reads through a stream
//! consumer of its own (enhanced fan-out): the consumer is registered
//! here, before its mapping, named by [`names::consumer_name`], and the
//! mapping's event source is the consumer's ARN, not the stream's.

use super::super::resource::{object, Attr, Id, Key, Ref, Resource, Type, Value};
use super::super::{function::function_ref, names, stores, Scope};
use super::trigger_id;
use crate::model::{self, FunctionBody, Trigger, Val};
use crate::stdlib::{TriggerDef, TriggerMode};

const MAPPING: (&str, &str) = ("AWS::Lambda::EventSourceMapping", "aws_lambda_event_source_mapping");
const CONSUMER: (&str, &str) = ("AWS::Kinesis::StreamConsumer", "aws_kinesis_stream_consumer");

/// The mapping of each of `function`'s poll triggers, each after its
/// dedicated consumer when it has one, in trigger order.
pub fn mappings(scope: &Scope, function: &model::Resource, body: &FunctionBody) -> Vec<Resource> {
    let mut out = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = scope.model.kind_of(trigger.source);
        let Some(def) = kind.trigger.as_ref().filter(|t| t.mode == TriggerMode::Poll) else { continue };
        let source = if trigger.dedicated() {
            let made = consumer(scope, function, body, index, def);
            let arn = made.attr(CONSUMER_ARN);
            out.push(made);
            arn
        } else {
            Value::Field(trigger.source, def.source_field.clone())
        };
        let id = trigger_id(scope, function, body, index, "Mapping");
        out.push(mapping(scope, function, trigger, def, id, source));
    }
    out
}

/// A consumer's ARN: `Fn::GetAtt ConsumerARN`, Terraform's `arn`.
const CONSUMER_ARN: Attr = Attr::get("ConsumerARN", "arn");

/// The stream consumer registered for trigger `index` of `function`.
fn consumer(
    scope: &Scope,
    function: &model::Resource,
    body: &FunctionBody,
    index: usize,
    def: &TriggerDef,
) -> Resource {
    let mut r = Resource::new(consumer_id(scope, function, body, index), Type::both(CONSUMER.0, CONSUMER.1));
    r.owner = Some(function.id);
    let name = names::consumer_name(scope.model, scope.stage, function, body.consumer_number(index));
    r.set(Key::new("ConsumerName", "name"), name);
    r.set(Key::new("StreamARN", "stream_arn"), Value::Field(body.triggers[index].source, def.source_field.clone()));
    r
}

fn consumer_id(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize) -> Id {
    trigger_id(scope, function, body, index, "Consumer")
}

/// The ARN of the dedicated consumer of trigger `index` of `function`,
/// where its role's grants on the consumer apply.
pub fn consumer_arn(scope: &Scope, function: &model::Resource, body: &FunctionBody, index: usize) -> Value {
    let id = consumer_id(scope, function, body, index);
    Value::reference(Ref { id, ty: Type::both(CONSUMER.0, CONSUMER.1), attr: CONSUMER_ARN })
}

fn mapping(
    scope: &Scope,
    function: &model::Resource,
    trigger: &Trigger,
    def: &TriggerDef,
    id: Id,
    source: Value,
) -> Resource {
    let mut r = Resource::new(id, Type::both(MAPPING.0, MAPPING.1));
    r.owner = Some(function.id);
    r.set(Key::new("EventSourceArn", "event_source_arn"), source);
    // The alias callers invoke, which the mapping waits for; else the
    // function (its name in CloudFormation, its ARN in Terraform).
    let target = match function.alias() {
        Some(_) => Value::ArnAfter(function.id),
        None => Value::reference(function_ref(scope, function, Attr::reference("arn"))),
    };
    r.set(Key::new("FunctionName", "function_name"), target);
    let mut blocks = Vec::new();
    for option in &def.options {
        let Some(value) = trigger.options.value(&option.name) else { continue };
        match (option.name.as_str(), value) {
            ("report_failures", Val::Bool(true)) => {
                let types = Value::List(vec!["ReportBatchItemFailures".into()]);
                r.set(Key::new("FunctionResponseTypes", "function_response_types"), types);
            }
            ("report_failures", _) => {}
            ("max_age", Val::Duration(seconds)) => {
                r.set(Key::new("MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds"), *seconds);
            }
            ("concurrency", Val::Int(n)) => blocks.push((
                Key::block("ScalingConfig", "scaling_config"),
                object([(Key::new("MaximumConcurrency", "maximum_concurrency"), (*n).into())]),
            )),
            ("on_failure", Val::Ref(target)) => {
                let destination = object([(Key::new("Destination", "destination_arn"), Value::ArnAfter(*target))]);
                blocks.push((
                    Key::block("DestinationConfig", "destination_config"),
                    object([(Key::block("OnFailure", "on_failure"), destination)]),
                ));
            }
            ("filters", Val::List(patterns)) => {
                let filters = patterns
                    .iter()
                    .map(|pattern| object([(Key::json_text("Pattern", "pattern"), stores::neutral_value(pattern))]));
                blocks.push((
                    Key::block("FilterCriteria", "filter_criteria"),
                    object([(Key::block("Filters", "filter"), Value::List(filters.collect()))]),
                ));
            }
            (_, value) => {
                if let Some((key, value)) = stores::declared(option, value) {
                    r.set(key, value);
                }
            }
        }
    }
    for (key, value) in blocks {
        r.set(key, value);
    }
    r.tagged()
}
