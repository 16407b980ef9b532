//! One function's event source mappings (a poll trigger each); the rest of
//! its resources are described in `deploy::function`.

use super::{arns, object, resources, Ctx, Out, Res};
use crate::model::{Resource, Trigger, Val};
use crate::stdlib::TriggerMode;
use serde_json::{json, Value};

pub fn emit(ctx: &Ctx, function: &Resource, out: &mut Out) {
    let Some(body) = &function.function else { return };
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = ctx.model.kind_of(trigger.source);
        if kind.trigger.as_ref().is_some_and(|t| t.mode == TriggerMode::Poll) {
            out.push(ctx.trigger_id(function, body, index, "Mapping"), mapping(ctx, function, trigger));
        }
    }
}

/// The event source mapping of a poll trigger: the stdlib options with a
/// `cloudformation` name map directly; the rest are shaped here.
fn mapping(ctx: &Ctx, function: &Resource, trigger: &Trigger) -> Res {
    let kind = ctx.model.kind_of(trigger.source);
    let mut r = Res::new("AWS::Lambda::EventSourceMapping");
    let source_field = kind.trigger.as_ref().map_or("arn", |t| t.source_field.as_str());
    r.set("EventSourceArn", arns::field(ctx, trigger.source, source_field));
    let function_name = ctx.invoke_name(function, &mut r);
    r.set("FunctionName", function_name);
    let options = kind.trigger.as_ref().map(|t| t.options.as_slice()).unwrap_or_default();
    resources::mapped_attributes(ctx, options, &trigger.options, &mut r.props);
    let o = &trigger.options;
    if let Some(age) = o.int("max_age") {
        r.set("MaximumRecordAgeInSeconds", age);
    }
    if o.bool("report_failures") {
        r.set("FunctionResponseTypes", json!(["ReportBatchItemFailures"]));
    }
    if let Some(concurrency) = o.int("concurrency") {
        r.set("ScalingConfig", json!({ "MaximumConcurrency": concurrency }));
    }
    if let Some(target) = o.reference("on_failure") {
        let target = arns::arn_after(ctx, target, &mut r);
        r.set("DestinationConfig", object([("OnFailure", object([("Destination", target)]))]));
    }
    if let Some(Val::List(filters)) = o.value("filters") {
        let filters: Vec<Value> = filters
            .iter()
            .map(|pattern| object([("Pattern", resources::value(ctx, pattern, "").to_string().into())]))
            .collect();
        r.set("FilterCriteria", object([("Filters", filters.into())]));
    }
    r.tag(ctx);
    r
}
