//! One function's event source mappings (a poll trigger each); the rest of
//! its resources are described in `deploy::function`.

use super::expr::{block, int, jsonencode, resource, strings};
use super::resources::scalar;
use super::Ctx;
use crate::model::{Resource, Trigger, Val};
use crate::stdlib::TriggerMode;
use hcl::{Block, BlockBuilder};

pub const FUNCTION: &str = crate::deploy::function::FUNCTION.1;

pub fn emit(ctx: &Ctx, f: &Resource) -> Vec<Block> {
    let Some(body) = &f.function else { return Vec::new() };
    body.triggers.iter().enumerate().filter_map(|(index, trigger)| mapping(ctx, f, index, trigger)).collect()
}

/// The event source mapping of a poll trigger; options under their
/// `terraform` names, the rest mapped here.
fn mapping(ctx: &Ctx, f: &Resource, index: usize, trigger: &Trigger) -> Option<Block> {
    let kind = ctx.model.kind_of(trigger.source);
    let def = kind.trigger.as_ref().filter(|t| t.mode == TriggerMode::Poll)?;
    let mut main = resource("aws_lambda_event_source_mapping", &ctx.trigger_label(f.id, index))
        .add_attribute(("event_source_arn", ctx.field(trigger.source, &def.source_field)))
        .add_attribute(("function_name", ctx.invoke_arn(f, "arn")));
    let mut blocks: Vec<Block> = Vec::new();
    for option in &def.options {
        let Some(value) = trigger.options.value(&option.name) else { continue };
        main = match (option.name.as_str(), value, option.terraform.as_deref()) {
            ("report_failures", Val::Bool(true), _) => {
                main.add_attribute(("function_response_types", strings(["ReportBatchItemFailures"])))
            }
            ("report_failures", ..) => main,
            ("concurrency", Val::Int(n), _) => {
                blocks.push(block("scaling_config").add_attribute(("maximum_concurrency", int(*n))).build());
                main
            }
            ("max_age", Val::Duration(n), _) => main.add_attribute(("maximum_record_age_in_seconds", int(*n))),
            ("on_failure", Val::Ref(target), _) => {
                let on_failure = block("on_failure").add_attribute(("destination_arn", ctx.arn(*target))).build();
                blocks.push(block("destination_config").add_block(on_failure).build());
                main
            }
            ("filters", Val::List(patterns), _) => {
                let mut criteria = block("filter_criteria");
                for pattern in patterns.iter().filter_map(scalar) {
                    criteria =
                        criteria.add_block(block("filter").add_attribute(("pattern", jsonencode(pattern))).build());
                }
                blocks.push(criteria.build());
                main
            }
            (_, value, Some(name)) => add_scalar(main, name, value),
            _ => main,
        };
    }
    Some(main.add_blocks(blocks).build())
}

fn add_scalar(main: BlockBuilder, name: &str, value: &Val) -> BlockBuilder {
    match scalar(value) {
        Some(value) => main.add_attribute((name, value)),
        None => main,
    }
}
