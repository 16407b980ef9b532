//! Push wiring: what a source needs to call a function, and the function's
//! resource-based permissions. HTTP API routes get an integration and a
//! route; topics a subscription; schedules and buses an EventBridge rule
//! per function; buckets a notification on the bucket itself (built here,
//! placed by `resources`). Every permission names its source (`SourceArn`),
//! and its account where the ARN has none (S3).

use super::{arns, get_att, literal, object, reference, resources, sub, Ctx, Out, Res, ACCOUNT, PARTITION, REGION};
use crate::grants::{Grants, Permission, PermissionSource, Principal};
use crate::model::{FunctionBody, Resource, Trigger, Val};
use crate::resolve::routes::is_websocket;
use crate::stdlib::TriggerMode;
use serde_json::{json, Value};

pub fn emit(ctx: &Ctx, function: &Resource, grants: &Grants, out: &mut Out) {
    let Some(body) = &function.function else { return };
    for (index, trigger) in body.triggers.iter().enumerate() {
        let kind = ctx.model.kind_of(trigger.source);
        if !kind.trigger.as_ref().is_some_and(|t| t.mode == TriggerMode::Push) {
            continue;
        }
        match kind.name.as_str() {
            // A REST API's methods are described in `deploy::rest`.
            "api" if ctx.model.resource(trigger.source).is_rest_api() => {}
            // WebSocket routes: deploy::websocket.
            "api" if is_websocket(ctx.model.resource(trigger.source)) => {}
            "api" => route(ctx, function, body, index, out),
            "topic" => subscription(ctx, function, body, index, out),
            // A Scheduler schedule is `deploy::states`'s.
            "schedule" if crate::grants::is_scheduler(ctx.model.resource(trigger.source)) => {}
            "schedule" | "bus" => rule(ctx, function, body, index, out),
            // Buckets: see `bucket_notifications`.
            _ => {}
        }
    }
    for permission in grants.permissions.iter().filter(|p| !crate::deploy::auth::printed_here(&p.source)) {
        if websocket_route(ctx, permission) {
            continue;
        }
        let id = match permission.trigger {
            Some(index) => ctx.trigger_id(function, body, index, "Permission"),
            None => {
                ctx.ids.keyed(function, &format!("allow {}", permission.sid), &format!("{}Permission", permission.sid))
            }
        };
        out.push(id, lambda_permission(ctx, function, body, permission));
    }
}

/// Whether the permission is a WebSocket route's, which deploy::websocket makes.
fn websocket_route(ctx: &Ctx, permission: &Permission) -> bool {
    matches!(&permission.source, PermissionSource::Route { api, .. } if is_websocket(ctx.model.resource(*api)))
}

/// The route, and with a function's first route on an api the integration
/// that proxies its routes on that api to it (payload 2.0).
fn route(ctx: &Ctx, function: &Resource, body: &FunctionBody, index: usize, out: &mut Out) {
    let trigger = &body.triggers[index];
    let api_resource = ctx.model.resource(trigger.source);
    let api = ctx.id(api_resource);
    let integration = ctx.ids.keyed(
        function,
        &format!("integration {}", api_resource.name),
        &format!("{}Integration", ctx.ids.stem(api_resource)),
    );
    if !body.triggers[..index].iter().any(|earlier| earlier.source == trigger.source) {
        let mut i = Res::new("AWS::ApiGatewayV2::Integration");
        i.set("ApiId", reference(&api));
        i.set("IntegrationType", "AWS_PROXY");
        i.set("IntegrationMethod", "POST");
        let uri = ctx.invoke_arn(function, Some(&mut i));
        i.set("IntegrationUri", uri);
        i.set("PayloadFormatVersion", "2.0");
        out.push(integration.clone(), i);
    }
    let mut r = Res::new("AWS::ApiGatewayV2::Route");
    r.set("ApiId", reference(&api));
    r.set("RouteKey", trigger.route.as_ref().map(|r| r.key()).unwrap_or_default());
    r.set("AuthorizationType", "NONE");
    super::neutral::set(ctx, &crate::deploy::auth::route_authorization(&ctx.scope(), trigger), &mut r);
    r.set("Target", sub(format!("integrations/${{{integration}}}")));
    out.push(ctx.trigger_id(function, body, index, "Route"), r);
}

/// The function subscribed to the topic, with the trigger's `filter`.
fn subscription(ctx: &Ctx, function: &Resource, body: &FunctionBody, index: usize, out: &mut Out) {
    let trigger = &body.triggers[index];
    let mut s = Res::new("AWS::SNS::Subscription");
    s.set("TopicArn", arns::arn(ctx, trigger.source));
    s.set("Protocol", "lambda");
    let endpoint = ctx.invoke_arn(function, Some(&mut s));
    s.set("Endpoint", endpoint);
    if let Some(filter) = trigger.options.value("filter") {
        s.set("FilterPolicy", resources::value(ctx, filter, ""));
    }
    out.push(ctx.trigger_id(function, body, index, "Subscription"), s);
}

/// An EventBridge rule with the function as its target: a schedule's
/// expression, or a pattern on a bus (every event when there is none).
fn rule(ctx: &Ctx, function: &Resource, body: &FunctionBody, index: usize, out: &mut Out) {
    let trigger = &body.triggers[index];
    let source = ctx.model.resource(trigger.source);
    let mut r = Res::new("AWS::Events::Rule");
    r.set("Description", crate::deploy::facts::rule_description(&source.name, &function.name));
    if source.kind == "schedule" {
        r.set("ScheduleExpression", source.attrs.str("at").unwrap_or_default());
    } else {
        // The name or the ARN: the ARN, so that the rule waits for the bus.
        let bus = match &source.existing {
            Some(_) => arns::arn(ctx, source.id),
            None => get_att(&ctx.id(source), "Arn"),
        };
        r.set("EventBusName", bus);
        let pattern = match trigger.options.value("pattern") {
            Some(pattern) => resources::value(ctx, pattern, ""),
            None => json!({ "source": [{ "prefix": "" }] }),
        };
        r.set("EventPattern", pattern);
    }
    r.set("State", "ENABLED");
    let target = crate::deploy::names::function_name(ctx.model, ctx.stage, function);
    let arn = ctx.invoke_arn(function, Some(&mut r));
    r.set("Targets", vec![object([("Id", target.into()), ("Arn", arn)])]);
    r.tag(ctx);
    out.push(ctx.trigger_id(function, body, index, "Rule"), r);
}

fn lambda_permission(ctx: &Ctx, function: &Resource, body: &FunctionBody, permission: &Permission) -> Res {
    let mut p = Res::new("AWS::Lambda::Permission");
    p.set("Action", "lambda:InvokeFunction");
    let function_name = ctx.invoke_name(function, &mut p);
    p.set("FunctionName", function_name);
    p.set(
        "Principal",
        match &permission.principal {
            Principal::Service(service) => Value::String(service.clone()),
            Principal::Account(account) | Principal::Role(account) => ctx.text(account),
            Principal::Any => "*".into(),
        },
    );
    if let Some(org) = &permission.principal_org_id {
        p.set("PrincipalOrgID", ctx.text(org));
    }
    let source = match &permission.source {
        PermissionSource::Route { api, route } => {
            let stage = literal(crate::deploy::rest::permission_stage(ctx.model, ctx.stage, *api));
            let api = ctx.id(ctx.model.resource(*api));
            let path = route.source_arn_path();
            Some(sub(format!("arn:{PARTITION}:execute-api:{REGION}:{ACCOUNT}:${{{api}}}/{stage}/{}", literal(&path))))
        }
        PermissionSource::Rule { trigger } => Some(get_att(&ctx.trigger_id(function, body, *trigger, "Rule"), "Arn")),
        PermissionSource::Resource(id) => Some(arns::arn(ctx, *id)),
        PermissionSource::Literal(arn) => Some(Value::String(arn.clone())),
        // Printed with the authorizer (`deploy::auth`), never here.
        PermissionSource::None | PermissionSource::Authorizer { .. } => None,
    };
    if let Some(source) = source {
        p.set("SourceArn", source);
    }
    if permission.source_account {
        p.set("SourceAccount", reference("AWS::AccountId"));
    }
    p.metadata = Some(super::policy::permission_sources(ctx, permission.span));
    p
}

/// The `LambdaConfigurations` of a bucket's notification configuration,
/// one per function and event type, and the permissions the bucket must
/// wait for.
pub fn bucket_notifications(ctx: &Ctx, bucket: &Resource) -> (Vec<Value>, Vec<String>) {
    let mut configurations = Vec::new();
    let mut permissions = Vec::new();
    for (function, body, index) in ctx.triggered_by(bucket.id) {
        let trigger = &body.triggers[index];
        // The bucket waits for the permissions, which wait for the alias.
        let target = ctx.invoke_arn(function, None);
        let filter = key_filter(trigger);
        for event in events(trigger) {
            let mut configuration = object([("Event", event.into()), ("Function", target.clone())]);
            if let (Some(filter), Some(c)) = (&filter, configuration.as_object_mut()) {
                c.insert("Filter".into(), filter.clone());
            }
            configurations.push(configuration);
        }
        permissions.push(ctx.trigger_id(function, body, index, "Permission"));
    }
    (configurations, permissions)
}

fn events(trigger: &Trigger) -> Vec<String> {
    match trigger.options.value("events") {
        Some(Val::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                Val::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => vec!["s3:ObjectCreated:*".into()],
    }
}

/// The key `prefix` and `suffix` rules, if any.
fn key_filter(trigger: &Trigger) -> Option<Value> {
    let rules: Vec<Value> = ["prefix", "suffix"]
        .iter()
        .filter_map(|name| trigger.options.str(name).map(|value| json!({ "Name": name, "Value": value })))
        .collect();
    (!rules.is_empty()).then(|| object([("S3Key", object([("Rules", Value::Array(rules))]))]))
}

/// A queue subscribed to a topic (`subscribe`): the subscription, with
/// raw delivery and the filter policy, and the queue policy that lets SNS
/// send to the queue for that topic alone. The subscription waits for the
/// policy: SNS delivers from the moment it is confirmed.
pub fn queue_subscription(ctx: &Ctx, queue: &Resource, out: &mut Out) {
    use crate::deploy::facts::{FAN_OUT_ACTION, FAN_OUT_CONDITION, FAN_OUT_PRINCIPAL, FAN_OUT_SID};
    let Some(topic) = queue.attrs.reference("subscribe") else { return };
    let policy = ctx.id_with(queue, "Policy");
    let mut s = Res::new("AWS::SNS::Subscription");
    s.depends_on.push(policy.clone());
    s.set("TopicArn", arns::arn(ctx, topic));
    s.set("Protocol", "sqs");
    s.set("Endpoint", arns::arn(ctx, queue.id));
    if queue.attrs.bool("raw_delivery") {
        s.set("RawMessageDelivery", true);
    }
    if let Some(filter) = queue.attrs.value("filter") {
        s.set("FilterPolicy", resources::value(ctx, filter, ""));
    }
    out.push(ctx.id_with(queue, "Subscription"), s);
    let (operator, key) = FAN_OUT_CONDITION;
    let statement = json!({
        "Sid": FAN_OUT_SID,
        "Effect": "Allow",
        "Principal": { "Service": FAN_OUT_PRINCIPAL },
        "Action": FAN_OUT_ACTION,
        "Resource": arns::arn(ctx, queue.id),
        "Condition": { operator: { key: arns::arn(ctx, topic) } },
    });
    let mut p = Res::new("AWS::SQS::QueuePolicy");
    p.set("Queues", vec![reference(&ctx.id(queue))]);
    p.set("PolicyDocument", json!({ "Version": "2012-10-17", "Statement": [statement] }));
    out.push(policy, p);
}
