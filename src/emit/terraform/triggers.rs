//! Push wiring: the function's resource-based permissions (one
//! `aws_lambda_permission` per push trigger and per `allow`), HTTP API
//! integrations and routes, SNS subscriptions, EventBridge rules and
//! targets, and one S3 bucket notification per bucket.

use super::expr::{attr_ref, block, jsonencode, list, object, resource, resource_ref, string, template, Part};
use super::function::FUNCTION;
use super::resources::scalar;
use super::{depends_on, Ctx};
use crate::grants::{Grants, Permission, PermissionSource, Principal};
use crate::model::{Resource, ResourceId, Route, Trigger, Val};
use crate::resolve::routes::is_websocket;
use crate::stdlib::TriggerMode;
use hcl::expr::Expression;
use hcl::Block;

const PERMISSION: &str = "aws_lambda_permission";
const RULE: &str = "aws_cloudwatch_event_rule";

pub fn emit(ctx: &Ctx, f: &Resource, grants: &Grants) -> Vec<Block> {
    let Some(body) = &f.function else { return Vec::new() };
    let mut out = Vec::new();
    let mut integrated: Vec<ResourceId> = Vec::new();
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = ctx.model.kind_of(trigger.source);
        if kind.trigger.as_ref().is_none_or(|t| t.mode != TriggerMode::Push) {
            continue;
        }
        let label = ctx.trigger_label(f.id, index);
        match (kind.name.as_str(), &trigger.route) {
            // A REST API's methods are described in `deploy::rest`.
            ("api", Some(_)) if ctx.model.resource(trigger.source).is_rest_api() => {}
            // WebSocket routes: deploy::websocket.
            ("api", Some(_)) if is_websocket(ctx.model.resource(trigger.source)) => {}
            ("api", Some(route)) => {
                if !integrated.contains(&trigger.source) {
                    integrated.push(trigger.source);
                    out.push(integration(ctx, f, trigger.source));
                }
                out.push(route_block(ctx, f, trigger, route, &label));
            }
            ("topic", _) => out.push(subscription(ctx, f, trigger, &label)),
            // A Scheduler schedule is `deploy::states`'s.
            ("schedule", _) if crate::grants::is_scheduler(ctx.model.resource(trigger.source)) => {}
            ("schedule" | "bus", _) => out.extend(rule(ctx, f, trigger, &label)),
            _ => {}
        }
    }
    let mut allows = 0;
    for permission in grants.permissions.iter().filter(|p| !crate::deploy::auth::printed_here(&p.source)) {
        if matches!(&permission.source, PermissionSource::Route { api, .. } if is_websocket(ctx.model.resource(*api))) {
            continue;
        }
        let label = match permission.trigger {
            Some(index) => ctx.trigger_label(f.id, index),
            None => {
                allows += 1;
                ctx.allow_label(f.id, allows - 1)
            }
        };
        out.push(permission_block(ctx, f, permission, &label));
    }
    out
}

fn permission_block(ctx: &Ctx, f: &Resource, permission: &Permission, label: &str) -> Block {
    let principal = match &permission.principal {
        Principal::Service(service) => string(service.clone()),
        Principal::Account(text) | Principal::Role(text) => ctx.text(text),
        Principal::Any => string("*"),
    };
    let mut main = resource(PERMISSION, label)
        .add_attribute(("statement_id", string(permission.sid.clone())))
        .add_attribute(("action", string("lambda:InvokeFunction")))
        .add_attribute(("function_name", attr_ref(FUNCTION, &f.name, "function_name")))
        .add_attribute(("principal", principal));
    if let Some(qualifier) = ctx.qualifier(f) {
        main = main.add_attribute(("qualifier", qualifier));
    }
    let source = match &permission.source {
        PermissionSource::Route { api, route } => Some(route_arn(ctx, *api, route)),
        PermissionSource::Rule { trigger } => Some(attr_ref(RULE, &ctx.trigger_label(f.id, *trigger), "arn")),
        PermissionSource::Resource(id) => Some(ctx.arn(*id)),
        PermissionSource::Literal(arn) => Some(string(arn.clone())),
        // Printed with the authorizer (`deploy::auth`), never here.
        PermissionSource::None | PermissionSource::Authorizer { .. } => None,
    };
    if let Some(source) = source {
        main = main.add_attribute(("source_arn", source));
    }
    if permission.source_account {
        main = main.add_attribute(("source_account", super::expr::account()));
    }
    if let Some(org) = &permission.principal_org_id {
        main = main.add_attribute(("principal_org_id", ctx.text(org)));
    }
    main.build()
}

/// `${execution_arn}/`, the stage (`*` for an HTTP API) and the route's
/// [`Route::source_arn_path`].
fn route_arn(ctx: &Ctx, api: ResourceId, route: &Route) -> Expression {
    let execution_arn = ctx.attr(api, "execution_arn");
    let stage = crate::deploy::rest::permission_stage(ctx.model, ctx.stage(), api);
    template(vec![Part::Expr(execution_arn), Part::Lit(format!("/{stage}/{}", route.source_arn_path()))])
}

fn integration(ctx: &Ctx, f: &Resource, api: ResourceId) -> Block {
    resource("aws_apigatewayv2_integration", &ctx.integration_label(api, f.id))
        .add_attribute(("api_id", ctx.attr(api, "id")))
        .add_attribute(("integration_type", string("AWS_PROXY")))
        .add_attribute(("integration_method", string("POST")))
        .add_attribute(("integration_uri", ctx.invoke_arn(f, "invoke_arn")))
        .add_attribute(("payload_format_version", string("2.0")))
        .build()
}

fn route_block(ctx: &Ctx, f: &Resource, trigger: &Trigger, route: &Route, label: &str) -> Block {
    let api = trigger.source;
    let integration = attr_ref("aws_apigatewayv2_integration", &ctx.integration_label(api, f.id), "id");
    let main = resource("aws_apigatewayv2_route", label)
        .add_attribute(("api_id", ctx.attr(api, "id")))
        .add_attribute(("route_key", string(route.key())));
    super::neutral::add(ctx, main, &crate::deploy::auth::route_authorization(&ctx.scope(), trigger))
        .add_attribute(("target", template(vec![Part::Lit("integrations/".into()), Part::Expr(integration)])))
        .build()
}

fn subscription(ctx: &Ctx, f: &Resource, trigger: &Trigger, label: &str) -> Block {
    let mut main = resource("aws_sns_topic_subscription", label)
        .add_attribute(("topic_arn", ctx.arn(trigger.source)))
        .add_attribute(("protocol", string("lambda")))
        .add_attribute(("endpoint", ctx.invoke_arn(f, "arn")));
    if let Some(filter) = trigger.options.value("filter").and_then(scalar) {
        main = main.add_attribute(("filter_policy", jsonencode(filter)));
    }
    main.build()
}

/// The rule of a schedule (its expression) or of a bus (the trigger's
/// pattern, or every event on the bus), and its target, the function.
fn rule(ctx: &Ctx, f: &Resource, trigger: &Trigger, label: &str) -> Vec<Block> {
    let source = ctx.model.resource(trigger.source);
    // Unnamed, as in CloudFormation (`deploy::names::naming`).
    let description = crate::deploy::facts::rule_description(&source.name, &f.name);
    let mut rule = resource(RULE, label).add_attribute(("description", string(description)));
    let mut target =
        resource("aws_cloudwatch_event_target", label).add_attribute(("rule", attr_ref(RULE, label, "name")));
    if source.kind == "schedule" {
        let at = source.attrs.str("at").unwrap_or_default();
        rule = rule.add_attribute(("schedule_expression", string(at)));
    } else {
        let bus = ctx.field(trigger.source, "name");
        let pattern = match trigger.options.value("pattern").and_then(scalar) {
            Some(pattern) => pattern,
            // Every event on the bus: `prefix ""` matches any source.
            None => object([("source", list([object([("prefix", string(""))])]))]),
        };
        rule =
            rule.add_attribute(("event_bus_name", bus.clone())).add_attribute(("event_pattern", jsonencode(pattern)));
        target = target.add_attribute(("event_bus_name", bus));
    }
    target =
        target.add_attribute(("target_id", string(f.name.clone()))).add_attribute(("arn", ctx.invoke_arn(f, "arn")));
    vec![rule.build(), target.build()]
}

/// One notification per bucket (several would overwrite each other) with
/// a `lambda_function` per trigger, after the permissions S3 checks.
pub fn bucket_notifications(ctx: &Ctx, all: &[Grants]) -> Vec<Block> {
    let mut buckets: Vec<(ResourceId, Vec<Block>, Vec<Expression>)> = Vec::new();
    for grants in all {
        let f = ctx.model.resource(grants.principal);
        let Some(body) = &f.function else { continue };
        for (index, trigger) in body.triggers.iter().enumerate() {
            if ctx.model.resource(trigger.source).kind != "bucket" {
                continue;
            }
            let label = ctx.trigger_label(f.id, index);
            let mut wiring = block("lambda_function")
                .add_attribute(("id", string(label.clone())))
                .add_attribute(("lambda_function_arn", ctx.invoke_arn(f, "arn")));
            if let Some(Val::List(events)) = trigger.options.value("events") {
                wiring = wiring.add_attribute(("events", list(events.iter().filter_map(scalar))));
            }
            for (option, name) in [("prefix", "filter_prefix"), ("suffix", "filter_suffix")] {
                if let Some(value) = trigger.options.str(option) {
                    wiring = wiring.add_attribute((name, string(value)));
                }
            }
            let permission = resource_ref(PERMISSION, &label);
            match buckets.iter_mut().find(|(id, ..)| *id == trigger.source) {
                Some((_, wirings, permissions)) => {
                    wirings.push(wiring.build());
                    permissions.push(permission);
                }
                None => buckets.push((trigger.source, vec![wiring.build()], vec![permission])),
            }
        }
    }
    buckets.sort_by_key(|(id, ..)| *id);
    buckets
        .into_iter()
        .map(|(bucket, wirings, permissions)| {
            let r = ctx.model.resource(bucket);
            let name = if r.is_created() { ctx.attr(bucket, "id") } else { ctx.field(bucket, "name") };
            resource("aws_s3_bucket_notification", &r.name)
                .add_attribute(("bucket", name))
                .add_blocks(wirings)
                .add_attribute(depends_on(permissions))
                .build()
        })
        .collect()
}

/// A queue subscribed to a topic (`subscribe`): the subscription, with
/// raw delivery and the filter policy, and the queue policy that lets SNS
/// send to the queue for that topic alone; the subscription waits for it.
pub fn queue_subscription(ctx: &Ctx, queue: &Resource) -> Vec<Block> {
    use crate::deploy::facts::{FAN_OUT_ACTION, FAN_OUT_CONDITION, FAN_OUT_PRINCIPAL, FAN_OUT_SID};
    const POLICY: &str = "aws_sqs_queue_policy";
    let Some(topic) = queue.attrs.reference("subscribe") else { return Vec::new() };
    let label = ctx.label(queue.id);
    let mut subscription = resource("aws_sns_topic_subscription", label)
        .add_attribute(("topic_arn", ctx.arn(topic)))
        .add_attribute(("protocol", string("sqs")))
        .add_attribute(("endpoint", ctx.arn(queue.id)));
    if queue.attrs.bool("raw_delivery") {
        subscription = subscription.add_attribute(("raw_message_delivery", true));
    }
    if let Some(filter) = queue.attrs.value("filter").and_then(scalar) {
        subscription = subscription.add_attribute(("filter_policy", jsonencode(filter)));
    }
    let subscription = subscription.add_attribute(depends_on(vec![resource_ref(POLICY, label)])).build();
    let (operator, key) = FAN_OUT_CONDITION;
    let statement = object([
        ("Sid", string(FAN_OUT_SID)),
        ("Effect", string("Allow")),
        ("Principal", object([("Service", string(FAN_OUT_PRINCIPAL))])),
        ("Action", string(FAN_OUT_ACTION)),
        ("Resource", ctx.arn(queue.id)),
        ("Condition", object([(operator, object([(key, ctx.arn(topic))]))])),
    ]);
    let document = object([("Version", string(super::policy::VERSION)), ("Statement", list([statement]))]);
    let policy = resource(POLICY, label)
        .add_attribute(("queue_url", ctx.field(queue.id, "url")))
        .add_attribute(("policy", jsonencode(document)))
        .build();
    vec![subscription, policy]
}
