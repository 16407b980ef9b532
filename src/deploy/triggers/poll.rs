//! Poll triggers: an event source mapping per trigger from a queue, a
//! stream or a table's stream. The stdlib options with names map directly
//! ([`stores::declared`]); the others are shaped here: the record age,
//! partial batch responses, maximum concurrency, the failure destination
//! and the filters (each a JSON pattern as text). Terraform writes the
//! nested blocks after the arguments, in the options' order.

use super::super::resource::{object, Attr, Key, Resource, Type, Value};
use super::super::{function::function_ref, stores, Scope};
use super::trigger_id;
use crate::model::{self, FunctionBody, Trigger, Val};
use crate::stdlib::{TriggerDef, TriggerMode};

const MAPPING: (&str, &str) = ("AWS::Lambda::EventSourceMapping", "aws_lambda_event_source_mapping");

/// The mapping of each of `function`'s poll triggers, in trigger order.
pub fn mappings(scope: &Scope, function: &model::Resource, body: &FunctionBody) -> Vec<Resource> {
    let mut out = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = scope.model.kind_of(trigger.source);
        let Some(def) = kind.trigger.as_ref().filter(|t| t.mode == TriggerMode::Poll) else { continue };
        let id = trigger_id(scope, function, body, index, "Mapping");
        out.push(mapping(scope, function, trigger, def, id));
    }
    out
}

fn mapping(
    scope: &Scope,
    function: &model::Resource,
    trigger: &Trigger,
    def: &TriggerDef,
    id: super::super::resource::Id,
) -> Resource {
    let mut r = Resource::new(id, Type::both(MAPPING.0, MAPPING.1));
    r.owner = Some(function.id);
    r.set(Key::new("EventSourceArn", "event_source_arn"), Value::Field(trigger.source, def.source_field.clone()));
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
