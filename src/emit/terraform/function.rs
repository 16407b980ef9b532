//! One function's own resources: its log group, execution role and role
//! policy (the grants), the function, its asynchronous invocation config
//! and an event source mapping per poll trigger.

use super::expr::{attr_ref, block, call, int, jsonencode, list, object, resource, resource_ref, string, strings};
use super::resources::scalar;
use super::{depends_on, policy, Ctx};
use crate::deploy::defaults;
use crate::deploy::facts::retention_days;
use crate::deploy::names;
use crate::deploy::versions;
use crate::grants::{Grants, Statement};
use crate::model::{FunctionBody, Resource, Trigger, Val};
use crate::stdlib::TriggerMode;
use hcl::expr::Expression;
use hcl::{Block, BlockBuilder};

const LOG_GROUP: &str = "aws_cloudwatch_log_group";
const ROLE: &str = "aws_iam_role";
const ROLE_POLICY: &str = "aws_iam_role_policy";
const ATTACHMENT: &str = "aws_iam_role_policy_attachment";
pub const FUNCTION: &str = "aws_lambda_function";

pub fn emit(ctx: &Ctx, f: &Resource, grants: &Grants) -> Vec<Block> {
    let Some(body) = &f.function else { return Vec::new() };
    let mut out = vec![log_group(ctx, f), role(ctx, f)];
    // Statements that are exactly an AWS managed policy (the network
    // interfaces of a VPC function) are granted by attaching it.
    let (managed, inline): (Vec<&Statement>, Vec<&Statement>) =
        grants.statements.iter().partition(|s| s.managed.is_some());
    let inline: Vec<Statement> = inline.into_iter().cloned().collect();
    out.push(
        resource(ROLE_POLICY, &f.name)
            .add_attribute(("name", string("least-privilege")))
            .add_attribute(("role", attr_ref(ROLE, &f.name, "id")))
            .add_attribute(("policy", policy::document(ctx, &inline)))
            .build(),
    );
    let mut needs = vec![resource_ref(LOG_GROUP, &f.name), resource_ref(ROLE_POLICY, &f.name)];
    let mut paths: Vec<&str> = managed.iter().filter_map(|s| s.managed.as_deref()).collect();
    paths.dedup();
    for (index, path) in paths.into_iter().enumerate() {
        let label = if index == 0 { f.name.clone() } else { format!("{}_{}", f.name, index + 1) };
        out.push(
            resource(ATTACHMENT, &label)
                .add_attribute(("role", attr_ref(ROLE, &f.name, "name")))
                .add_attribute(("policy_arn", policy::managed_arn(path)))
                .build(),
        );
        needs.push(resource_ref(ATTACHMENT, &label));
    }
    out.push(function(ctx, f, body, needs));
    out.extend(invoke_config(ctx, f, body));
    for (index, trigger) in body.triggers.iter().enumerate() {
        out.extend(mapping(ctx, f, index, trigger));
    }
    out
}

/// `/aws/lambda/{function name}`, declared so the role can be scoped to it
/// and its retention set.
fn log_group(ctx: &Ctx, f: &Resource) -> Block {
    let mut group =
        resource(LOG_GROUP, &f.name).add_attribute(("name", string(names::log_group_name(ctx.model, ctx.stage(), f))));
    if let Some(seconds) = defaults::LOG_RETENTION.int(f) {
        group = group.add_attribute(("retention_in_days", int(retention_days(seconds))));
    }
    group.build()
}

fn role(ctx: &Ctx, f: &Resource) -> Block {
    // Unnamed, as in CloudFormation (`deploy::names::naming`).
    let mut role = resource(ROLE, &f.name).add_attribute(("assume_role_policy", policy::assume_lambda()));
    if let Some(boundary) = &ctx.model.app.permissions_boundary {
        role = role.add_attribute(("permissions_boundary", string(boundary.clone())));
    }
    role.build()
}

/// The function; it waits for its log group and its permissions (Lambda
/// checks the network-interface ones when it is created).
fn function(ctx: &Ctx, f: &Resource, body: &FunctionBody, needs: Vec<Expression>) -> Block {
    let attrs = &f.attrs;
    let mut main = resource(FUNCTION, &f.name)
        .add_attribute(("function_name", string(names::function_name(ctx.model, ctx.stage(), f))))
        .add_attribute(("role", attr_ref(ROLE, &f.name, "arn")));
    if let Some(description) = attrs.str("description") {
        main = main.add_attribute(("description", string(description)));
    }
    main = match versions::package(f) {
        versions::Package::Image(uri) => {
            main.add_attribute(("package_type", string("Image"))).add_attribute(("image_uri", string(uri)))
        }
        versions::Package::ImageInput(input) => {
            main.add_attribute(("package_type", string("Image"))).add_attribute(("image_uri", ctx.input(input)))
        }
        versions::Package::Zip(code) => main
            .add_attribute(("runtime", string(attrs.str("runtime").unwrap_or_default())))
            .add_attribute(("handler", string(attrs.str("handler").unwrap_or_default())))
            .add_attribute(("filename", ctx.code_path(code)))
            .add_attribute(("source_code_hash", call("filebase64sha256", vec![ctx.code_path(code)]))),
    };
    if versions::publishes(f) {
        main = main.add_attribute(("publish", true));
    }
    if let Some(memory) = defaults::MEMORY.int(f) {
        main = main.add_attribute(("memory_size", int(memory)));
    }
    if let Some(timeout) = defaults::TIMEOUT.int(f) {
        main = main.add_attribute(("timeout", int(timeout)));
    }
    if let Some(arch) = defaults::ARCH.text(f) {
        main = main.add_attribute(("architectures", strings([arch])));
    }
    if let Some(concurrency) = attrs.int("concurrency") {
        main = main.add_attribute(("reserved_concurrent_executions", int(concurrency)));
    }
    if let Some(Val::List(layers)) = attrs.value("layers") {
        let layer = |l: &Val| match l {
            Val::Ref(id) => Some(ctx.arn(*id)),
            Val::Input(input) => Some(ctx.input(*input)),
            other => scalar(other),
        };
        main = main.add_attribute(("layers", list(layers.iter().filter_map(layer))));
    }
    if let Some(Val::Object(env)) = attrs.value("env") {
        if !env.is_empty() {
            let variables = object(env.iter().map(|(k, v)| (k.clone(), env_value(ctx, v))));
            main = main.add_block(block("environment").add_attribute(("variables", variables)).build());
        }
    }
    if let Some(network) = attrs.reference("network") {
        let n = &ctx.model.resource(network).attrs;
        let ids = |name: &str| match n.value(name) {
            Some(Val::List(items)) => list(items.iter().filter_map(|item| match item {
                Val::Input(input) => Some(ctx.input(*input)),
                other => scalar(other),
            })),
            Some(Val::Input(input)) => ctx.input(*input),
            _ => list([]),
        };
        let mut vpc = block("vpc_config")
            .add_attribute(("subnet_ids", ids("subnets")))
            .add_attribute(("security_group_ids", ids("security_groups")));
        if n.bool("ipv6") {
            vpc = vpc.add_attribute(("ipv6_allowed_for_dual_stack", true));
        }
        main = main.add_block(vpc.build());
    }
    if let Some(target) = attrs.reference("dead_letter") {
        main = main.add_block(block("dead_letter_config").add_attribute(("target_arn", ctx.arn(target))).build());
    }
    if versions::snapstart(f) {
        let apply_on = string(versions::SNAPSTART_APPLY_ON);
        main = main.add_block(block("snap_start").add_attribute(("apply_on", apply_on)).build());
    }
    if let Some(size) = attrs.int("storage").filter(|s| *s != 512) {
        main = main.add_block(block("ephemeral_storage").add_attribute(("size", int(size))).build());
    }
    for mount in &body.mounts {
        main = main.add_block(
            block("file_system_config")
                .add_attribute(("arn", ctx.arn(mount.target)))
                .add_attribute(("local_mount_path", string(mount.path.clone())))
                .build(),
        );
    }
    if attrs.bool("tracing") {
        main = main.add_block(block("tracing_config").add_attribute(("mode", "Active")).build());
    }
    if let Some(logging) = crate::deploy::facts::logging(attrs) {
        let mut config = block("logging_config").add_attribute(("log_format", string(logging.format)));
        if let Some(level) = logging.application_level {
            config = config.add_attribute(("application_log_level", string(level)));
        }
        if let Some(level) = logging.system_level {
            config = config.add_attribute(("system_log_level", string(level)));
        }
        main = main.add_block(config.build());
    }
    main.add_attribute(depends_on(needs)).build()
}

/// An environment value: strings as written, `x.field` as a reference.
fn env_value(ctx: &Ctx, value: &Val) -> Expression {
    match value {
        Val::Field(id, field) => ctx.field(*id, field),
        Val::Str(s) | Val::Word(s) => string(s.clone()),
        Val::Int(n) | Val::Duration(n) | Val::Size(n) => string(n.to_string()),
        Val::Bool(b) => string(b.to_string()),
        // A number input too: Terraform converts it to the string the map holds.
        Val::Input(input) => ctx.input(*input),
        other => jsonencode(scalar(other).unwrap_or_else(|| string(""))),
    }
}

/// Retries, maximum event age and destinations of asynchronous invocations.
fn invoke_config(ctx: &Ctx, f: &Resource, body: &FunctionBody) -> Option<Block> {
    let config = body.async_config.as_ref()?;
    let attrs = &config.attrs;
    let mut main = resource("aws_lambda_function_event_invoke_config", &f.name)
        .add_attribute(("function_name", attr_ref(FUNCTION, &f.name, "function_name")));
    if let Some(qualifier) = ctx.qualifier(f) {
        main = main.add_attribute(("qualifier", qualifier));
    }
    if let Some(retries) = attrs.int("retries") {
        main = main.add_attribute(("maximum_retry_attempts", int(retries)));
    }
    if let Some(age) = attrs.int("max_age") {
        main = main.add_attribute(("maximum_event_age_in_seconds", int(age)));
    }
    let mut destinations = block("destination_config");
    let mut any = false;
    for when in ["on_success", "on_failure"] {
        if let Some(target) = attrs.reference(when) {
            destinations =
                destinations.add_block(block(when).add_attribute(("destination", ctx.destination_arn(target))).build());
            any = true;
        }
    }
    // An empty destination_config makes a perpetual diff.
    if any {
        main = main.add_block(destinations.build());
    }
    Some(main.build())
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
